package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** tcp_rtt_estimator() and the RTO, against values worked out by hand from the kernel's formulas. */
class TcpRttTest {

    @Test
    void beforeAnySampleTheRtoIsOneSecond() {
        TcpRtt rtt = new TcpRtt();
        assertEquals(1_000_000, rtt.rtoUs());
        assertFalse(rtt.hasSample());
        assertEquals(Long.MAX_VALUE, rtt.minRttUs());
        assertEquals(250_000, rtt.rttvarUs(), "tcp_init_sock(): mdev_us = TCP_TIMEOUT_INIT, so tcpi_rttvar 250 ms");
    }

    /** First sample r: srtt = r, mdev = r/2 (mdev_us = 2r), rttvar_us = max(2r, 200 ms), RTO = r + that. */
    @Test
    void aTenMillisecondPathGivesSsRtt10Slash5Rto210() {
        TcpRtt rtt = new TcpRtt();
        assertTrue(rtt.ackUpdateRtt(10_000, -1, 10_000, -1, false, 50_000, 1, 100));
        assertEquals(10_000, rtt.srttUs());
        assertEquals(80_000, rtt.srttUsScaled());
        assertEquals(5_000, rtt.rttvarUs());
        assertEquals(200_000, rtt.rttvarTermUs(), "tcp_rto_min is the floor of the variance term");
        assertEquals(210_000, rtt.rtoUs());
        assertEquals(10_000, rtt.minRttUs());
        assertEquals("rtt:10.000/5.000 rto:210", rtt.toString(), "what ss -ti prints for such a path");
    }

    @Test
    void aLongPathGetsThreeTimesItsRtt() {
        TcpRtt rtt = new TcpRtt();
        rtt.estimate(300_000, 0, 10);
        rtt.setRto();
        assertEquals(600_000, rtt.rttvarTermUs(), "2r is above 200 ms");
        assertEquals(900_000, rtt.rtoUs(), "\"make sure rto = 3*rtt\"");
    }

    /**
     * Seven samples through every branch: the error in srtt (gain 1/8), mdev up (gain 1/4) and down with the
     * finer gain 1/32 when the RTT falls, mdev_max raising rttvar at once, and rttvar decaying by a quarter of its
     * excess over mdev_max once per RTT (when snd_una passes rtt_seq). RTOs are rounded up to jiffies.
     */
    @Test
    void samplesFollowTheKernelArithmeticStepByStep() {
        TcpRtt rtt = new TcpRtt();
        long[][] steps = {
            // r, snd_una, snd_nxt, srtt_us (<<3), tcpi_rttvar (mdev_us>>2), rttvar_us, rto
            {100_000, 1000, 5000, 800_000, 200_000 >> 2, 200_000, 300_000},
            // m = 120000 - 100000 = 20000: srtt 820000; m - mdev/4 = -30000: mdev 170000; rto 102500+200000
            {120_000, 2000, 5000, 820_000, 170_000 >> 2, 200_000, 303_000},
            // m = 60000 - 102500 = -42500; |m| - 42500 = 0, no change to mdev; snd_una passed rtt_seq 5000
            {60_000, 6000, 9000, 777_500, 170_000 >> 2, 200_000, 298_000},
            // m = 20000 - 97187 = -77187; (77187 - 42500) >> 3 = 4335: mdev 174335
            {20_000, 7000, 9000, 700_313, 174_335 >> 2, 200_000, 288_000},
            // m = 600000 - 87539 = 512461; minus 43583: mdev 643213 > mdev_max, so rttvar jumps to it
            {600_000, 8000, 9000, 1_212_774, 643_213 >> 2, 643_213, 795_000},
            // m = -1596; 1596 - 160803 < 0: mdev 484006; new RTT: mdev_max 643213 is not below rttvar
            {150_000, 9500, 12000, 1_211_178, 484_006 >> 2, 643_213, 795_000},
            // mdev 364402 is this RTT's max; rttvar -= (643213 - 364402) >> 2 = 69702
            {150_000, 12500, 15000, 1_209_781, 364_402 >> 2, 573_511, 725_000},
        };
        for (long[] s : steps) {
            rtt.estimate(s[0], s[1], s[2]);
            rtt.setRto();
            String at = "after " + s[0];
            assertEquals(s[3], rtt.srttUsScaled(), at);
            assertEquals(s[4], rtt.rttvarUs(), at);
            assertEquals(s[5], rtt.rttvarTermUs(), at);
            assertEquals(s[6], rtt.rtoUs(), at);
        }
    }

    @Test
    void theRtoNeverExceeds120Seconds() {
        TcpRtt rtt = new TcpRtt();
        rtt.estimate(50_000_000, 0, 1);
        rtt.setRto();
        assertEquals(120_000_000, rtt.rtoUs());
    }

