package knetsim.node.inet;

/** What the IPv4 stack needs from its host: the wire and a wake-up for its timers. */
public interface StackOutput {
    /** dev_queue_xmit() of a frame; {@code owner} is the socket it is charged to, or -1. */
    void transmit(int ifindex, byte[] frame, int owner);

    /** The same with skb->tstamp, the packet's earliest departure time (0: now), which fq honours. */
    default void transmit(int ifindex, byte[] frame, int owner, long tstamp) {
        transmit(ifindex, frame, owner);
    }

    /** Call the stack's timers at {@code time} (the host's timer queue). */
    void wakeAt(long time);
}
