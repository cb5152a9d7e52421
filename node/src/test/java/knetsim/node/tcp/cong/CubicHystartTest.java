package knetsim.node.tcp.cong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * HyStart in tcp_cubic.c: ACK-train and delay-increase detection end slow start (ssthresh = cwnd)
 * from cwnd 16, rounds delimited by snd_nxt, each reported as TcpExt TCPHystart*.
 */
class CubicHystartTest {
    private final Cubic cubic = new Cubic();
    private final CongState tp = new CongState();
    private final Map<CaMib, Long> mib = new EnumMap<>(CaMib.class);

    CubicHystartTest() {
        tp.nowUs = 2_000_000;
        tp.sndCwnd = 16;
        tp.cwndLimited = true;
        tp.sndNxt = 100;
        tp.mib = (field, value) -> mib.merge(field, value, Long::sum);
        cubic.init(tp);   // round 1 ends when snd_una passes 100
    }

    private long mib(CaMib field) {
        return mib.getOrDefault(field, 0L);
    }

    /** {@code gapUs} after the previous one, an ACK of one more segment carrying an RTT sample. */
    private void ack(long gapUs, long rttUs) {
        tp.nowUs += gapUs;
        tp.sndUna++;
        cubic.pktsAcked(tp, new AckSample(1, rttUs, 0));
        cubic.congAvoid(tp, tp.sndUna, 1);
    }

    /** The next ACK passes snd_nxt of the last round: a new round starts (and snd_nxt moves on). */
    private void newRound(long gapUs, long rttUs) {
        tp.sndUna = tp.sndNxt;
        tp.sndNxt += 1000;
        ack(gapUs, rttUs);
    }

    private boolean exited() {
        return !tp.inSlowStart();
    }

    @Test
    void delayIncreaseEndsSlowStartOnTheNinthSampleOfARound() {
        ack(3000, 10_000);                  // delay_min 10 ms; ACKs 3 ms apart are no train
        newRound(3000, 15_000);             // RTT up 5 ms: over the 4 ms threshold
        for (int i = 2; i <= 8; i++) ack(3000, 15_000);
        assertFalse(exited(), "8 samples decide nothing");
        int cwnd = tp.sndCwnd;
        ack(3000, 15_000);
        assertTrue(exited());
        assertEquals(cwnd, tp.sndSsthresh, "ssthresh = cwnd at detection");
        assertEquals(1, mib(CaMib.TCP_HYSTART_DELAY_DETECT));
        assertEquals(cwnd, mib(CaMib.TCP_HYSTART_DELAY_CWND));
        assertEquals(0, mib(CaMib.TCP_HYSTART_TRAIN_DETECT));
        assertEquals(1, cubic.info("hystart_found"));
        for (int i = 0; i < 50; i++) ack(3000, 15_000);
        assertEquals(1, mib(CaMib.TCP_HYSTART_DELAY_DETECT), "found: once per slow start");
    }

    @Test
    void eachRoundCollectsItsOwnSamples() {
        ack(3000, 10_000);
        newRound(3000, 15_000);
        for (int i = 2; i <= 8; i++) ack(3000, 15_000);
        newRound(3000, 15_000);             // snd_una passed end_seq: the count starts again
        for (int i = 2; i <= 8; i++) ack(3000, 15_000);
        assertFalse(exited());
        ack(3000, 15_000);
        assertTrue(exited());
    }

    @Test
    void theMinimumRttOfTheRoundMustExceedTheThreshold() {
        ack(3000, 10_000);
        newRound(3000, 15_000);
        ack(3000, 10_500);                  // one sample near delay_min keeps the round's minimum low
        for (int i = 0; i < 30; i++) ack(3000, 15_000);
        assertFalse(exited());
    }

    /** Whether an RTT of {@code rttUs} for 20 samples of a round ends slow start after delay_min {@code delayMinUs}. */
    private static boolean delayExit(long delayMinUs, long rttUs) {
        CubicHystartTest t = new CubicHystartTest();
        t.ack(3000, delayMinUs);
        t.newRound(3000, rttUs);
        for (int i = 0; i < 20; i++) t.ack(3000, rttUs);
        return t.exited();
    }

    @Test
    void delayThresholdIsDelayMinOver8ClampedTo4To16Ms() {
        assertFalse(delayExit(10_000, 13_900));    // 10 ms / 8 < 4 ms: threshold 4 ms
        assertTrue(delayExit(10_000, 14_100));
        assertFalse(delayExit(40_000, 44_900));    // 40 ms / 8 = 5 ms
        assertTrue(delayExit(40_000, 45_100));
        assertFalse(delayExit(200_000, 215_900));  // 200 ms / 8 = 25 ms > 16 ms: threshold 16 ms
        assertTrue(delayExit(200_000, 216_100));
    }

    /** The ACK (counted from the round's first) at which a train of ACKs {@code spacingUs} apart ends slow start; -1: none. */
    private int trainExitAt(long spacingUs, int acks) {
        ack(3000, 10_000);                          // delay_min 10 ms
        newRound(3000, 10_000);                     // round_start = last_ack = now
        for (int n = 1; n <= acks; n++) {
            ack(spacingUs, 10_000);                 // no delay increase: only the train can fire
            if (exited()) return n;
        }
        return -1;
    }

