package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import knetsim.node.tcp.cong.RateSample;
import org.junit.jupiter.api.Test;

/**
 * tcp_rate.c driven the way tcp_ack() drives it, over a toy path: a bottleneck that delivers one segment per
 * millisecond and a 10 ms RTT, so the true delivery rate is 1 segment/ms (1448 B/ms with timestamps).
 */
class TcpRateTest {
    private static final int MSS = 1448;
    private static final long MS = 1000;

    /** A sender with a FIFO of segments in flight, each ACKed alone. */
    private static final class Flow {
        record Skb(long endSeq, long sentUs, TcpRate.SkbTx tx) {}

        final TcpRate rate = new TcpRate();
        final Deque<Skb> inFlight = new ArrayDeque<>();
        long sndNxt;

        void send(long nowUs) {
            TcpRate.SkbTx tx = new TcpRate.SkbTx();
            rate.skbSent(tx, nowUs, inFlight.size());
            sndNxt += MSS;
            inFlight.add(new Skb(sndNxt, nowUs, tx));
        }

        RateSample ackOne(long nowUs) {
            int priorInFlight = inFlight.size();
            rate.beginAck();
            Skb skb = inFlight.poll();
            rate.skbDelivered(skb.tx(), skb.sentUs(), skb.endSeq(), false, false);
            rate.countDelivered(1);
            return rate.gen(nowUs, 1, 0, false, 10 * MS, nowUs - skb.sentUs(), priorInFlight, false);
        }
    }

    private static double perMs(RateSample rs) {
        return (double) rs.delivered() * MS / rs.intervalUs();
    }

    @Test
    void aSteadyFlowSamplesTheBottleneckRateFromTheThirdRoundOn() {
        Flow f = new Flow();
        for (int i = 0; i < 10; i++) f.send(0); // IW10 in one burst at t = 0
        List<RateSample> samples = new ArrayList<>();
        for (int k = 0; k < 40; k++) {
            long now = 10 * MS + k * MS;        // one ACK per millisecond, the first after one RTT
            samples.add(f.ackOne(now));
            f.send(now);                          // each ACK clocks out one new segment
        }
        // round 1: everything was sent at 0, so the ACK phase from 0 rules: k+1 segments over 10+k ms
        for (int k = 0; k < 10; k++) {
            RateSample rs = samples.get(k);
            assertEquals(k + 1, rs.delivered(), "k " + k);
            assertEquals((10 + k) * MS, rs.intervalUs(), "k " + k);
            assertEquals(0, rs.priorDelivered());
            assertEquals(10, rs.priorInFlight());
        }
        // round 2: 10 delivered per sample, but the send phase still reaches back to the burst at 0
        for (int j = 0; j < 10; j++) {
            RateSample rs = samples.get(10 + j);
            assertEquals(10, rs.delivered(), "j " + j);
            assertEquals(Math.max(10, 10 + j) * MS, rs.intervalUs(), "j " + j);
        }
        // from round 3 on: exactly the bottleneck, 10 segments per 10 ms
        for (RateSample rs : samples.subList(20, 40)) {
            assertEquals(10, rs.delivered());
            assertEquals(10 * MS, rs.intervalUs());
            assertEquals(1.0, perMs(rs));
            assertEquals(10 * MS, rs.rttUs());
            assertFalse(rs.isAppLimited());
            assertEquals(1, rs.ackedSacked());
        }
        assertEquals(1_448_000, f.rate.deliveryRate(MSS), "tcpi_delivery_rate: 1448 bytes per ms");
        assertFalse(f.rate.rateAppLimited());
        assertEquals(40, f.rate.delivered());
    }

    /**
     * The application pauses: a gap in sending, then a few segments. tcp_rate_check_app_limited() marks them;
     * their samples say app-limited and, being slower, do not replace the bulk rate; the mark clears once the
     * bubble is delivered.
     */
    @Test
    void anAppLimitedBubbleIsMarkedAndDoesNotLowerTheRate() {
        Flow f = new Flow();
        for (int i = 0; i < 10; i++) f.send(0);
        long now = 0;
        for (int k = 0; k < 30; k++) {
            now = 10 * MS + k * MS;
            f.ackOne(now);
            f.send(now);
        }
        // stop sending; drain the 10 in flight
        for (int k = 30; k < 40; k++) {
            now = 10 * MS + k * MS;
            f.ackOne(now);
        }
        assertEquals(1_448_000, f.rate.deliveryRate(MSS));
        assertEquals(40, f.rate.delivered());
        // 100 ms later the app writes 2 segments; tcp_sendmsg() checks first: nothing waits, nothing queued,
        // cwnd not the limit
        now += 100 * MS;
        f.rate.checkAppLimited(f.sndNxt, f.sndNxt, MSS, true, 0, 10, 0, 0);
        assertTrue(f.rate.isAppLimited());
        assertEquals(40, f.rate.appLimitedMark(), "delivered + in flight, as tcp_rate_check_app_limited() sets it");
        f.send(now);
        f.send(now);
        RateSample first = f.ackOne(now + 10 * MS);
        assertTrue(first.isAppLimited());
        assertEquals(1, first.delivered());
        assertEquals(10 * MS, first.intervalUs(), "a fresh interval: nothing was in flight when it was sent");
        assertEquals(1_448_000, f.rate.deliveryRate(MSS), "0.1 segment/ms, app-limited: kept out");
        assertFalse(f.rate.rateAppLimited());
        assertFalse(f.rate.isAppLimited(), "delivered 41 is past the mark 40: nothing was in flight, so the "
                + "first new delivery ends the bubble");
        RateSample second = f.ackOne(now + 11 * MS);
        assertTrue(second.isAppLimited(), "the segment was marked when sent");
        assertEquals(2, second.delivered());
        assertEquals(11 * MS, second.intervalUs());
        assertEquals(1_448_000, f.rate.deliveryRate(MSS));
        f.send(now + 11 * MS);
        RateSample after = f.ackOne(now + 21 * MS);
        assertFalse(after.isAppLimited(), "sent after the bubble");
    }

