package knetsim.node.dev;

import java.util.ArrayDeque;
import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;

/** The FIFO that pfifo and bfifo share (net/sched/sch_fifo.c); they differ only in what the limit counts. */
abstract class Fifo extends AbstractQdisc {
    private final ArrayDeque<SkBuff> queue = new ArrayDeque<>();

    /** Whether the arriving packet fits under the limit; otherwise it is dropped (tail drop). */
    protected abstract boolean admits(SkBuff skb);

    @Override
    protected final boolean opsEnqueue(SkBuff skb, long now) {
        if (!admits(skb)) return false;
        queue.addLast(skb);
        return true;
    }

    // qdisc_dequeue_head()
    @Override
    protected final SkBuff opsDequeue(long now) {
        return queue.pollFirst();
    }

    @Override
    protected final long opsNextDequeueTime(long now) {
        return queue.isEmpty() ? SimTime.NEVER : now;
    }
}
