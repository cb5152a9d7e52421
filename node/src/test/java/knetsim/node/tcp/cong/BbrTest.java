package knetsim.node.tcp.cong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tcp_bbr.c's arithmetic and state machine driven by rate samples, without a network: each {@link #round} is one
 * ACK whose sample covers a whole packet-timed round (prior_delivered = delivered at the previous round's end).
 */
class BbrTest {
    static final long MIN_RTT = 40_000;

    final CongState tp = new CongState();
    Bbr bbr = new Bbr();

    BbrTest() {
        start(0);
    }

    private void start(int random) {
        bbr = new Bbr();
        tp.nowUs = 1_000_000;
        tp.srttUs = MIN_RTT;
        tp.minRttUs = MIN_RTT;
        tp.mssCache = 1448;
        tp.deliveredMstampUs = tp.nowUs;
        tp.clockNs = tp.nowUs * 1000;
        tp.prandom = n -> random;
        bbr.init(tp);
    }

    /** One round: {@code pkts} delivered over {@code intervalUs}, RTT sample {@code rttUs}. */
    private RateSample round(int pkts, long intervalUs, long rttUs, int inFlight, int losses) {
        tp.nowUs += intervalUs;
        tp.deliveredMstampUs = tp.nowUs;
        tp.clockNs = tp.nowUs * 1000;
        tp.wstampNs = tp.clockNs;
        long prior = tp.delivered;
        tp.delivered += pkts;
        tp.lost += losses;
        tp.inFlight = inFlight;
        RateSample rs = new RateSample(prior, pkts, intervalUs, rttUs, losses, pkts, inFlight, false, false, false);
        bbr.congControl(tp, rs);
        return rs;
    }

    private RateSample round(int pkts, int inFlight) {
        return round(pkts, MIN_RTT + 1000, MIN_RTT, inFlight, 0);
    }

    /** STARTUP doubling, then flat rounds until the pipe is full, DRAIN with a big flight, PROBE_BW once it is small. */
    private void toProbeBw(int random) {
        start(random);
        for (int pkts : new int[] {10, 20, 40, 80, 80, 80, 80}) round(pkts, 1000);
        round(80, 1);
        assertEquals(Bbr.Mode.PROBE_BW, bbr.mode());
    }

    @Test
    void fixedPointConstantsAreTheKernels() {
        assertEquals(256, Bbr.BBR_UNIT);
        assertEquals(1L << 24, Bbr.BW_UNIT);
        assertEquals(739, Bbr.HIGH_GAIN);   // 256 * 2885 / 1000 + 1: 2/ln2
        assertEquals(88, Bbr.DRAIN_GAIN);   // 256 * 1000 / 2885
        assertEquals(512, Bbr.CWND_GAIN);
        assertEquals(List.of(320, 192, 256, 256, 256, 256, 256, 256),
                java.util.Arrays.stream(Bbr.PACING_GAIN).boxed().toList());
        assertEquals(10, Bbr.BW_RTTS);
    }

    @Test
    void rateAndBdpInFixedPoint() {
        long onePerMs = Bbr.BW_UNIT / 1000; // 1 segment per ms, as bbr_update_bw() scales it: 16777
        assertEquals(16777, onePerMs);
        // 1448 B/ms = 1,448,000 B/s, 1% pacing margin, truncated by the 2^24 scale
        double exact = 16777.0 / (1 << 24) * 1e6 * 1448 * 0.99;
        assertEquals(Math.floor(exact), Bbr.rateBytesPerSec(1448, onePerMs, 256));
        assertEquals(Math.floor(exact * 739 / 256), Bbr.rateBytesPerSec(1448, onePerMs, 739), 1);
        // bdp = ceil(bw * min_rtt * gain): 1 pkt/ms x 40 ms just under 40 (16777 < 2^24/1000) rounds up to 40
        assertEquals(40, bbr.bdp(onePerMs, 256));
        assertEquals(80, bbr.bdp(onePerMs, 512));
        assertEquals(116, bbr.bdp(onePerMs, Bbr.HIGH_GAIN));
    }

    @Test
    void tsoSegsGoalAndQuantizationBudget() {
        assertEquals(1, Bbr.tsoSegsGoal(100_000, 1448));          // below bbr_min_tso_rate (150 kB/s)
        assertEquals(2, Bbr.tsoSegsGoal(1_250_000, 1448));        // 10 Mbit/s: 1220 B per ms < 1 MSS
        assertEquals(8, Bbr.tsoSegsGoal(12_500_000, 1448));       // 100 Mbit/s: 12207 B per ms
        assertEquals(45, Bbr.tsoSegsGoal(10_000_000_000L, 1448)); // GSO_LEGACY_MAX_SIZE - 1 - MAX_TCP_HEADER
        // cwnd + 3 TSO bursts, rounded up to even
        assertEquals(46, bbr.quantizationBudget(1_250_000, 1448, 40));
        assertEquals(48, bbr.quantizationBudget(1_250_000, 1448, 41));
        toProbeBw(0); // phase 0 (5/4): 2 more
        assertEquals(0, bbr.cycleIndex());
        assertEquals(48, bbr.quantizationBudget(1_250_000, 1448, 40));
    }

    @Test
    void startupUsesHighGainAndThreeFlatRoundsFillThePipe() {
        assertEquals(Bbr.Mode.STARTUP, bbr.mode());
        assertTrue(tp.pacingNeeded, "bbr_init asks for SK_PACING_NEEDED");
        for (int pkts : new int[] {10, 20, 40}) round(pkts, 1000);
        assertEquals(739, bbr.pacingGain());
        assertEquals(739, bbr.cwndGain());
        round(48, 1000); // +20%: below 1.25 x 40, a first round without growth
        round(49, 1000); // second
        assertFalse(bbr.fullBwReached());
        assertEquals(Bbr.Mode.STARTUP, bbr.mode());
        long startupRate = tp.pacingRate;
        round(49, 1000); // third round without 25% growth
        assertTrue(bbr.fullBwReached());
        assertEquals(Bbr.Mode.DRAIN, bbr.mode());
        assertEquals(88, bbr.pacingGain());
        assertEquals(739, bbr.cwndGain());
        assertEquals(bbr.quantizationBudget(startupRate, 1448, bbr.bdp(bbr.maxBw(), 256)), tp.sndSsthresh,
                "DRAIN sets ssthresh to bbr_inflight(max_bw, 1)");
        round(56, 1000); // the queue is still there
        assertEquals(Bbr.Mode.DRAIN, bbr.mode());
        round(56, 10);   // in flight down to a BDP: the queue is drained
        assertEquals(Bbr.Mode.PROBE_BW, bbr.mode());
    }

    @Test
    void growthOfAQuarterRestartsTheFullPipeCount() {
        // full_bw follows each sample >= 1.25 x full_bw; any other round counts towards the three
        int[] pkts = {10, 12, 14, 18, 18, 23, 23, 23, 23};
        for (int i = 0; i < pkts.length; i++) {
            round(pkts[i], 1000);
            assertEquals(i == pkts.length - 1, bbr.fullBwReached(), "after round " + i);
        }
    }

    @Test
    void probeBwCyclesFiveQuartersThreeQuartersAndSixPhasesAtOne() {
        toProbeBw(0); // cycle_idx = 7 - 0, advanced to 0
        List<Integer> gains = new ArrayList<>();
        gains.add(bbr.pacingGain());
        for (int i = 0; i < 16; i++) {
            round(80, 1000); // full length each, with a big flight: the 5/4 phase ends too
            gains.add(bbr.pacingGain());
        }
        assertEquals(List.of(320, 192, 256, 256, 256, 256, 256, 256, 320, 192, 256, 256, 256, 256, 256, 256, 320), gains);
        assertEquals(512, bbr.cwndGain());
    }

    @Test
    void theProbingPhaseLastsUntilInflightReachesFiveQuartersOfTheBdp() {
        toProbeBw(0);
        assertEquals(320, bbr.pacingGain());
        for (int i = 0; i < 5; i++) round(80, 10); // min_rtt passed, but in flight stays low and nothing is lost
        assertEquals(320, bbr.pacingGain());
        round(80, MIN_RTT + 1000, MIN_RTT, 10, 1); // a loss ends it
        assertEquals(192, bbr.pacingGain());
        round(80, 5_000, MIN_RTT, 10, 0);          // the 3/4 phase ends before min_rtt once in flight <= BDP
        assertEquals(256, bbr.pacingGain());
    }

    @Test
    void theRandomStartPhaseIsNeverTheDrainingOne() {
        List<Integer> starts = new ArrayList<>();
        for (int r = 0; r < Bbr.CYCLE_RAND; r++) {
            toProbeBw(r);
            starts.add(bbr.cycleIndex());
        }
        assertEquals(List.of(0, 7, 6, 5, 4, 3, 2), starts);
    }

    @Test
    void probeRttAfterTenSecondsWithoutALowerRttHoldsFourPacketsFor200msAndARound() {
        toProbeBw(2);
        int cwnd = 0;
        long lastLow = tp.nowUs, entered = -1;
        for (int i = 0; i < 300 && bbr.mode() != Bbr.Mode.PROBE_RTT; i++) {
            cwnd = tp.sndCwnd;
            round(80, MIN_RTT + 1000, MIN_RTT + 5000, 80, 0); // RTT samples above min_rtt
            if (bbr.mode() == Bbr.Mode.PROBE_RTT) entered = tp.nowUs;
        }
        assertEquals(Bbr.Mode.PROBE_RTT, bbr.mode());
        assertTrue(entered - lastLow > 10_000_000 && entered - lastLow <= 10_050_000, "entered " + (entered - lastLow) + " us after the last min_rtt sample");
        assertEquals(4, tp.sndCwnd);
        assertEquals(256, bbr.pacingGain());
        assertEquals(256, bbr.cwndGain());
        assertTrue(tp.appLimitedRequest > 0, "PROBE_RTT marks the samples app-limited");
        round(4, 1000, MIN_RTT + 5000, 4, 0); // in flight down to 4: the 200 ms start
        long floor = tp.nowUs;
        while (bbr.mode() == Bbr.Mode.PROBE_RTT && tp.nowUs < floor + 1_000_000) {
            round(4, MIN_RTT + 1000, MIN_RTT, 4, 0); // a round per RTT at 4 packets
            if (bbr.mode() == Bbr.Mode.PROBE_RTT) assertTrue(tp.sndCwnd <= 4);
        }
        long held = tp.nowUs - floor;
        assertTrue(held > 200_000 && held <= 200_000 + 2 * (MIN_RTT + 1000), "held " + held + " us");
        assertEquals(Bbr.Mode.PROBE_BW, bbr.mode());
        assertTrue(tp.sndCwnd >= cwnd, "cwnd restored: " + tp.sndCwnd + " < " + cwnd);
    }

    @Test
    void twoLossyIntervalsAtTheSameRateMeanAPolicer() {
        toProbeBw(0);
        for (int i = 0; i < 3; i++) round(200, 0); // the max filter holds 200 per round
        long maxBw = bbr.maxBw();
        // policed: 100 per round delivered, 30 lost (23% > 50/256)
        for (int i = 0; i < 12 && !bbr.ltUseBw(); i++) round(100, MIN_RTT + 1000, MIN_RTT, 0, 30);
        assertTrue(bbr.ltUseBw());
        assertEquals(256, bbr.pacingGain());
        long policed = 100 * Bbr.BW_UNIT / (MIN_RTT + 1000);
        assertTrue(Math.abs(bbr.bw() - policed) < policed / 20, bbr.bw() + " vs " + policed);
        assertTrue(bbr.bw() < maxBw);
        for (int i = 0; i < Bbr.LT_BW_MAX_RTTS; i++) round(100, 0);
        assertFalse(bbr.ltUseBw(), "lt_bw is used for 48 rounds");
    }

    @Test
    void recoveryConservesPacketsThenRestoresTheSavedCwnd() {
        toProbeBw(3);
        round(80, 60);
        int before = tp.sndCwnd;
        assertEquals(tp.sndSsthresh, bbr.ssthresh(tp), "bbr_ssthresh keeps ssthresh and saves cwnd");
        tp.caState = CaState.RECOVERY;
        round(3, 1000, MIN_RTT, 50, 2);
        assertEquals(50 + 3, tp.sndCwnd, "first round of recovery: in flight + acked");
        tp.caState = CaState.OPEN;
        round(3, 1000, MIN_RTT, 50, 0);
        assertTrue(tp.sndCwnd >= before, "cwnd " + tp.sndCwnd + " restored to " + before);
        assertEquals(tp.sndCwnd, bbr.undoCwnd(tp));
    }
}
