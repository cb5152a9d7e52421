package knetsim.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;
import org.junit.jupiter.api.Test;

/** red (sch_red.c, red.h) as a plain object, its average queue held at a chosen level. */
class RedTest {
    static final long MIN = 30_000, MAX = 90_000;

    static Red red(boolean ecn, boolean harddrop) {
        Red q = new Red(400_000, MIN, MAX, 1000, Red.defaultBurst(MIN, MAX, 1000), 0.1, 10_000_000, ecn, harddrop);
        q.attach(new SplittableRandom(3));
        return q;
    }

    /** Counts of what happened to 20,000 arrivals while the backlog is held near {@code backlog} bytes. */
    record Outcome(int early, int marked, int passed) {}

    static Outcome hold(Red q, long backlog, int ecn) {
        int early = 0, marked = 0, passed = 0;
        for (int i = 0; i < 40_000; i++) {
            SkBuff skb = Packets.udp(1, 2, ecn, 1000);
            boolean in = q.enqueue(skb, i);
            if (i >= 20_000) { // once qavg has converged
                if (!in && skb.dropReason() == SkbDropReason.QDISC_CONGESTED) early++;
                else if (in && InetEcn.ecn(skb) == InetEcn.CE) marked++;
                else if (in) passed++;
            }
            while (q.stats().backlogBytes() > backlog) q.dequeue(i);
        }
        return new Outcome(early, marked, passed);
    }

    @Test
    void wlogComesFromBurstAsTcComputesIt() {
        // tc_red_eval_ewma(30000, 50, 1000): the first Wlog where a burst of 50 stays below min
        assertEquals(5, Red.evalEwma(MIN, 50, 1000));
        assertEquals(50, Red.defaultBurst(MIN, MAX, 1000));
        assertEquals(-1, Red.evalEwma(MIN, 20, 1000), "burst must exceed min / avpkt - 1");
        assertThrows(IllegalArgumentException.class, () -> new Red(400_000, MIN, MAX, 1000, 20, 0.1, 10_000_000, false, false));
    }

    @Test
    void belowMinNothingIsDropped() {
        Outcome o = hold(red(false, false), 20_000, 0);
        assertEquals(0, o.early());
        assertEquals(20_000, o.passed());
    }

    @Test
    void betweenMinAndMaxDropsRiseWithTheAverageQueue() {
        Red q = red(false, false);
        Outcome mid = hold(q, 60_000, 0);
        assertTrue(Math.abs(q.averageQueue() - 60_000) < 3_000, "qavg " + q.averageQueue());
        // p_b = 0.1 x (60k - 30k) / 60k = 0.05, uniformly spaced marks: about one in 1 / (2 p_b) = 10... 20
        double fraction = mid.early() / 20_000.0;
        assertTrue(fraction > 0.04 && fraction < 0.12, "drop fraction at 60 kB " + fraction);
        Outcome high = hold(red(false, false), 85_000, 0);
        assertTrue(high.early() > mid.early(), high.early() + " vs " + mid.early());
        assertTrue(q.stats().overlimits() >= mid.early(), "each early drop is an overlimit");
    }

    @Test
    void aboveMaxEveryPacketIsDroppedOrMarked() {
        Outcome o = hold(red(false, false), 120_000, 0);
        assertTrue(o.early() > 19_000, "early " + o.early());
        Outcome ecn = hold(red(true, false), 120_000, InetEcn.ECT_0);
        assertTrue(ecn.marked() > 19_000 && ecn.early() == 0, "marked " + ecn.marked());
        Outcome hard = hold(red(true, true), 120_000, InetEcn.ECT_0);
        assertTrue(hard.early() > 19_000, "harddrop drops even ECT packets");
    }

    @Test
    void withEcnEctPacketsAreMarkedAndNotEctOnesDropped() {
        Red q = red(true, false);
        Outcome ect = hold(q, 60_000, InetEcn.ECT_0);
        assertEquals(0, ect.early());
        assertTrue(ect.marked() > 500, "marked " + ect.marked());
        assertTrue(q.xstats().get("marked") >= ect.marked());
        Outcome notEct = hold(red(true, false), 60_000, InetEcn.NOT_ECT);
        assertEquals(0, notEct.marked());
        assertTrue(notEct.early() > 500);
    }

    @Test
    void theInnerBfifoDropsPastTheLimit() {
        Red q = new Red(5_000, 30_000, 90_000, 1000, 50, 0.1, 10_000_000, false, false);
        q.attach(new SplittableRandom(3));
        for (int i = 0; i < 5; i++) assertTrue(q.enqueue(Packets.udp(1, 2, 0, 1000), 0));
        SkBuff sixth = Packets.udp(1, 2, 0, 1000);
        assertTrue(!q.enqueue(sixth, 0));
        assertEquals(SkbDropReason.QDISC_OVERLIMIT, sixth.dropReason());
        assertEquals(1, q.xstats().get("pdrop"));
    }
}
