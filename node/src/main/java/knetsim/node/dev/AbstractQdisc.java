package knetsim.node.dev;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;

/**
 * What every qdisc shares in the kernel's sch_generic.c: the q->gso_skb list that dev_requeue_skb() fills and
 * dequeue_skb() drains first, and the qlen/backlog/bstats bookkeeping, so a discipline only decides order and
 * limits and cannot get the counters wrong.
 */
abstract class AbstractQdisc implements Qdisc {
    private final QdiscStats stats = new QdiscStats();
    // q->gso_skb: packets the driver handed back; they leave before anything the discipline holds.
    private final ArrayDeque<SkBuff> gsoSkb = new ArrayDeque<>();
    // the to_free list: packets dropped from inside the qdisc (AQM, batch drops), for the caller to free
    private List<SkBuff> toFree = new ArrayList<>();
    // the sojourn time of the last packet dequeued, and their sum (queue delay)
    private long lastSojourn;
    private long sojournSum;

    // qdisc_enqueue(), with qdisc_drop() when the discipline refuses.
    @Override
    public final boolean enqueue(SkBuff skb, long now) {
        Objects.requireNonNull(skb, "skb");
        // qdisc_pkt_len() is fixed at enqueue; queued skbs belong to the qdisc and must not change length.
        int length = skb.len();
        skb.setDropReason(SkbDropReason.NOT_DROPPED_YET);
        skb.setEnqueueTime(now);
        if (!opsEnqueue(skb, now)) {
            // a discipline may name a finer reason (QDISC_OVERLIMIT, FQ_FLOW_LIMIT, ...)
            if (!skb.dropReason().isDrop()) skb.setDropReason(SkbDropReason.QDISC_DROP);
            stats.countDrop();
            return false;
        }
        stats.backlogIncrease(length);
        opsEnqueued(skb, now);
        return true;
    }

    /** After an accepted packet is counted in the backlog: where fq_codel drops from its fattest flow when over. */
    protected void opsEnqueued(SkBuff skb, long now) {}

    // __qdisc_drop() of a packet the qdisc holds (counted in the backlog): counted, and handed to the caller to free.
    protected final void dropQueued(SkBuff skb, SkbDropReason reason) {
        skb.setDropReason(reason);
        stats.countDrop();
        stats.backlogDecrease(skb.len());
        toFree.add(skb);
    }

    @Override
    public final List<SkBuff> takeDropped() {
        if (toFree.isEmpty()) return List.of();
        List<SkBuff> dropped = toFree;
        toFree = new ArrayList<>();
        return dropped;
    }

    @Override
    public final long lastSojourn() {
        return lastSojourn;
    }

    @Override
    public final long sojournSum() {
        return sojournSum;
    }

    // dequeue_skb(): a requeued packet first, without asking the discipline (a shaper already charged for it).
    @Override
    public final SkBuff dequeue(long now) {
        SkBuff skb = gsoSkb.pollFirst();
        if (skb != null) {
            // Its bytes were counted as sent when it first left; going out again is not a second packet.
            stats.backlogDecrease(skb.len());
            return skb;
        }
        skb = opsDequeue(now);
        if (skb != null) {
            stats.backlogDecrease(skb.len());
            stats.countSent(skb.len());
            lastSojourn = now - skb.enqueueTime();
            sojournSum += lastSojourn;
        }
        return skb;
    }

    // dev_requeue_skb(): appended to gso_skb so that several requeued packets keep their order.
    @Override
    public final void requeue(SkBuff skb) {
        Objects.requireNonNull(skb, "skb");
        gsoSkb.addLast(skb);
        stats.countRequeue();
        stats.backlogIncrease(skb.len());
    }

    @Override
    public final long nextDequeueTime(long now) {
        return gsoSkb.isEmpty() ? opsNextDequeueTime(now) : now;
    }

    @Override
    public final QdiscStats stats() {
        return stats;
    }

    /** Qdisc_ops.enqueue: keep the skb and return true, or return false to have it dropped and counted. */
    protected abstract boolean opsEnqueue(SkBuff skb, long now);

    /** Qdisc_ops.dequeue: the next packet the discipline releases, or null. */
    protected abstract SkBuff opsDequeue(long now);

    /** When {@link #opsDequeue} can next succeed; only asked while no requeued packet is waiting. */
    protected abstract long opsNextDequeueTime(long now);

    // qdisc_qstats_overlimit()
    protected final void countOverlimit() {
        stats.countOverlimit();
    }
}
