package knetsim.node.tcp.cong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** tcp_dctcp.c's arithmetic, driven from ACK sequences without a network. */
class DctcpTest {
    /** A connection that negotiated ECN, cwnd 100, one window of 100 segments outstanding. */
    private static CongState established(Dctcp d) {
        CongState tp = new CongState();
        tp.ecnOk = true;
        tp.sndCwnd = 100;
        tp.sndNxt = 100_000;
        d.init(tp);
        return tp;
    }

    /** One window ends: {@code delivered} segments of which {@code ce} had ECE, snd_una reaches the window's end. */
    private static void window(Dctcp d, CongState tp, int delivered, int ce) {
        tp.delivered += delivered;
        tp.deliveredCe += ce;
        tp.sndUna = tp.sndNxt;
        tp.sndNxt += 100_000;
        d.inAckEvent(tp, ce > 0 ? TcpCongestionOps.CA_ACK_ECE : 0);
    }

    /** The formula of dctcp_update_alpha() in doubles, rounded as the kernel's integer steps. */
    private static int expected(int alpha, long delivered, long ce, int g) {
        int decay = alpha >> g;
        alpha -= decay == 0 ? alpha : decay;
        if (ce > 0) alpha = (int) Math.min(alpha + ((ce << (10 - g)) / Math.max(1, delivered)), 1024);
        return alpha;
    }

    @Test
    void alphaStartsAtOneAndFollowsTheMovingAverageOnceAWindow() {
        Dctcp d = new Dctcp();
        CongState tp = established(d);
        assertEquals(1024, d.alpha(), "dctcp_alpha_on_init");
        window(d, tp, 100, 0);
        assertEquals(1024 - 64, d.alpha(), "(1 - 1/16) * 1024");
        window(d, tp, 100, 50);
        assertEquals(960 - 60 + (50 << 6) / 100, d.alpha(), "(1 - g) alpha + g F with F = 1/2");
        int alpha = d.alpha();
        // ACKs inside the window do not update alpha
        tp.delivered += 10;
        tp.deliveredCe += 10;
        tp.sndUna = tp.sndNxt - 1;
        d.inAckEvent(tp, TcpCongestionOps.CA_ACK_ECE);
        assertEquals(alpha, d.alpha());
        // then the window closes with those 10 counted: 10 of 10 + 40 of 40 CE
        window(d, tp, 40, 40);
        assertEquals(expected(alpha, 50, 50, 4), d.alpha());
    }

    @Test
    void alphaConvergesToTheMarkedFractionAndSmallValuesDecayToZero() {
        Dctcp d = new Dctcp();
        CongState tp = established(d);
        for (int i = 0; i < 200; i++) window(d, tp, 100, 25);
        assertTrue(Math.abs(d.alpha() - 256) <= 16, "alpha " + d.alpha() + " for F = 1/4");
        for (int i = 0; i < 200; i++) window(d, tp, 100, 0);
        assertEquals(0, d.alpha(), "min_not_zero(alpha, alpha >> g) takes the last 15 away");
        int a = 0;
        for (int g : new int[] {0, 4, 10}) { // dctcp_shift_g's whole range
            Dctcp dg = new Dctcp(g, 1024);
            CongState t = established(dg);
            a = 1024;
            for (int i = 0; i < 5; i++) {
                window(dg, t, 90, 30);
                a = expected(a, 90, 30, g);
                assertEquals(a, dg.alpha(), "g = 1/2^" + g);
            }
        }
    }

    @Test
    void ssthreshIsCwndLessHalfAlpha() {
        Dctcp d = new Dctcp();
        CongState tp = established(d);
        assertEquals(50, d.ssthresh(tp), "alpha 1: halve like Reno");
        window(d, tp, 100, 0);
        window(d, tp, 100, 50);
        assertEquals(100 - (100 * d.alpha() >> 11), d.ssthresh(tp));
        for (int i = 0; i < 300; i++) window(d, tp, 100, 0);
        assertEquals(100, d.ssthresh(tp), "alpha 0: no reduction");
        tp.sndCwnd = 2;
        assertEquals(2, d.ssthresh(tp), "at least 2");
    }

