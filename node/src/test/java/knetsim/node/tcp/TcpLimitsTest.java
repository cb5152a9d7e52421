package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Where Linux gives up: SYN-ACK retries (tcp_synack_retries 5), a full accept queue (ListenOverflows), an orphan in
 * FIN_WAIT2 (tcp_fin_timeout 60 s), tcp_retries2 15 on an established connection, and ICMP errors while connecting.
 */
class TcpLimitsTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    @Test
    void synAckIsRetransmittedFiveTimesWithDoublingTimeoutsThenTheRequestIsDropped() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 1);
        p.b.link.drop = s -> s.has(TcpHeader.SYN) && s.has(TcpHeader.ACK); // every SYN-ACK is lost
        p.a.link.drop = s -> s.has(TcpHeader.SYN) && p.from(p.a).size() > 1; // and the client's SYN retries too
        TcpSock listener = p.b.socket();
        p.b.tcp.bind(listener, TcpPair.B, 80);
        p.b.tcp.listen(listener, 16);
        p.a.tcp.connect(p.a.socket(), TcpPair.B, 80, p.now);
        p.runUntil(200 * S);
        List<Long> synAcks = p.from(p.b).stream().filter(s -> s.has(TcpHeader.SYN)).map(TcpPair.Sent::time).toList();
        assertEquals(6, synAcks.size(), p.trace());
        long first = synAcks.get(0);
        assertEquals(List.of(0L, 1L, 3L, 7L, 15L, 31L), synAcks.stream().map(t -> (t - first) / S).toList(),
                "retransmitted after 1, 2, 4, 8, 16 s (TCP_TIMEOUT_INIT doubled)");
        assertEquals(5, p.b.mib(TcpMib.TCP_SYN_RETRANS));
        assertNull(p.b.tcp.accept(listener, p.now), "the request was dropped after the 5th retry's timeout");
    }

    @Test
    void aFullAcceptQueueCountsListenOverflowsAndDropsTheFinalAck() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 2);
        TcpSock listener = p.b.socket();
        p.b.tcp.bind(listener, TcpPair.B, 80);
        p.b.tcp.listen(listener, 1); // sk_acceptq_is_full(): more than backlog queued, so 2 fit
        for (int i = 0; i < 3; i++) p.a.tcp.connect(p.a.socket(), TcpPair.B, 80, p.now);
        p.runUntil(500 * MS);
        assertTrue(p.b.mib(TcpMib.LISTEN_OVERFLOWS) >= 1);
        assertTrue(p.b.mib(TcpMib.LISTEN_DROPS) >= p.b.mib(TcpMib.LISTEN_OVERFLOWS));
        assertNotNull(p.b.tcp.accept(listener, p.now));
        assertNotNull(p.b.tcp.accept(listener, p.now));
        assertNull(p.b.tcp.accept(listener, p.now), "the third is not in the queue");
    }

    @Test
    void anOrphanInFinWait2IsGoneAfterTcpFinTimeout() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 3);
        TcpPair.Flow f = p.new Flow(5201, 1000);
        p.runUntil(100 * MS);
        assertTrue(f.done());
        long closed = p.now;
        p.a.tcp.close(f.client, p.now); // orphaned: no owner reads any more
        p.runUntil(closed + 100 * MS);
        assertEquals(TcpState.FIN_WAIT2, f.client.state(), "the peer acked our FIN and never sends its own");
        p.runUntil(closed + 59 * S);
        assertEquals(TcpState.FIN_WAIT2, f.client.state());
        p.runUntil(closed + 61 * S);
        assertEquals(TcpState.CLOSE, f.client.state(), "tcp_fin_timeout 60 s");
        // the server's late FIN now meets no socket: RST
        p.b.tcp.close(f.server, p.now);
        p.runUntil(p.now + 100 * MS);
        assertTrue(p.from(p.a).stream().anyMatch(s -> s.time() > closed + 61 * S && s.has(TcpHeader.RST)), p.trace());
    }

    @Test
    void tcpRetries2GivesUpAfterAbout924SecondsWithEtimedout() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 4);
        TcpPair.Flow f = p.new Flow(5201, 10_000_000);
        p.runUntil(50 * MS);
        p.a.link.blackhole = true; // the path goes black mid-transfer
        long black = p.now;
        long abortedAt = -1;
        for (long t = black; t < black + 2000 * S && abortedAt < 0; t += 100 * MS) {
            p.runUntil(t);
            if (f.client.state() == TcpState.CLOSE) abortedAt = p.now;
        }
        assertTrue(abortedAt > 0, "still " + f.client.state());
        assertEquals(-110, p.a.tcp.recvmsg(f.client, new byte[10], 0, 10, p.now), "ETIMEDOUT");
        assertEquals(1, p.a.mib(TcpMib.TCP_ABORT_ON_TIMEOUT));
        // tcp_model_timeout(): (2^10 - 1) x 200 ms + 6 x 120 s = 924.6 s from the first retransmitted segment's
        // send; the RTOs (a little over 200 ms at first, doubling, at most TCP_RTO_MAX 120 s) expire
        // RTO x (2^k - 1) after it, and the first expiry past 924.6 s gives up instead of retransmitting.
        double after = (abortedAt - black) / 1e9;
        assertTrue(after > 924.6 && after < 924.6 + 120, "gave up " + after + " s after the path went black");
        assertEquals(16, p.a.mib(TcpMib.TCP_TIMEOUTS), "15 RTO retransmissions, the 16th expiry gives up");
    }

    @Test
    void anyUnreachableWhileConnectingAbortsTheConnectWithItsErrno() {
        // tcp_v4_err() in SYN_SENT: tcp_done_with_error() for every unreachable code, fatal or not
        int[][] cases = {{3, 1, 113}, {3, 3, 111}, {3, 0, 101}, {11, 0, 113}};
        for (int[] c : cases) {
            TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 5);
            p.a.link.blackhole = true;
            TcpSock client = p.a.socket();
            p.a.tcp.connect(client, TcpPair.B, 80, p.now);
            p.runUntil(10 * MS);
            byte[] syn = synQuote(p);
            p.a.tcp.err(syn, 20, c[0], c[1], 0, p.now);
            assertEquals(TcpState.CLOSE, client.state(), "type " + c[0] + " code " + c[1]);
            assertEquals(-c[2], p.a.tcp.connectResult(client), "type " + c[0] + " code " + c[1]);
        }
    }

    @Test
    void anUnreachableOnAnEstablishedConnectionIsOnlyASoftError() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 6);
        TcpPair.Flow f = p.new Flow(5201, 1_000_000);
        p.runUntil(30 * MS);
        p.a.tcp.err(dataQuote(p), 20, 3, 1, 0, p.now); // host unreachable, no IP_RECVERR
        assertEquals(TcpState.ESTABLISHED, f.client.state(), "RFC 1122 4.2.3.9: keep trying");
        p.runUntil(2 * S);
        assertTrue(f.done());
    }

    /** The first 28 bytes of the client's SYN as an ICMP error quotes them. */
    private static byte[] synQuote(TcpPair p) {
        TcpPair.Sent syn = p.from(p.a).get(0);
        return quote(syn.header(), TcpPair.A, TcpPair.B);
    }

    private static byte[] dataQuote(TcpPair p) {
        TcpPair.Sent d = p.from(p.a).stream().filter(s -> s.payload() > 0).reduce((x, y) -> y).orElseThrow();
        return quote(d.header(), TcpPair.A, TcpPair.B);
    }

    private static byte[] quote(TcpHeader h, knetsim.node.ipv4.Ipv4Address src, knetsim.node.ipv4.Ipv4Address dst) {
        byte[] q = new byte[28];
        q[0] = 0x45;
        q[9] = 6;
        src.write(q, 12);
        dst.write(q, 16);
        q[20] = (byte) (h.sourcePort() >> 8);
        q[21] = (byte) h.sourcePort();
        q[22] = (byte) (h.destinationPort() >> 8);
        q[23] = (byte) h.destinationPort();
        long seq = h.seq();
        for (int i = 0; i < 4; i++) q[24 + i] = (byte) (seq >>> (24 - 8 * i));
        return q;
    }
}
