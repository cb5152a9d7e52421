package knetsim.topology.results;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

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

    /** fct.csv: one row per tcp-flows connection. */
    static final String[] FCT_COLUMNS = {"flow", "source", "destination", "size_bytes", "start_ns", "fct_ns",
        "ideal_fct_ns", "slowdown", "finished", "retrans_segs", "error"};
    static final Comparator<FctRow> FCT_ORDER = Comparator.comparingLong(FctRow::startNs)
            .thenComparing(FctRow::flow, Csv.NATURAL).thenComparing(FctRow::source, Csv.NATURAL);

    /** flows.csv's common columns; a TCP flow's (TcpColumns) follow when there is one. */
    static final String[] FLOW_COLUMNS = {"flow", "protocol", "source", "destination", "packets_sent", "bytes_sent",
        "packets_received", "bytes_received", "lost", "in_flight_at_end", "goodput_bps", "loss_ratio", "delay_kind",
        "delay_p50_ns", "delay_p90_ns", "delay_p99_ns", "delay_max_ns", "jitter_ns"};

    private ResultsWriter() {}

    /**
     * How much to write: {@code allPlots} adds one chart per flow; {@code top} is how many rows the report's
     * tables and an overlay plot show (the CSVs keep every row); {@code plotFormats} are written besides PNG
     * ("svg", "pdf"); {@code compress} gzips the CSV files (NAME.csv.gz).
     */
    public record Options(boolean allPlots, int top, List<String> plotFormats, boolean compress) {
        public static final Options DEFAULT = new Options(false, 8, List.of(), false);

        public Options {
            plotFormats = List.copyOf(plotFormats);
        }
    }

    /** Starts loading what drawing plots needs, in the background: call when a run starts. */
    public static void warmUp() {
        Plots.warmUp();
    }

    /** Writes every results file into {@code dir} (created if missing); returns the plots written. */
    public static List<Path> write(Path dir, RunReport report) throws IOException {
        return write(dir, report, Options.DEFAULT, Map::of);
    }

    /** As {@link #write(Path, RunReport)}; {@code late} gives keys added to summary.json as it is written (timings). */
    public static List<Path> write(Path dir, RunReport report, Options options, Supplier<Map<String, Object>> late)
            throws IOException {
        // the plots draw on another thread while the CSV files stream out: Java2D's start-up is most of their cost
        java.util.concurrent.CompletableFuture<List<Plots.Plot>> drawing = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Plots.write(dir, report.series(), report.flows(), report.fct(),
                        new Plots.Options(options.allPlots(), options.top(), options.plotFormats()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        csv(dir, "counters.csv", options, new String[] {"scope", "name", "value"}, csv -> report.counters().stream()
                .sorted(COUNTER_ORDER).forEach(r -> csv.row(r.scope(), r.name(), Csv.number(r.value()))));
        csv(dir, "drops.csv", options, new String[] {"place", "reason", "packets"}, csv -> report.drops().stream()
                .sorted(DROP_ORDER).forEach(r -> csv.row(r.place(), r.reason(), Csv.number(r.count()))));
        csv(dir, "flows.csv", options, flowHeader(report), csv -> flowRows(report, csv));
        csv(dir, "flow_drops.csv", options, new String[] {"flow", "place", "reason", "packets", "bytes"},
                csv -> report.flowDrops().stream().sorted(FLOW_DROP_ORDER).forEach(r -> csv.row(r.flow(), r.place(),
                        r.reason(), Csv.number(r.packets()), Csv.number(r.bytes()))));
        if (!report.fct().isEmpty()) {
            csv(dir, "fct.csv", options, FCT_COLUMNS, csv -> report.fct().stream().sorted(FCT_ORDER).forEach(r -> csv.row(
                    r.flow(), r.source(), r.destination(), Csv.number(r.sizeBytes()), Csv.number(r.startNs()),
                    Csv.number(r.fctNs()), Csv.number(r.idealNs()), Csv.number(r.slowdown()), String.valueOf(r.finished()),
                    Csv.number(r.retransSegs()), r.error())));
        }
        csv(dir, "series.csv", options, SERIES_COLUMNS, csv -> report.series().stream().sorted(SERIES_ORDER)
                .forEach(p -> seriesRow(p, csv)));
        List<Plots.Plot> plots;
        String plotsSkipped = null;
        try {
            plots = drawing.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) throw io.getCause();
            // Java2D cannot draw here (a server without the font libraries: libfreetype, fontconfig): the
            // results are still worth having, so the run keeps its CSVs, report and summary, without plots
            plots = List.of();
            plotsSkipped = e.getCause() == null ? String.valueOf(e) : e.getCause().toString();
            System.err.println("knetsim: warning: no plots were drawn (" + plotsSkipped
                    + "); install the font libraries (Debian: fontconfig, libfreetype6) to get them");
        }
        ResultFiles.writeAtomically(ResultFiles.inside(dir, "report.html"), ReportPage.render(report, plots, options.top(),
                java.nio.file.Files.exists(dir.resolve("topology.svg")) ? "topology.svg" : null));
        Map<String, Object> summary = new LinkedHashMap<>(report.summary());
        summary.putAll(late.get());
        if (plotsSkipped != null) summary.put("plotsSkipped", plotsSkipped);
        // Last, so that a summary.json on disk means the whole directory is there.
        ResultFiles.writeJson(ResultFiles.inside(dir, "summary.json"), summary);
        List<Path> written = new ArrayList<>();
        for (Plots.Plot p : plots) {
            written.add(dir.resolve(p.file()));
        }
        return written;
    }

    // streams one CSV file row by row (gzip with --compress); nothing of it is held in memory
    static void csv(Path dir, String name, Options options, String[] header, Consumer<Csv> rows) throws IOException {
        ResultFiles.writeAtomically(ResultFiles.inside(dir, options.compress() ? name + ".gz" : name), out -> {
            GZIPOutputStream gzip = options.compress() ? new GZIPOutputStream(out, 1 << 16) : null;
            Writer w = new BufferedWriter(new OutputStreamWriter(gzip != null ? gzip : out, StandardCharsets.UTF_8), 1 << 16);
            try {
                rows.accept(new Csv(w, header));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            w.flush();
            if (gzip != null) gzip.finish();
        });
    }

    /** series.csv's tidy columns: a recorded series "target:layer:counter" is scope, layer, name; a flow's goodput has flow. */
    static final String[] SERIES_COLUMNS = {"time_ns", "scope", "layer", "name", "flow", "value"};

    private static void seriesRow(SeriesPoint p, Csv csv) {
        String flow = Plots.flowOf(p.series());
        String time = Csv.number(p.timeNs()), value = Csv.number(p.value());
        if (flow != null) {
            csv.row(time, "flow", "app", SeriesPoint.GOODPUT_SUFFIX.substring(1), flow, value);
            return;
        }
        String[] parts = p.series().split(":", 3);
        if (parts.length == 3) csv.row(time, parts[0], parts[1], parts[2], "", value);
        else csv.row(time, p.series(), "", "", "", value);
    }

    private static String[] flowHeader(RunReport report) {
        // the TCP columns come after the others, and only when there is a TCP flow
        return hasTcp(report) ? concat(FLOW_COLUMNS, TcpColumns.COLUMNS) : FLOW_COLUMNS;
    }

    private static boolean hasTcp(RunReport report) {
        return report.flows().stream().anyMatch(f -> f.tcp() != null);
    }

    private static void flowRows(RunReport report, Csv csv) {
        boolean tcp = hasTcp(report);
        report.flows().stream().sorted(FLOW_ORDER).forEach(f -> {
            String[] cells = {f.flow(), f.protocol(), f.source(),
                f.destination(), count(f.packetsSent()), Csv.number(f.bytesSent()),
                count(f.packetsReceived()), Csv.number(f.bytesReceived()), Csv.number(f.packetsLost()),
                count(f.inFlightAtEnd()), Csv.number(f.goodputBps()),
                Csv.number(f.lossRatio()), f.delayKind(), Csv.number(f.delayP50Ns()), Csv.number(f.delayP90Ns()),
                Csv.number(f.delayP99Ns()), Csv.number(f.delayMaxNs()), Csv.number(f.jitterNs())};
            csv.row(tcp ? concat(cells, f.tcp() != null ? f.tcp().cells() : TcpColumns.empty()) : cells);
        });
    }

    // a packet count; empty when unknown (-1: a TCP connection the run cut short)
    private static String count(long n) {
        return n < 0 ? "" : Csv.number(n);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
