package knetsim.topology.run;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import knetsim.core.engine.SeriesChunk;
import knetsim.core.run.RunResult;
import knetsim.core.serial.CrossJvm;
import knetsim.link.pcap.CaptureChunk;
import knetsim.link.pcap.CaptureRecord;
import knetsim.link.pcap.PcapWriter;
import knetsim.node.app.AppOutput;
import knetsim.node.app.PingReport;
import knetsim.node.app.TcpFlowReport;
import knetsim.node.app.TcpSinkReport;
import knetsim.node.app.UdpFlowReport;
import knetsim.node.app.UdpSenderReport;
import knetsim.node.build.NetworkBuilder;
import knetsim.node.dev.Loopback;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.neigh.NeighReport;
import knetsim.topology.results.CounterRow;
import knetsim.topology.results.DropRow;
import knetsim.topology.results.FlowDropRow;
import knetsim.topology.results.FctRow;
import knetsim.topology.results.FlowRow;
import knetsim.topology.results.NeighFiles;
import knetsim.topology.config.NodeSpec;
import knetsim.topology.config.Topology;
import knetsim.topology.results.ResultFiles;
import knetsim.topology.results.SeriesPoint;

/**
 * Turns what the LPs reported into the rows of the results files: counters under their scope
 * (queues also summed per interface, as ip -s link shows them), drop_* counters as drop reasons,
 * flows matched from the sender's and the sink's reports, goodput series, and one pcap per
 * captured interface with both directions in time order.
 */
public final class ReportAssembler {
    private static final String DROP = "drop_";

    public record Rows(List<CounterRow> counters, List<DropRow> drops, List<FlowRow> flows, List<SeriesPoint> series,
                       List<FlowDropRow> flowDrops, List<FctRow> fct) {}

    private ReportAssembler() {}

