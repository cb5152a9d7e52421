package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Connection teardown: RST on close with unread data, half-close, TIME_WAIT. */
class TcpCloseTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    private static TcpPair established(long seed) {
        return new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, seed);
    }

    @Test
    void closeWithUnreadDataSendsRstAndThePeerSeesEconnreset() {
        TcpPair p = established(10);
        TcpPair.Flow f = p.new Flow(5201, 10_000);
        f.readPaused = true;
        p.runUntil(100 * MS);
        TcpSock server = f.server;
        assertNotNull(server);
        assertEquals(10_000, server.readable());
        p.b.tcp.close(server, p.now);
        TcpPair.Sent rst = p.sent.get(p.sent.size() - 1);
        assertEquals(TcpHeader.RST | TcpHeader.ACK, rst.header().flags());
        assertEquals(1, p.b.mib(TcpMib.TCP_ABORT_ON_CLOSE));
        assertEquals(1, p.b.mib(TcpMib.OUT_RSTS));
        assertEquals(1, p.b.mib(TcpMib.ESTAB_RESETS));
        assertEquals(TcpState.CLOSE, server.state());
        p.runUntil(200 * MS);
        assertEquals(TcpState.CLOSE, f.client.state());
        assertEquals(-104, p.a.tcp.recvmsg(f.client, new byte[10], 0, 10, p.now)); // ECONNRESET, once
        assertEquals(0, p.a.tcp.recvmsg(f.client, new byte[10], 0, 10, p.now));
        assertEquals(-32, p.a.tcp.sendmsg(f.client, new byte[10], 0, 10, p.now)); // EPIPE
        assertEquals(0, p.a.mib(TcpMib.CURR_ESTAB));
        assertEquals(1, p.a.mib(TcpMib.ESTAB_RESETS));
    }

    @Test
    void halfCloseKeepsTheOtherDirectionOpenUntilBothFinsAreAcked() {
        TcpPair p = established(11);
        TcpPair.Flow f = p.new Flow(5201, 5000);
        p.runUntil(100 * MS);
        assertTrue(f.done());
        assertEquals(0, p.a.tcp.shutdown(f.client, Tcp.SHUT_WR, p.now));
        assertEquals(TcpState.FIN_WAIT1, f.client.state());
        p.runUntil(200 * MS);
        assertEquals(TcpState.FIN_WAIT2, f.client.state());
        assertEquals(TcpState.CLOSE_WAIT, f.server.state());
        byte[] buf = new byte[100];
        assertEquals(0, p.b.tcp.recvmsg(f.server, buf, 0, 100, p.now), "EOF after the FIN");
        assertTrue((p.b.tcp.poll(f.server) & Tcp.EPOLLRDHUP) != 0);
        assertEquals(-32, p.a.tcp.sendmsg(f.client, buf, 0, 10, p.now), "EPIPE after SHUT_WR");
        // the server still sends; the client still reads
        assertEquals(100, p.b.tcp.sendmsg(f.server, buf, 0, 100, p.now));
        p.a.onWake = sk -> {};
        p.runUntil(300 * MS);
        assertEquals(100, p.a.tcp.recvmsg(f.client, new byte[200], 0, 200, p.now));
        p.b.tcp.close(f.server, p.now);
        assertEquals(TcpState.LAST_ACK, f.server.state());
        p.runUntil(400 * MS);
        assertEquals(TcpState.CLOSE, f.server.state());
        assertEquals(TcpState.CLOSE, f.client.state(), "the full socket is done; TIME_WAIT holds the tuple");
        assertEquals(0, p.a.tcp.recvmsg(f.client, buf, 0, 100, p.now));
        assertEquals(0, p.b.mib(TcpMib.ESTAB_RESETS));
        assertEquals(0, p.a.mib(TcpMib.CURR_ESTAB));
        assertEquals(0, p.b.mib(TcpMib.CURR_ESTAB));
    }

    @Test
    void timeWaitHoldsTheFourTupleSixtySecondsAndReAcksARetransmittedFin() {
        TcpPair p = established(12);
        TcpPair.Flow f = p.new Flow(5201, 5000);
        f.closeWhenDone = true;
        p.runUntil(100 * MS);
        assertEquals(TcpState.FIN_WAIT2, f.client.state());
        // the server closes; the client's ACK of its FIN is lost, so the FIN comes again after an RTO
        int[] acksOfFin = {0};
        p.a.link.drop = s -> s.payload() == 0 && !s.has(TcpHeader.FIN) && s.time() >= p.now && ++acksOfFin[0] == 1;
        long closedAt = p.now;
        p.b.tcp.close(f.server, p.now);
        p.runUntil(closedAt + 10 * MS);
        assertEquals(TcpState.CLOSE, f.client.state());
        TcpSock tw = p.a.tcp.hash.lookupEstablished(TcpPair.A.bits(), f.client.localPort(), TcpPair.B.bits(), 5201);
        assertNotNull(tw);
        assertEquals(TcpState.TIME_WAIT, tw.state());
        p.runUntil(closedAt + 2 * S);
        List<TcpPair.Sent> fins = p.from(p.b).stream().filter(s -> s.has(TcpHeader.FIN)).toList();
        assertEquals(2, fins.size(), "FIN and its retransmission");
        long finAgain = fins.get(1).time() + 5 * MS;
        assertTrue(p.from(p.a).stream().anyMatch(s -> s.time() == finAgain && s.payload() == 0), "TIME_WAIT re-ACKs the FIN");
        assertEquals(TcpState.CLOSE, f.server.state());
        // 60 s from the last FIN
        p.runUntil(finAgain + 60 * S - 1);
        assertNotNull(p.a.tcp.hash.lookupEstablished(TcpPair.A.bits(), f.client.localPort(), TcpPair.B.bits(), 5201));
        p.runUntil(finAgain + 60 * S);
        assertNull(p.a.tcp.hash.lookupEstablished(TcpPair.A.bits(), f.client.localPort(), TcpPair.B.bits(), 5201));
        assertEquals(1, p.a.mib(TcpMib.TCP_TIMEWAIT));
        assertEquals(TcpTimers.NEVER, p.a.tcp.nextDeadline());
    }
}
