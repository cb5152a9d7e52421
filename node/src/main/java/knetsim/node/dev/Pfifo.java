package knetsim.node.dev;

import java.util.ArrayDeque;
import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;

/**
 * pfifo (net/sched/sch_fifo.c): one FIFO limited in packets, dropping the arriving packet when full (tail drop).
 * The limit counts sch->q.qlen, which includes a packet the driver requeued, exactly as pfifo_enqueue() does.
 */
public final class Pfifo extends AbstractQdisc {
    private final int limit;
    private final ArrayDeque<SkBuff> queue = new ArrayDeque<>();

    /** @param limitPackets {@code tc qdisc add ... pfifo limit N}; the kernel's default is the device's txqueuelen */
    public Pfifo(int limitPackets) {
        if (limitPackets < 0) throw new IllegalArgumentException("pfifo: limit must be >= 0, got " + limitPackets);
        this.limit = limitPackets;
    }

    public int limit() {
        return limit;
    }

    // pfifo_enqueue()
    @Override
    protected boolean opsEnqueue(SkBuff skb, long now) {
        if (stats().qlen() >= limit) return false;
        queue.addLast(skb);
        return true;
    }

    // qdisc_dequeue_head()
    @Override
    protected SkBuff opsDequeue(long now) {
        return queue.pollFirst();
    }

    @Override
    protected long opsNextDequeueTime(long now) {
        return queue.isEmpty() ? SimTime.NEVER : now;
    }
}
