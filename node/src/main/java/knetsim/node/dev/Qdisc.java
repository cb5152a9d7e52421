package knetsim.node.dev;

import knetsim.node.skb.SkBuff;

/**
 * A tx queue's queueing discipline (struct Qdisc), as NicTxQueue drives it: enqueue from dev_queue_xmit(), dequeue
 * when the driver has a free descriptor, requeue when the driver said busy. Plain and single-threaded: the actor that
 * owns the tx queue is the only caller, so the kernel's qdisc lock has no counterpart here.
 */
public interface Qdisc {
    /**
     * qdisc_enqueue(): takes ownership of {@code skb} and returns true, or refuses it and returns false after setting
     * {@code skb.dropReason()} to QDISC_DROP and counting it in {@link QdiscStats#dropped()}; the caller frees it.
     */
    boolean enqueue(SkBuff skb, long now);

    /** dequeue_skb(): the next packet to hand to the driver, or null when empty or throttled. */
    SkBuff dequeue(long now);

    /**
     * dev_requeue_skb(): the driver returned NETDEV_TX_BUSY, so {@code skb} goes back in front of everything still
     * queued (the kernel's q->gso_skb list) and is counted in {@link QdiscStats#requeues()}.
     */
    void requeue(SkBuff skb);

    /**
     * When {@link #dequeue} can next return a packet: {@code now} if it can now, the qdisc_watchdog time if a shaper
     * is holding the head packet back, or {@code SimTime.NEVER} when nothing is queued.
     */
    long nextDequeueTime(long now);

    /** The live counters, as {@code tc -s qdisc} shows them. */
    QdiscStats stats();
}
