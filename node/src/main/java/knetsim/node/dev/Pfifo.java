package knetsim.node.dev;

import knetsim.node.skb.SkBuff;

/**
 * pfifo (net/sched/sch_fifo.c): one FIFO limited in packets, dropping the arriving packet when full (tail drop).
 * The limit counts sch->q.qlen, which includes a packet the driver requeued, exactly as pfifo_enqueue() does.
 */
public final class Pfifo extends Fifo {
    private final int limit;

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
    protected boolean admits(SkBuff skb) {
        return stats().qlen() < limit;
    }
}
