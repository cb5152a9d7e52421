package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import knetsim.node.tcp.TcpPair.Sent;
import knetsim.node.tcp.cong.Dctcp;
import org.junit.jupiter.api.Test;

/**
 * DCTCP end to end over a router that marks above K packets (red min = max = K with ecn): the queue stays near K
 * with the link full, where classic ECN (Reno halving) with the same K leaves it partly idle.
 */
class TcpDctcpTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;
    private static final long RATE = 100_000_000L;
    private static final int K = 20;

    private static TcpSysctl cc(String name) {
        return TcpSysctl.linuxDefaults().with(s -> s.congestionControl(name));
    }

    /** 100 Mbit/s, 1 ms RTT plus queueing (BDP about 8 packets), the router marks above K; queue sampled every 100 us. */
    private static final class Run {
        final TcpPair p;
        final TcpPair.Flow f;
        long samples, queueSum, queueMax, idle;
        long receivedAtStart;

        Run(TcpSysctl client, TcpSysctl server, long seed) {
            p = new TcpPair(client, server, 500_000L, RATE, 1000, seed);
            p.a.link.routerQueue = true;
            p.a.link.markThreshold = K;
            f = p.new Flow(5201, 1L << 40);
            p.runUntil(500 * MS);
            receivedAtStart = f.received;
            for (long t = 500 * MS; t < 1500 * MS; t += 100_000L) {
                p.runUntil(t);
                int q = p.a.link.queued();
                samples++;
                queueSum += q;
                queueMax = Math.max(queueMax, q);
                if (q == 0) idle++;
            }
        }

        double meanQueue() {
            return (double) queueSum / samples;
        }

        double goodputBps() {
            return (f.received - receivedAtStart) * 8.0;
        }
    }

    @Test
    void theQueueStaysNearKAndTheLinkFull() {
        Run d = new Run(cc("dctcp"), cc("dctcp"), 11);
        Dctcp ca = (Dctcp) d.f.client.ca;
        TcpInfo info = d.f.client.info(d.p.now);
        System.out.printf("dctcp: queue mean %.1f max %d idle %d/%d, goodput %.1f Mbit/s, alpha %d, marks %d, retrans %d%n",
                d.meanQueue(), d.queueMax, d.idle, d.samples, d.goodputBps() / 1e6, ca.alpha(), d.p.a.link.marks,
                d.p.a.mib(TcpMib.RETRANS_SEGS));
        assertEquals("dctcp", info.congestionControl());
        assertTrue(info.ecn());
        assertEquals(0, d.p.a.link.drops);
        assertEquals(0, d.p.a.mib(TcpMib.RETRANS_SEGS));
        assertTrue(d.meanQueue() > K - 8 && d.meanQueue() < K + 8, "mean queue " + d.meanQueue() + " for K " + K);
        assertTrue(d.queueMax < 2 * K, "max queue " + d.queueMax);
        assertTrue(d.idle == 0, "the bottleneck never idles: " + d.idle + " empty samples");
        assertTrue(d.goodputBps() > 0.93 * RATE, "goodput " + d.goodputBps() / 1e6); // 95.6% is the payload's share
        assertTrue(ca.alpha() > 0 && ca.alpha() < 1024, "alpha " + ca.alpha() + " below 1 (some marks per window)");
    }

    @Test
    void classicEcnWithTheSameKHalvesBelowTheBdpAndDrainsTheQueue() {
        TcpSysctl reno = cc("reno").with(s -> s.ecn(1));
        Run r = new Run(reno, reno, 11);
        Run d = new Run(cc("dctcp"), cc("dctcp"), 11);
        System.out.printf("reno+ecn: queue mean %.1f max %d idle %d/%d, goodput %.1f Mbit/s%n", r.meanQueue(),
                r.queueMax, r.idle, r.samples, r.goodputBps() / 1e6);
        assertTrue(r.idle > 0, "Reno's halving empties the queue at times");
        assertTrue(r.meanQueue() < d.meanQueue(), "reno " + r.meanQueue() + ", dctcp " + d.meanQueue());
        assertTrue(d.goodputBps() > r.goodputBps(), "dctcp " + d.goodputBps() + ", reno " + r.goodputBps());
    }

    /** dctcp_ece_ack_update(): each ACK's ECE is the CE mark of the last data segment it acknowledges. */
    @Test
    void theReceiverEchoesEachSegmentsCeExactly() {
        TcpPair p = new TcpPair(cc("dctcp"), cc("dctcp"), 500_000L, RATE, 1000, 12);
        p.a.link.routerQueue = true;
        p.a.link.markThreshold = K;
        p.new Flow(5201, 1L << 40);
        p.runUntil(300 * MS);
        Map<Long, Integer> ceByEnd = new HashMap<>();
        for (Sent s : p.arrivals) {
            if (s.from() == p.a && s.payload() > 0) ceByEnd.put((s.header().seq() + s.payload()) & 0xffffffffL, s.ecn());
        }
        int ece = 0, checked = 0;
        for (Sent ack : p.from(p.b)) {
            Integer ecn = ceByEnd.get(ack.header().ack());
            if (ack.has(TcpHeader.SYN) || ecn == null) continue;
            assertEquals(ecn == 3, ack.has(TcpHeader.ECE), "ACK " + ack.header() + " of a segment with ECN " + ecn);
            checked++;
            if (ack.has(TcpHeader.ECE)) ece++;
        }
        assertTrue(ece > 10 && checked > 2 * ece, "ECE " + ece + " of " + checked);
    }

    /** DCTCP sends an ECT(0) SYN, which a listener accepts only if its congestion control needs ECN too. */
    @Test
    void aDctcpSynIsEctAndOnlyADctcpListenerAcceptsIt() {
        TcpPair both = new TcpPair(cc("dctcp"), cc("dctcp"), 500_000L, RATE, 1000, 13);
        TcpPair.Flow ok = both.new Flow(5201, 100_000);
        assertTrue(both.runUntil(ok::done, 5 * S));
        Sent syn = both.from(both.a).get(0);
        assertEquals("SEW", TcpHeader.flagString(syn.header().flags()));
        assertEquals(2, syn.ecn(), "INET_ECN_xmit() in tcp_ecn_send_syn() for DCTCP");
        assertEquals("S.E", TcpHeader.flagString(both.from(both.b).get(0).header().flags()));
        both.from(both.a).stream().skip(1).forEach(s -> assertEquals(2, s.ecn(), "all ECT(0), pure ACKs too: " + s));

        TcpPair mixed = new TcpPair(cc("dctcp"), cc("cubic"), 500_000L, RATE, 1000, 13);
        TcpPair.Flow f = mixed.new Flow(5201, 100_000);
        assertTrue(mixed.runUntil(f::done, 5 * S));
        assertEquals("S.", TcpHeader.flagString(mixed.from(mixed.b).get(0).header().flags()),
                "tcp_ecn_create_request(): an ECT SYN is refused by a listener that does not need ECN");
        TcpInfo info = f.client.info(mixed.now);
        assertEquals("dctcp-reno", info.congestionControl());
        assertFalse(info.ecn());
        mixed.from(mixed.a).stream().skip(1).forEach(s -> assertEquals(0, s.ecn(), "Not-ECT after the fallback: " + s));
    }
}
