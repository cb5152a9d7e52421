package knetsim.node.dev;

import knetsim.node.skb.SkBuff;

/**
 * bfifo (net/sched/sch_fifo.c): one FIFO limited in bytes, so large frames fill it sooner than small ones. A packet
 * is accepted when backlog + qdisc_pkt_len(skb) <= limit, with qdisc_pkt_len the skb's len (the L2 frame without
 * FCS) and backlog including a requeued packet; otherwise the arriving packet is dropped.
 */
public final class Bfifo extends Fifo {
    private final int limit;

    /** @param limitBytes {@code tc qdisc add ... bfifo limit N}; the kernel's default is txqueuelen x MTU */
    public Bfifo(int limitBytes) {
        if (limitBytes < 0) throw new IllegalArgumentException("bfifo: limit must be >= 0, got " + limitBytes);
        this.limit = limitBytes;
    }

    public int limit() {
        return limit;
    }

    // bfifo_enqueue()
    @Override
    protected boolean admits(SkBuff skb) {
        return stats().backlogBytes() + skb.len() <= limit;
    }
}
