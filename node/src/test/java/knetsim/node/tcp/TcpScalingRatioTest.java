package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import knetsim.node.inet.Inet;
import org.junit.jupiter.api.Test;

/**
 * tp->scaling_ratio as Linux 6.7+ measures it in tcp_measure_rcv_mss(): skb->len * 256 / skb->truesize of a
 * segment whose length differs from rcv_mss (and is not below it), with window_clamp following the new ratio
 * (6.10+) and rcvq_space.space capped by it (6.14+). A full 1448-byte segment comes in a 1514-byte frame that the
 * driver copies into a kmalloc-2k head: truesize 2304, so the ratio is 1448 * 256 / 2304 = 160 (62.5%), and
 * sk_rcvbuf 131072 offers windows up to 131072 * 160 / 256 = 81920 instead of the default ratio's 65536.
 */
class TcpScalingRatioTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    private static TcpSock receiver() {
        TcpSock sk = new TcpSock(1);
        sk.advmss = 1448;
        sk.rcvMss = 536; // tcp_initialize_rcv_mss(): min(advmss, mss_cache, rcv_wnd / 2, TCP_MSS_DEFAULT)
        sk.setRcvbufExactly(131_072);
        sk.windowClamp = 64_088;
        sk.rcvWnd = 65_160;
        sk.rcvSsthresh = 64_088;
        sk.rcvqSpaceSpace = 14_480;
        return sk;
    }

    /** A segment of {@code len} payload bytes with timestamps, in the driver's skb for its 14 + 20 + 32 + len byte frame. */
    private static TcpRx segment(int len) {
        TcpRx rx = new TcpRx();
        rx.len = len;
        rx.truesize = Inet.rxTruesize(20 + 32 + len);
        return rx;
    }

    @Test
    void theRatioIsMeasuredOnlyFromSegmentsOfANewSizeAtOrAboveRcvMss() {
        TcpSock sk = receiver();
        assertEquals(128, sk.scalingRatio, "TCP_DEFAULT_SCALING_RATIO until a segment is measured");
        // small segments (below rcv_mss 536) leave the ratio and the clamp alone, although their ratio is far worse
        TcpRx small = segment(100);
        assertEquals(896, small.truesize, "a 166-byte frame + NET_SKB_PAD in the 640-byte small-head cache");
        for (int i = 0; i < 5; i++) TcpRcvWindow.measureRcvMss(sk, small);
        assertEquals(128, sk.scalingRatio);
        assertEquals(536, sk.rcvMss);
        assertEquals(64_088, sk.windowClamp);
        // exactly rcv_mss: nothing to re-measure
        TcpRcvWindow.measureRcvMss(sk, segment(536));
        assertEquals(128, sk.scalingRatio);
        // a 600-byte segment: new size above rcv_mss, kmalloc-2k: 600 * 256 / 2304 = 66, and the clamp shrinks
        TcpRx s600 = segment(600);
        assertEquals(2304, s600.truesize);
        TcpRcvWindow.measureRcvMss(sk, s600);
        assertEquals(66, sk.scalingRatio);
        assertEquals(600, sk.rcvMss);
        assertEquals(131_072 * 66 >> 8, sk.windowClamp); // 33792
        assertEquals(33_792, sk.rcvSsthresh, "a smaller clamp pulls rcv_ssthresh down (__tcp_adjust_rcv_ssthresh)");
        assertEquals(14_480, sk.rcvqSpaceSpace, "rcvq_space.space is only capped by a clamp below it");
        // the first full segment: 1448 * 256 / 2304 = 160; the clamp grows to 81920 and lets rcv_ssthresh up to rcv_wnd
        TcpRx full = segment(1448);
        assertEquals(2304, full.truesize);
        TcpRcvWindow.measureRcvMss(sk, full);
        assertEquals(160, sk.scalingRatio);
        assertEquals(1448, sk.rcvMss);
        assertEquals(81_920, sk.windowClamp);
        assertEquals(65_160, sk.rcvSsthresh, "tcp_set_window_clamp(): max(min(rcv_wnd, clamp), rcv_ssthresh)");
        // more full segments and smaller ones do not re-measure
        TcpRcvWindow.measureRcvMss(sk, full);
        TcpRcvWindow.measureRcvMss(sk, s600);
        assertEquals(160, sk.scalingRatio);
        assertEquals(1448, sk.rcvMss);
        assertEquals(81_920, TcpRcvWindow.winFromSpace(sk, sk.rcvbuf()), "tcp_full_space() at the measured ratio");
        assertEquals(131_072, TcpRcvWindow.spaceFromWin(sk, 81_920), "tcp_space_from_win(), the inverse");
    }

    @Test
    void aBulkReceiverAdvertisesTheWindowOfTheMeasuredRatioAfterTheFirstFullSegment() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 100_000_000L, 1000, 3);
        TcpPair.Flow f = p.new Flow(5201, 200 * 1448);
        // what ss -ti shows for the receiver once the first full segment is in: the ratio measured, the clamp at
        // tcp_win_from_space(131072) = 81920, rcv_mss 1448, and rcv_space still 10 * advmss = 14600 (a passive
        // opener keeps advmss 1460: only tcp_rcv_synsent_state_process() takes the timestamps off it)
        assertTrue(p.runUntil(() -> f.server != null && f.server.bytesReceived >= 1448, 1 * S));
        assertEquals(160, f.server.scalingRatio);
        assertEquals(81_920, f.server.windowClamp);
        TcpInfo ss = f.server.info(p.now);
        assertEquals(1448, ss.rcvMss());
        assertEquals(1460, ss.advmss());
        assertEquals(14_600, ss.rcvSpace());
        assertTrue(p.runUntil(f::done, 10 * S));
        TcpSock rcv = f.server;
        assertEquals(160, rcv.scalingRatio, "1448 * 256 / 2304");
        assertEquals(128, f.client.scalingRatio, "the sender received no data: still the default");
        List<TcpPair.Sent> fromB = p.from(p.b);
        // the SYN-ACK was sent before any skb was measured: 65536 at the default ratio, rounded to 1448-byte segments
        TcpPair.Sent synack = fromB.get(0);
        assertTrue(synack.has(TcpHeader.SYN));
        assertEquals(65_160, synack.header().window());
        // the ACK of the first full segment: rcv_ssthresh 65160 + 2 * 1460 (tcp_grow_window(), room left under
        // tcp_space() = (131072 - 2304) * 160 / 256 = 80480) = 68080, rounded up to the window scale 2^7: 68096
        long firstData = p.from(p.a).stream().filter(s -> s.payload() > 0).findFirst().orElseThrow().header().seq();
        TcpPair.Sent firstAck = fromB.stream()
                .filter(s -> !s.has(TcpHeader.SYN) && s.header().ack() == ((firstData + 1448) & 0xffffffffL))
                .findFirst().orElseThrow();
        assertEquals(68_096 >> 7, firstAck.header().window());
        // later windows grow past the default ratio's 65536 (tcp_full_space() at 50%) towards 81920 and beyond as
        // autotuning raises sk_rcvbuf
        long maxWindow = fromB.stream().filter(s -> !s.has(TcpHeader.SYN)).mapToLong(s -> (long) s.header().window() << 7)
                .max().orElseThrow();
        assertTrue(maxWindow > 65_536, "window " + maxWindow);
        assertTrue(rcv.rcvbuf() >= 131_072);
        assertEquals(rcv.rcvbuf() * 160L >> 8, rcv.windowClamp, "window_clamp follows sk_rcvbuf at the measured ratio");
    }
}
