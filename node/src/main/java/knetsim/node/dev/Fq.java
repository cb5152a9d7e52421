package knetsim.node.dev;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;

/**
 * fq (net/sched/sch_fq.c), the Fair Queue packet scheduler made for paced TCP: one queue per socket (packets without
 * a socket, e.g. forwarded ones, are hashed on their 5-tuple into 1024 "orphan" flows), served round robin with a
 * byte credit ({@code quantum}, 2 MTU; a new flow starts with {@code initial_quantum}, 10 MTU). A packet whose
 * skb->tstamp (earliest departure time) lies in the future waits until then: its flow is throttled and the qdisc's
 * watchdog fires at the earliest such time. Departure times beyond {@code horizon} (10 s) are dropped. With
 * {@code maxrate} each flow is paced to at most that rate. Control packets (priority TC_PRIO_CONTROL) bypass the flows.
 *
 * <p>Left out: the three priority bands of Linux 6.7+ (everything is in one band, as before 6.7), the fast path for
 * flows with an empty queue, flow garbage collection (flows are never freed; {@code gc} stays 0), sk_pacing_rate
 * (the socket's rate reaches fq only as departure times) and ce_threshold.
 */
public final class Fq extends AbstractQdisc {
    public static final int DEFAULT_LIMIT = 10000, DEFAULT_FLOW_LIMIT = 100, ORPHAN_MASK = 1023;
    public static final long DEFAULT_HORIZON = 10 * SimTime.SECOND, FLOW_REFILL_DELAY = 40 * SimTime.MILLISECOND;
    /** q->low_rate_threshold: below 550 kB/s a flow is paced packet by packet. */
    public static final long LOW_RATE_THRESHOLD = 550_000;
    public static final long UNLIMITED = Long.MAX_VALUE;

    private static final int DETACHED = 0, NEW = 1, OLD = 2, THROTTLED = 3;

    private static final class Flow {
        final ArrayDeque<SkBuff> queue = new ArrayDeque<>();
        int credit;
        long timeNextPacket;
        long age;
        int state = DETACHED;
    }

    private final int limit, flowLimit, quantum, initialQuantum;
    private final long horizon;
    private final long maxRate; // bytes per second, UNLIMITED for none
    private final Map<Long, Flow> flows = new HashMap<>();
    private final ArrayDeque<SkBuff> internal = new ArrayDeque<>();
    private final ArrayDeque<Flow> newFlows = new ArrayDeque<>(), oldFlows = new ArrayDeque<>();
    private final PriorityQueue<Flow> throttled =
            new PriorityQueue<>((a, b) -> Long.compare(a.timeNextPacket, b.timeNextPacket));
    private long perturbation;
    private long statThrottled, statFlowsPlimit, statHorizonDrops, statPktsTooLong, statInternal, inactiveFlows;

    /**
     * {@code tc qdisc add ... fq limit L flow_limit F quantum Q initial_quantum I maxrate R horizon H}.
     *
     * @param maxRateBytesPerSecond flow_max_rate, or {@link #UNLIMITED}
     */
    public Fq(int limit, int flowLimit, int quantum, int initialQuantum, long maxRateBytesPerSecond, long horizonNs) {
        if (limit < 1 || flowLimit < 1 || quantum < 1 || initialQuantum < 0 || maxRateBytesPerSecond < 0
                || horizonNs <= 0) {
            throw new IllegalArgumentException("fq: limit, flow_limit, quantum and horizon must be > 0");
        }
        this.limit = limit;
        this.flowLimit = flowLimit;
        this.quantum = quantum;
        this.initialQuantum = initialQuantum;
        this.maxRate = maxRateBytesPerSecond;
        this.horizon = horizonNs;
    }

    /** fq_init(): limit 10000, flow_limit 100, quantum 2 x psched_mtu, initial_quantum 10 x psched_mtu, 10 s. */
    public static Fq linuxDefaults(int psched_mtu) {
        return new Fq(DEFAULT_LIMIT, DEFAULT_FLOW_LIMIT, 2 * psched_mtu, 10 * psched_mtu, UNLIMITED, DEFAULT_HORIZON);
    }

    @Override
    public void attach(SplittableRandom random) {
        perturbation = random.nextLong();
    }

    // fq_classify(): the socket's flow, or an orphan flow by hash; a new flow starts with initial_quantum
    private Flow classify(SkBuff skb, long now) {
        long key = skb.ownerSocket() >= 0 ? (long) skb.ownerSocket() << 1
                : ((FlowHash.hash(skb, perturbation) & ORPHAN_MASK) << 1) | 1;
        Flow f = flows.get(key);
        if (f == null) {
            f = new Flow();
            f.credit = initialQuantum;
            f.age = now;
            flows.put(key, f);
            inactiveFlows++;
        }
        return f;
    }

