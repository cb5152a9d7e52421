package knetsim.topology.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The short text a run prints when it ends: flows, interfaces, top drop reasons and one summary line. */
public final class SummaryTable {
    static final int TOP_DROP_REASONS = 5;
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";

    private SummaryTable() {}

    /** Plain text, for logs and pipes. */
    public static String render(RunReport report) {
        return render(report, false);
    }

    /** With {@code terminal} set, section titles are bold; otherwise the text has no escape codes. */
    public static String render(RunReport report, boolean terminal) {
        StringBuilder out = new StringBuilder();
        if (!report.flows().isEmpty()) {
            title(out, "flows", terminal);
            Table t = new Table("flow", "delivered/sent", "lost", "in flight", "loss", "goodput", "delay", "p50 ms", "p99 ms");
            Top<FlowRow> flows = Top.of(report.flows(), ResultsWriter.FLOW_ORDER, Top.FLOW_RANK, TOP_ROWS);
            // a TCP connection the run cut short has no final segment counts: "-" (its drops are still counted)
            flows.shown().forEach(f -> t.row(f.flow(),
                    f.packetsSent() < 0 ? "-" : Format.grouped(f.packetsReceived()) + "/" + Format.grouped(f.packetsSent()),
                    Format.grouped(f.packetsLost()),
                    f.inFlightAtEnd() < 0 ? "-" : Format.grouped(f.inFlightAtEnd()), Format.percent(f.lossRatio()),
                    Format.si(f.goodputBps(), "bit/s"), f.delayKind(), Format.millis(f.delayP50Ns()),
                    Format.millis(f.delayP99Ns())));
            if (report.flows().size() > 1) {
                long sent = 0, received = 0, lost = 0, inFlight = 0;
                for (FlowRow f : report.flows()) {
                    if (f.packetsSent() < 0) continue; // unknown counts (a TCP connection cut short)
                    sent += f.packetsSent();
                    received += f.packetsReceived();
                    lost += f.packetsLost();
                    inFlight += f.inFlightAtEnd();
                }
                t.row("all " + report.flows().size() + " flows", Format.grouped(received) + "/" + Format.grouped(sent),
                        Format.grouped(lost), Format.grouped(inFlight), sent == 0 ? "-" : Format.percent((double) lost / sent),
                        "", "", "", "");
            }
            t.appendTo(out);
            leftOut(out, flows.leftOut(), "flows", "flows.csv");
        }
        if (report.flows().stream().anyMatch(f -> f.tcp() != null)) {
            title(out, "tcp flows", terminal);
            Table t = new Table("flow", "cc", "goodput", "retrans", "rtt p50 ms", "rtt p99 ms", "cwnd min/mean/max",
                    "fct ms", "finished");
            report.flows().stream().filter(f -> f.tcp() != null).sorted(ResultsWriter.FLOW_ORDER).forEach(f -> t.row(
                    f.flow(), f.tcp().cc(), Format.si(f.goodputBps(), "bit/s"), Format.grouped(f.tcp().retransSegs()),
                    Format.millis(f.delayP50Ns()), Format.millis(f.delayP99Ns()),
                    Double.isNaN(f.tcp().cwndMean()) ? "-" : String.format(java.util.Locale.ROOT, "%.0f/%.1f/%.0f",
                            f.tcp().cwndMin(), f.tcp().cwndMean(), f.tcp().cwndMax()), Format.millis(f.tcp().completionNs()), f.tcp().finished() ? "yes" : "no"));
            t.appendTo(out);
        }
        if (!report.fct().isEmpty()) {
            title(out, "flow completion times (tcp-flows, " + Format.grouped(report.fct().size()) + " flows)", terminal);
            Table t = new Table("size", "flows", "finished", "fct p50 ms", "fct p99 ms", "slowdown p50", "slowdown p99");
            for (FctBuckets.Bucket b : FctBuckets.of(report.fct())) {
                t.row(b.label(), Format.grouped(b.flows()), Format.grouped(b.finished()), Format.millis(b.fctP50Ns()),
                        Format.millis(b.fctP99Ns()), Format.ratio(b.slowdownP50()), Format.ratio(b.slowdownP99()));
            }
            t.appendTo(out);
        }
        if (report.summary().get("exitStatus") instanceof Map<?, ?> status && !status.isEmpty()) {
            // ping's exit status (0 replies came, 1 none, 2 it could not start); failures first
            title(out, "apps", terminal);
            Table t = new Table("process", "exit status", "output");
            List<Map.Entry<?, ?>> rows = new ArrayList<>(status.entrySet());
            rows.sort(Comparator.comparing((Map.Entry<?, ?> e) -> ((Number) e.getValue()).intValue() == 0)
                    .thenComparing(e -> String.valueOf(e.getKey()), Csv.NATURAL));
            rows.stream().limit(TOP_ROWS).forEach(e -> t.row(String.valueOf(e.getKey()), String.valueOf(e.getValue()),
                    "apps/" + String.valueOf(e.getKey()).replace('/', '.') + ".txt"));
            t.appendTo(out);
            leftOut(out, Math.max(0, rows.size() - TOP_ROWS), "apps", "summary.json");
        }
        List<InterfaceStats> interfaces = InterfaceStats.of(report);
        if (!interfaces.isEmpty()) {
            title(out, "interfaces", terminal);
            Table t = new Table("interface", "rx packets", "tx packets", "queue drops", "ring overruns");
            Top<InterfaceStats> shown = Top.of(interfaces, Comparator.comparing(InterfaceStats::scope, Csv.NATURAL),
                    Top.INTERFACE_RANK, TOP_ROWS);
            for (InterfaceStats s : shown.shown()) {
                t.row(s.scope(), count(s.get("rx_packets")), count(s.get("tx_packets")),
                        count(s.sum("qdisc_dropped", "tx_dropped")), count(s.get("rx_missed_errors")));
            }
            t.appendTo(out);
            leftOut(out, shown.leftOut(), "interfaces", "counters.csv");
        }
        if (!report.drops().isEmpty()) {
            title(out, "top drop reasons", terminal);
            Table t = new Table("reason", "count", "where");
            topDrops(report.drops()).forEach(t::row);
            t.appendTo(out);
        }
        out.append(summaryLine(report.summary())).append('\n');
        return out.toString();
    }

