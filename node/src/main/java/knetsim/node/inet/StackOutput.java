package knetsim.node.inet;

/** What the IPv4 stack needs from its host: the wire and a wake-up for its timers. */
public interface StackOutput {
    /**
     * dev_queue_xmit() of a frame; {@code owner} is the socket it is charged to, or -1. The stack hands the array
     * over: it neither keeps nor changes it afterwards (the host may put it on the wire as it is).
     */
    void transmit(int ifindex, byte[] frame, int owner);

    /**
     * netif_rx() from lo: queue {@code frame} (charged to socket {@code owner}, or -1) on the CPU's backlog;
     * process_backlog() hands it back to the stack ({@code InetStack.loopbackRcv}) later. A harness without a
     * backlog may not support lo.
     */
    default void loopback(byte[] frame, int owner) {
        throw new UnsupportedOperationException("this stack's host has no loopback path");
    }

    /** The same with skb->tstamp, the packet's earliest departure time (0: now), which fq honours. */
    default void transmit(int ifindex, byte[] frame, int owner, long tstamp) {
        transmit(ifindex, frame, owner);
    }

    /** Call the stack's timers at {@code time} (the host's timer queue). */
    void wakeAt(long time);
}
