package knetsim.node.tcp.cong;

import java.util.EnumMap;
import java.util.Map;

/**
 * A sender as tcp_ack() drives congestion control, without a network: each ACK advances snd_una,
 * calls pkts_acked() then cong_avoid() (tcp_clean_rtx_queue() before tcp_cong_control()), and the
 * sender refills the window (snd_nxt = snd_una + cwnd, so it is always cwnd-limited).
 * Sequence numbers count segments. Counts what the algorithm reports to the MIB.
 */
final class AckClock {
    final CongState tp = new CongState();
    final TcpCongestionOps ops;
    final Map<CaMib, Long> mib = new EnumMap<>(CaMib.class);
    long rttUs;

    AckClock(TcpCongestionOps ops, long rttUs) {
        this.ops = ops;
        this.rttUs = rttUs;
        tp.nowUs = 1_000_000;
        tp.cwndLimited = true;
        tp.mib = (field, value) -> mib.merge(field, value, Long::sum);
        tp.sndNxt = tp.sndCwnd;
        tp.lsndtimeUs = tp.nowUs;
        ops.init(tp);
    }

    long mib(CaMib field) {
        return mib.getOrDefault(field, 0L);
    }

    /** An ACK for {@code segs} segments with an RTT sample of {@code rtt} us, at the current time. */
    void ack(int segs, long rtt) {
        tp.sndUna += segs;
        tp.delivered += segs;
        tp.inFlight = (int) (tp.sndNxt - tp.sndUna);
        ops.pktsAcked(tp, new AckSample(segs, rtt, tp.inFlight));
        ops.congAvoid(tp, tp.sndUna, segs);
        tp.sndNxt = tp.sndUna + tp.sndCwnd;
        tp.lsndtimeUs = tp.nowUs;
    }

    /** {@code gapUs} later, an ACK of one segment. */
    void ackAfter(long gapUs, long rtt) {
        tp.nowUs += gapUs;
        ack(1, rtt);
    }

    /** One round trip: every segment of the window ACKed one by one, evenly spread over rttUs. */
    void round() {
        int w = tp.sndCwnd;
        long done = 0;
        for (int i = 1; i <= w; i++) {
            long at = rttUs * i / w;
            tp.nowUs += at - done;
            done = at;
            ack(1, rttUs);
        }
    }

    /** A loss ended by recovery: prior_cwnd kept, ssthresh from the algorithm, cwnd = ssthresh (as PRR ends). */
    void loss() {
        tp.priorCwnd = tp.sndCwnd;
        tp.sndSsthresh = ops.ssthresh(tp);
        tp.sndCwnd = tp.sndSsthresh;
        tp.sndCwndCnt = 0;
        tp.sndNxt = tp.sndUna + tp.sndCwnd;
    }
}