    @Test
    void aFasterAppLimitedSampleIsRecordedAndSaysSo() {
        TcpRate rate = new TcpRate();
        TcpRate.SkbTx[] tx = new TcpRate.SkbTx[4];
        rate.checkAppLimited(0, 0, MSS, true, 0, 10, 0, 0);
        assertEquals(1, rate.appLimitedMark(), "nothing delivered or in flight: the mark is 1, never 0");
        for (int i = 0; i < 4; i++) {
            tx[i] = new TcpRate.SkbTx();
            rate.skbSent(tx[i], 0, i);
            assertTrue(tx[i].isAppLimited());
        }
        rate.beginAck();
        for (int i = 0; i < 4; i++) rate.skbDelivered(tx[i], 0, (i + 1) * MSS, false, false);
        rate.countDelivered(4);
        RateSample rs = rate.gen(10 * MS, 4, 0, false, 10 * MS, 10 * MS, 4, false);
        assertTrue(rs.isAppLimited());
        assertEquals(4, rs.delivered());
        assertEquals(4 * MSS * 100L, rate.deliveryRate(MSS), "higher than nothing: recorded");
        assertTrue(rate.rateAppLimited(), "tcpi_delivery_rate_app_limited");
    }

    @Test
    void aSackedSegmentIsCountedOnceAndTheNewestSentSetsTheSample() {
        TcpRate rate = new TcpRate();
        TcpRate.SkbTx a = new TcpRate.SkbTx(), b = new TcpRate.SkbTx();
        rate.skbSent(a, 0, 0);
        rate.countDelivered(5); // pretend earlier deliveries, so prior_delivered is not 0
        rate.skbSent(b, 2 * MS, 1);
        rate.beginAck();
        rate.skbDelivered(b, 2 * MS, 2 * MSS, true, true); // b SACKed first (a was lost)
        rate.countDelivered(1);
        RateSample sacked = rate.gen(12 * MS, 1, 1, false, 5 * MS, 10 * MS, 2, true);
        assertEquals(5, sacked.priorDelivered());
        assertEquals(1, sacked.delivered());
        assertTrue(sacked.isRetrans());
        assertTrue(sacked.isAckDelayed());
        assertEquals(1, sacked.losses());
        assertEquals(TcpRate.NONE, b.deliveredMstampUs(), "marked off once SACKed");
        rate.beginAck();
        rate.skbDelivered(b, 2 * MS, 2 * MSS, true, false); // the cumulative ACK covers b again: ignored
        rate.skbDelivered(a, 0, MSS, false, false);
        rate.countDelivered(1);
        RateSample cumulative = rate.gen(20 * MS, 1, 0, false, 5 * MS, -1, 1, false);
        assertEquals(0, cumulative.priorDelivered(), "a's state at its send, not b's");
        assertFalse(cumulative.isRetrans());
        assertEquals(7, cumulative.delivered());
    }

    @Test
    void invalidSamples() {
        TcpRate rate = new TcpRate();
        rate.beginAck();
        RateSample none = rate.gen(5 * MS, 0, 0, false, 1, -1, 0, false);
        assertEquals(-1, none.delivered(), "no skb with timing: no sample");
        assertEquals(-1, none.intervalUs());

        TcpRate.SkbTx tx = new TcpRate.SkbTx();
        rate.skbSent(tx, 0, 0);
        rate.beginAck();
        rate.skbDelivered(tx, 0, MSS, false, false);
        rate.countDelivered(1);
        RateSample reneg = rate.gen(10 * MS, 1, 0, true, 1, 10 * MS, 1, false);
        assertEquals(-1, reneg.intervalUs(), "SACK reneging: no sample");

        TcpRate.SkbTx tx2 = new TcpRate.SkbTx();
        rate.skbSent(tx2, 10 * MS, 0);
        rate.beginAck();
        rate.skbDelivered(tx2, 10 * MS, 2 * MSS, false, false);
        rate.countDelivered(1);
        RateSample tooShort = rate.gen(12 * MS, 1, 0, false, 10 * MS, 2 * MS, 1, false);
        assertEquals(1, tooShort.delivered());
        assertEquals(-1, tooShort.intervalUs(), "2 ms is below min_rtt 10 ms: an ACK compression artefact");
        assertEquals(0, rate.deliveryRate(MSS), "nothing recorded");
    }

    @Test
    void notAppLimitedWhenCwndOrTheHostOrLossesAreTheLimit() {
        TcpRate rate = new TcpRate();
        rate.checkAppLimited(0, 0, MSS, true, 10, 10, 0, 0);
        assertFalse(rate.isAppLimited(), "cwnd-limited");
        rate.checkAppLimited(0, 0, MSS, false, 3, 10, 0, 0);
        assertFalse(rate.isAppLimited(), "our packets still in the qdisc or NIC");
        rate.checkAppLimited(MSS, 0, MSS, true, 3, 10, 0, 0);
        assertFalse(rate.isAppLimited(), "a full segment waits to be sent");
        rate.checkAppLimited(0, 0, MSS, true, 3, 10, 2, 1);
        assertFalse(rate.isAppLimited(), "a lost segment is not yet retransmitted");
        rate.checkAppLimited(MSS - 1, 0, MSS, true, 3, 10, 1, 1);
        assertTrue(rate.isAppLimited());
    }
}
