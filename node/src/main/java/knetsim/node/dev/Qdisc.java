package knetsim.node.dev;

import java.util.List;
import java.util.Map;
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

    /**
     * The packets dropped inside the qdisc since the last call (the kernel's to_free list): AQM drops at dequeue,
     * fq_codel's batch drop at enqueue. Each carries its drop reason and was counted in {@link QdiscStats#dropped()};
     * the caller frees them. A refused arrival is not here: {@link #enqueue} returned false for it.
     */
    List<SkBuff> takeDropped();

    /** The discipline's own statistics ({@code tc -s qdisc}'s second lines, the xstats), by their tc names. */
    default Map<String, Long> xstats() {
        return Map.of();
    }

    /** The sojourn time (queue delay) of the last packet dequeued, in ns; codel calls it ldelay. */
    long lastSojourn();

    /** The sum of the sojourn times of every packet dequeued, in ns: divided by sent packets, the mean delay. */
    long sojournSum();

    /**
     * Called once by the tx queue that owns the qdisc, before any packet, with its seeded random stream: where a
     * flow-hashing qdisc draws its hash perturbation (the kernel's get_random_u32() at init).
     */
    default void attach(java.util.SplittableRandom random) {}

    /** Whether it paces the sockets whose packets it classifies (fq with rate_enable: SK_PACING_FQ). */
    default boolean pacesSockets() {
        return false;
    }

    /** noqueue: no queue at all; the device transmits at once or drops (dev_queue_xmit() without q->enqueue). */
    default boolean isNoqueue() {
        return false;
    }
}
