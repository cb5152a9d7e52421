package knetsim.topology.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Writes a run's results directory: summary.json, counters.csv, drops.csv, flows.csv, series.csv,
 * plots/*.png and report.html (see docs/results.md). Every file is written atomically, and the same
 * report always gives the same bytes in the CSV, JSON and HTML files: rows are sorted and numbers
 * are formatted without locale.
 */
public final class ResultsWriter {
    static final Comparator<CounterRow> COUNTER_ORDER = Comparator.comparing(CounterRow::scope, Csv.NATURAL)
            .thenComparing(CounterRow::name, Csv.NATURAL).thenComparingLong(CounterRow::value);
    static final Comparator<DropRow> DROP_ORDER = Comparator.comparing(DropRow::scope, Csv.NATURAL)
            .thenComparing(DropRow::reason, Csv.NATURAL).thenComparingLong(DropRow::count);
    static final Comparator<FlowRow> FLOW_ORDER = Comparator.comparing(FlowRow::flow, Csv.NATURAL)
            .thenComparing(FlowRow::toString);
    static final Comparator<SeriesPoint> SERIES_ORDER = Comparator.comparing(SeriesPoint::series, Csv.NATURAL)
            .thenComparingLong(SeriesPoint::timeNs).thenComparingDouble(SeriesPoint::value);

    static final String[] FLOW_COLUMNS = {"flow", "protocol", "source", "destination", "packets_sent", "bytes_sent",
        "packets_received", "bytes_received", "goodput_bps", "loss_ratio", "delay_kind", "delay_p50_ns", "delay_p90_ns",
        "delay_p99_ns", "delay_max_ns", "jitter_ns"};

    private ResultsWriter() {}

    /** Writes every results file into {@code dir} (created if missing); returns the plots written. */
    public static List<Path> write(Path dir, RunReport report) throws IOException {
        ResultFiles.writeAtomically(dir.resolve("counters.csv"), counters(report).bytes());
        ResultFiles.writeAtomically(dir.resolve("drops.csv"), drops(report).bytes());
        ResultFiles.writeAtomically(dir.resolve("flows.csv"), flows(report).bytes());
        ResultFiles.writeAtomically(dir.resolve("series.csv"), series(report).bytes());
        List<Plots.Plot> plots = Plots.write(dir, report.series());
        ResultFiles.writeAtomically(dir.resolve("report.html"), ReportPage.render(report, plots));
        // Last, so that a summary.json on disk means the whole directory is there.
        ResultFiles.writeJson(dir.resolve("summary.json"), report.summary());
        List<Path> written = new ArrayList<>();
        for (Plots.Plot p : plots) {
            written.add(dir.resolve(p.file()));
        }
        return written;
    }

    private static Csv counters(RunReport report) {
        Csv csv = new Csv("scope", "name", "value");
        report.counters().stream().sorted(COUNTER_ORDER)
                .forEach(r -> csv.row(r.scope(), r.name(), Csv.number(r.value())));
        return csv;
    }

    private static Csv drops(RunReport report) {
        Csv csv = new Csv("scope", "reason", "count");
        report.drops().stream().sorted(DROP_ORDER)
                .forEach(r -> csv.row(r.scope(), r.reason(), Csv.number(r.count())));
        return csv;
    }

    private static Csv flows(RunReport report) {
        // the TCP columns come after the others, and only when there is a TCP flow
        boolean tcp = report.flows().stream().anyMatch(f -> f.tcp() != null);
        Csv csv = new Csv(tcp ? concat(FLOW_COLUMNS, TcpColumns.COLUMNS) : FLOW_COLUMNS);
        report.flows().stream().sorted(FLOW_ORDER).forEach(f -> {
            String[] cells = {f.flow(), f.protocol(), f.source(),
                f.destination(), Csv.number(f.packetsSent()), Csv.number(f.bytesSent()),
                Csv.number(f.packetsReceived()), Csv.number(f.bytesReceived()), Csv.number(f.goodputBps()),
                Csv.number(f.lossRatio()), f.delayKind(), Csv.number(f.delayP50Ns()), Csv.number(f.delayP90Ns()),
                Csv.number(f.delayP99Ns()), Csv.number(f.delayMaxNs()), Csv.number(f.jitterNs())};
            csv.row(tcp ? concat(cells, f.tcp() != null ? f.tcp().cells() : TcpColumns.empty()) : cells);
        });
        return csv;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static Csv series(RunReport report) {
        Csv csv = new Csv("time_ns", "series", "value");
        report.series().stream().sorted(SERIES_ORDER)
                .forEach(p -> csv.row(Csv.number(p.timeNs()), p.series(), Csv.number(p.value())));
        return csv;
    }
}