    public static Rows rows(RunResult result, NetworkBuilder.Network network, Topology topology) {
        List<CounterRow> counters = new ArrayList<>();
        Map<String, Map<String, Long>> interfaces = new TreeMap<>();
        result.counters().forEach((lp, values) -> {
            String scope = network.scopes().get(lp);
            String iface = interfaceOf(scope);
            values.forEachCounter((name, value) -> {
                if (name.startsWith(DROP)) return; // drops.csv
                if (name.startsWith(Loopback.COUNTER_PREFIX)) { // a host's lo: "h1.lo"
                    counters.add(new CounterRow(scope + "." + Loopback.NAME, name.substring(Loopback.COUNTER_PREFIX.length()), value));
                    return;
                }
                counters.add(new CounterRow(scope, name, value));
                if (iface != null) interfaces.computeIfAbsent(iface, k -> new TreeMap<>()).merge(name, value, Long::sum);
            });
        });
        interfaces.forEach((iface, values) -> values.forEach((name, value) -> counters.add(new CounterRow(iface, name, value))));
        DropAccounting accounting = new DropAccounting(network.scopes(), nodeNames(topology));
        List<DropRow> drops = accounting.totals(result.counters());
        List<DropAccounting.Attributed> attributed = accounting.attributed(result);
        Map<String, TreeMap<Long, Double>> sampled = new TreeMap<>();
        for (List<CrossJvm> reports : result.reports().values()) {
            for (CrossJvm r : reports) {
                if (!(r instanceof SeriesChunk c)) continue;
                TreeMap<Long, Double> points = sampled.computeIfAbsent(c.series(), k -> new TreeMap<>());
                for (int i = 0; i < c.times().length; i++) points.merge(c.times()[i], c.values()[i], Double::sum);
            }
        }
        List<PingReport> pings = new ArrayList<>();
        List<UdpSenderReport> senders = new ArrayList<>();
        List<UdpFlowReport> sinks = new ArrayList<>();
        List<TcpFlowReport> tcpFlows = new ArrayList<>();
        List<TcpSinkReport> tcpSinks = new ArrayList<>();
        List<knetsim.node.app.TcpFlowsReport> tcpFlowsReports = new ArrayList<>();
        for (List<CrossJvm> reports : result.reports().values()) {
            for (CrossJvm r : reports) {
                if (r instanceof TcpFlowReport t) tcpFlows.add(t);
                else if (r instanceof knetsim.node.app.TcpFlowsReport t) tcpFlowsReports.add(t);
                else if (r instanceof TcpSinkReport t) tcpSinks.add(t);
                else if (r instanceof PingReport p) pings.add(p);
                else if (r instanceof UdpSenderReport s) senders.add(s);
                else if (r instanceof UdpFlowReport f) sinks.add(f);
            }
        }
        List<FlowRow> flows = new ArrayList<>();
        List<FlowDropRow> flowDrops = new ArrayList<>();
        List<SeriesPoint> series = new ArrayList<>();
        sampled.forEach((name, points) -> points.forEach((time, value) -> series.add(new SeriesPoint(time, name, value))));
        for (PingReport p : pings) {
            long[] rtts = p.rttNs().clone();
            Arrays.sort(rtts);
            long bytes = p.size() + 8; // the ICMP message: the data and its 8-byte header
            String flow = p.process() + " -> " + p.destination();
            long lost = claim(attributed, FlowMatch.ping(addressesOf(topology, p.process()), p.destination()), flow, flowDrops);
            flows.add(new FlowRow(flow, "icmp", p.process(), p.destination(),
                    p.transmitted(), bytes * p.transmitted(), p.received(), bytes * p.received(),
                    lost, Math.max(0, p.transmitted() - p.received() - lost), Double.NaN,
                    ratio(lost, p.transmitted()), FlowRow.RTT, percentile(rtts, 50), percentile(rtts, 90), percentile(rtts, 99),
                    rtts.length == 0 ? Double.NaN : rtts[rtts.length - 1], Double.NaN));
        }
        List<UdpFlowReport> unmatched = new ArrayList<>(sinks);
        for (UdpSenderReport s : senders) {
            UdpFlowReport sink = null;
            String source = s.source();
            for (UdpFlowReport f : unmatched) {
                if (sameSource(f.source(), source, topology, s.process()) && s.destination().endsWith(f.destination())) {
                    sink = f;
                    break;
                }
            }
            if (sink != null) unmatched.remove(sink);
            if (source.startsWith(ANY)) {
                // an unconnected, unbound socket: the kernel picked the source per datagram (the route's); the sink saw it
                int[] own = addressesOf(topology, s.process());
                source = sink != null ? sink.source() : own.length > 0 ? Ipv4Address.of(own[0]) + source.substring(7) : source;
            }
            String flow = s.process() + " -> " + s.destination();
            long lost = claim(attributed, FlowMatch.udp(source, s.destination()), flow, flowDrops);
            flows.add(udpRow(flow, source, s.destination(), s.packets(), s.bytes(), sink, lost));
            if (sink != null) addGoodput(series, flow, sink);
        }
        for (UdpFlowReport f : unmatched) {
            String flow = f.source() + " -> " + f.process() + f.destination();
            long lost = claim(attributed, FlowMatch.udp(f.source(), f.destination()), flow, flowDrops);
            flows.add(udpRow(flow, f.source(), f.process() + f.destination(), 0, 0, f, lost));
            addGoodput(series, flow, f);
        }
        List<FctRow> fct = new ArrayList<>();
        TcpFlowsRows.add(tcpFlowsReports, tcpSinks, attributed, new knetsim.topology.config.PathProperties(topology),
                flows, flowDrops, fct);
        TcpRows.add(tcpFlows, tcpSinks, attributed, flows, series, flowDrops);
        return new Rows(counters, drops, flows, series, flowDrops, fct);
    }

