package knetsim.node.dev;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;

/**
 * codel (net/sched/sch_codel.c): one FIFO of at most {@code limit} packets managed by CoDel ({@link Codel}). Packets
 * over the limit are dropped on arrival (drop_overlimit); CoDel drops (or, with ecn, marks) at the head on dequeue.
 */
public final class CodelQdisc extends AbstractQdisc implements Codel.Queue {
    /** DEFAULT_CODEL_LIMIT. */
    public static final int DEFAULT_LIMIT = 1000;

    private final int limit;
    private final Codel.Params params;
    private final Codel.Vars vars = new Codel.Vars();
    private final Codel.Stats cstats = new Codel.Stats();
    private final ArrayDeque<SkBuff> queue = new ArrayDeque<>();
    private long backlog;
    private long dropOverlimit;

    /**
     * {@code tc qdisc add ... codel limit L target T interval I [ecn] [ce_threshold C]}.
     *
     * @param ceThresholdNs below 0: off
     * @param mtu psched_mtu(dev): the device MTU plus the Ethernet header (1514)
     */
    public CodelQdisc(int limit, long targetNs, long intervalNs, boolean ecn, long ceThresholdNs, int mtu) {
        if (limit < 1) throw new IllegalArgumentException("codel: limit must be >= 1, got " + limit);
        this.limit = limit;
        this.params = Codel.Params.of(targetNs, intervalNs, ceThresholdNs, ecn, mtu);
    }

    /** codel_init(): limit 1000, target 5 ms, interval 100 ms, ecn off. */
    public static CodelQdisc linuxDefaults(int mtu) {
        return new CodelQdisc(DEFAULT_LIMIT, 5 * SimTime.MILLISECOND, 100 * SimTime.MILLISECOND, false, -1, mtu);
    }

    // codel_qdisc_enqueue(): codel_set_enqueue_time() is the AbstractQdisc's; over the limit, drop the arrival.
    @Override
    protected boolean opsEnqueue(SkBuff skb, long now) {
        if (stats().qlen() < limit) {
            queue.addLast(skb);
            backlog += skb.len();
            return true;
        }
        dropOverlimit++;
        skb.setDropReason(SkbDropReason.QDISC_OVERLIMIT);
        return false;
    }

    // codel_qdisc_dequeue()
    @Override
    protected SkBuff opsDequeue(long now) {
        return Codel.dequeue(this, params, vars, cstats, now);
    }

    @Override
    protected long opsNextDequeueTime(long now) {
        return queue.isEmpty() ? SimTime.NEVER : now;
    }

    // dequeue_func()
    @Override
    public SkBuff dequeueHead(Codel.Vars v) {
        SkBuff skb = queue.pollFirst();
        if (skb != null) backlog -= skb.len();
        return skb;
    }

    // drop_func()
    @Override
    public void drop(SkBuff skb) {
        dropQueued(skb, SkbDropReason.QDISC_CONGESTED);
    }

    @Override
    public long backlog() {
        return backlog;
    }

    /** codel_dump_stats(): tc's "count lastcount ldelay drop_next maxpacket ecn_mark drop_overlimit ce_mark". */
    @Override
    public Map<String, Long> xstats() {
        Map<String, Long> x = new LinkedHashMap<>();
        x.put("count", (long) vars.count);
        x.put("lastcount", (long) vars.lastcount);
        x.put("ldelay", vars.ldelay << Codel.CODEL_SHIFT);
        x.put("dropping", vars.dropping ? 1L : 0L);
        x.put("maxpacket", (long) cstats.maxpacket);
        x.put("ecn_mark", cstats.ecnMark);
        x.put("drop_overlimit", dropOverlimit);
        x.put("ce_mark", cstats.ceMark);
        return x;
    }

    public int limit() {
        return limit;
    }
}
