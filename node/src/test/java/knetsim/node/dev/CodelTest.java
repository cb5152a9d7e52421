package knetsim.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;
import org.junit.jupiter.api.Test;

/** CoDel (codel_impl.h) through the codel qdisc, driven by hand: a link that takes one packet per millisecond. */
class CodelTest {
    static final long MS = SimTime.MILLISECOND;

    /** What happened at each dequeue: drops (with their time) and marks. */
    static final class Run {
        final List<Long> dropTimes = new ArrayList<>();
        final List<Long> markTimes = new ArrayList<>();
        final List<SkBuff> dropped = new ArrayList<>();
        long sent;
    }

    /**
     * {@code standing} packets at time 0, then one arrival and one dequeue every millisecond: a standing queue whose
     * sojourn time grows to {@code standing} ms and stays there.
     */
    static Run standingQueue(Qdisc q, int standing, int ecn, long until) {
        Run run = new Run();
        for (int i = 0; i < standing; i++) q.enqueue(Packets.udp(1000, 5001, ecn, 1514), 0);
        for (long t = MS; t <= until; t += MS) {
            q.enqueue(Packets.udp(1000, 5001, ecn, 1514), t);
            SkBuff skb = q.dequeue(t);
            for (SkBuff d : q.takeDropped()) {
                run.dropTimes.add(t);
                run.dropped.add(d);
            }
            if (skb != null) {
                run.sent++;
                if (ecn != InetEcn.NOT_ECT && InetEcn.ecn(skb) == InetEcn.CE) run.markTimes.add(t);
            }
        }
        return run;
    }

    /**
     * Asserts the first signal 100 ms after the sojourn time passed 5 ms, then gaps of interval x 1/sqrt(count), with
     * 1/sqrt(count) as the kernel tracks it: one Newton step per increment of count, starting from 1.0 (so count 2
     * gives 0.5, count 3 0.5625, count 4 0.488, converging on 1/sqrt(count)).
     */
    static void assertControlLaw(List<Long> times, int atLeast) {
        assertTrue(times.size() >= atLeast, "signals " + times);
        // above target from 5 ms on; ok to drop once now > first_above_time = 105 ms (codel time, 1024 ns units)
        assertEquals(105 * MS, times.get(0), 1.0 * MS);
        double r = 1.0;
        for (int n = 1; n < atLeast; n++) {
            if (n > 1) r = r / 2 * (3 - n * r * r);
            long gap = times.get(n) - times.get(n - 1);
            // the 16-bit fixed point and one-millisecond dequeues: within 2 ms
            assertEquals(100.0 * MS * r, gap, 2.0 * MS, "gap after signal " + n + " in " + times);
        }
    }

    @Test
    void aStandingQueueAboveTargetForAnIntervalIsDroppedAtTheControlLawsRate() {
        CodelQdisc q = CodelQdisc.linuxDefaults(1514);
        Run run = standingQueue(q, 300, InetEcn.NOT_ECT, 600 * MS);
        assertControlLaw(run.dropTimes, 8);
        for (SkBuff d : run.dropped) assertEquals(SkbDropReason.QDISC_CONGESTED, d.dropReason());
        assertEquals(run.dropped.size(), q.stats().dropped());
        assertTrue(run.markTimes.isEmpty());
        assertEquals(q.xstats().get("count"), (long) run.dropTimes.size(), "count = drops since dropping began");
        assertTrue(q.xstats().get("ldelay") > 5 * MS, "still above target");
        // backlog bookkeeping: what was queued is what is left
        assertEquals(300 + 600 - run.sent - run.dropped.size(), q.stats().qlen());
    }

    @Test
    void noDropsWhileTheSojournStaysBelowTarget() {
        CodelQdisc q = CodelQdisc.linuxDefaults(1514);
        Run run = standingQueue(q, 4, InetEcn.NOT_ECT, 1000 * MS);
        assertTrue(run.dropTimes.isEmpty());
        assertEquals(4 * MS, q.lastSojourn(), 0.0);
    }

    @Test
    void withEcnEctPacketsAreMarkedInsteadOfDroppedAtTheSameRate() {
        CodelQdisc q = new CodelQdisc(1000, 5 * MS, 100 * MS, true, -1, 1514);
        Run run = standingQueue(q, 300, InetEcn.ECT_0, 600 * MS);
        assertTrue(run.dropTimes.isEmpty(), "ECT packets are never dropped by CoDel with ecn");
        assertControlLaw(run.markTimes, 8);
        assertEquals(run.markTimes.size(), (long) q.xstats().get("ecn_mark"));

        CodelQdisc notEct = new CodelQdisc(1000, 5 * MS, 100 * MS, true, -1, 1514);
        Run dropped = standingQueue(notEct, 300, InetEcn.NOT_ECT, 600 * MS);
        assertControlLaw(dropped.dropTimes, 8);
        assertEquals(0, notEct.xstats().get("ecn_mark"));
    }

    @Test
    void ceThresholdMarksEveryEctPacketAboveIt() {
        CodelQdisc q = new CodelQdisc(1000, 5 * MS, 100 * MS, false, MS, 1514);
        Run run = standingQueue(q, 10, InetEcn.ECT_0, 50 * MS);
        assertTrue(run.dropTimes.isEmpty());
        // sojourn time above 1 ms from the second millisecond on (ldelay > ce_threshold, in 1024 ns units)
        assertTrue(q.xstats().get("ce_mark") >= 45, "ce_mark " + q.xstats().get("ce_mark"));
    }

    @Test
    void arrivalsOverTheLimitAreDroppedAsOverlimit() {
        CodelQdisc q = new CodelQdisc(5, 5 * MS, 100 * MS, false, -1, 1514);
        for (int i = 0; i < 5; i++) assertTrue(q.enqueue(Packets.udp(1, 2, 0, 100), 0));
        SkBuff sixth = Packets.udp(1, 2, 0, 100);
        assertTrue(!q.enqueue(sixth, 0));
        assertEquals(SkbDropReason.QDISC_OVERLIMIT, sixth.dropReason());
        assertEquals(1, q.xstats().get("drop_overlimit"));
        assertEquals(1, q.stats().dropped());
    }

    @Test
    void theNewtonStepApproachesOneOverTheSquareRootOfCount() {
        Codel.Vars v = new Codel.Vars();
        v.recInvSqrt = 0xffff;
        v.count = 1;
        // one step per count, as codel_dequeue() does it
        for (int count = 2; count <= 64; count++) {
            v.count = count;
            Codel.newtonStep(v);
            if (count == 2) assertEquals(0.5, v.recInvSqrt / 65536.0, 0.001);
            if (count >= 20) assertEquals(1 / Math.sqrt(count), v.recInvSqrt / 65536.0, 0.03 / Math.sqrt(count));
        }
        // control law with count 4: interval / 2
        v.count = 4;
        for (int i = 0; i < 8; i++) Codel.newtonStep(v);
        assertEquals(Codel.time(50 * MS), Codel.controlLaw(0, Codel.time(100 * MS), v.recInvSqrt), 100);
    }
}
