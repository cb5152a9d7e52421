package knetsim.node.tcp.cong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** CUBIC's window (tcp_cubic.c) driven by ACK sequences; HyStart is in CubicHystartTest. */
class CubicTest {
    private static final double BETA = 717 / 1024.0;
    private static final double C = 0.4;

    /** A cubic sender that has seen RTT {@code rttUs}, at cwnd {@code cwnd} in congestion avoidance. */
    private static AckClock sender(long rttUs, int cwnd) {
        AckClock c = new AckClock(CongestionRegistry.create("cubic"), rttUs);
        c.ack(1, rttUs);   // delay_min = rtt (cwnd 10: below HyStart's window)
        c.tp.sndCwnd = cwnd;
        c.tp.sndSsthresh = cwnd / 2;
        return c;
    }

    private static double w(double t, double wmax) {
        double k = Math.cbrt(wmax * (1 - BETA) / C);
        return C * Math.pow(t - k, 3) + wmax;
    }

    @Test
    void cubicIsTheDefaultAlgorithm() {
        assertEquals("cubic", CongestionRegistry.DEFAULT);
        assertInstanceOf(Cubic.class, CongestionRegistry.create(CongestionRegistry.DEFAULT));
        assertEquals("cubic", CongestionRegistry.create("cubic").name());
    }

    @Test
    void multiplicativeDecreaseIsBeta717Over1024() {
        Cubic cubic = new Cubic();
        CongState tp = new CongState();
        int[][] cases = {{100, 70}, {1000, 700}, {1024, 717}, {10, 7}, {3, 2}, {2, 2}};
        for (int[] c : cases) {
            tp.sndCwnd = c[0];
            assertEquals(c[1], cubic.ssthresh(tp), "cwnd " + c[0]);
        }
    }

    @Test
    void fastConvergenceLowersWmaxWhenLossComesBeforeTheLastWmax() {
        Cubic cubic = new Cubic();
        CongState tp = new CongState();
        tp.sndCwnd = 100;
        cubic.ssthresh(tp);
        assertEquals(100, cubic.info("last_max_cwnd"));
        tp.sndCwnd = 90;   // lost again before regaining 100: release bandwidth for newer flows
        assertEquals(63, cubic.ssthresh(tp));
        assertEquals(76, cubic.info("last_max_cwnd"), "90 * (1 + beta) / 2");
        tp.sndCwnd = 120;  // grew past it: Wmax is the cwnd at loss
        cubic.ssthresh(tp);
        assertEquals(120, cubic.info("last_max_cwnd"));
    }

    @Test
    void kAndTheCubicFunctionMatchTheFormula() {
        // after a loss at cwnd 100: cwnd 70, K = cbrt(Wmax (1 - beta) / C) = 4.215 s
        int k = Cubic.cubicRoot(Cubic.CUBE_FACTOR * 30);
        assertEquals(Math.cbrt(100 * (1 - BETA) / C), k / 1024.0, 0.005);
        for (double t : new double[] {0, 0.5, 1, 2, 3, 4, 4.5, 5, 6, 8}) {
            int target = Cubic.bicTarget(100, k, (long) (t * 1024));
            assertEquals(w(t, 100), target, 1.0, "W(" + t + ")");
        }
        // and above the origin for a larger window: 1000 -> 700, K = 9.08 s
        int k1000 = Cubic.cubicRoot(Cubic.CUBE_FACTOR * 300);
        for (double t : new double[] {0, 3, 9, 12}) {
            assertEquals(w(t, 1000), Cubic.bicTarget(1000, k1000, (long) (t * 1024)), 1.0, "W(" + t + ")");
        }
    }

