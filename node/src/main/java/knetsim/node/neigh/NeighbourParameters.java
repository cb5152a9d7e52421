package knetsim.node.neigh;

import java.util.SplittableRandom;

import knetsim.core.time.SimTime;

/**
 * The per-device ARP parameters of /proc/sys/net/ipv4/neigh/DEV/ (struct neigh_parms), times in nanoseconds.
 * The arp_queue is limited in bytes of truesize (unres_qlen_bytes, Linux 3.3+); unres_qlen is derived from it.
 *
 * @param baseReachableTime   base_reachable_time_ms; reachable_time is drawn from it, see {@link #drawReachableTime}
 * @param delayFirstProbeTime delay_first_probe_time: how long DELAY waits for an upper-layer confirmation
 * @param retransTime         retrans_time_ms: the interval between requests
 * @param mcastSolicit        broadcast requests while INCOMPLETE
 * @param ucastSolicit        unicast requests while PROBE
 * @param appSolicit          requests handed to a user-space daemon (arpd); knetsim has none, so they send nothing
 * @param mcastResolicit      broadcast requests in PROBE after the unicast ones
 * @param unresQlenBytes      truesize bytes the arp_queue holds while INCOMPLETE (unres_qlen_bytes)
 * @param locktime            an ARP reply within this time of the last update does not replace a known address
 */
public record NeighbourParameters(long baseReachableTime, long delayFirstProbeTime, long retransTime,
                                  int mcastSolicit, int ucastSolicit, int appSolicit, int mcastResolicit,
                                  int unresQlenBytes, long locktime) {

    /** SKB_TRUESIZE(ETH_FRAME_LEN) = 1514 + 256 + 320: what unres_qlen counts a packet as (neigh_proc_dointvec_unres_qlen). */
    public static final int FULL_FRAME_TRUESIZE = 1514 + 256 + 320;
    /** unres_qlen_bytes' default, SK_WMEM_MAX = SKB_TRUESIZE(256) * 256 = 832 * 256. */
    public static final int UNRES_QLEN_BYTES = 212_992;

    /** HZ/100: neighbour.c never arms a timer closer than this. */
    static final long MIN_TIMER = 10 * SimTime.MILLISECOND;

    public NeighbourParameters {
        if (baseReachableTime < 0 || delayFirstProbeTime < 0 || retransTime < 0 || locktime < 0) {
            throw new IllegalArgumentException("neighbour times must not be negative: " + this);
        }
        if (mcastSolicit < 0 || ucastSolicit < 0 || appSolicit < 0 || mcastResolicit < 0 || unresQlenBytes < 0) {
            throw new IllegalArgumentException("neighbour counts must not be negative: " + this);
        }
    }

    /**
     * Linux's defaults (arp_tbl in net/ipv4/arp.c, as `sysctl net.ipv4.neigh.DEV` shows on 6.18): 30 s, 5 s, 1 s,
     * 3 broadcast and 3 unicast requests, no arpd, no re-solicitation, unres_qlen_bytes 212992 (unres_qlen 101), locktime 1 s.
     */
    public static NeighbourParameters linuxDefaults() {
        return new NeighbourParameters(30 * SimTime.SECOND, 5 * SimTime.SECOND, SimTime.SECOND, 3, 3, 0, 0,
                UNRES_QLEN_BYTES, SimTime.SECOND);
    }

    /** unres_qlen as sysctl reads it: unres_qlen_bytes in full frames (212992 / 2090 = 101). */
    public int unresQlen() {
        return unresQlenBytes / FULL_FRAME_TRUESIZE;
    }

    /**
     * neigh_rand_reach_time(): uniform in [base/2, 3*base/2), so hosts that met at the same moment do not all
     * re-probe together. Linux draws it per device and redraws every 300 s (neigh_periodic_work()).
     */
    public long drawReachableTime(SplittableRandom random) {
        if (baseReachableTime == 0) return 0;
        return random.nextLong(baseReachableTime) + (baseReachableTime >> 1);
    }

    /** neigh_max_probes(): requests before INCOMPLETE or PROBE gives up; the probe counter counts across both. */
    int maxProbes(NudState state) {
        return ucastSolicit + appSolicit + (state == NudState.PROBE ? mcastResolicit : mcastSolicit);
    }
}
