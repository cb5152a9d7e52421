package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * tcp_sendmsg() and tcp_write_xmit() as Linux decides when a segment leaves: Nagle with Minshall's variant,
 * TCP_NODELAY, TCP_CORK, slow start after idle and TCP Small Queues.
 */
class TcpSendPathTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    /** An established connection a -> b over 5 ms each way (10 ms RTT), no rate limit. */
    private static TcpSock[] connect(TcpPair p) {
        TcpSock listener = p.b.socket();
        p.b.tcp.bind(listener, TcpPair.B, 80);
        p.b.tcp.listen(listener, 16);
        TcpSock client = p.a.socket();
        p.a.tcp.connect(client, TcpPair.B, 80, p.now);
        p.runUntil(50 * MS);
        TcpSock server = p.b.tcp.accept(listener, p.now);
        assertEquals(TcpState.ESTABLISHED, client.state());
        return new TcpSock[] {client, server};
    }

    private static List<TcpPair.Sent> data(TcpPair p, TcpPair.Host from) {
        return p.from(from).stream().filter(s -> s.payload() > 0).toList();
    }

    private static int write(TcpPair p, TcpSock sk, int bytes) {
        return p.a.tcp.sendmsg(sk, new byte[bytes], 0, bytes, p.now);
    }

    @Test
    void nagleHoldsASecondSmallSegmentUntilTheFirstIsAcked() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 1);
        TcpSock c = connect(p)[0];
        long t = p.now;
        assertEquals(100, write(p, c, 100));
        assertEquals(100, write(p, c, 100));
        p.runUntil(t + 100 * MS);
        List<TcpPair.Sent> d = data(p, p.a);
        assertEquals(2, d.size(), p.trace());
        assertEquals(t, d.get(0).time());
        // the second waits for the ACK of the first: one RTT (the receiver is in quickack mode at the start)
        assertEquals(t + 10 * MS, d.get(1).time(), p.trace());
        assertEquals(100, d.get(1).payload());
    }

    @Test
    void minshallLetsFullSizedSegmentsPassAndHoldsOnlyTheSmallTail() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 2);
        TcpSock c = connect(p)[0];
        long t = p.now;
        write(p, c, 100);
        write(p, c, 3000);
        List<Integer> atOnce = data(p, p.a).stream().filter(s -> s.time() == t).map(TcpPair.Sent::payload).toList();
        assertEquals(List.of(100, 1448, 1448), atOnce, p.trace()); // 104 bytes wait: a small segment is unacked
        p.runUntil(t + 100 * MS);
        TcpPair.Sent tail = data(p, p.a).get(3);
        assertEquals(104, tail.payload());
        assertEquals(t + 10 * MS, tail.time(), p.trace());
    }

    @Test
    void tcpNodelaySendsEverySmallWriteAtOnceWithoutAutocorking() {
        TcpPair p = new TcpPair(TcpPair.reno().with(s -> s.autocorking(false)), 5 * MS, 0, 1000, 3);
        TcpSock c = connect(p)[0];
        assertEquals(0, p.a.tcp.setsockopt(c, Tcp.Option.TCP_NODELAY, 1, p.now));
        long t = p.now;
        for (int i = 0; i < 4; i++) write(p, c, 100);
        assertEquals(List.of(100, 100, 100, 100),
                data(p, p.a).stream().filter(s -> s.time() == t).map(TcpPair.Sent::payload).toList(), p.trace());
        assertEquals(0, p.a.mib(TcpMib.TCP_AUTOCORKING));
    }

    @Test
    void autocorkingCoalescesSmallNodelayWritesWhileTheFirstIsStillInTheHost() {
        // tcp_autocorking 1 (default), tcp_should_autocork(): a small tail waits while sk_wmem_alloc (what the
        // qdisc and driver still hold, plus 1) exceeds its truesize. The 2nd write waits; the 3rd makes the tail
        // (200 bytes) bigger than the 100 in flight, so it goes; the 4th waits behind 300 bytes.
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 3);
        TcpSock c = connect(p)[0];
        p.a.tcp.setsockopt(c, Tcp.Option.TCP_NODELAY, 1, p.now);
        long t = p.now;
        for (int i = 0; i < 4; i++) write(p, c, 100);
        assertEquals(List.of(100, 200), data(p, p.a).stream().map(TcpPair.Sent::payload).toList(), p.trace());
        assertEquals(1, p.a.mib(TcpMib.TCP_AUTOCORKING));
        p.runUntil(t); // the driver frees the segments (tcp_wfree): TSQ's handler pushes the corked tail
        assertEquals(List.of(100, 200, 100), data(p, p.a).stream().filter(s -> s.time() == t)
                .map(TcpPair.Sent::payload).toList(), p.trace());
    }

    @Test
    void tcpCorkCoalescesWritesUntilUncorked() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 4);
        TcpSock c = connect(p)[0];
        assertEquals(0, p.a.tcp.setsockopt(c, Tcp.Option.TCP_CORK, 1, p.now));
        for (int i = 0; i < 3; i++) write(p, c, 100);
        p.runUntil(p.now + 50 * MS);
        assertTrue(data(p, p.a).isEmpty(), "corked: nothing partial leaves\n" + p.trace());
        long t = p.now;
        assertEquals(0, p.a.tcp.setsockopt(c, Tcp.Option.TCP_CORK, 0, p.now));
        List<TcpPair.Sent> d = data(p, p.a);
        assertEquals(1, d.size(), p.trace());
        assertEquals(300, d.get(0).payload());
        assertEquals(t, d.get(0).time(), "pushed when uncorked, at the time of the call");
        // a corked full segment is not held: cork, write 2 MSS, both leave
        p.a.tcp.setsockopt(c, Tcp.Option.TCP_CORK, 1, p.now);
        p.runUntil(p.now + 50 * MS);
        long t2 = p.now;
        write(p, c, 2 * 1448 + 10);
        assertEquals(List.of(1448, 1448),
                data(p, p.a).stream().filter(s -> s.time() == t2).map(TcpPair.Sent::payload).toList(), p.trace());
    }

    @Test
    void slowStartAfterIdleRestartsCwndFromTheInitialWindow() {
        for (boolean restart : new boolean[] {true, false}) {
            TcpSysctl sysctl = TcpPair.reno();
            if (!restart) sysctl = sysctl.with(s -> s.slowStartAfterIdle(false));
            TcpPair p = new TcpPair(sysctl, 5 * MS, 0, 10_000, 5);
            TcpSock[] ends = connect(p);
            TcpSock c = ends[0], s = ends[1];
            p.b.onWake = sk -> {
                while (p.b.tcp.recvmsg(s, new byte[65536], 0, 65536, p.now) > 0) { }
            };
            write(p, c, 200_000);
            p.runUntil(p.now + 500 * MS);
            int grown = c.cwnd();
            assertTrue(grown > 40, "slow start grew cwnd: " + grown);
            p.runUntil(p.now + 2 * S); // idle for far more than one RTO
            int before = p.from(p.a).size();
            long t = p.now;
            write(p, c, 2_000_000);
            int cwndAtSend = c.cwnd();
            p.runUntil(t + 5 * MS); // less than one RTT: no ACK yet, so the flight is what cwnd allowed
            long burst = p.from(p.a).stream().skip(before).filter(x -> x.payload() > 0).count();
            if (restart) {
                // tcp_cwnd_restart(): halved per idle RTO down to the restart window, min(IW 10, cwnd)
                assertEquals(10, cwndAtSend, "tcp_slow_start_after_idle 1");
                assertEquals(10, burst, p.trace());
            } else {
                assertEquals(grown, cwndAtSend, "tcp_slow_start_after_idle 0 keeps cwnd");
                assertTrue(burst > 10, "a flight of the old cwnd: " + burst);
            }
        }
    }

    @Test
    void tcpSmallQueuesKeepsAboutTwoSegmentsBelowTheSocketOnASlowLink() {
        // 10 Mbit/s with a 1000-packet queue: without TSQ the whole cwnd would sit in the queue
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 10_000_000, 1000, 6);
        TcpSock[] ends = connect(p);
        TcpSock c = ends[0], s = ends[1];
        p.b.onWake = sk -> {
            while (p.b.tcp.recvmsg(s, new byte[65536], 0, 65536, p.now) > 0) { }
        };
        p.a.onWake = sk -> {
            while (p.a.tcp.sendmsg(c, new byte[65536], 0, 65536, p.now) > 0) { }
        };
        p.a.onWake.accept(c);
        int most = 0;
        for (long t = p.now; t < 2 * S; t += MS) {
            p.runUntil(t);
            // bytes charged to the socket and not yet freed by the driver (qdisc + ring here)
            most = Math.max(most, (int) c.tsqBytes);
        }
        long limit = Math.max(2L * knetsim.node.inet.Inet.truesizeOfPacket(1448 + 52), p.a.tcp.pacingRate(c) >> 10);
        assertTrue(c.cwnd() > 20, "cwnd grew well past what TSQ lets queue: " + c.cwnd());
        // one more segment may go after the check (tcp_small_queue_check runs before each)
        assertTrue(most <= limit + knetsim.node.inet.Inet.truesizeOfPacket(1500), most + " > " + limit);
    }
}
