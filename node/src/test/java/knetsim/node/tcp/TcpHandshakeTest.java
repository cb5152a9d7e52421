package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** tcp_v4_connect / tcp_conn_request / tcp_rcv_synsent_state_process as Linux 6.x puts them on the wire. */
class TcpHandshakeTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    static TcpSock listen(TcpPair.Host h, int port) {
        TcpSock l = h.socket();
        assertEquals(0, h.tcp.bind(l, TcpPair.B.equals(h.address) ? TcpPair.B : TcpPair.A, port));
        assertEquals(0, h.tcp.listen(l, 128));
        return l;
    }

    @Test
    void synSynAckAckMatchLinuxFieldByField() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 1);
        TcpSock listener = listen(p.b, 5201);
        TcpSock c = p.a.socket();
        assertEquals(0, p.a.tcp.connect(c, TcpPair.B, 5201, 0));
        assertEquals(TcpState.SYN_SENT, c.state());
        assertEquals(Tcp.WOULD_BLOCK, p.a.tcp.connectResult(c));
        p.runUntil(100 * MS);
        assertEquals(TcpState.ESTABLISHED, c.state());
        assertEquals(0, p.a.tcp.connectResult(c));
        TcpSock child = p.b.tcp.accept(listener, p.now);
        assertNotNull(child);
        assertEquals(TcpState.ESTABLISHED, child.state());
        assertEquals(c.localPort(), child.remotePort());

        List<TcpPair.Sent> s = p.sent;
        assertEquals(3, s.size(), s.toString());
        TcpHeader syn = s.get(0).header(), synAck = s.get(1).header(), ack = s.get(2).header();
        // SYN: MSS 1460, SACK_PERM, TS, NOP, WS 7: a 40-byte header; window 64240 (44 * 1460 of 65536)
        assertEquals(TcpHeader.SYN, syn.flags());
        assertEquals(40, syn.length());
        assertEquals(64240, syn.window());
        assertEquals(1460, syn.options().mss());
        assertEquals(7, syn.options().wscale());
        assertTrue(syn.options().sackPermitted() && syn.options().timestamps());
        assertEquals(0, syn.options().tsEcr());
        assertTrue(c.localPort() >= 32768 && c.localPort() <= 60999, "ephemeral port " + c.localPort());
        assertEquals(0, c.localPort() & 1, "connect() prefers even ports");
        // SYN-ACK: 65160 = 45 * 1448 (the MSS less the timestamp option), echoes the SYN's TSval
        assertEquals(TcpHeader.SYN | TcpHeader.ACK, synAck.flags());
        assertEquals(40, synAck.length());
        assertEquals(65160, synAck.window());
        assertEquals((syn.seq() + 1) & 0xffffffffL, synAck.ack());
        assertEquals(syn.options().tsVal(), synAck.options().tsEcr());
        assertEquals(7, synAck.options().wscale());
        // ACK: 32 bytes (NOP NOP TS), window 64240 rounded up to the scale: 502 * 128
        assertEquals(TcpHeader.ACK, ack.flags());
        assertEquals(32, ack.length());
        assertEquals(502, ack.window());
        assertEquals((synAck.seq() + 1) & 0xffffffffL, ack.ack());
        assertEquals(10 * MS, s.get(2).time() - s.get(0).time());
        assertEquals(1448, c.info(p.now).sndMss());
        assertEquals(10, c.info(p.now).sndCwnd());
        assertEquals(1, p.a.mib(TcpMib.ACTIVE_OPENS));
        assertEquals(1, p.b.mib(TcpMib.PASSIVE_OPENS));
        assertEquals(1, p.a.mib(TcpMib.CURR_ESTAB));
        assertEquals(1, p.b.mib(TcpMib.CURR_ESTAB));
        // the handshake RTT (10 ms) is the first sample: RTO = 10 + max(2 * 10, 200) ms
        assertEquals(10_000, c.info(p.now).rttUs());
        assertEquals(210_000, c.info(p.now).rtoUs());
    }

    @Test
    void everySynDroppedRetransmitsLinearlyThenExponentiallyAndTimesOutAt131s() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 2);
        p.a.link.blackhole = true;
        TcpSock c = p.a.socket();
        assertEquals(0, p.a.tcp.connect(c, TcpPair.B, 80, 0));
        p.runUntil(200 * S);
        List<Long> times = p.from(p.a).stream().map(TcpPair.Sent::time).toList();
        assertEquals(List.of(0L, 1 * S, 2 * S, 3 * S, 4 * S, 5 * S, 7 * S, 11 * S, 19 * S, 35 * S, 67 * S), times);
        assertTrue(p.from(p.a).stream().allMatch(x -> x.header().flags() == TcpHeader.SYN));
        assertEquals(TcpState.CLOSE, c.state());
        assertEquals(-110, p.a.tcp.connectResult(c)); // ETIMEDOUT
        assertEquals(110, p.a.tcp.getsockopt(c, Tcp.Option.SO_ERROR));
        assertEquals(10, p.a.mib(TcpMib.RETRANS_SEGS));
        assertEquals(11, p.a.mib(TcpMib.TCP_TIMEOUTS));
        assertEquals(1, p.a.mib(TcpMib.ATTEMPT_FAILS));
        assertEquals(TcpTimers.NEVER, p.a.tcp.nextDeadline());
    }

    @Test
    void timedOutAtExactly131Seconds() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 2);
        p.a.link.blackhole = true;
        TcpSock c = p.a.socket();
        p.a.tcp.connect(c, TcpPair.B, 80, 0);
        p.runUntil(131 * S - 1);
        assertEquals(TcpState.SYN_SENT, c.state());
        p.runUntil(131 * S);
        assertEquals(TcpState.CLOSE, c.state());
    }

    @Test
    void synToClosedPortGetsRstAndEconnrefused() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 3);
        TcpSock c = p.a.socket();
        p.a.tcp.connect(c, TcpPair.B, 81, 0);
        p.runUntil(50 * MS);
        assertEquals(2, p.sent.size());
        TcpHeader rst = p.sent.get(1).header();
        assertEquals(TcpHeader.RST | TcpHeader.ACK, rst.flags());
        assertEquals(0, rst.seq());
        assertEquals((p.sent.get(0).header().seq() + 1) & 0xffffffffL, rst.ack());
        assertEquals(20, rst.length());
        assertEquals(0, rst.window());
        assertEquals(-111, p.a.tcp.connectResult(c)); // ECONNREFUSED
        assertEquals(TcpState.CLOSE, c.state());
        assertEquals(1, p.b.mib(TcpMib.OUT_RSTS));
        assertEquals(1, p.a.mib(TcpMib.ATTEMPT_FAILS));
        assertEquals(1, p.b.counters.get("drop_NO_SOCKET"));
        // nstat's names; counters that stayed zero are not published
        p.a.tcp.publishCounters();
        assertEquals(1, p.a.counters.get("TcpActiveOpens"));
        assertEquals(1, p.a.counters.get("TcpAttemptFails"));
        assertTrue(!p.a.counters.snapshot().containsKey("TcpExtTCPTimeouts"));
        p.a.tcp.publishCounters();
        assertEquals(1, p.a.counters.get("TcpActiveOpens"), "publishing twice does not double");
    }
}
