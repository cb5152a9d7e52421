package knetsim.node.tcp.cong;

/**
 * The Reno building blocks of net/ipv4/tcp_cong.c (and tcp_is_cwnd_limited() from include/net/tcp.h)
 * that every window-based algorithm reuses: slow start, additive increase, Reno's ssthresh and undo.
 * Arithmetic is the kernel's u32 arithmetic on segments.
 */
public final class TcpCong {
    private TcpCong() {}

    // tcp_is_cwnd_limited(): was the last window limited by cwnd (in slow start: did we use at least half of it)?
    public static boolean isCwndLimited(CongState tp) {
        if (tp.cwndLimited) return true;
        // If in slow start, ensure cwnd grows to twice what was ACKed.
        if (tp.inSlowStart()) return tp.sndCwnd < 2L * tp.maxPacketsOut;
        return false;
    }

    // tcp_slow_start(): grow cwnd by acked up to ssthresh; returns the acked segments left over for congestion avoidance.
    public static int slowStart(CongState tp, int acked) {
        int cwnd = (int) Math.min((long) tp.sndCwnd + acked, tp.sndSsthresh);
        acked -= cwnd - tp.sndCwnd;
        tp.sndCwnd = Math.min(cwnd, tp.sndCwndClamp);
        return acked;
    }

    // tcp_cong_avoid_ai(): cwnd += 1 for every w segments acked (snd_cwnd_cnt keeps the remainder).
    public static void congAvoidAi(CongState tp, int w, int acked) {
        // If credits accumulated at a higher w, apply them gently now.
        if (tp.sndCwndCnt >= w) {
            tp.sndCwndCnt = 0;
            tp.sndCwnd++;
        }
        tp.sndCwndCnt += acked;
        if (tp.sndCwndCnt >= w) {
            int delta = tp.sndCwndCnt / w;
            tp.sndCwndCnt -= delta * w;
            tp.sndCwnd += delta;
        }
        tp.sndCwnd = Math.min(tp.sndCwnd, tp.sndCwndClamp);
    }

    // tcp_reno_cong_avoid(): slow start below ssthresh, then one segment per window; only when cwnd-limited.
    public static void renoCongAvoid(CongState tp, long ack, int acked) {
        if (!isCwndLimited(tp)) return;
        // In "safe" area, increase.
        if (tp.inSlowStart()) {
            acked = slowStart(tp, acked);
            if (acked == 0) return;
        }
        // In dangerous area, increase slowly.
        congAvoidAi(tp, tp.sndCwnd, acked);
    }

    // tcp_reno_ssthresh(): half the window, at least 2.
    public static int renoSsthresh(CongState tp) {
        return Math.max(tp.sndCwnd >>> 1, 2);
    }

    // tcp_reno_undo_cwnd(): back to the window before the reduction.
    public static int renoUndoCwnd(CongState tp) {
        return Math.max(tp.sndCwnd, tp.priorCwnd);
    }
}