    @Test
    void aLossHalvesAndUndoReturnsToTheWindowBeforeIt() {
        Dctcp d = new Dctcp();
        CongState tp = established(d);
        for (int i = 0; i < 300; i++) window(d, tp, 100, 0); // alpha 0
        tp.sndCwnd = 80;
        d.setState(tp, CaState.RECOVERY);
        assertEquals(40, tp.sndSsthresh, "dctcp_react_to_loss()");
        tp.sndCwnd = 40;
        assertEquals(80, d.undoCwnd(tp));
        tp.caState = CaState.OPEN;
        tp.sndCwnd = 60;
        d.cwndEvent(tp, CaEvent.LOSS);
        assertEquals(30, tp.sndSsthresh, "an RTO halves too");
    }

    @Test
    void withoutEcnItFallsBackToDctcpReno() {
        Dctcp d = new Dctcp();
        CongState tp = new CongState();
        List<String> calls = new ArrayList<>();
        tp.sock = recorder(calls, false);
        tp.sndCwnd = 100;
        assertTrue(d.needsEcn(), "a new socket asks for ECN (TCP_CONG_NEEDS_ECN)");
        d.init(tp);
        assertEquals("dctcp-reno", d.name());
        assertFalse(d.needsEcn());
        assertEquals(List.of("dontxmit"), calls, "INET_ECN_dontxmit()");
        assertEquals(50, d.ssthresh(tp));
        d.cwndEvent(tp, CaEvent.ECN_IS_CE);
        assertEquals(List.of("dontxmit"), calls, "no CE state machine");
    }

    /** dctcp_ece_ack_update(): ECE mirrors the last segment's CE; a change flushes the delayed ACK first. */
    @Test
    void theReceiverEchoesTheCeStateExactly() {
        Dctcp d = new Dctcp();
        List<String> calls = new ArrayList<>();
        CongState tp = new CongState();
        tp.ecnOk = true;
        tp.rcvNxt = 1000;
        boolean[] delayed = {false};
        tp.sock = new CaSock() {
            public boolean delayedAckPending() {
                return delayed[0];
            }

            public void sendAck(long rcvNxt) {
                calls.add("ack " + rcvNxt);
            }

            public void ackNow() {
                calls.add("now");
            }

            public void demandCwr(boolean on) {
                calls.add(on ? "ece" : "no-ece");
            }

            public void ecnDontXmit() {
                calls.add("dontxmit");
            }
        };
        d.init(tp);
        tp.rcvNxt = 2000;
        d.cwndEvent(tp, CaEvent.ECN_NO_CE);
        assertEquals(List.of("no-ece"), calls, "same state: no immediate ACK");
        calls.clear();
        tp.rcvNxt = 3000;
        delayed[0] = true; // the segment ending at 2000 waits for a delayed ACK
        d.cwndEvent(tp, CaEvent.ECN_IS_CE);
        assertEquals(List.of("no-ece", "ack 2000", "now", "ece"), calls,
                "the delayed ACK of 2000 goes out without ECE, then 3000 is ACKed at once with ECE");
        assertEquals(1, d.ceState());
        calls.clear();
        delayed[0] = false;
        tp.rcvNxt = 4000;
        d.cwndEvent(tp, CaEvent.ECN_NO_CE);
        assertEquals(List.of("now", "no-ece"), calls, "nothing delayed: only the immediate ACK");
    }

    private static CaSock recorder(List<String> calls, boolean delayed) {
        return new CaSock() {
            public boolean delayedAckPending() {
                return delayed;
            }

            public void sendAck(long rcvNxt) {
                calls.add("ack " + rcvNxt);
            }

            public void ackNow() {
                calls.add("now");
            }

            public void demandCwr(boolean on) {
                calls.add(on ? "ece" : "no-ece");
            }

            public void ecnDontXmit() {
                calls.add("dontxmit");
            }
        };
    }

    @Test
    void registeredAsDctcp() {
        assertTrue(CongestionRegistry.names().contains("dctcp"));
        TcpCongestionOps ops = CongestionRegistry.create("dctcp");
        assertEquals("dctcp", ops.name());
        assertTrue(ops.needsEcn());
    }
}