    // fq_enqueue()
    @Override
    protected boolean opsEnqueue(SkBuff skb, long now) {
        if (stats().qlen() >= limit) {
            skb.setDropReason(SkbDropReason.QDISC_OVERLIMIT);
            return false;
        }
        long timeToSend;
        if (skb.timestamp() == 0) {
            timeToSend = now;
        } else {
            if (skb.timestamp() > now + horizon) { // horizon_drop 1
                statHorizonDrops++;
                skb.setDropReason(SkbDropReason.FQ_HORIZON_LIMIT);
                return false;
            }
            timeToSend = skb.timestamp();
        }
        if ((skb.priority() & PfifoFast.TC_PRIO_MAX) == PfifoFast.TC_PRIO_CONTROL) {
            statInternal++;
            skb.setEnqueueTime(timeToSend);
            internal.addLast(skb);
            return true;
        }
        Flow f = classify(skb, now);
        if (f.queue.size() >= flowLimit) {
            statFlowsPlimit++;
            skb.setDropReason(SkbDropReason.FQ_FLOW_LIMIT);
            return false;
        }
        if (f.state == DETACHED) {
            f.state = NEW;
            newFlows.addLast(f);
            if (now > f.age + FLOW_REFILL_DELAY) f.credit = Math.max(f.credit, quantum);
        }
        if (f.queue.isEmpty()) inactiveFlows--;
        skb.setEnqueueTime(timeToSend); // fq_skb_cb(skb)->time_to_send
        flowQueueAdd(f, skb);
        return true;
    }

    // flow_queue_add(): in time_to_send order (the kernel's rb-tree for out-of-order departure times)
    private static void flowQueueAdd(Flow f, SkBuff skb) {
        SkBuff tail = f.queue.peekLast();
        if (tail == null || skb.enqueueTime() >= tail.enqueueTime()) {
            f.queue.addLast(skb);
            return;
        }
        List<SkBuff> later = new ArrayList<>();
        while (!f.queue.isEmpty() && f.queue.peekLast().enqueueTime() > skb.enqueueTime()) later.add(f.queue.pollLast());
        f.queue.addLast(skb);
        for (int i = later.size() - 1; i >= 0; i--) f.queue.addLast(later.get(i));
    }

    // fq_check_throttled(): flows whose time has come go back to the tail of old_flows
    private void checkThrottled(long now) {
        while (!throttled.isEmpty() && throttled.peek().timeNextPacket <= now) {
            Flow f = throttled.poll();
            f.state = OLD;
            oldFlows.addLast(f);
        }
    }

    // fq_dequeue()
    @Override
    protected SkBuff opsDequeue(long now) {
        SkBuff skb = internal.pollFirst();
        if (skb != null) return skb;
        checkThrottled(now);
        while (true) {
            ArrayDeque<Flow> head = !newFlows.isEmpty() ? newFlows : oldFlows;
            Flow f = head.peekFirst();
            if (f == null) return null;
            if (f.credit <= 0) {
                f.credit += quantum;
                head.pollFirst();
                f.state = OLD;
                oldFlows.addLast(f);
                continue;
            }
            skb = f.queue.peekFirst();
            if (skb == null) {
                head.pollFirst();
                if (head == newFlows) { // force a pass through old_flows to prevent starvation
                    f.state = OLD;
                    oldFlows.addLast(f);
                } else {
                    f.state = DETACHED; // fq_flow_set_detached()
                    f.age = now;
                }
                continue;
            }
            long timeNextPacket = Math.max(skb.enqueueTime(), f.timeNextPacket);
            if (now < timeNextPacket) {
                head.pollFirst();
                f.timeNextPacket = timeNextPacket;
                f.state = THROTTLED; // fq_flow_set_throttled()
                throttled.add(f);
                statThrottled++;
                continue;
            }
            f.queue.pollFirst();
            if (f.queue.isEmpty()) inactiveFlows++;
            pace(f, skb, now);
            return skb;
        }
    }

    // the credit and maxrate part of fq_dequeue()
    private void pace(Flow f, SkBuff skb, long now) {
        int plen = skb.len();
        f.credit -= plen;
        long rate = maxRate;
        if (skb.timestamp() == 0) {
            if (rate <= LOW_RATE_THRESHOLD) {
                f.credit = 0;
            } else {
                plen = Math.max(plen, quantum);
                if (f.credit > 0) return;
            }
        }
        if (rate == UNLIMITED) return;
        long len = rate == 0 ? (long) plen * SimTime.SECOND : (long) plen * SimTime.SECOND / rate;
        if (len > SimTime.SECOND) { // the socket's rate may change later: clamp the delay to 1 s
            len = SimTime.SECOND;
            statPktsTooLong++;
        }
        if (f.timeNextPacket != 0) len -= Math.min(len / 2, now - f.timeNextPacket); // timer drift
        f.timeNextPacket = now + len;
    }

    @Override
    protected long opsNextDequeueTime(long now) {
        if (!internal.isEmpty()) return now;
        for (Flow f : newFlows) if (!f.queue.isEmpty()) return now;
        for (Flow f : oldFlows) if (!f.queue.isEmpty()) return now;
        return throttled.isEmpty() ? SimTime.NEVER : Math.max(now, throttled.peek().timeNextPacket);
    }

    /** fq_dump_stats(): tc's "flows F (inactive I throttled T) gc 0 highprio H throttled N flows_plimit P ...". */
    @Override
    public Map<String, Long> xstats() {
        Map<String, Long> x = new LinkedHashMap<>();
        x.put("flows", (long) flows.size());
        x.put("inactive", inactiveFlows);
        x.put("throttled_flows", (long) throttled.size());
        x.put("gc", 0L);
        x.put("highprio", statInternal);
        x.put("throttled", statThrottled);
        x.put("flows_plimit", statFlowsPlimit);
        x.put("pkts_too_long", statPktsTooLong);
        x.put("horizon_drops", statHorizonDrops);
        return x;
    }

    /** fq_classify() sets sk_pacing_status = SK_PACING_FQ on a socket (q->rate_enable, on by default). */
    @Override
    public boolean pacesSockets() {
        return true;
    }

    public int quantum() {
        return quantum;
    }
}
