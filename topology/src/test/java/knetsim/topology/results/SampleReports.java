package knetsim.topology.results;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reports shaped like a small dumbbell run, for the results tests. */
final class SampleReports {
    static final String FLOW = "h1->h2:9000 udp-cbr";
    static final String ODD_FLOW = "h3->h4:80 \"bulk, cubic\"";

    private SampleReports() {}

    static RunReport dumbbell() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("configSha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
        summary.put("seed", 42);
        summary.put("versions", Map.of("knetsim", "0.1.0-SNAPSHOT"));
        summary.put("members", 1);
        summary.put("lookaheadLocalNs", 1_000_000L);
        summary.put("lookaheadGlobalNs", null);
        summary.put("wallSeconds", 3.25);
        summary.put("events", 1_234_567L);
        summary.put("eventsPerSecond", 2_100_000.5);
        summary.put("digest", "3fa2b1c9d0e1ffeeddccbbaa99887766");
        summary.put("complete", true);
        List<CounterRow> counters = List.of(
                new CounterRow("h1.eth0", "tx_packets", 10_000), new CounterRow("h1.eth0", "rx_packets", 12),
                new CounterRow("h10.eth0", "rx_packets", 7), new CounterRow("h2.eth0", "rx_packets", 9_950),
                new CounterRow("h2.eth0", "tx_packets", 5), new CounterRow("r1.eth1", "qdisc_dropped", 40),
                new CounterRow("r1.eth1", "tx_dropped", 2), new CounterRow("r1.eth1", "tx_packets", 9_960),
                new CounterRow("h2.eth0", "rx_missed_errors", 8), new CounterRow("h2.eth0.rx0", "rx_packets", 9_950),
                new CounterRow("h1.cpu0", "processed", 10_012), new CounterRow("link.h1.eth0-sw1", "tx_packets", 10_000),
                new CounterRow("h1", "InDatagrams", 0), new CounterRow("odd, \"scope\"", "na\"me", -1));
        List<DropRow> drops = List.of(new DropRow("r1.eth1 qdisc", "QDISC_DROP", 40), new DropRow("h2.eth0 ring", "FULL_RING", 8),
                new DropRow("h2 socket", "NO_SOCKET", 2), new DropRow("r1 neighbour", "NEIGH_FAILED", 1),
                new DropRow("r2.eth0 qdisc", "QDISC_DROP", 3));
        List<FlowRow> flows = List.of(
                new FlowRow(FLOW, "udp", "10.0.1.2:40000", "10.0.2.2:9000", 10_000, 12_000_000, 9_950, 11_940_000, 46, 4,
                        19_104_000.0, 0.005, FlowRow.ONE_WAY, 10_250_000, 11_000_000, 12_750_000, 14_000_000, 35_000),
                new FlowRow(ODD_FLOW, "tcp", "10.0.3.2:50000", "10.0.4.2:80", 800, 1_000_000, 800, 1_000_000, 0, 0,
                        8_000_000.0, 0.0, FlowRow.RTT, 20_000_000, 21_000_000, 22_500_000, 30_000_000, Double.NaN));
        List<SeriesPoint> series = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            long t = i * 100_000_000L;
            series.add(new SeriesPoint(t, SeriesPoint.goodputSeries(FLOW), 19e6 + (i % 3) * 1e5));
            series.add(new SeriesPoint(t, "r1.eth1:qdisc:backlog", i * 1500));
        }
        series.add(new SeriesPoint(500_000_000L, "odd, \"series\"", 0.1));
        return new RunReport(summary, counters, drops, flows, series, List.of("pcap/h1.eth0.pcap", "pcap/r1.eth1.pcap"));
    }

    /** The same content with every list in reverse order: the files must not change. */
    static RunReport reversed(RunReport r) {
        return new RunReport(r.summary(), rev(r.counters()), rev(r.drops()), rev(r.flows()), rev(r.series()),
                rev(r.pcapFiles()));
    }

    private static <T> List<T> rev(List<T> list) {
        List<T> copy = new ArrayList<>(list);
        Collections.reverse(copy);
        return copy;
    }

    /** RFC 4180 parsing, written independently of the writer. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        if (field.length() > 0 || !row.isEmpty()) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