    @Test
    void ackTrainLongerThanHalfTheMinRttEndsSlowStart() {
        int cwndBefore = tp.sndCwnd;
        assertEquals(51, trainExitAt(100, 200), "5.1 ms > 10 ms / 2");
        assertEquals(tp.sndCwnd, tp.sndSsthresh);
        assertTrue(tp.sndCwnd > cwndBefore);
        assertEquals(1, mib(CaMib.TCP_HYSTART_TRAIN_DETECT));
        assertEquals(tp.sndSsthresh, mib(CaMib.TCP_HYSTART_TRAIN_CWND));
        assertEquals(0, mib(CaMib.TCP_HYSTART_DELAY_DETECT));
    }

    @Test
    void ackTrainThresholdAddsTheGsoCushionAtThePacingRate() {
        tp.pacingRate = 1_000_000_000L;             // 4 x 64 KB at 1 GB/s = 262 us
        assertEquals(262, Cubic.hystartAckDelay(tp));
        assertEquals(52, trainExitAt(100, 200), "(10 ms + 262 us) / 2 = 5131 us");
    }

    @Test
    void ackTrainCushionIsCappedAt1Ms() {
        tp.pacingRate = 10_000_000L;
        assertEquals(1000, Cubic.hystartAckDelay(tp));
        assertEquals(56, trainExitAt(100, 200), "(10 ms + 1 ms) / 2");
    }

    @Test
    void whenPacingTheTrainMustSpanAWholeMinRtt() {
        tp.pacingRate = 1_000_000_000L;
        tp.pacingNeeded = true;                     // fq or the algorithm paces: no halving
        assertEquals(103, trainExitAt(100, 200), "10 ms + 262 us");
        assertEquals(1, mib(CaMib.TCP_HYSTART_TRAIN_DETECT));
    }

    @Test
    void aGapOfMoreThan2MsBreaksTheTrain() {
        ack(3000, 10_000);
        newRound(3000, 10_000);
        for (int i = 0; i < 20; i++) ack(100, 10_000);     // 2 ms of train
        ack(2500, 10_000);                                 // gap: ACKs are no longer a train
        for (int i = 0; i < 100; i++) ack(100, 10_000);
        assertFalse(exited());
        assertEquals(0, mib(CaMib.TCP_HYSTART_TRAIN_DETECT));
    }

    @Test
    void noHystartBelowCwnd16() {
        tp.sndCwnd = 15;
        tp.cwndLimited = false;                     // application-limited: cwnd stays at 15
        tp.maxPacketsOut = 7;
        ack(3000, 10_000);
        newRound(100, 30_000);
        for (int i = 0; i < 100; i++) ack(100, 30_000);   // a 10 ms train and RTT up 20 ms
        assertFalse(exited());
        assertEquals(15, tp.sndCwnd);
        assertEquals(0, cubic.info("sample_cnt"), "no delay samples counted below the low window");
        tp.sndCwnd = 16;   // from here the same ACKs count: 9 delay samples end slow start
        for (int i = 0; i < 8; i++) ack(100, 30_000);
        assertFalse(exited());
        ack(100, 30_000);
        assertTrue(exited());
        assertEquals(1, mib(CaMib.TCP_HYSTART_DELAY_DETECT));
        assertEquals(16, mib(CaMib.TCP_HYSTART_DELAY_CWND));
        // the train's last_ack stayed at the round start (more than 2 ms ago): no ACK-train exit
        assertEquals(0, mib(CaMib.TCP_HYSTART_TRAIN_DETECT));
    }

    @Test
    void noHystartOutsideSlowStartAndAgainAfterAnRto() {
        tp.sndSsthresh = 10;                        // congestion avoidance
        ack(3000, 10_000);
        newRound(100, 30_000);
        for (int i = 0; i < 100; i++) ack(100, 30_000);
        assertEquals(0, mib(CaMib.TCP_HYSTART_TRAIN_DETECT) + mib(CaMib.TCP_HYSTART_DELAY_DETECT));

        // an RTO: set_state(LOSS) forgets delay_min and found; slow start from cwnd 1 may exit again at 16
        cubic.setState(tp, CaState.LOSS);
        tp.sndSsthresh = CongState.INFINITE_SSTHRESH;      // slow start again, far below ssthresh
        tp.sndCwnd = 16;
        ack(3000, 12_000);
        assertEquals(12_000, cubic.info("delay_min"), "the old 10 ms minimum was forgotten");
        newRound(3000, 17_000);
        for (int i = 0; i < 9; i++) ack(3000, 17_000);
        assertTrue(exited());
        assertEquals(1, mib(CaMib.TCP_HYSTART_DELAY_DETECT));
    }

    @Test
    void samplesWithoutRttAreIgnored() {
        ack(3000, 10_000);
        newRound(3000, 15_000);
        for (int i = 0; i < 30; i++) ack(3000, -1);
        assertFalse(exited());
        assertEquals(1, cubic.info("sample_cnt"));
    }
}
