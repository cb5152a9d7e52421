package knetsim.node.neigh;

/**
 * A neighbour's state (include/net/neighbour.h, NUD_*). The kernel tests bit sets of states; the same groups are
 * methods here so the state machine reads like neighbour.c.
 */
public enum NudState {
    /** NUD_NONE: just created, nothing known. */
    NONE,
    /** NUD_INCOMPLETE: a request is out, packets wait in the arp_queue. */
    INCOMPLETE,
    /** NUD_REACHABLE: confirmed within reachable_time. */
    REACHABLE,
    /** NUD_STALE: the address is known but unconfirmed; no timer runs until it is used. */
    STALE,
    /** NUD_DELAY: used while stale; waits delay_first_probe_time for an upper-layer confirmation. */
    DELAY,
    /** NUD_PROBE: unicast requests to the known address. */
    PROBE,
    /** NUD_FAILED: resolution gave up; the next packet starts it again. */
    FAILED,
    /** NUD_NOARP: no resolution needed (multicast, broadcast, point-to-point). */
    NOARP,
    /** NUD_PERMANENT: set by the administrator. */
    PERMANENT;

    /** NUD_VALID: the hardware address may be used. */
    public boolean isValid() {
        return this == PERMANENT || this == NOARP || this == REACHABLE || this == PROBE || this == STALE
                || this == DELAY;
    }

    /** NUD_CONNECTED: the address is known to be right without probing. */
    public boolean isConnected() {
        return this == PERMANENT || this == NOARP || this == REACHABLE;
    }

    /** NUD_IN_TIMER: states whose entry has a timer running. */
    public boolean inTimer() {
        return this == INCOMPLETE || this == REACHABLE || this == DELAY || this == PROBE;
    }
}
