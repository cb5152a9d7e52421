package knetsim.topology.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import knetsim.node.app.TcpFlowReport;
import knetsim.node.app.TcpSinkReport;
import knetsim.topology.results.FlowDropRow;
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

    /** The handshake segment from the client that no socket's tcpi_segs_in counts (see {@link #packets}). */
    static final int HANDSHAKE_UNCOUNTED = 1;

    static void add(List<TcpFlowReport> clients, List<TcpSinkReport> servers, List<DropAccounting.Attributed> drops,
                    List<FlowRow> flows, List<SeriesPoint> series, List<FlowDropRow> flowDrops) {
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
            long lost = ReportAssembler.claim(drops, FlowMatch.tcp(c.source(), c.destination()), name(c), flowDrops);
            flows.add(row(c, server, lost));
            addSeries(c, series);
        }
    }

    static String name(TcpFlowReport c) {
        return name(c.process(), c.flow(), c.destination());
    }

    static String name(String process, String flow, String destination) {
        // "s1/tcp-bulk-0 -> 10.2.1.2:5201"; a flow named by the user keeps its name: "h1/tcp-bulk-0 bulk -> ..."
        boolean generated = process.endsWith("/" + flow);
        return process + (generated ? "" : " " + flow) + " -> " + destination;
    }

    /**
     * flows.csv's packets of a connection: segments both ends sent (tcpi_segs_out, retransmissions included) and
     * received (tcpi_segs_in), read by the client at its end and by the server at EOF, so the server's FIN and
     * the ACK of it are in neither; {@code lost} the dropped ones (both directions). An accepted socket's
     * tcpi_segs_in counts one of the handshake's two segments from the client (Linux's tcp_create_openreq_child()
     * sets segs_in = 1 for the SYN, and the ACK that completes the handshake goes to the request socket): the
     * other one arrived too, and is added. {-1, -1, -1} (unknown) when either end had no final count: a
     * connection the run ended, or a server that never saw EOF.
     */
    static long[] packets(long clientOut, long clientIn, TcpSinkReport server, long lost) {
        if (clientOut < 0 || server == null || server.segsOut() < 0) return new long[] {-1, -1, -1};
        long sent = clientOut + server.segsOut(), received = clientIn + server.segsIn() + HANDSHAKE_UNCOUNTED;
        return new long[] {sent, received, Math.max(0, sent - received - lost)};
    }

    private static FlowRow row(TcpFlowReport c, TcpSinkReport server, long lost) {
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
        long[] p = packets(c.finished() && c.kind().equals("bulk") ? c.segsOut() : -1, c.segsIn(), server, lost);
        double lossRatio = p[0] > 0 ? (double) lost / p[0] : Double.NaN;
        return new FlowRow(name(c), "tcp", c.source(), c.destination(), p[0], c.bytes(), p[1], received, lost, p[2],
                goodput, lossRatio,
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