    // takes the drops that match a flow out of the pool (so none counts twice), as flow_drops rows; returns the packets
    static long claim(List<DropAccounting.Attributed> pool, java.util.function.Predicate<DropAccounting.Attributed> match,
                              String flow, List<FlowDropRow> out) {
        TreeMap<String, long[]> byPlace = new TreeMap<>();
        long packets = 0;
        for (var it = pool.iterator(); it.hasNext(); ) {
            DropAccounting.Attributed a = it.next();
            if (!match.test(a)) continue;
            it.remove();
            long[] c = byPlace.computeIfAbsent(a.place() + "\t" + a.reason(), k -> new long[2]);
            c[0] += a.packets();
            c[1] += a.bytes();
            packets += a.packets();
        }
        byPlace.forEach((key, c) -> {
            String[] pr = key.split("\t");
            out.add(new FlowDropRow(flow, pr[0], pr[1], c[0], c[1]));
        });
        return packets;
    }

    private static final String ANY = "0.0.0.0:";

    // the sink saw the sender's address and port; a sender on an unconnected unbound socket knows only its port
    private static boolean sameSource(String seen, String sender, Topology topology, String process) {
        if (seen.equals(sender)) return true;
        if (!sender.startsWith(ANY) || !seen.endsWith(sender.substring(ANY.length() - 1))) return false;
        long[] endpoint = FlowMatch.endpoint(seen);
        if (endpoint == null) return false;
        for (int a : addressesOf(topology, process)) if (a == (int) endpoint[0]) return true;
        return false;
    }

    private static double ratio(long part, long whole) {
        return whole == 0 ? Double.NaN : (double) part / whole;
    }

    private static List<String> nodeNames(Topology topology) {
        List<String> names = new ArrayList<>(topology.nodes().keySet());
        names.addAll(topology.switches().keySet());
        return names;
    }

    // "a1/ping-0" runs on a1: the addresses of a1's interfaces
    private static int[] addressesOf(Topology topology, String process) {
        int slash = process.indexOf('/');
        NodeSpec node = topology.node(slash < 0 ? process : process.substring(0, slash));
        if (node == null) return new int[0];
        return node.interfaces().stream().mapToInt(i -> i.address()).toArray();
    }

    private static FlowRow udpRow(String flow, String source, String destination, long packetsSent, long bytesSent,
                                  UdpFlowReport sink, long lost) {
        long received = sink == null ? 0 : sink.packets(), bytes = sink == null ? 0 : sink.bytes();
        double span = sink == null ? 0 : sink.lastNs() - sink.firstNs();
        double goodput = span > 0 ? bytes * 8 * 1e9 / span : Double.NaN;
        long sent = packetsSent > 0 ? packetsSent : (sink == null ? 0 : sink.packets() + sink.lost());
        return new FlowRow(flow, "udp", source, destination, packetsSent, bytesSent, received, bytes, lost,
                Math.max(0, sent - received - lost), goodput, ratio(lost, sent),
                FlowRow.ONE_WAY, sink == null ? Double.NaN : sink.delayPercentileNs(50),
                sink == null ? Double.NaN : sink.delayPercentileNs(90), sink == null ? Double.NaN : sink.delayPercentileNs(99),
                sink == null ? Double.NaN : sink.maxDelayNs(), sink == null ? Double.NaN : sink.jitterNs());
    }

    private static void addGoodput(List<SeriesPoint> series, String flow, UdpFlowReport sink) {
        String name = SeriesPoint.goodputSeries(flow);
        long[] buckets = sink.bucketBytes();
        for (int i = 0; i < buckets.length; i++) {
            series.add(new SeriesPoint(i * sink.bucketNs(), name, buckets[i] * 8 * 1e9 / sink.bucketNs()));
        }
    }

    /** Nearest-rank percentile of sorted values; NaN when there are none. */
    static double percentile(long[] sorted, int p) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    // "h1.eth0.tx0" and "h1.eth0.rx3" add up to "h1.eth0"
    private static String interfaceOf(String scope) {
        String queue = DropAccounting.queueOf(scope);
        return queue == null ? null : scope.substring(0, scope.length() - queue.length() - 1);
    }

