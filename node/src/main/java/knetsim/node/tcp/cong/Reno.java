package knetsim.node.tcp.cong;

/**
 * tcp_reno in net/ipv4/tcp_cong.c: Linux's "reno", i.e. NewReno's window rules (the recovery part of
 * NewReno lives in the protocol's loss recovery). Slow start, one segment per window of ACKed
 * segments in congestion avoidance, ssthresh = max(cwnd/2, 2), undo to the prior cwnd.
 */
public final class Reno implements TcpCongestionOps {
    @Override
    public String name() {
        return "reno";
    }

    // tcp_reno_ssthresh()
    @Override
    public int ssthresh(CongState tp) {
        return TcpCong.renoSsthresh(tp);
    }

    // tcp_reno_cong_avoid()
    @Override
    public void congAvoid(CongState tp, long ack, int acked) {
        TcpCong.renoCongAvoid(tp, ack, acked);
    }

    // tcp_reno_undo_cwnd()
    @Override
    public int undoCwnd(CongState tp) {
        return TcpCong.renoUndoCwnd(tp);
    }
}
