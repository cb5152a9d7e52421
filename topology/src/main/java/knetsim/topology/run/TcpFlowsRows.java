package knetsim.topology.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import knetsim.node.app.TcpFlowsReport;
import knetsim.node.app.TcpSinkReport;
import knetsim.topology.config.PathProperties;
import knetsim.topology.results.FctRow;
import knetsim.topology.results.FlowDropRow;
import knetsim.topology.results.FlowRow;
import knetsim.topology.results.TcpColumns;

/**
 * The rows of tcp-flows senders: fct.csv gets one per connection (its completion time, ideal time and slowdown),
 * flows.csv one per sender (all its connections summed: bytes, segments, drops; the delay columns are FCT
 * percentiles, delay_kind "fct"), and flow_drops.csv that sender's drops, both directions of every connection.
 */
final class TcpFlowsRows {
    private TcpFlowsRows() {}

    static void add(List<TcpFlowsReport> senders, List<TcpSinkReport> servers, List<DropAccounting.Attributed> drops,
                    PathProperties paths, List<FlowRow> flows, List<FlowDropRow> flowDrops, List<FctRow> fct) {
        if (senders.isEmpty()) return;
        Map<String, List<TcpSinkReport>> byPeer = new HashMap<>();
        for (TcpSinkReport s : servers) byPeer.computeIfAbsent(s.peer(), k -> new ArrayList<>()).add(s);
        for (TcpFlowsReport r : senders) {
            String node = r.process().substring(0, Math.max(0, r.process().indexOf('/')));
            String name = TcpRows.name(r.process(), r.flow(), "*:" + port(r));
            Set<String> keys = new HashSet<>();
            long sent = 0, received = 0, bytesSent = 0, bytesReceived = 0, retrans = 0;
            boolean countsKnown = true, allFinished = true;
            long[] fcts = new long[r.size()];
            int finished = 0;
            long firstStart = Long.MAX_VALUE, lastEnd = Long.MIN_VALUE;
            for (int i = 0; i < r.size(); i++) {
                String source = r.source() + ":" + r.sourcePorts()[i], destination = r.destinations()[i];
                String key = FlowMatch.tcpKey(source, destination);
                if (key != null) keys.add(key);
                TcpSinkReport server = r.sourcePorts()[i] == 0 ? null : serverOf(byPeer.get(source), r.startNs()[i]);
                boolean done = r.endNs()[i] >= 0;
                bytesSent += r.bytesWritten()[i];
                bytesReceived += server != null ? server.bytes() : done ? r.sizes()[i] : 0;
                retrans += r.retransSegs()[i];
                if (done && server != null && server.segsOut() >= 0) {
                    sent += r.segsOut()[i] + server.segsOut();
                    received += r.segsIn()[i] + server.segsIn() + TcpRows.HANDSHAKE_UNCOUNTED;
                } else {
                    countsKnown = false;
                }
                allFinished &= done;
                firstStart = Math.min(firstStart, r.startNs()[i]);
                double fctNs = done ? r.endNs()[i] - r.startNs()[i] : Double.NaN;
                if (done) {
                    fcts[finished++] = r.endNs()[i] - r.startNs()[i];
                    lastEnd = Math.max(lastEnd, r.endNs()[i]);
                }
                double ideal = ideal(paths, node, destination, r.sizes()[i]);
                fct.add(new FctRow(name, source, destination, r.sizes()[i], r.startNs()[i], fctNs, ideal,
                        done && ideal > 0 ? fctNs / ideal : Double.NaN, done, r.retransSegs()[i], r.errors()[i]));
            }
            long lost = ReportAssembler.claim(drops, a -> keys.contains(FlowMatch.tcpKey(a)), name, flowDrops);
            long[] t = Arrays.copyOf(fcts, finished);
            Arrays.sort(t);
            double goodput = finished > 0 && lastEnd > firstStart ? bytesReceived * 8 * 1e9 / (lastEnd - firstStart) : Double.NaN;
            long packetsSent = countsKnown ? sent : -1, packetsReceived = countsKnown ? received : -1;
            long inFlight = countsKnown ? Math.max(0, sent - received - lost) : -1;
            flows.add(new FlowRow(name, "tcp", r.source(), "*:" + port(r), packetsSent, bytesSent, packetsReceived,
                    bytesReceived, lost, inFlight, goodput, countsKnown && sent > 0 ? (double) lost / sent : Double.NaN,
                    "fct", ReportAssembler.percentile(t, 50), ReportAssembler.percentile(t, 90),
                    ReportAssembler.percentile(t, 99), t.length == 0 ? Double.NaN : t[t.length - 1], Double.NaN,
                    new TcpColumns(r.cc(), retrans, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                            Double.NaN, allFinished && r.size() > 0)));
        }
    }

    // the server's view of a connection: the one accepted from that address and port at or after its start
    private static TcpSinkReport serverOf(List<TcpSinkReport> candidates, long startNs) {
        if (candidates == null) return null;
        TcpSinkReport best = null;
        for (TcpSinkReport s : candidates) {
            if (s.acceptedNs() >= startNs && (best == null || s.acceptedNs() < best.acceptedNs())) best = s;
        }
        return best;
    }

    private static String port(TcpFlowsReport r) {
        return String.valueOf(r.port());
    }

    /**
     * The ideal FCT: the flow alone on an idle path, from connect() to the server's FIN: the handshake (one base
     * RTT), the data and the FIN exchange (a second), plus the bytes at the path's bottleneck rate; headers and
     * slow start left out, so a flow's slowdown is at least about 1. NaN when the path is unknown.
     */
    static double ideal(PathProperties paths, String node, String destination, long size) {
        long[] d = FlowMatch.endpoint(destination);
        if (d == null) return Double.NaN;
        PathProperties.Path there = paths.of(node, (int) d[0]);
        if (!there.reachable() || there.bottleneckBps() <= 0 || there.bottleneckBps() == Long.MAX_VALUE) return Double.NaN;
        double baseRtt = 2.0 * there.delayNs();
        return 2 * baseRtt + size * 8e9 / there.bottleneckBps();
    }
}