    @Test
    void cubicRootIsTheIntegerCubeRoot() {
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            long a = r.nextLong(1L << 62);
            long x = Cubic.cubicRoot(a);
            assertTrue(x * x * x <= a && (x + 1) * (x + 1) * (x + 1) > a, "cbrt(" + a + ") = " + x);
        }
        assertEquals(0, Cubic.cubicRoot(0));
        assertEquals(4, Cubic.cubicRoot(64));
        assertEquals(3, Cubic.cubicRoot(63));
    }

    @Test
    void windowFollowsTheCubicCurveAfterALossFromCwnd100() {
        AckClock c = sender(100_000, 100);
        c.loss();
        assertEquals(70, c.tp.sndCwnd);
        long lossAt = c.tp.nowUs;
        for (int n = 1; n <= 70; n++) {
            c.round();
            double t = (c.tp.nowUs - lossAt) / 1e6;
            assertEquals(w(t, 100), c.tp.sndCwnd, 1.5, "cwnd at t = " + t + " s");
            if (n == 1) assertEquals(Math.cbrt(100 * (1 - BETA) / C), c.ops.info("bic_K") / 1024, 0.005);
        }
        // concave up to Wmax, a plateau at Wmax around K, then convex probing beyond it
        assertTrue(c.tp.sndCwnd > 105, "probing past Wmax after 7 s: " + c.tp.sndCwnd);
    }

    @Test
    void plateauAtWmaxAroundK() {
        AckClock c = sender(100_000, 100);
        c.loss();
        long lossAt = c.tp.nowUs;
        int min = Integer.MAX_VALUE, max = 0;
        while (c.tp.nowUs - lossAt < 5_000_000) {
            c.round();
            if (c.tp.nowUs - lossAt > 3_000_000) {
                min = Math.min(min, c.tp.sndCwnd);
                max = Math.max(max, c.tp.sndCwnd);
            }
        }
        assertEquals(100, min, "from 3 s to 5 s (K = 4.2 s) cwnd stays at Wmax");
        assertEquals(100, max);
    }

    @Test
    void tcpFriendlyRegionGrowsAtRenoEquivalentRateAtSmallRttTimesBandwidth() {
        // RTT 40 ms, loss at cwnd 20 (about 6 Mbit/s): the cubic curve alone would stay below Wmax for K = 2.5 s
        AckClock c = sender(40_000, 20);
        c.loss();
        assertEquals(14, c.tp.sndCwnd);
        for (int i = 0; i < 50; i++) c.round();
        int k = Cubic.cubicRoot(Cubic.CUBE_FACTOR * 6);
        int curveAlone = Cubic.bicTarget(20, k, 2040 * 1024 / 1000);
        assertTrue(curveAlone <= 20, "cubic curve after 2.04 s: " + curveAlone);
        // the Reno estimate (AIMD with alpha 3(1 - beta)/(1 + beta) = 0.53 segment per RTT) drives cwnd instead
        double perRtt = (c.tp.sndCwnd - 14) / 50.0;
        assertEquals(3 * (1 - BETA) / (1 + BETA), perRtt, 0.05, "growth per RTT (cwnd " + c.tp.sndCwnd + ")");
    }

    @Test
    void tcpFriendlyCubicGetsAtLeastRenosThroughputOnTheSameSmallPath() {
        // a path that drops when cwnd exceeds 40 segments (BDP + buffer), for 3000 RTTs, at RTT 1 ms and 40 ms
        for (long rtt : new long[] {1_000, 40_000}) {
            double cubic = averageCwnd(sender(rtt, 40), 40, 3000);
            AckClock reno = new AckClock(CongestionRegistry.create("reno"), rtt);
            reno.tp.sndCwnd = 40;
            reno.tp.sndSsthresh = 20;
            double renoAvg = averageCwnd(reno, 40, 3000);
            assertEquals(30, renoAvg, 1.5, "Reno's sawtooth 20..40");
            assertTrue(cubic >= renoAvg, "RTT " + rtt + " us: cubic " + cubic + " vs reno " + renoAvg);
        }
    }

    private static double averageCwnd(AckClock c, int capacity, int rounds) {
        long sum = 0;
        for (int i = 0; i < rounds; i++) {
            sum += c.tp.sndCwnd;
            c.round();
            if (c.tp.sndCwnd > capacity) c.loss();
        }
        return (double) sum / rounds;
    }

    @Test
    void initialGrowthWithoutAPreviousLossIsAtLeastFivePercentPerRtt() {
        // slow start ended without loss (HyStart): last_max_cwnd 0, cnt capped at 20
        AckClock c = sender(100_000, 200);
        c.round();
        assertTrue(c.tp.sndCwnd >= 210, "cwnd " + c.tp.sndCwnd);
        assertTrue(c.ops.info("cnt") <= 20);
    }

    @Test
    void growthIsAtMostOneSegmentPerTwoAcked() {
        // far above the origin after a long epoch: the curve asks for more than 1.5x per RTT, cnt floors at 2
        AckClock c = sender(100_000, 20);
        c.loss();
        for (int i = 0; i < 200; i++) c.round();
        int before = c.tp.sndCwnd;
        c.round();
        assertTrue(c.tp.sndCwnd <= before * 3 / 2 + 1, before + " -> " + c.tp.sndCwnd);
        assertTrue(c.ops.info("cnt") >= 2);
    }

    @Test
    void noGrowthWhenNotCwndLimited() {
        AckClock c = sender(10_000, 50);
        c.loss();
        c.tp.cwndLimited = false;
        c.tp.maxPacketsOut = 20;
        for (int i = 0; i < 100; i++) c.round();
        assertEquals(35, c.tp.sndCwnd);
    }

    @Test
    void delayMinComesFromPktsAckedAndSkipsTheFirstSecondOfAnEpoch() {
        Cubic cubic = new Cubic();
        CongState tp = new CongState();
        tp.nowUs = 5_000_000;
        cubic.init(tp);
        cubic.pktsAcked(tp, new AckSample(1, -1, 0));
        assertEquals(0, cubic.info("delay_min"), "no RTT sample");
        cubic.pktsAcked(tp, new AckSample(1, 30_000, 0));
        cubic.pktsAcked(tp, new AckSample(1, 40_000, 0));
        assertEquals(30_000, cubic.info("delay_min"));
        cubic.pktsAcked(tp, new AckSample(1, 0, 0));
        assertEquals(1, cubic.info("delay_min"), "a 0 us sample counts as 1");

        AckClock c = sender(20_000, 40);
        c.loss();
        c.round();   // the epoch starts on the first ACK after the reduction
        c.tp.nowUs += 500_000;
        c.ack(1, 5_000);
        assertEquals(20_000, c.ops.info("delay_min"), "samples right after recovery are discarded");
        c.tp.nowUs += 600_000;
        c.ack(1, 5_000);
        assertEquals(5_000, c.ops.info("delay_min"));
    }

    @Test
    void txStartAfterIdleShiftsTheEpochByTheIdleTime() {
        AckClock a = sender(100_000, 100);
        AckClock b = sender(100_000, 100);
        for (AckClock c : new AckClock[] {a, b}) {
            c.loss();
            c.round();
            c.round();
        }
        double epoch = a.ops.info("epoch_start");
        assertEquals(epoch, b.ops.info("epoch_start"));
        // 3 s without data; then the first send with nothing in flight raises CA_EVENT_TX_START
        for (AckClock c : new AckClock[] {a, b}) c.tp.nowUs += 3_000_000;
        a.ops.cwndEvent(a.tp, CaEvent.TX_START);
        assertEquals(epoch + 3000, a.ops.info("epoch_start"), "shifted by 3000 jiffies (HZ 1000)");
        a.tp.lsndtimeUs = a.tp.nowUs;
        b.tp.lsndtimeUs = b.tp.nowUs;
        int cwnd = a.tp.sndCwnd;
        a.round();
        b.round();
        assertTrue(a.tp.sndCwnd - cwnd <= 3, "a continues on the curve: " + cwnd + " -> " + a.tp.sndCwnd);
        assertTrue(b.tp.sndCwnd > a.tp.sndCwnd, "without the shift the idle time counts as growth time: " + b.tp.sndCwnd);

        // the shifted epoch never lies in the future
        AckClock c = sender(100_000, 100);
        c.loss();
        c.round();
        c.tp.lsndtimeUs = c.tp.nowUs - 10_000_000;   // a stale lsndtime: the shift is capped at now
        c.ops.cwndEvent(c.tp, CaEvent.TX_START);
        assertEquals(Integer.toUnsignedLong(Cubic.jiffies(c.tp.nowUs)), c.ops.info("epoch_start"));
        // other events leave the epoch alone
        double before = c.ops.info("epoch_start");
        c.tp.nowUs += 1_000_000;
        c.ops.cwndEvent(c.tp, CaEvent.CWND_RESTART);
        assertEquals(before, c.ops.info("epoch_start"));
    }

    @Test
    void lossStateResetsEverything() {
        AckClock c = sender(50_000, 100);
        c.loss();
        c.round();
        assertNotEquals(0.0, c.ops.info("epoch_start"));
        c.ops.setState(c.tp, CaState.RECOVERY);
        assertEquals(100, c.ops.info("last_max_cwnd"), "fast recovery keeps the state");
        c.ops.setState(c.tp, CaState.LOSS);
        assertEquals(0, c.ops.info("last_max_cwnd"));
        assertEquals(0, c.ops.info("epoch_start"));
        assertEquals(0, c.ops.info("delay_min"));
        assertEquals(0, c.ops.info("hystart_found"));
        assertEquals(0, c.ops.info("bic_K"));
    }

    @Test
    void undoIsRenosMaxOfCwndAndPriorCwnd() {
        AckClock c = sender(50_000, 100);
        c.loss();
        assertEquals(100, c.ops.undoCwnd(c.tp));
        c.tp.sndCwnd = 120;
        assertEquals(120, c.ops.undoCwnd(c.tp));
    }

    @Test
    void infoNamesUnknownKeysNaN() {
        assertTrue(Double.isNaN(new Cubic().info("bbr_bw")));
    }
}