    @Test
    void karnsRuleAndTheFallbacks() {
        TcpRtt rtt = new TcpRtt();
        assertFalse(rtt.ackUpdateRtt(-1, -1, -1, -1, false, 0, 1, 2), "only retransmitted data ACKed: no sample");
        assertEquals(-1, rtt.lastCaRttUs());
        assertEquals(1_000_000, rtt.rtoUs());
        assertTrue(rtt.ackUpdateRtt(-1, 40_000, 30_000, -1, false, 0, 1, 2), "the SACK RTT stands in");
        assertEquals(40_000, rtt.srttUs());
        assertEquals(30_000, rtt.minRttUs(), "min_rtt follows the congestion-control RTT");
        TcpRtt ts = new TcpRtt();
        assertTrue(ts.ackUpdateRtt(-1, -1, -1, TcpRtt.tsEcrRttUs(1010, 1000), false, 0, 1, 2));
        assertEquals(10_000, ts.srttUs(), "TS-ECR: 10 ms");
        assertEquals(10_000, ts.lastCaRttUs(), "and it is the rate sample's RTT too");
    }

    @Test
    void timestampRttsAreWholeMillisecondsAtLeastOne() {
        assertEquals(1_000, TcpRtt.tsEcrRttUs(500, 500));
        assertEquals(7_000, TcpRtt.tsEcrRttUs(5, 0xfffffffeL), "across the u32 wrap");
        assertEquals(-1, TcpRtt.tsEcrRttUs(500, 501), "an echo from the future");
    }

    @Test
    void aDelayedAckAboveTheMinimumDoesNotRefreshAnExpiredMinimum() {
        TcpRtt rtt = new TcpRtt();
        rtt.ackUpdateRtt(60_000, -1, 60_000, -1, false, 0, 1, 2);
        rtt.ackUpdateRtt(80_000, -1, 80_000, -1, true, 301_000_000, 3, 4);
        assertEquals(60_000, rtt.minRttUs(), "skipped: a suspected delayed ACK");
        rtt.ackUpdateRtt(80_000, -1, 80_000, -1, false, 301_000_000, 5, 6);
        assertEquals(80_000, rtt.minRttUs(), "the 300 s window has passed the 60 ms sample");
        rtt.ackUpdateRtt(0, -1, 0, -1, false, 301_000_000, 7, 8);
        assertEquals(1_000, rtt.minRttUs(), "an RTT of 0 counts as one jiffy");
    }

    /** Linux 6.5+: SYNs at 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s, then give up at 131 s (6 retries + 4 linear). */
    @Test
    void synRetransmissionsAreLinearThenExponential() {
        TcpRtt rtt = new TcpRtt();
        long t = 0;
        List<Long> sent = new ArrayList<>();
        for (int totalRto = 1; totalRto <= 10; totalRto++) {
            t += rtt.rtoUs();
            sent.add(t / 1_000_000);
            rtt.retransmitTimerBackoff(true, totalRto, 4);
        }
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 7L, 11L, 19L, 35L, 67L), sent);
        assertEquals(131, (t + rtt.rtoUs()) / 1_000_000, "the last timer: ETIMEDOUT");
        assertEquals(6, rtt.backoff());
    }

    @Test
    void anEstablishedRtoDoublesUpTo120SecondsAndASampleResetsIt() {
        TcpRtt rtt = new TcpRtt();
        rtt.ackUpdateRtt(10_000, -1, 10_000, -1, false, 0, 1, 2);
        long[] expected = {420_000, 840_000, 1_680_000, 3_360_000, 6_720_000, 13_440_000, 26_880_000, 53_760_000,
                107_520_000, 120_000_000, 120_000_000};
        for (long e : expected) {
            rtt.retransmitTimerBackoff(false, 0, 4);
            assertEquals(e, rtt.rtoUs());
        }
        assertEquals(11, rtt.backoff());
        assertEquals(120_000_000, rtt.rtoBackoffUs(120_000_000), "probe timers: rto << backoff, capped");
        rtt.ackUpdateRtt(10_000, -1, 10_000, -1, false, 1_000_000, 3, 4);
        assertEquals(0, rtt.backoff(), "RFC 6298 5.7: a valid sample ends the backoff");
        assertEquals(210_000, rtt.rtoUs());
        assertEquals(210_000, rtt.rtoBackoffUs(120_000_000));
    }

    @Test
    void aRouteRtoMinRaisesTheFloor() {
        TcpRtt rtt = new TcpRtt(1_000);
        rtt.estimate(100, 0, 1);
        rtt.setRto();
        assertEquals(1_000, rtt.rttvarTermUs());
        assertEquals(2_000, rtt.rtoUs(), "100 us + 1000 us, rounded up to whole jiffies");
    }
}
