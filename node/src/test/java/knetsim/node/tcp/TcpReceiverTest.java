package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The receiving side: out-of-order queue with SACK, the advertised window, zero-window probes. */
class TcpReceiverTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    @Test
    void outOfOrderSegmentsAreSackedMostRecentFirstAndAckedAtOnce() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 10_000_000L, 1000, 8);
        int[] n = {0};
        p.a.link.drop = s -> s.payload() > 0 && (++n[0] == 60 || n[0] == 63);
        TcpPair.Flow f = p.new Flow(5201, 150 * 1448);
        assertTrue(p.runUntil(f::done, 10 * S));
        List<TcpPair.Sent> data = p.from(p.a).stream().filter(s -> s.payload() > 0).toList();
        long hole1 = data.get(59).header().seq(), hole2 = data.get(62).header().seq();
        long s61 = data.get(60).header().seq(), s64 = data.get(63).header().seq();
        // every segment above the first hole is ACKed on arrival, each with its own ACK
        List<TcpPair.Sent> sackAcks = p.from(p.b).stream().filter(s -> s.header().options().sackBlockCount() > 0).toList();
        for (int i = 60; i < 66; i++) {
            if (i == 62) continue;
            long seq = data.get(i).header().seq();
            long arrival = p.arrivals.stream().filter(x -> x.from() == p.a && x.header().seq() == seq).findFirst().orElseThrow().time();
            assertTrue(sackAcks.stream().anyMatch(a -> a.time() == arrival), "ACK at arrival of segment " + (i + 1));
        }
        TcpPair.Sent afterSeg61 = sackAcks.get(0);
        assertEquals(hole1, afterSeg61.header().ack());
        assertEquals(List.of(s61, s61 + 1448), asList(afterSeg61.header().options().sackBlocks()));
        // after segment 64: its own block first, then the older one
        TcpPair.Sent afterSeg64 = sackAcks.stream().filter(a -> a.header().options().sackBlockCount() == 2).findFirst().orElseThrow();
        assertEquals(List.of(s64, s64 + 1448, s61, hole2), asList(afterSeg64.header().options().sackBlocks()));
        assertTrue(p.b.mib(TcpMib.TCP_OFO_QUEUE) >= 5);
        assertEquals(2, p.a.mib(TcpMib.RETRANS_SEGS));
        assertEquals(0, p.a.mib(TcpMib.TCP_TIMEOUTS));
    }

    private static List<Long> asList(long[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }

    @Test
    void slowReaderClosesTheWindowWithoutMovingItsRightEdgeLeftThenZeroWindowProbes() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 100_000_000L, 1000, 9);
        TcpPair.Flow f = p.new Flow(5201, 400 * 1448);
        f.readPaused = true;
        p.runUntil(3 * S);
        List<TcpPair.Sent> acks = p.from(p.b).stream().filter(s -> s.has(TcpHeader.ACK) && !s.has(TcpHeader.SYN)).toList();
        long rightEdge = 0;
        for (TcpPair.Sent a : acks) {
            long edge = (a.header().ack() + ((long) a.header().window() << 7)) & 0xffffffffL;
            assertTrue(edge - rightEdge >= 0 || rightEdge == 0, "right edge moved left at " + a.time());
            rightEdge = edge;
        }
        assertEquals(0, acks.get(acks.size() - 1).header().window(), "the window closed");
        // zero-window probes: empty segments one below snd_una, answered with window 0, backing off
        List<TcpPair.Sent> probes = p.from(p.a).stream().filter(s -> s.payload() == 0 && s.time() > 100 * MS).toList();
        assertTrue(probes.size() >= 3, p.trace());
        for (int i = 2; i < probes.size(); i++) {
            long prev = probes.get(i - 1).time() - probes.get(i - 2).time(), cur = probes.get(i).time() - probes.get(i - 1).time();
            assertTrue(cur > 1.6 * prev && cur < 2.4 * prev, "probe intervals back off: " + probes);
        }
        assertEquals(0, p.a.mib(TcpMib.TCP_TIMEOUTS));
        assertEquals(TcpState.ESTABLISHED, f.client.state());
        // the reader wakes up: a window update opens the window and the transfer completes
        f.readPaused = false;
        p.at(p.now, f::drain);
        assertTrue(p.runUntil(f::done, 30 * S));
    }

    @Test
    void anUnreadReceiveQueueIsChargedTheDriversSkbOfEverySegment() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 100_000_000L, 1000, 9);
        TcpPair.Flow f = p.new Flow(5201, 400 * 1448);
        f.readPaused = true;
        p.runUntil(3 * S);
        TcpSock sk = f.server;
        assertTrue(sk.receiveQueue.size() > 10);
        // 1448 bytes + 32 of TCP header with timestamps + 20 of IP in a 1514-byte frame: kmalloc-2k, truesize 2304
        for (int i = 0; i < sk.receiveQueue.size(); i++) {
            int len = sk.receiveQueue.stream().skip(i).findFirst().orElseThrow().length;
            int truesize = sk.rcvTruesizes.stream().skip(i).findFirst().orElseThrow();
            assertEquals(knetsim.node.inet.Inet.rxTruesize(20 + 32 + len), truesize);
            if (len == 1448) assertEquals(2304, truesize);
        }
        assertEquals(sk.rcvTruesizes.stream().mapToLong(Integer::longValue).sum(), sk.rmemAllocBytes);
        // tcp_can_ingest() (Linux 6.18) takes a segment while sk_rmem_alloc + skb->len fits sk_rcvbuf: at the
        // measured scaling_ratio 160 the right edge creeps 8 bytes a segment ahead of the memory (1448/2304 > 160/256),
        // so the window ends with 56 full segments (rmem 129024) and a 1408-byte one (the rest of the offered window,
        // rounded to 2^7) whose truesize 2304 takes sk_rmem_alloc to 131328, past sk_rcvbuf 131072
        assertEquals(131_072, sk.rcvbuf());
        java.util.List<byte[]> q = java.util.List.copyOf(sk.receiveQueue);
        assertEquals(57, q.size());
        for (int i = 0; i < 56; i++) assertEquals(1448, q.get(i).length);
        assertEquals(1408, q.get(56).length);
        assertEquals(131_328, sk.rmemAllocBytes);
    }
}
