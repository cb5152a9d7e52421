package knetsim.node.dev;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;

/**
 * fq_codel (net/sched/sch_fq_codel.c), the default qdisc of most distributions: packets are hashed on their 5-tuple
 * into 1024 flows, each a FIFO with its own CoDel state; a deficit round robin of {@code quantum} bytes serves new
 * flows (a flow that just got a packet) before old ones, so a sparse flow such as a ping overtakes bulk traffic.
 * When more than {@code limit} packets or {@code memory_limit} bytes of truesize are queued, the fattest flow loses
 * half its backlog from the head, at most {@code drop_batch} packets (fq_codel_drop()).
 */
public final class FqCodel extends AbstractQdisc implements Codel.Queue {
    /** fq_codel_init() defaults. */
    public static final int DEFAULT_FLOWS = 1024, DEFAULT_LIMIT = 10 * 1024, DEFAULT_DROP_BATCH = 64;
    public static final long DEFAULT_MEMORY_LIMIT = 32L << 20;

    private static final class Flow {
        final ArrayDeque<SkBuff> queue = new ArrayDeque<>();
        final Codel.Vars cvars = new Codel.Vars();
        final int index;
        int deficit;
        boolean listed; // on new_flows or old_flows (!list_empty(&flow->flowchain))

        Flow(int index) {
            this.index = index;
        }
    }

    private final int limit;
    private final int quantum;
    private final long memoryLimit;
    private final int dropBatch;
    private final Codel.Params params;
    private final Codel.Stats cstats = new Codel.Stats();
    private final Flow[] flows;
    private final long[] backlogs;
    private final ArrayDeque<Flow> newFlows = new ArrayDeque<>();
    private final ArrayDeque<Flow> oldFlows = new ArrayDeque<>();
    private long perturbation;
    private long backlog; // sch->qstats.backlog as codel_dequeue() sees it
    private long memoryUsage;
    private long dropOverlimit, dropOvermemory, newFlowCount;
    private Flow current; // the flow codel_dequeue() is working on

    /**
     * {@code tc qdisc add ... fq_codel limit L flows F quantum Q target T interval I memory_limit M [no]ecn
     * [ce_threshold C] drop_batch B}.
     *
     * @param mtu psched_mtu(dev), the MTU plus the Ethernet header: 1514
     * @param ceThresholdNs below 0: off
     */
    public FqCodel(int limit, int flows, int quantum, long targetNs, long intervalNs, long memoryLimit, boolean ecn,
                   long ceThresholdNs, int dropBatch, int mtu) {
        if (limit < 1 || flows < 1 || flows > 65536 || quantum < 1 || memoryLimit < 1 || dropBatch < 1) {
            throw new IllegalArgumentException("fq_codel: limit, flows (<= 65536), quantum, memory_limit and "
                    + "drop_batch must be >= 1");
        }
        this.limit = limit;
        this.quantum = quantum;
        this.memoryLimit = memoryLimit;
        this.dropBatch = dropBatch;
        this.params = Codel.Params.of(targetNs, intervalNs, ceThresholdNs, ecn, mtu);
        this.flows = new Flow[flows];
        for (int i = 0; i < flows; i++) this.flows[i] = new Flow(i);
        this.backlogs = new long[flows];
    }

    /** fq_codel_init(): limit 10240, 1024 flows, quantum = MTU + 14, target 5 ms, interval 100 ms, 32 MB, ecn. */
    public static FqCodel linuxDefaults(int mtu) {
        return new FqCodel(DEFAULT_LIMIT, DEFAULT_FLOWS, mtu, 5 * SimTime.MILLISECOND, 100 * SimTime.MILLISECOND,
                DEFAULT_MEMORY_LIMIT, true, -1, DEFAULT_DROP_BATCH, mtu);
    }

    // fq_codel_init(): q->perturbation = get_random_u32()
    @Override
    public void attach(SplittableRandom random) {
        perturbation = random.nextLong();
    }

    /** fq_codel_classify() without tc filters: the flow index for this packet. */
    public int classify(SkBuff skb) {
        return FlowHash.bucket(FlowHash.hash(skb, perturbation), flows.length);
    }

