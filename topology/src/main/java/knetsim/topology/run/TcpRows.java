package knetsim.topology.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import knetsim.node.app.TcpFlowReport;
import knetsim.node.app.TcpSinkReport;
import knetsim.topology.results.FlowRow;
import knetsim.topology.results.SeriesPoint;
import knetsim.topology.results.TcpColumns;

/**
 * flows.csv rows and series of TCP flows: a client's report joined with the server's view of the same
 * connection (the server's peer is the client's address and port). Per socket, the client's TCP_INFO samples
 * become the series {@code <process>:tcp:<flow>:cwnd} (segments), {@code :ssthresh} (segments, left out while
 * infinite), {@code :srtt_us}, {@code :delivery_rate_bps} and {@code :pacing_rate_bps} (left out while unlimited); a
 * BBR socket adds ss -ti's bbr:(...) as {@code :bbr_bw_bps}, {@code :bbr_min_rtt_us}, {@code :bbr_pacing_gain} and
 * {@code :bbr_cwnd_gain} (gains as ratios, 2.89 in STARTUP); the acked bytes give the flow's goodput series.
 */
final class TcpRows {
    private TcpRows() {}

    /** TCP_INFO's ssthresh before the first loss: TCP_INFINITE_SSTHRESH. */
    private static final int INFINITE_SSTHRESH = 0x7fffffff;

    static void add(List<TcpFlowReport> clients, List<TcpSinkReport> servers, List<FlowRow> flows, List<SeriesPoint> series) {
        List<TcpSinkReport> unmatched = new ArrayList<>(servers);
        for (TcpFlowReport c : clients) {
            TcpSinkReport server = null;
            for (TcpSinkReport s : unmatched) {
                if (s.peer().equals(c.source())) {
                    server = s;
                    break;
                }
            }
            if (server != null) unmatched.remove(server);
            flows.add(row(c, server));
            addSeries(c, series);
        }
    }

    static String name(TcpFlowReport c) {
        // "s1/tcp-bulk-0 -> 10.2.1.2:5201"; a flow named by the user keeps its name: "h1/tcp-bulk-0 bulk -> ..."
        boolean generated = c.process().endsWith("/" + c.flow());
        return c.process() + (generated ? "" : " " + c.flow()) + " -> " + c.destination();
    }

    private static FlowRow row(TcpFlowReport c, TcpSinkReport server) {
        long received = server != null ? server.bytes() : c.bytesAcked();
        long start = c.startNs();
        double completion = c.finished() ? c.endNs() - start : Double.NaN;
        // goodput: what the server read over the time from connect() to completion (or to the last read)
        double end = c.finished() ? c.endNs() : server != null && server.lastReadNs() > 0 ? server.lastReadNs() : Double.NaN;
        double goodput = end > start && received > 0 ? received * 8 * 1e9 / (end - start) : Double.NaN;
        double ttfb = server != null && server.firstReadNs() >= 0 ? server.firstReadNs() - start : Double.NaN;
        double cwndMin = c.minCwnd() > 0 ? c.minCwnd() : Double.NaN, cwndMax = c.maxCwnd() > 0 ? c.maxCwnd() : Double.NaN;
        double cwndMean = c.meanCwnd();
        double p50 = us(c.rttP50Us()), p90 = us(c.rttP90Us()), p99 = us(c.rttP99Us()), max = Double.NaN;
        if (c.rttSamples() == 0 && c.sampleTimesNs().length > 0) {
            // TCP_INFO kept no per-flow statistics: the client's own TCP_INFO samples (srtt, cwnd) stand in
            long[] srtt = c.srttUs().clone();
            Arrays.sort(srtt);
            p50 = us(srtt[(srtt.length - 1) / 2]);
            p90 = ReportAssembler.percentile(srtt, 90) * 1_000;
            p99 = ReportAssembler.percentile(srtt, 99) * 1_000;
            cwndMin = Arrays.stream(c.cwnd()).min().orElse(0);
            cwndMax = Arrays.stream(c.cwnd()).max().orElse(0);
            cwndMean = Arrays.stream(c.cwnd()).average().orElse(Double.NaN);
        }
        // tcp-rr: the delay columns are the transactions' times; otherwise the sender's RTT samples (TCP_INFO)
        long[] t = c.transactionsNs().clone();
        Arrays.sort(t);
        boolean rr = t.length > 0;
        if (rr) {
            p50 = ReportAssembler.percentile(t, 50);
            p90 = ReportAssembler.percentile(t, 90);
            p99 = ReportAssembler.percentile(t, 99);
            max = t[t.length - 1];
        }
        return new FlowRow(name(c), "tcp", c.source(), c.destination(), 0, c.bytes(), 0, received, 0, 0, goodput, Double.NaN,
                rr ? "transaction" : FlowRow.RTT, p50, p90, p99, max, Double.NaN,
                new TcpColumns(c.cc() == null ? "" : c.cc(), c.retransSegs(), cwndMin, cwndMax, cwndMean, ttfb,
                        completion, c.finished()));
    }

    private static double us(long us) {
        return us < 0 ? Double.NaN : us * 1_000.0;
    }

    private static void addSeries(TcpFlowReport c, List<SeriesPoint> series) {
        String prefix = c.process().substring(0, Math.max(0, c.process().indexOf('/'))) + ":tcp:" + c.flow() + ":";
        long[] times = c.sampleTimesNs();
        for (int i = 0; i < times.length; i++) {
            series.add(new SeriesPoint(times[i], prefix + "cwnd", c.cwnd()[i]));
            if (c.ssthresh()[i] < INFINITE_SSTHRESH) series.add(new SeriesPoint(times[i], prefix + "ssthresh", c.ssthresh()[i]));
            series.add(new SeriesPoint(times[i], prefix + "srtt_us", c.srttUs()[i]));
            series.add(new SeriesPoint(times[i], prefix + "delivery_rate_bps", c.deliveryRate()[i] * 8.0));
            if (c.pacingRate()[i] > 0) series.add(new SeriesPoint(times[i], prefix + "pacing_rate_bps", c.pacingRate()[i] * 8.0));
            if (c.bbrBw()[i] >= 0) {
                series.add(new SeriesPoint(times[i], prefix + "bbr_bw_bps", c.bbrBw()[i] * 8.0));
                series.add(new SeriesPoint(times[i], prefix + "bbr_min_rtt_us", c.bbrMinRttUs()[i]));
                series.add(new SeriesPoint(times[i], prefix + "bbr_pacing_gain", c.bbrPacingGain()[i] / 256.0));
                series.add(new SeriesPoint(times[i], prefix + "bbr_cwnd_gain", c.bbrCwndGain()[i] / 256.0));
            }
            if (i > 0 && times[i] > times[i - 1]) {
                double bps = (c.sampleBytesAcked()[i] - c.sampleBytesAcked()[i - 1]) * 8 * 1e9 / (times[i] - times[i - 1]);
                series.add(new SeriesPoint(times[i], SeriesPoint.goodputSeries(name(c)), bps));
            }
        }
    }
}
