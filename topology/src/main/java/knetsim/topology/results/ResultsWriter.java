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
    static final Comparator<DropRow> DROP_ORDER = Comparator.comparing(DropRow::place, Csv.NATURAL)
            .thenComparing(DropRow::reason, Csv.NATURAL).thenComparingLong(DropRow::count);
    static final Comparator<FlowRow> FLOW_ORDER = Comparator.comparing(FlowRow::flow, Csv.NATURAL)
            .thenComparing(FlowRow::toString);
    static final Comparator<SeriesPoint> SERIES_ORDER = Comparator.comparing(SeriesPoint::series, Csv.NATURAL)
            .thenComparingLong(SeriesPoint::timeNs).thenComparingDouble(SeriesPoint::value);

    static final Comparator<FlowDropRow> FLOW_DROP_ORDER = Comparator.comparing(FlowDropRow::flow, Csv.NATURAL)
            .thenComparing(FlowDropRow::place, Csv.NATURAL).thenComparing(FlowDropRow::reason, Csv.NATURAL)
            .thenComparing(FlowDropRow::toString);

    /** flows.csv's common columns; a protocol's own (FlowRow.extra) follow in name order. */
    static final String[] FLOW_COLUMNS = {"flow", "protocol", "source", "destination", "packets_sent", "bytes_sent",
        "packets_received", "bytes_received", "lost", "in_flight_at_end", "goodput_bps", "loss_ratio", "delay_kind",
        "delay_p50_ns", "delay_p90_ns", "delay_p99_ns", "delay_max_ns", "jitter_ns"};

    private ResultsWriter() {}

    /** Writes every results file into {@code dir} (created if missing); returns the plots written. */
    public static List<Path> write(Path dir, RunReport report) throws IOException {
        ResultFiles.writeAtomically(dir.resolve("counters.csv"), counters(report).bytes());
        ResultFiles.writeAtomically(dir.resolve("drops.csv"), drops(report).bytes());
        ResultFiles.writeAtomically(dir.resolve("flows.csv"), flows(report).bytes());
        ResultFiles.writeAtomically(dir.resolve("flow_drops.csv"), flowDrops(report).bytes());
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
        Csv csv = new Csv("place", "reason", "packets");
        report.drops().stream().sorted(DROP_ORDER)
                .forEach(r -> csv.row(r.place(), r.reason(), Csv.number(r.count())));
        return csv;
    }

    private static Csv flowDrops(RunReport report) {
        Csv csv = new Csv("flow", "place", "reason", "packets", "bytes");
        report.flowDrops().stream().sorted(FLOW_DROP_ORDER).forEach(r -> csv.row(r.flow(), r.place(), r.reason(),
                Csv.number(r.packets()), Csv.number(r.bytes())));
        return csv;
    }

    private static Csv flows(RunReport report) {
        java.util.TreeSet<String> extra = new java.util.TreeSet<>(Csv.NATURAL);
        report.flows().forEach(f -> extra.addAll(f.extra().keySet()));
        List<String> header = new ArrayList<>(List.of(FLOW_COLUMNS));
        header.addAll(extra);
        Csv csv = new Csv(header.toArray(String[]::new));
        report.flows().stream().sorted(FLOW_ORDER).forEach(f -> {
            List<String> row = new ArrayList<>(List.of(f.flow(), f.protocol(), f.source(),
                    f.destination(), Csv.number(f.packetsSent()), Csv.number(f.bytesSent()),
                    Csv.number(f.packetsReceived()), Csv.number(f.bytesReceived()), Csv.number(f.packetsLost()),
                    Csv.number(f.inFlightAtEnd()), Csv.number(f.goodputBps()),
                    Csv.number(f.lossRatio()), f.delayKind(), Csv.number(f.delayP50Ns()), Csv.number(f.delayP90Ns()),
                    Csv.number(f.delayP99Ns()), Csv.number(f.delayMaxNs()), Csv.number(f.jitterNs())));
            for (String column : extra) row.add(Csv.number(f.extra().getOrDefault(column, Double.NaN)));
            csv.row(row.toArray(String[]::new));
        });
        return csv;
    }

    private static Csv series(RunReport report) {
        Csv csv = new Csv("time_ns", "series", "value");
        report.series().stream().sorted(SERIES_ORDER)
                .forEach(p -> csv.row(Csv.number(p.timeNs()), p.series(), Csv.number(p.value())));
        return csv;
    }
}
