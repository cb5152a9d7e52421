package knetsim.node.dev;

/**
 * A qdisc's counters under the names {@code tc -s qdisc} prints ("Sent B bytes P pkt (dropped D, overlimits O
 * requeues R) backlog Bb Pp"), i.e. the kernel's gnet_stats_basic and gnet_stats_queue. A live view: only the
 * owning qdisc changes it, so readers see the current values without copying.
 */
public final class QdiscStats {
    private long sentBytes;
    private long sentPackets;
    private long dropped;
    private long overlimits;
    private long requeues;
    private long backlogBytes;
    private int qlen;

    /** bstats.bytes: bytes (qdisc_pkt_len, the L2 frame) handed to the driver. */
    public long sentBytes() {
        return sentBytes;
    }

    /** bstats.packets: packets handed to the driver; a requeued packet is counted once. */
    public long sentPackets() {
        return sentPackets;
    }

    /** qstats.drops. */
    public long dropped() {
        return dropped;
    }

    /** qstats.overlimits: dequeue attempts a shaper refused for lack of tokens. */
    public long overlimits() {
        return overlimits;
    }

    /** qstats.requeues. */
    public long requeues() {
        return requeues;
    }

    /** qstats.backlog: bytes queued, requeued packets included. */
    public long backlogBytes() {
        return backlogBytes;
    }

    /** q.qlen: packets queued, requeued packets included; tc prints it as the backlog's "p". */
    public int qlen() {
        return qlen;
    }

    void countSent(int length) {
        sentBytes += length;
        sentPackets++;
    }

    void countDrop() {
        dropped++;
    }

    void countOverlimit() {
        overlimits++;
    }

    void countRequeue() {
        requeues++;
    }

    void backlogIncrease(int length) {
        backlogBytes += length;
        qlen++;
    }

    void backlogDecrease(int length) {
        backlogBytes -= length;
        qlen--;
    }

    @Override
    public String toString() {
        return "Sent " + sentBytes + " bytes " + sentPackets + " pkt (dropped " + dropped + ", overlimits "
                + overlimits + " requeues " + requeues + ") backlog " + backlogBytes + "b " + qlen + "p requeues "
                + requeues;
    }
}
