package knetsim.node.dev;

import knetsim.node.skb.SkBuff;

/**
 * The CoDel algorithm of include/net/codel.h and codel_impl.h, shared by the codel and fq_codel qdiscs: a queue whose
 * packets waited (sojourn time) more than {@code target} for at least {@code interval} enters the dropping state and
 * drops (or ECN-marks) one packet at times given by the control law t + interval / sqrt(count).
 *
 * <p>Arithmetic is the kernel's: time in codel units of 1024 ns (codel_get_time() = ns >> CODEL_SHIFT), 1/sqrt(count)
 * kept as a 16-bit fixed-point reciprocal refined by one Newton step per change of count, and the control law's
 * division done as reciprocal_scale(). Counters wrap as the kernel's u32s would not matter here; they are ints.
 */
final class Codel {
    static final int CODEL_SHIFT = 10;
    private static final int REC_INV_SQRT_SHIFT = 16; // 32 - REC_INV_SQRT_BITS
    /** CODEL_DISABLED_THRESHOLD: ce_threshold off. */
    static final long DISABLED_THRESHOLD = Integer.MAX_VALUE;

    private Codel() {}

    /** codel_get_time(): ns to codel time. */
    static long time(long ns) {
        return ns >> CODEL_SHIFT;
    }

    /** struct codel_params, in codel time; mtu is psched_mtu(dev): below one MTU of backlog nothing is dropped. */
    record Params(long target, long interval, long ceThreshold, boolean ecn, int mtu) {
        static Params of(long targetNs, long intervalNs, long ceThresholdNs, boolean ecn, int mtu) {
            if (targetNs <= 0 || intervalNs <= 0) {
                throw new IllegalArgumentException("codel: target and interval must be > 0");
            }
            return new Params(time(targetNs), time(intervalNs),
                    ceThresholdNs < 0 ? DISABLED_THRESHOLD : time(ceThresholdNs), ecn, mtu);
        }
    }

    /** struct codel_vars: one per queue (per flow for fq_codel). */
    static final class Vars {
        int count;
        int lastcount;
        boolean dropping;
        int recInvSqrt;
        long firstAboveTime;
        long dropNext;
        long ldelay;
    }

    /** struct codel_stats: shared by all flows of a qdisc. */
    static final class Stats {
        int maxpacket;
        long dropCount;
        long dropLen;
        long ecnMark;
        long ceMark;
    }

    /** What codel_dequeue() needs from its qdisc: the dequeue_func, the drop_func and the backlog it checks. */
    interface Queue {
        /** dequeue_func: the head packet, already taken out of the backlog, or null. */
        SkBuff dequeueHead(Vars vars);

        /** drop_func: kfree_skb_reason(SKB_DROP_REASON_QDISC_CONGESTED) and qdisc_qstats_drop(). */
        void drop(SkBuff skb);

        /** The backlog in bytes compared with the MTU, after the packet just dequeued left it. */
        long backlog();
    }

    // codel_Newton_step(): new_invsqrt = (invsqrt / 2) * (3 - count * invsqrt^2), in Q0.32.
    static void newtonStep(Vars vars) {
        long invsqrt = ((long) vars.recInvSqrt) << REC_INV_SQRT_SHIFT;
        long invsqrt2 = Math.multiplyHigh(invsqrt << 16, invsqrt << 16); // (invsqrt * invsqrt) >> 32
        long val = (3L << 32) - (vars.count & 0xffffffffL) * invsqrt2;
        val >>>= 2; // avoid overflow in the multiply below
        val = (val * invsqrt) >>> (32 - 2 + 1);
        vars.recInvSqrt = (int) ((val >>> REC_INV_SQRT_SHIFT) & 0xffff);
    }

    // codel_control_law(): t + interval / sqrt(count), with reciprocal_scale().
    static long controlLaw(long t, long interval, int recInvSqrt) {
        return t + ((interval * ((long) recInvSqrt << REC_INV_SQRT_SHIFT)) >>> 32);
    }

    // codel_should_drop()
    private static boolean shouldDrop(SkBuff skb, Queue q, Vars vars, Params params, Stats stats, long now) {
        if (skb == null) {
            vars.firstAboveTime = 0;
            return false;
        }
        vars.ldelay = now - time(skb.enqueueTime());
        if (skb.len() > stats.maxpacket) stats.maxpacket = skb.len();
        if (vars.ldelay < params.target() || q.backlog() <= params.mtu()) {
            // went below: stay below for at least interval
            vars.firstAboveTime = 0;
            return false;
        }
        if (vars.firstAboveTime == 0) {
            // just went above: if it stays above for interval, it is ok to drop
            vars.firstAboveTime = now + params.interval();
            return false;
        }
        return now > vars.firstAboveTime;
    }

    // codel_dequeue(): nowNs is ktime_get_ns(); returns the packet to send, or null.
    static SkBuff dequeue(Queue q, Params params, Vars vars, Stats stats, long nowNs) {
        SkBuff skb = q.dequeueHead(vars);
        if (skb == null) {
            vars.dropping = false;
            return null;
        }
        long now = time(nowNs);
        boolean drop = shouldDrop(skb, q, vars, params, stats, now);
        if (vars.dropping) {
            if (!drop) {
                vars.dropping = false; // sojourn time below target: leave the dropping state
            } else if (now >= vars.dropNext) {
                // Time for the next drop; a large backlog may need several now, hence the loop.
                while (vars.dropping && now >= vars.dropNext) {
                    vars.count++;
                    newtonStep(vars);
                    if (params.ecn() && InetEcn.setCe(skb)) {
                        stats.ecnMark++;
                        vars.dropNext = controlLaw(vars.dropNext, params.interval(), vars.recInvSqrt);
                        return ceMark(skb, params, vars, stats);
                    }
                    stats.dropLen += skb.len();
                    q.drop(skb);
                    stats.dropCount++;
                    skb = q.dequeueHead(vars);
                    if (!shouldDrop(skb, q, vars, params, stats, now)) {
                        vars.dropping = false;
                    } else {
                        vars.dropNext = controlLaw(vars.dropNext, params.interval(), vars.recInvSqrt);
                    }
                }
            }
        } else if (drop) {
            if (params.ecn() && InetEcn.setCe(skb)) {
                stats.ecnMark++;
            } else {
                stats.dropLen += skb.len();
                q.drop(skb);
                stats.dropCount++;
                skb = q.dequeueHead(vars);
                shouldDrop(skb, q, vars, params, stats, now);
            }
            vars.dropping = true;
            // Went above target soon after the last cycle: its drop rate is a good start.
            int delta = vars.count - vars.lastcount;
            if (delta > 1 && now - vars.dropNext < 16 * params.interval()) {
                vars.count = delta;
                newtonStep(vars);
            } else {
                vars.count = 1;
                vars.recInvSqrt = 0xffff; // ~0U >> REC_INV_SQRT_SHIFT
            }
            vars.lastcount = vars.count;
            vars.dropNext = controlLaw(now, params.interval(), vars.recInvSqrt);
        }
        return skb == null ? null : ceMark(skb, params, vars, stats);
    }

    // the end of codel_dequeue(): above ce_threshold, ECT packets are marked CE (DCTCP-style), nothing dropped.
    private static SkBuff ceMark(SkBuff skb, Params params, Vars vars, Stats stats) {
        if (vars.ldelay > params.ceThreshold() && InetEcn.setCe(skb)) stats.ceMark++;
        return skb;
    }
}
