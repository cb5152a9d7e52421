package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import knetsim.node.tcp.cong.Bbr;
import org.junit.jupiter.api.Test;

/**
 * BBR over a 10 Mbit/s bottleneck with 40 ms of propagation RTT and a 100-packet FIFO at a router (the sender's
 * NIC is fast, so TSQ does not hold it back), and TCP's internal pacing: the qdisc is not fq, so BBR's
 * SK_PACING_NEEDED makes TCP space its segments by len / sk_pacing_rate.
 */
class BbrPathTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;
    private static final long RATE = 10_000_000L;
    /** What the 10 Mbit/s link delivers in payload: 1448 of every 1514 bytes (IP, TCP with timestamps, Ethernet). */
    private static final double PAYLOAD_RATE = RATE * 1448.0 / 1514;

    private static TcpPair path(String cc, long rate, long seed) {
        TcpPair p = new TcpPair(TcpSysctl.linuxDefaults().with(s -> s.congestionControl(cc)), 20 * MS, rate, 100, seed);
        p.a.link.routerQueue = true;
        return p;
    }

    private static Bbr bbr(TcpPair.Flow f) {
        return (Bbr) f.client.ca;
    }

    @Test
    void startupFindsTheBottleneckInAFewRoundsAndDrainEmptiesTheQueueItBuilt() {
        TcpPair p = path("bbr", RATE, 1);
        TcpPair.Flow f = p.new Flow(5201, 1L << 40);
        p.runUntil(() -> f.client.state() == TcpState.ESTABLISHED, S);
        long established = p.now, reached = -1, drainAt = -1, probeBwAt = -1;
        int startupPeak = 0, queueAtProbeBw = -1;
        while (probeBwAt < 0 && p.now < 3 * S) {
            p.runUntil(p.now + MS);
            Bbr b = bbr(f);
            if (reached < 0 && b.bwBytesPerSec() * 8 >= 0.95 * PAYLOAD_RATE) reached = p.now;
            if (b.mode() == Bbr.Mode.STARTUP) startupPeak = Math.max(startupPeak, p.a.link.queued());
            if (drainAt < 0 && b.mode() == Bbr.Mode.DRAIN) {
                drainAt = p.now;
                assertTrue(f.client.cong.sndSsthresh < 200, "DRAIN sets ssthresh to a BDP: " + f.client.cong.sndSsthresh);
            }
            if (b.mode() == Bbr.Mode.PROBE_BW) {
                probeBwAt = p.now;
                queueAtProbeBw = p.a.link.queued();
            }
        }
        long rtt = 40 * MS + 1_211_200; // propagation plus one full frame's serialisation
        System.out.printf("bbr startup: bw at %d ms after the handshake, peak queue %d, DRAIN at %d ms, PROBE_BW at %d ms"
                + " with %d queued%n", (reached - established) / MS, startupPeak, drainAt / MS, probeBwAt / MS, queueAtProbeBw);
        assertTrue(reached > 0 && reached - established <= 6 * rtt, "the bottleneck rate after "
                + (reached - established) / MS + " ms");
        assertTrue(startupPeak > 30, "STARTUP's 2/ln2 gain builds a queue: " + startupPeak);
        assertTrue(drainAt > reached && probeBwAt > drainAt, "STARTUP -> DRAIN -> PROBE_BW");
        // DRAIN paces at 1/2.89 of bw: the queue goes in about one round trip of the queued path
        long queuedRtt = rtt + startupPeak * 1_211_200L;
        assertTrue(probeBwAt - drainAt <= queuedRtt, "DRAIN lasted " + (probeBwAt - drainAt) / MS + " ms, RTT "
                + queuedRtt / MS + " ms");
        // DRAIN ends with in flight at bbr_inflight(bw, 1): the BDP plus the quantization budget (3 x 2 segments,
        // rounded up to even), so that much may stay queued, against STARTUP's peak
        assertTrue(queueAtProbeBw <= 10, "queue when DRAIN ended: " + queueAtProbeBw);
        int max = 0;
        long sum = 0, n = 0;
        for (long end = p.now + 2 * S; p.now < end; n++) {
            p.runUntil(p.now + MS);
            max = Math.max(max, p.a.link.queued());
            sum += p.a.link.queued();
        }
        assertTrue(sum / (double) n < 8 && max < 20, "PROBE_BW keeps the queue small: mean " + sum / (double) n + " max " + max);
        assertEquals(0, p.a.link.drops, "100 packets of buffer: no loss");
    }

    @Test
    void probeRttEveryTenSecondsAtFourPacketsFor200msAndARound() {
        TcpPair p = path("bbr", RATE, 2);
        TcpPair.Flow f = p.new Flow(5201, 1L << 40);
        List<long[]> probes = new ArrayList<>(); // start, end, max cwnd, max in flight after the first round
        long start = -1;
        int maxCwnd = 0, maxInFlight = 0;
        while (p.now < 22 * S) {
            p.runUntil(p.now + MS);
            boolean in = bbr(f).mode() == Bbr.Mode.PROBE_RTT;
            if (in && start < 0) {
                start = p.now;
                maxCwnd = 0;
                maxInFlight = 0;
            }
            if (in) {
                maxCwnd = Math.max(maxCwnd, f.client.cong.sndCwnd);
                if (p.now - start > 45 * MS) maxInFlight = Math.max(maxInFlight, f.client.inFlight());
            }
            if (!in && start >= 0) {
                probes.add(new long[] {start, p.now, maxCwnd, maxInFlight});
                start = -1;
            }
        }
        for (long[] x : probes) System.out.printf("PROBE_RTT %d..%d ms cwnd %d inflight %d%n", x[0] / MS, x[1] / MS, x[2], x[3]);
        assertEquals(2, probes.size());
        long rtt = 41 * MS;
        assertTrue(Math.abs(probes.get(0)[0] - 10 * S) < 300 * MS, "first PROBE_RTT 10 s after the first RTT sample");
        assertTrue(Math.abs(probes.get(1)[0] - probes.get(0)[1] - 10 * S) < 300 * MS, "the next 10 s after the last");
        for (long[] x : probes) {
            long held = x[1] - x[0];
            // draining to 4 packets takes up to a round, then 200 ms and a round at 4
            assertTrue(held >= 200 * MS + rtt && held <= 200 * MS + 3 * rtt, "PROBE_RTT lasted " + held / MS + " ms");
            assertEquals(4, x[2], "cwnd in PROBE_RTT");
            assertTrue(x[3] <= 4, "in flight in PROBE_RTT " + x[3]);
        }
    }

    /** Goodput (bit/s) over 4 s after a second's start, with random loss {@code loss} on the data direction. */
    private static double goodputUnderLoss(String cc, long rate, double loss) {
        TcpPair p = path(cc, rate, 3);
        TcpPair.Flow f = p.new Flow(5201, 1L << 40);
        p.runUntil(S);
        p.a.link.loss = loss;
        long from = f.received;
        p.runUntil(5 * S);
        double g = (f.received - from) * 8.0 / 4;
        System.out.printf("%s at %d Mbit/s, %.0f%% loss: %.2f Mbit/s, %d retransmitted%n", cc, rate / 1_000_000, loss * 100,
                g / 1e6, p.a.mib(TcpMib.RETRANS_SEGS));
        return g;
    }

    @Test
    void atOnePercentRandomLossBbrKeepsTheLinkWhileCubicCollapses() {
        // 30 Mbit/s x 40 ms: loss-based TCP gets about 1.22 MSS / (RTT sqrt(p)) = 3.4 Mbit/s (Mathis) here, 11% of
        // the link (at 10 Mbit/s that bound is 34% of it); BBR v1 does not take random loss as congestion
        long rate = 30_000_000L;
        double payload = rate * 1448.0 / 1514;
        double bbr = goodputUnderLoss("bbr", rate, 0.01);
        double cubic = goodputUnderLoss("cubic", rate, 0.01);
        assertTrue(bbr > 0.85 * payload, "bbr " + bbr / 1e6 + " Mbit/s");
        assertTrue(cubic < 0.2 * rate, "cubic " + cubic / 1e6 + " Mbit/s");
    }

    /** The gaps between consecutive new data segments host a sent after {@code from}, with the pacing rate then. */
    @Test
    void withoutFqBbrPacesInsideTcpAtLenOverPacingRate() {
        TcpPair p = path("bbr", RATE, 4);
        TcpPair.Flow f = p.new Flow(5201, 1L << 40);
        p.runUntil(2 * S);
        assertEquals(TcpPacing.NEEDED, f.client.pacingStatus, "not fq: SK_PACING_NEEDED, paced by TCP");
        // sample the pacing rate every 100 us while the flow cruises at pacing_gain 1
        int first = p.sent.size();
        List<Long> gaps = new ArrayList<>();
        List<Double> expected = new ArrayList<>();
        long last = -1, maxSeq = 0;
        while (p.now < 4 * S) {
            long rate = f.client.cong.pacingRate;
            boolean cruising = bbr(f).pacingGain() == 256 && bbr(f).mode() == Bbr.Mode.PROBE_BW;
            p.runUntil(p.now + 100_000);
            for (int i = first; i < p.sent.size(); i++) {
                TcpPair.Sent s = p.sent.get(i);
                if (s.from() != p.a || s.payload() == 0 || s.header().seq() < maxSeq) continue; // new data only
                maxSeq = s.header().seq() + 1;
                if (last >= 0 && cruising && f.client.inFlight() < f.client.cong.sndCwnd) {
                    gaps.add(s.time() - last);
                    expected.add(s.payload() * 1e9 / rate);
                }
                last = s.time();
            }
            first = p.sent.size();
        }
        long[] g = gaps.stream().mapToLong(Long::longValue).sorted().toArray();
        double want = expected.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double median = g[g.length / 2];
        System.out.printf("internal pacing: %d gaps, median %.1f us, len/rate %.1f us, min %.1f us%n", g.length, median / 1e3,
                want / 1e3, g[0] / 1e3);
        assertTrue(g.length > 500, "gaps measured: " + g.length);
        assertTrue(Math.abs(median - want) < 0.02 * want, "median gap " + median + " ns, len/pacing_rate " + want);
        // the credit for a late send shortens a gap by at most half
        assertTrue(g[0] >= 0.45 * want, "smallest gap " + g[0] + " ns");
    }

    @Test
    void cubicWithoutFqIsNotPaced() {
        TcpPair p = path("cubic", RATE, 5);
        TcpPair.Flow f = p.new Flow(5201, 1L << 40);
        p.runUntil(2 * S);
        assertEquals(TcpPacing.NONE, f.client.pacingStatus);
        long[] times = p.from(p.a).stream().filter(s -> s.payload() > 0).mapToLong(TcpPair.Sent::time).toArray();
        long together = 0;
        for (int i = 1; i < times.length; i++) if (times[i] == times[i - 1]) together++;
        assertTrue(together > times.length / 4, "an ACK releases segments back to back: " + together + " of "
                + times.length + " " + Arrays.toString(Arrays.copyOf(times, 4)));
    }
}