    // fq_codel_enqueue(), up to the limit check (which runs in opsEnqueued, once the packet is in the backlog)
    @Override
    protected boolean opsEnqueue(SkBuff skb, long now) {
        int idx = classify(skb);
        Flow flow = flows[idx];
        flow.queue.addLast(skb);
        backlogs[idx] += skb.len();
        backlog += skb.len();
        if (!flow.listed) {
            flow.listed = true;
            newFlows.addLast(flow);
            newFlowCount++;
            flow.deficit = quantum;
        }
        memoryUsage += skb.truesize();
        return true;
    }

    // the rest of fq_codel_enqueue(): over limit or memory_limit, drop a batch from the fattest flow
    @Override
    protected void opsEnqueued(SkBuff skb, long now) {
        boolean memoryLimited = memoryUsage > memoryLimit;
        if (stats().qlen() <= limit && !memoryLimited) return;
        int before = stats().qlen();
        fqCodelDrop();
        int dropped = before - stats().qlen();
        dropOverlimit += dropped;
        if (memoryLimited) dropOvermemory += dropped;
    }

    // fq_codel_drop(): half of the fattest flow's backlog from its head, at most drop_batch packets
    private void fqCodelDrop() {
        long maxBacklog = 0;
        int idx = 0;
        for (int i = 0; i < backlogs.length; i++) {
            if (backlogs[i] > maxBacklog) {
                maxBacklog = backlogs[i];
                idx = i;
            }
        }
        long threshold = maxBacklog >> 1;
        Flow flow = flows[idx];
        long len = 0;
        int i = 0;
        do {
            SkBuff skb = flow.queue.pollFirst();
            len += skb.len();
            memoryUsage -= skb.truesize();
            dropQueued(skb, SkbDropReason.QDISC_OVERLIMIT);
        } while (++i < dropBatch && len < threshold);
        flow.cvars.count += i; // tell codel to increase its signal strength too
        backlogs[idx] -= len;
        backlog -= len;
    }

    // fq_codel_dequeue()
    @Override
    protected SkBuff opsDequeue(long now) {
        while (true) {
            ArrayDeque<Flow> head = newFlows;
            if (head.isEmpty()) {
                head = oldFlows;
                if (head.isEmpty()) return null;
            }
            Flow flow = head.peekFirst();
            if (flow.deficit <= 0) {
                flow.deficit += quantum;
                head.pollFirst();
                oldFlows.addLast(flow);
                continue;
            }
            current = flow;
            SkBuff skb = Codel.dequeue(this, params, flow.cvars, cstats, now);
            if (skb == null) {
                head.pollFirst();
                // force a pass through old_flows to prevent starvation
                if (head == newFlows && !oldFlows.isEmpty()) {
                    oldFlows.addLast(flow);
                } else {
                    flow.listed = false;
                }
                continue;
            }
            flow.deficit -= skb.len();
            return skb;
        }
    }

    @Override
    protected long opsNextDequeueTime(long now) {
        return backlog > 0 ? now : SimTime.NEVER;
    }

    // dequeue_func(): the head of the flow codel is working on
    @Override
    public SkBuff dequeueHead(Codel.Vars vars) {
        SkBuff skb = current.queue.pollFirst();
        if (skb != null) {
            backlogs[current.index] -= skb.len();
            backlog -= skb.len();
            memoryUsage -= skb.truesize();
        }
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

    /** Packets queued in one flow. */
    public int flowLength(int idx) {
        return flows[idx].queue.size();
    }

    /** fq_codel_dump_stats(): maxpacket, drop_overlimit, ecn_mark, new_flow_count, new_flows_len, ... */
    @Override
    public Map<String, Long> xstats() {
        Map<String, Long> x = new LinkedHashMap<>();
        x.put("maxpacket", (long) cstats.maxpacket);
        x.put("drop_overlimit", dropOverlimit);
        x.put("new_flow_count", newFlowCount);
        x.put("ecn_mark", cstats.ecnMark);
        x.put("new_flows_len", (long) newFlows.size());
        x.put("old_flows_len", (long) oldFlows.size());
        x.put("ce_mark", cstats.ceMark);
        x.put("memory_used", memoryUsage);
        x.put("drop_overmemory", dropOvermemory);
        return x;
    }
}
