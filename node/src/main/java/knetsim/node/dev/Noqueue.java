package knetsim.node.dev;

import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;

/**
 * noqueue (noqueue_qdisc_ops, the default of loopback, veth, bridges and tunnels): no queue at all. dev_queue_xmit()
 * finds no q->enqueue and hands the packet straight to the driver; when the driver's queue is stopped the packet is
 * dropped and counted in the device's tx_dropped. The tx queue asks {@link #isNoqueue()} and never enqueues here;
 * {@code tc -s qdisc} shows it with all counters 0.
 */
public final class Noqueue extends AbstractQdisc {
    @Override
    public boolean isNoqueue() {
        return true;
    }

    // noop_enqueue(): not reached through dev_queue_xmit(); refuse if called directly
    @Override
    protected boolean opsEnqueue(SkBuff skb, long now) {
        return false;
    }

    @Override
    protected SkBuff opsDequeue(long now) {
        return null;
    }

    @Override
    protected long opsNextDequeueTime(long now) {
        return SimTime.NEVER;
    }
}
