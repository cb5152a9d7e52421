package knetsim.node.tcp.cong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Linux's "reno" (tcp_cong.c) driven by ACK sequences. */
class RenoTest {
    private final TcpCongestionOps reno = CongestionRegistry.create("reno");

    private static CongState sock(int cwnd, int ssthresh) {
        CongState tp = new CongState();
        tp.sndCwnd = cwnd;
        tp.sndSsthresh = ssthresh;
        tp.cwndLimited = true;
        return tp;
    }

    /** One round trip in which every segment of the window is ACKed, {@code perAck} segments per ACK. */
    private void ackWindow(CongState tp, int perAck) {
        int window = tp.sndCwnd;
        for (int acked = 0; acked < window; acked += perAck) reno.congAvoid(tp, 0, Math.min(perAck, window - acked));
    }

    @Test
    void slowStartDoublesCwndEachRoundTripOfFullAcks() {
        CongState tp = sock(10, CongState.INFINITE_SSTHRESH);
        int[] expected = {20, 40, 80, 160};
        for (int cwnd : expected) {
            ackWindow(tp, 1);
            assertEquals(cwnd, tp.sndCwnd);
        }
        // delayed ACKs (2 segments per ACK) double it just the same: growth is per segment ACKed, not per ACK
        CongState delayed = sock(10, CongState.INFINITE_SSTHRESH);
        ackWindow(delayed, 2);
        ackWindow(delayed, 2);
        assertEquals(40, delayed.sndCwnd);
    }

    @Test
    void slowStartStopsAtSsthreshAndHandsTheRestToCongestionAvoidance() {
        CongState tp = sock(10, 16);
        assertEquals(4, TcpCong.slowStart(tp, 10), "6 of the 10 ACKed segments reach ssthresh, 4 are left over");
        assertEquals(16, tp.sndCwnd);

        CongState viaReno = sock(10, 16);
        reno.congAvoid(viaReno, 0, 10);
        assertEquals(16, viaReno.sndCwnd);
        assertEquals(4, viaReno.sndCwndCnt, "the leftover counts toward the next additive increase");
        assertFalse(viaReno.inSlowStart());
    }

    @Test
    void congestionAvoidanceAddsOneSegmentPerWindowOfAckedSegments() {
        CongState tp = sock(20, 10);
        for (int i = 0; i < 19; i++) reno.congAvoid(tp, 0, 1);
        assertEquals(20, tp.sndCwnd, "19 of 20 segments: not yet");
        reno.congAvoid(tp, 0, 1);
        assertEquals(21, tp.sndCwnd);
        assertEquals(0, tp.sndCwndCnt);
        ackWindow(tp, 2);   // 21 segments in ACKs of 2: 10 ACKs of 2 and one of 1
        assertEquals(22, tp.sndCwnd);
        // a stretch ACK of 3 windows adds 3 at once (tcp_cong_avoid_ai's delta)
        reno.congAvoid(tp, 0, 66);
        assertEquals(25, tp.sndCwnd);
        // one segment per RTT over 100 RTTs
        CongState longRun = sock(50, 10);
        for (int rtt = 0; rtt < 100; rtt++) ackWindow(longRun, 1);
        assertEquals(150, longRun.sndCwnd);
    }

    @Test
    void noGrowthWhenNotCwndLimited() {
        CongState ca = sock(20, 10);
        ca.cwndLimited = false;
        ca.maxPacketsOut = 20;
        for (int i = 0; i < 100; i++) reno.congAvoid(ca, 0, 1);
        assertEquals(20, ca.sndCwnd, "application-limited in congestion avoidance: cwnd stays");

        CongState ss = sock(10, CongState.INFINITE_SSTHRESH);
        ss.cwndLimited = false;
        ss.maxPacketsOut = 5;   // used only half of cwnd
        assertFalse(TcpCong.isCwndLimited(ss));
        reno.congAvoid(ss, 0, 5);
        assertEquals(10, ss.sndCwnd, "slow start grows only up to twice what was in flight");
        ss.maxPacketsOut = 6;
        assertTrue(TcpCong.isCwndLimited(ss));
        reno.congAvoid(ss, 0, 6);
        assertEquals(16, ss.sndCwnd);
    }

    @Test
    void cwndNeverExceedsTheClamp() {
        CongState tp = sock(10, CongState.INFINITE_SSTHRESH);
        tp.sndCwndClamp = 25;
        ackWindow(tp, 1);
        ackWindow(tp, 1);
        assertEquals(25, tp.sndCwnd);
        tp.sndSsthresh = 10;
        for (int i = 0; i < 200; i++) reno.congAvoid(tp, 0, 1);
        assertEquals(25, tp.sndCwnd);
    }

    @Test
    void ssthreshHalvesCwndButNotBelowTwo() {
        assertEquals(50, reno.ssthresh(sock(100, 10)));
        assertEquals(50, reno.ssthresh(sock(101, 10)));
        assertEquals(2, reno.ssthresh(sock(5, 10)));
        assertEquals(2, reno.ssthresh(sock(3, 10)));
        assertEquals(2, reno.ssthresh(sock(1, 10)));
    }

    @Test
    void undoReturnsToThePriorCwnd() {
        CongState tp = sock(35, 35);
        tp.priorCwnd = 70;
        assertEquals(70, reno.undoCwnd(tp));
        tp.sndCwnd = 80;  // grew past it meanwhile
        assertEquals(80, reno.undoCwnd(tp));
    }

    @Test
    void registryMakesOneInstancePerSocketAndNamesWhatExists() {
        assertEquals("reno", reno.name());
        assertNotSame(reno, CongestionRegistry.create("reno"));
        assertTrue(CongestionRegistry.names().contains("reno"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CongestionRegistry.create("vegas"));
        assertTrue(e.getMessage().contains("'vegas'") && e.getMessage().contains("reno"), e.getMessage());
    }
}
