package knetsim.node.app;

import java.util.Arrays;
import knetsim.node.tcp.TcpInfo;

/** TCP_INFO read every sampling interval by a client, and the last one read: the per-socket series of its flow. */
final class TcpSamples {
    private long[] times = new long[16], srtt = new long[16], rate = new long[16], acked = new long[16];
    private long[] pacing = new long[16], bbrBw = new long[16], bbrMinRtt = new long[16];
    private int[] cwnd = new int[16], ssthresh = new int[16], bbrPacingGain = new int[16], bbrCwndGain = new int[16];
    private int n;
    TcpInfo last;

    void add(long now, TcpInfo info) {
        last = info;
        if (n == times.length) {
            int m = n * 2;
            times = Arrays.copyOf(times, m);
            srtt = Arrays.copyOf(srtt, m);
            rate = Arrays.copyOf(rate, m);
            acked = Arrays.copyOf(acked, m);
            cwnd = Arrays.copyOf(cwnd, m);
            ssthresh = Arrays.copyOf(ssthresh, m);
            pacing = Arrays.copyOf(pacing, m);
            bbrBw = Arrays.copyOf(bbrBw, m);
            bbrMinRtt = Arrays.copyOf(bbrMinRtt, m);
            bbrPacingGain = Arrays.copyOf(bbrPacingGain, m);
            bbrCwndGain = Arrays.copyOf(bbrCwndGain, m);
        }
        times[n] = now;
        srtt[n] = info.rttUs();
        rate[n] = info.deliveryRate();
        acked[n] = info.bytesAcked();
        cwnd[n] = info.sndCwnd();
        ssthresh[n] = info.sndSsthresh();
        pacing[n] = info.pacingRate();
        bbrBw[n] = info.bbrBw();
        bbrMinRtt[n] = info.bbrMinRttUs();
        bbrPacingGain[n] = info.bbrPacingGain();
        bbrCwndGain[n] = info.bbrCwndGain();
        n++;
    }

    TcpFlowReport report(String process, String flow, String kind, String source, String destination, String cc,
                         long bytes, long startNs, long connectedNs, long endNs, boolean finished, long sampleNs,
                         long[] transactions, String error) {
        TcpInfo i = last;
        return new TcpFlowReport(process, flow, kind, source, destination, i != null ? i.congestionControl() : cc, bytes,
                startNs, connectedNs, endNs, finished, i == null ? 0 : i.bytesAcked(), i == null ? 0 : i.totalRetrans(),
                i == null ? 0 : i.rttSamples(),
                i == null ? -1 : i.rttP50Us(), i == null ? -1 : i.rttP90Us(), i == null ? -1 : i.rttP99Us(),
                i == null ? -1 : i.minRttUs(), i == null ? 0 : i.minCwnd(), i == null ? 0 : i.maxCwnd(),
                i == null ? Double.NaN : i.meanCwnd(), sampleNs, Arrays.copyOf(times, n), Arrays.copyOf(cwnd, n),
                Arrays.copyOf(ssthresh, n), Arrays.copyOf(srtt, n), Arrays.copyOf(rate, n), Arrays.copyOf(acked, n),
                Arrays.copyOf(pacing, n), Arrays.copyOf(bbrBw, n), Arrays.copyOf(bbrMinRtt, n),
                Arrays.copyOf(bbrPacingGain, n), Arrays.copyOf(bbrCwndGain, n), transactions, error,
                i == null ? -1 : i.segsOut(), i == null ? -1 : i.segsIn());
    }
}