    /** Rows a table shows before it keeps only the top ones (most drops, most bytes). */
    static final int TOP_ROWS = 10;

    private static void leftOut(StringBuilder out, int n, String what, String file) {
        if (n > 0) out.append("  ... ").append(Format.grouped(n)).append(" more ").append(what).append(" (").append(file)
                .append(" has them all)\n");
    }

    private static void title(StringBuilder out, String title, boolean terminal) {
        out.append(terminal ? BOLD + title + RESET : title).append('\n');
    }

    private static String count(Long v) {
        return v == null ? "-" : Format.grouped(v);
    }

    /** Reasons by total count over all places, largest first; "where" names the places that dropped most. */
    private static List<String[]> topDrops(List<DropRow> drops) {
        Map<String, Map<String, Long>> byReason = new TreeMap<>(Csv.NATURAL);
        for (DropRow d : drops) {
            byReason.computeIfAbsent(d.reason(), k -> new TreeMap<>(Csv.NATURAL)).merge(d.place(), d.count(), Long::sum);
        }
        List<Map.Entry<String, Map<String, Long>>> reasons = new ArrayList<>(byReason.entrySet());
        reasons.sort(Comparator.comparingLong((Map.Entry<String, Map<String, Long>> e) -> total(e.getValue())).reversed());
        List<String[]> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, Long>> e : reasons.subList(0, Math.min(TOP_DROP_REASONS, reasons.size()))) {
            List<Map.Entry<String, Long>> places = new ArrayList<>(e.getValue().entrySet());
            places.sort(Map.Entry.<String, Long>comparingByValue().reversed());
            StringBuilder where = new StringBuilder();
            for (int i = 0; i < Math.min(3, places.size()); i++) {
                where.append(i > 0 ? ", " : "").append(places.get(i).getKey()).append(" (")
                        .append(Format.grouped(places.get(i).getValue())).append(')');
            }
            if (places.size() > 3) {
                where.append(", ").append(places.size() - 3).append(" more");
            }
            rows.add(new String[] {e.getKey(), Format.grouped(total(e.getValue())), where.toString()});
        }
        return rows;
    }

    private static long total(Map<String, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    static String summaryLine(Map<String, Object> s) {
        StringBuilder b = new StringBuilder();
        Object events = s.get("events");
        if (events instanceof Number n) {
            b.append("events ").append(Format.grouped(n.longValue()));
            if (s.get("eventsPerSecond") instanceof Number r) {
                b.append(" (").append(Format.si(r.doubleValue())).append("/s)");
            }
        }
        if (s.get("wallSeconds") instanceof Number w) {
            b.append(b.length() > 0 ? "  " : "").append("wall ").append(Format.fixed(w.doubleValue(), 1)).append(" s");
        }
        if (s.get("digest") instanceof String d) {
            b.append(b.length() > 0 ? "  " : "").append("digest ").append(d, 0, Math.min(12, d.length()));
        }
        Object complete = s.get("complete");
        if (complete != null) {
            boolean ok = Boolean.TRUE.equals(complete);
            b.append(b.length() > 0 ? "  " : "").append("complete ").append(ok ? "yes" : "no");
            if (!ok && s.get("reason") != null) {
                b.append(" (").append(s.get("reason")).append(')');
            }
        }
        return b.toString();
    }

    /** Columns padded to their widest cell; numbers (cells starting with a digit or '-') right-aligned. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        void row(String... cells) {
            rows.add(cells);
        }

        void appendTo(StringBuilder out) {
            int columns = rows.get(0).length;
            int[] width = new int[columns];
            boolean[] numeric = new boolean[columns];
            for (int c = 0; c < columns; c++) {
                numeric[c] = rows.size() > 1;
                for (int r = 0; r < rows.size(); r++) {
                    width[c] = Math.max(width[c], rows.get(r)[c].length());
                    if (r > 0 && !isNumber(rows.get(r)[c])) {
                        numeric[c] = false;
                    }
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder("  ");
                for (int c = 0; c < columns; c++) {
                    String cell = row[c];
                    String pad = " ".repeat(width[c] - cell.length());
                    line.append(numeric[c] ? pad + cell : cell + (c == columns - 1 ? "" : pad));
                    if (c < columns - 1) {
                        line.append("  ");
                    }
                }
                out.append(line.toString().stripTrailing()).append('\n');
            }
        }

        private static boolean isNumber(String cell) {
            return !cell.isEmpty() && (Character.isDigit(cell.charAt(0)) || cell.charAt(0) == '-');
        }
    }
}
