package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import knetsim.node.tcp.TcpPair.Sent;
import knetsim.node.tcp.cong.CaState;
import org.junit.jupiter.api.Test;

/**
 * RFC 3168 ECN as Linux negotiates and uses it (tcp_ecn 1 asks, 2 accepts only), on the wire: the SYN's ECE|CWR,
 * the SYN-ACK's ECE, ECT(0) only on new data, the receiver's ECE until CWR, one cwnd reduction per window.
 */
class TcpEcnTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;
    private static final int NOT_ECT = 0, ECT_0 = 2, CE = 3;

    private static TcpSysctl ecn(int mode) {
        return TcpSysctl.linuxDefaults().with(s -> s.congestionControl("reno").ecn(mode));
    }

    private static TcpPair.Flow transfer(TcpPair p, long bytes) {
        TcpPair.Flow f = p.new Flow(5201, bytes);
        assertTrue(p.runUntil(f::done, 10 * S), "transfer did not finish");
        return f;
    }

    @Test
    void tcpEcn1OnBothEndsNegotiatesAndMarksOnlyNewDataEct0() {
        TcpPair p = new TcpPair(ecn(1), 5 * MS, 100_000_000L, 1000, 1);
        TcpPair.Flow f = transfer(p, 200_000);
        Sent syn = p.from(p.a).get(0), synAck = p.from(p.b).get(0);
        assertEquals("SEW", TcpHeader.flagString(syn.header().flags()), "SYN asks with ECE|CWR");
        assertEquals(NOT_ECT, syn.ecn(), "RFC 3168 6.1.1: the SYN is Not-ECT");
        assertEquals("S.E", TcpHeader.flagString(synAck.header().flags()), "SYN-ACK accepts with ECE alone");
        assertEquals(NOT_ECT, synAck.ecn());
        List<Sent> data = p.from(p.a).stream().filter(s -> s.payload() > 0).toList();
        assertFalse(data.isEmpty());
        data.forEach(s -> assertEquals(ECT_0, s.ecn(), "new data is ECT(0): " + s));
        List<Sent> pureAcks = new ArrayList<>(p.from(p.b).stream().filter(s -> s.payload() == 0 && !s.has(TcpHeader.SYN)).toList());
        pureAcks.add(p.from(p.a).get(1)); // the handshake's last ACK
        assertTrue(pureAcks.size() > 10);
        pureAcks.forEach(s -> assertEquals(NOT_ECT, s.ecn(), "a pure ACK is Not-ECT: " + s));
        pureAcks.forEach(s -> assertFalse(s.has(TcpHeader.ECE) || s.has(TcpHeader.CWR), "no congestion, no ECE/CWR: " + s));
        TcpInfo client = f.client.info(p.now), server = f.server.info(p.now);
        assertTrue(client.ecn() && server.ecn(), "ss -ti shows ecn on both ends");
        assertTrue(server.ecnSeen(), "the receiver saw ECT data (ecnseen)");
        assertFalse(client.ecnSeen(), "the sender received no ECT data");
    }

    /** tcp_ecn 2 on the server: it answers an ECN SYN but never asks; a client with 0 or 2 does not ask either. */
    @Test
    void noEcnUnlessTheClientAsks() {
        for (int client : new int[] {0, 2}) {
            TcpPair p = new TcpPair(ecn(client), ecn(2), 5 * MS, 100_000_000L, 1000, 2);
            TcpPair.Flow f = transfer(p, 50_000);
            assertEquals("S", TcpHeader.flagString(p.from(p.a).get(0).header().flags()), "tcp_ecn " + client);
            assertEquals("S.", TcpHeader.flagString(p.from(p.b).get(0).header().flags()));
            p.sent.forEach(s -> assertEquals(NOT_ECT, s.ecn(), "tcp_ecn " + client + ": " + s));
            assertFalse(f.client.info(p.now).ecn() || f.server.info(p.now).ecn());
        }
        // tcp_ecn 1 against a server with tcp_ecn 0: asked, not accepted: no ECN
        TcpPair p = new TcpPair(ecn(1), ecn(0), 5 * MS, 100_000_000L, 1000, 3);
        TcpPair.Flow f = transfer(p, 50_000);
        assertEquals("SEW", TcpHeader.flagString(p.from(p.a).get(0).header().flags()));
        assertEquals("S.", TcpHeader.flagString(p.from(p.b).get(0).header().flags()));
        p.sent.forEach(s -> assertEquals(NOT_ECT, s.ecn(), s.toString()));
        assertFalse(f.client.info(p.now).ecn());
    }

    /** RFC 3168 6.1.1.1 (tcp_ecn_clear_syn()): a retransmitted SYN no longer asks for ECN. */
    @Test
    void aRetransmittedSynFallsBackToNoEcn() {
        TcpPair p = new TcpPair(ecn(1), 5 * MS, 100_000_000L, 1000, 4);
        boolean[] dropped = {false};
        p.a.link.drop = s -> s.has(TcpHeader.SYN) && !dropped[0] && (dropped[0] = true);
        TcpPair.Flow f = transfer(p, 20_000);
        List<Sent> syns = p.from(p.a).stream().filter(s -> s.has(TcpHeader.SYN)).toList();
        assertEquals(2, syns.size());
        assertEquals("SEW", TcpHeader.flagString(syns.get(0).header().flags()));
        assertEquals("S", TcpHeader.flagString(syns.get(1).header().flags()));
        assertEquals("S.", TcpHeader.flagString(p.from(p.b).get(0).header().flags()));
        assertFalse(f.client.info(p.now).ecn());
    }

    /** A bulk flow through a 20 Mbit/s, 10 ms RTT path (BDP 17 packets) whose router marks above 20 queued packets. */
    private static final class Marked {
        final TcpPair p;
        final TcpPair.Flow f;
        final List<Long> cwrEntries = new ArrayList<>();
        /** At each CWR entry: prior_cwnd and the ssthresh reno chose; at each exit to Open: cwnd and ssthresh. */
        final List<int[]> entered = new ArrayList<>(), exited = new ArrayList<>();

        Marked(TcpSysctl client, TcpSysctl server, long seconds, long seed) {
            p = new TcpPair(client, server, 5 * MS, 20_000_000L, 1000, seed);
            p.a.link.routerQueue = true;
            p.a.link.markThreshold = 20;
            f = p.new Flow(5201, 1L << 40);
            CaState[] last = {CaState.OPEN};
            p.runUntil(() -> {
                CaState now = f.client.caState();
                if (now == CaState.CWR && last[0] != CaState.CWR) {
                    cwrEntries.add(p.now);
                    entered.add(new int[] {f.client.cong.priorCwnd, f.client.cong.sndSsthresh});
                }
                if (now == CaState.OPEN && last[0] == CaState.CWR) exited.add(new int[] {f.client.cwnd(), f.client.cong.sndSsthresh});
                last[0] = now;
                return false;
            }, seconds * S);
        }

        double goodputBps(long seconds) {
            return f.received * 8.0 / seconds;
        }
    }

    @Test
    void theRouterMarksInsteadOfDroppingAndTheSenderReducesOncePerWindow() {
        Marked m = new Marked(ecn(1), ecn(2), 3, 5);
        TcpPair p = m.p;
        assertEquals(0, p.a.link.drops, "nothing dropped");
        assertEquals(0, p.a.mib(TcpMib.RETRANS_SEGS), "no retransmissions");
        assertTrue(p.a.link.marks > 50, "marks " + p.a.link.marks);
        assertTrue(p.a.mib(TcpMib.TCP_DELIVERED_CE) > 0);
        assertTrue(p.a.mib(TcpMib.TCP_DELIVERED) > p.a.mib(TcpMib.TCP_DELIVERED_CE));
        assertEquals(p.a.mib(TcpMib.TCP_DELIVERED_CE), m.f.client.info(p.now).deliveredCe());
        // each reduction (tcp_enter_cwr()) announces itself once, with CWR on the next new data segment (ECT(0))
        List<Sent> cwrSegments = p.from(p.a).stream().filter(s -> s.has(TcpHeader.CWR) && !s.has(TcpHeader.SYN)).toList();
        cwrSegments.forEach(s -> assertTrue(s.payload() > 0 && s.ecn() == ECT_0, s.toString()));
        List<Long> reductions = cwrSegments.stream().map(Sent::time).toList();
        // entering CWR from Open sends it at once (an ACK that ends one reduction and still carries ECE starts the
        // next without leaving CWR, as tcp_fastretrans_alert() does: then only the CWR segment shows it)
        List<Long> cwr = m.cwrEntries;
        assertTrue(cwr.size() >= 5, "CWR entries " + cwr.size()); // a Reno sawtooth of about 0.4 s
        assertTrue(reductions.containsAll(cwr), "entries " + cwr + ", CWR segments " + reductions);
        // one reduction per window: many marks, few reductions, each at least one RTT after the previous
        assertTrue(reductions.size() * 3 < p.a.link.marks, reductions.size() + " reductions for " + p.a.link.marks + " marks");
        for (int i = 1; i < reductions.size(); i++) {
            assertTrue(reductions.get(i) - reductions.get(i - 1) >= 10 * MS, "reductions at " + reductions);
        }
        assertTrue(m.goodputBps(3) > 0.8 * 20e6, "goodput " + m.goodputBps(3)); // 95.6% of it is payload
        // Reno's ssthresh is half the window at entry; PRR ends the reduction at cwnd = ssthresh
        m.entered.forEach(e -> assertEquals(Math.max(e[0] / 2, 2), e[1], "prior_cwnd " + e[0] + ", ssthresh " + e[1]));
        assertTrue(!m.exited.isEmpty());
        m.exited.forEach(e -> assertEquals(e[1], e[0], "tcp_end_cwnd_reduction(): cwnd " + e[0] + ", ssthresh " + e[1]));
        System.out.println("ecn reno: marks " + p.a.link.marks + ", reductions " + reductions.size() + ", goodput "
                + m.goodputBps(3) / 1e6 + " Mbit/s, TCPDeliveredCE " + p.a.mib(TcpMib.TCP_DELIVERED_CE));
    }

    /** The receiver's echo: ECE on every segment from a CE arrival until the CWR that answers it. */
    @Test
    void theReceiverEchoesCeUntilCwr() {
        Marked m = new Marked(ecn(1), ecn(2), 1, 6);
        TcpPair p = m.p;
        // b's view in time order: arrivals from a (data) and b's own segments
        record Ev(long time, int kind, Sent s) {}
        List<Ev> evs = new ArrayList<>();
        p.arrivals.stream().filter(s -> s.from() == p.a).forEach(s -> evs.add(new Ev(s.time(), 0, s)));
        p.from(p.b).forEach(s -> evs.add(new Ev(s.time(), 1, s)));
        evs.sort((x, y) -> x.time != y.time ? Long.compare(x.time, y.time) : Integer.compare(x.kind, y.kind));
        boolean demand = false;
        int echoed = 0, checked = 0;
        for (Ev e : evs) {
            if (e.kind == 0) {
                if (e.s.has(TcpHeader.CWR)) demand = false;
                if (e.s.ecn() == CE && e.s.payload() > 0) demand = true;
            } else if (!e.s.has(TcpHeader.SYN)) {
                assertEquals(demand, e.s.has(TcpHeader.ECE), "ACK at " + e.time + ": " + e.s);
                if (demand) echoed++;
                checked++;
            }
        }
        assertTrue(echoed > 0 && checked > echoed, "ECE ACKs " + echoed + " of " + checked);
    }
}
