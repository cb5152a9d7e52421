package knetsim.node.dev;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;

/**
 * red (net/sched/sch_red.c, include/net/red.h): Random Early Detection. On each arrival the average backlog qavg
 * (an EWMA with weight 2^-Wlog, kept scaled by 2^Wlog) is compared with min and max: below min the packet is queued;
 * between them it is dropped (or, with ecn, CE-marked) with a probability rising linearly to {@code probability} at
 * max, spaced out by the count since the last mark (red_action()); above max every packet is dropped or marked
 * (harddrop: dropped even when ECN-capable). The inner queue is a bfifo of {@code limit} bytes (pdrop).
 *
 * <p>While the queue is idle the kernel decays qavg by a table tc builds from the bandwidth (Stab, Scell_log); here
 * the same decay, (1 - W)^m for m average packets' transmission time at {@code bandwidth}, is computed directly.
 */
public final class Red extends AbstractQdisc {
    private final long limit;
    private final long qthMin, qthMax; // scaled by 2^Wlog, as p->qth_min/qth_max
    private final long minBytes;
    private final int wlog;
    private final long maxPDelta; // max_P / (max - min)
    private final boolean ecn, harddrop;
    private final long avpktTime; // ns to send avpkt at the bandwidth
    private final ArrayDeque<SkBuff> queue = new ArrayDeque<>();
    private long backlog;
    private SplittableRandom random = new SplittableRandom(0);
    // struct red_vars
    private long qavg;
    private int qcount = -1;
    private long qR;
    private long idleStart = -1; // qidlestart; -1: not idling
    // struct red_stats
    private long probDrop, forcedDrop, probMark, forcedMark, pdrop;

    /**
     * {@code tc qdisc add ... red limit L min MIN max MAX avpkt A burst B probability P bandwidth R [ecn]
     * [harddrop]}; Wlog comes from burst as tc_red_eval_ewma() finds it.
     */
    public Red(long limit, long min, long max, int avpkt, int burst, double probability, long bandwidthBps,
               boolean ecn, boolean harddrop) {
        if (limit <= 0 || min <= 0 || max < min || avpkt <= 0 || probability <= 0 || probability > 1
                || bandwidthBps <= 0) {
            throw new IllegalArgumentException("red: need limit > 0, 0 < min <= max, avpkt > 0, 0 < probability <= 1"
                    + " and a bandwidth");
        }
        this.wlog = evalEwma(min, burst, avpkt);
        if (wlog < 0) {
            throw new IllegalArgumentException("red: burst " + burst + " is too small, try burst " + (1 + min / avpkt));
        }
        this.limit = limit;
        this.minBytes = min;
        this.qthMin = min << wlog;
        this.qthMax = max << wlog;
        long delta = Math.max(1, max - min);
        long maxP = (long) (probability * 4294967295.0);
        this.maxPDelta = Math.max(1, maxP / delta);
        this.ecn = ecn;
        this.harddrop = harddrop;
        this.avpktTime = Math.max(1, avpkt * 8L * SimTime.SECOND / bandwidthBps);
    }

    /** tc's default burst when none is given: (2 min + max) / (3 avpkt). */
    public static int defaultBurst(long min, long max, int avpkt) {
        return (int) ((2 * min + max) / (3L * avpkt));
    }

    // tc_red_eval_ewma(): the smallest Wlog that lets a burst of this many avpkt packets pass below min.
    static int evalEwma(long qmin, int burst, int avpkt) {
        double a = (double) burst + 1 - (double) qmin / avpkt;
        if (a < 1.0) return -1;
        double w = 0.5;
        for (int wlog = 1; wlog < 32; wlog++, w /= 2) {
            if (a <= (1 - Math.pow(1 - w, burst)) / w) return wlog;
        }
        return -1;
    }

    @Override
    public void attach(SplittableRandom random) {
        this.random = random.split();
    }

    public int wlog() {
        return wlog;
    }

    /** The average queue in bytes (qavg >> Wlog). */
    public long averageQueue() {
        return qavg >> wlog;
    }

    // red_enqueue()
    @Override
    protected boolean opsEnqueue(SkBuff skb, long now) {
        qavg = calcQavg(now); // red_calc_qavg() with the child's backlog
        idleStart = -1; // red_end_of_idle_period()
        switch (action()) {
            case 1 -> { // RED_PROB_MARK
                countOverlimit();
                if (!ecn || !InetEcn.setCe(skb)) {
                    probDrop++;
                    return congestionDrop(skb);
                }
                probMark++;
            }
            case 2 -> { // RED_HARD_MARK
                countOverlimit();
                if (harddrop || !ecn || !InetEcn.setCe(skb)) {
                    forcedDrop++;
                    return congestionDrop(skb);
                }
                forcedMark++;
            }
            default -> { }
        }
        if (backlog + skb.len() > limit) { // the child bfifo
            pdrop++;
            skb.setDropReason(SkbDropReason.QDISC_OVERLIMIT);
            return false;
        }
        queue.addLast(skb);
        backlog += skb.len();
        return true;
    }

    private static boolean congestionDrop(SkBuff skb) {
        skb.setDropReason(SkbDropReason.QDISC_CONGESTED);
        return false;
    }

    // red_calc_qavg(): the EWMA qavg += backlog - qavg / 2^Wlog, or the idle decay when the queue was empty
    private long calcQavg(long now) {
        if (idleStart >= 0) {
            double m = (double) (now - idleStart) / avpktTime;
            return (long) (qavg * Math.pow(1 - Math.scalb(1.0, -wlog), m));
        }
        return qavg + (backlog - (qavg >> wlog));
    }

    // red_action(): 0 RED_DONT_MARK, 1 RED_PROB_MARK, 2 RED_HARD_MARK
    private int action() {
        if (qavg < qthMin) {
            qcount = -1;
            return 0;
        }
        if (qavg >= qthMax) {
            qcount = -1;
            return 2;
        }
        if (++qcount != 0) {
            // red_mark_probability(): mark when (qavg - min) x count >= qR
            if (((qavg - qthMin) >> wlog) * qcount >= qR) {
                qcount = 0;
                qR = redRandom();
                return 1;
            }
        } else {
            qR = redRandom();
        }
        return 0;
    }

    // red_random(): uniform in [0, (max - min) / probability)
    private long redRandom() {
        return (random.nextInt() & 0xffffffffL) / maxPDelta;
    }

    // red_dequeue(): an empty queue starts an idle period
    @Override
    protected SkBuff opsDequeue(long now) {
        SkBuff skb = queue.pollFirst();
        if (skb != null) {
            backlog -= skb.len();
        } else if (idleStart < 0) {
            idleStart = now;
        }
        return skb;
    }

    @Override
    protected long opsNextDequeueTime(long now) {
        return queue.isEmpty() ? SimTime.NEVER : now;
    }

    /** red_dump_stats(): tc's "marked M early E pdrop P other 0". */
    @Override
    public Map<String, Long> xstats() {
        Map<String, Long> x = new LinkedHashMap<>();
        x.put("marked", probMark + forcedMark);
        x.put("early", probDrop + forcedDrop);
        x.put("pdrop", pdrop);
        x.put("other", 0L);
        x.put("prob_mark", probMark);
        x.put("forced_mark", forcedMark);
        x.put("prob_drop", probDrop);
        x.put("forced_drop", forcedDrop);
        return x;
    }

    public long min() {
        return minBytes;
    }
}