    /**
     * Writes apps/<node>.<process>.txt for each process that printed something (ping's output), one line
     * after another as it printed them, streamed; returns each process's exit status, by process name.
     */
    public static Map<String, Integer> writeAppOutputs(Path dir, RunResult result) throws IOException {
        Map<String, AppOutput> outputs = new TreeMap<>();
        for (List<CrossJvm> reports : result.reports().values()) {
            for (CrossJvm r : reports) {
                if (r instanceof AppOutput a && a.lines().length > 0) outputs.put(a.process(), a);
            }
        }
        Map<String, Integer> status = new TreeMap<>();
        for (AppOutput a : outputs.values()) {
            if (a.exitStatus() >= 0) status.put(a.process(), a.exitStatus());
            Path file = ResultFiles.inside(dir.resolve("apps"), a.process().replace('/', '.') + ".txt");
            ResultFiles.writeAtomically(file, out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                for (String line : a.lines()) w.append(line).append('\n');
                w.flush();
            });
        }
        return status;
    }

    /**
     * Writes neigh.csv (every neighbour transition of every host, by time, then node) and neigh.txt (each
     * node's table at the end, by node) from the hosts' reports.
     */
    public static void writeNeighbours(Path dir, RunResult result, NetworkBuilder.Network network,
                                       knetsim.topology.results.ResultsWriter.Options options) throws IOException {
        List<String> nodes = new ArrayList<>();
        List<NeighReport> reports = new ArrayList<>();
        result.reports().forEach((lp, items) -> {
            for (CrossJvm r : items) {
                if (r instanceof NeighReport n) {
                    nodes.add(network.scopes().get(lp));
                    reports.add(n);
                }
            }
        });
        Integer[] byNode = new Integer[reports.size()];
        for (int i = 0; i < byNode.length; i++) byNode[i] = i;
        Arrays.sort(byNode, (x, y) -> NeighFiles.compareNames(nodes.get(x), nodes.get(y)));
        // (time, node rank, index): each report is already in time order; the sort interleaves them
        int total = 0;
        for (NeighReport r : reports) total += r.timesNs().length;
        long[][] keys = new long[total][];
        int k = 0;
        for (int rank = 0; rank < byNode.length; rank++) {
            NeighReport r = reports.get(byNode[rank]);
            for (int i = 0; i < r.timesNs().length; i++) keys[k++] = new long[] {r.timesNs()[i], rank, i};
        }
        Arrays.sort(keys, (x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : x[1] != y[1] ? Long.compare(x[1], y[1])
                : Long.compare(x[2], y[2]));
        java.util.Iterator<String[]> rows = Arrays.stream(keys).map(key -> {
            int node = byNode[(int) key[1]], i = (int) key[2];
            NeighReport r = reports.get(node);
            return new String[] {Long.toString(key[0]), nodes.get(node), r.interfaces()[i], r.addresses()[i],
                r.lladdrs()[i], r.from()[i], r.to()[i]};
        }).iterator();
        java.util.Iterator<String> table = Arrays.stream(byNode)
                .flatMap(node -> Arrays.stream(reports.get(node).table()).map(line -> nodes.get(node) + ": " + line))
                .iterator();
        NeighFiles.write(dir, rows, table, options);
    }

    /** Writes pcap/<device>.pcap for each captured device, {@code snaplen} in its header; returns the relative paths. */
    public static List<String> writePcaps(Path dir, RunResult result, int snaplen) throws IOException {
        Map<String, List<CaptureRecord>> byDevice = new TreeMap<>();
        for (List<CrossJvm> reports : result.reports().values()) {
            for (CrossJvm r : reports) {
                if (r instanceof CaptureChunk c) byDevice.computeIfAbsent(c.device(), d -> new ArrayList<>()).addAll(List.of(c.records()));
            }
        }
        List<String> files = new ArrayList<>();
        if (byDevice.isEmpty()) return files;
        Files.createDirectories(dir.resolve("pcap"));
        for (var e : byDevice.entrySet()) {
            List<CaptureRecord> records = e.getValue();
            records.sort(CaptureRecord.ORDER);
            String name = "pcap/" + e.getKey() + ".pcap";
            ResultFiles.writeAtomically(ResultFiles.inside(dir.resolve("pcap"), e.getKey() + ".pcap"), PcapWriter.toBytes(records, snaplen));
            files.add(name);
        }
        return files;
    }
}
