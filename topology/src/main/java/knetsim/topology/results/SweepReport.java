package knetsim.topology.results;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a sweep writes and prints: {@code sweep.csv} with one row per run in cross-product order, and a short
 * table. Nothing here depends on wall-clock time, so the same sweep gives the same bytes whatever its
 * parallelism.
 */
public final class SweepReport {
    /** Columns after {@code run} and the parameter paths. */
    static final String[] COLUMNS = {"seed", "complete", "digest", "events", "packets_sent", "packets_received",
        "packets_lost", "in_flight_at_end", "loss_ratio", "mean_goodput_bps", "mean_delay_p50_ns", "mean_delay_p99_ns",
        "max_delay_p99_ns", "mean_jitter_ns", "drops", "reason"};

    /** The metrics sweep-summary.csv gives mean, sd and a 95% confidence interval of, over the seeds of a point. */
    static final String[] METRICS = {"packets_lost", "in_flight_at_end", "loss_ratio", "mean_goodput_bps",
        "mean_delay_p50_ns", "mean_delay_p99_ns", "max_delay_p99_ns", "mean_jitter_ns", "drops"};

    /** How many metrics there are: sweep.html has a plot of each against each swept parameter. */
    public static final int METRICS_COUNT = METRICS.length;

    /**
     * One run of a sweep: its folder name, the parameter values in --param order, its seed, and its report (null
     * when the run did not produce one); {@code reason} says why an incomplete run failed.
     */
    public record Row(String run, List<String> values, long seed, boolean complete, RunReport report, String reason) {
        public Row {
            values = List.copyOf(values);
        }
    }

    /**
     * Headline numbers over every flow: packets sent, received, lost (dropped somewhere) and in flight at the end, the
     * mean goodput over flows that measured one (NaN when none did) and all drops counted.
     */
    public record Headline(long sent, long received, long lost, long inFlight, double meanGoodputBps, long drops,
                           double meanP50, double meanP99, double maxP99, double meanJitter) {
        /** The values of {@link #METRICS}, in order. */
        double[] metrics() {
            return new double[] {lost, inFlight, sent == 0 ? Double.NaN : (double) lost / sent, meanGoodputBps, meanP50,
                meanP99, maxP99, meanJitter, drops};
        }

        public static Headline of(RunReport report) {
            long sent = 0, received = 0, lost = 0, inFlight = 0, drops = 0;
            double goodput = 0;
            int measured = 0;
            for (FlowRow f : report.flows()) {
                lost += f.packetsLost();
                if (f.packetsSent() >= 0) { // -1: a TCP connection cut short, no final segment counts
                    sent += f.packetsSent();
                    received += f.packetsReceived();
                    inFlight += f.inFlightAtEnd();
                }
                if (!Double.isNaN(f.goodputBps())) {
                    goodput += f.goodputBps();
                    measured++;
                }
            }
            for (DropRow d : report.drops()) drops += d.count();
            return new Headline(sent, received, lost, inFlight, measured == 0 ? Double.NaN : goodput / measured, drops,
                    mean(report, FlowRow::delayP50Ns), mean(report, FlowRow::delayP99Ns),
                    report.flows().stream().mapToDouble(FlowRow::delayP99Ns).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN),
                    mean(report, FlowRow::jitterNs));
        }

        private static double mean(RunReport report, java.util.function.ToDoubleFunction<FlowRow> metric) {
            return report.flows().stream().mapToDouble(metric).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
        }
    }

    private SweepReport() {}

    /** sweep.csv: header {@code run,<params...>,seed,complete,digest,events,...}; rows in the order given. */
    public static byte[] csv(List<String> params, List<Row> rows) {
        List<String> header = new ArrayList<>();
        header.add("run");
        header.addAll(params);
        header.addAll(List.of(COLUMNS));
        Csv csv = new Csv(header.toArray(String[]::new));
        for (Row r : rows) {
            List<String> fields = new ArrayList<>();
            fields.add(r.run());
            fields.addAll(r.values());
            fields.add(Csv.number(r.seed()));
            fields.add(Boolean.toString(r.complete()));
            Headline h = r.complete() && r.report() != null ? Headline.of(r.report()) : null;
            fields.add(h == null ? "" : text(r.report().summary().get("digest")));
            fields.add(h == null ? "" : text(r.report().summary().get("events")));
            fields.add(h == null ? "" : Csv.number(h.sent()));
            fields.add(h == null ? "" : Csv.number(h.received()));
            fields.add(h == null ? "" : Csv.number(h.lost()));
            fields.add(h == null ? "" : Csv.number(h.inFlight()));
            fields.add(h == null ? "" : Csv.number(h.sent() == 0 ? Double.NaN : (double) h.lost() / h.sent()));
            fields.add(h == null ? "" : Csv.number(h.meanGoodputBps()));
            fields.add(h == null ? "" : Csv.number(h.meanP50()));
            fields.add(h == null ? "" : Csv.number(h.meanP99()));
            fields.add(h == null ? "" : Csv.number(h.maxP99()));
            fields.add(h == null ? "" : Csv.number(h.meanJitter()));
            fields.add(h == null ? "" : Csv.number(h.drops()));
            fields.add(r.complete() || r.reason() == null ? "" : r.reason());
            csv.row(fields.toArray(String[]::new));
        }
        return csv.bytes();
    }

    /** One point's statistics over its complete runs (the seeds): per metric, the runs that measured it and
     * {mean, sd, ci95_low, ci95_high} ({@link Stats#of}). */
    public record PointStats(int[] runs, double[][] stats) {}

    /** Per point (the --param values, in the order of the rows): its statistics, computed once for the CSV and the plots. */
    public static Map<List<String>, PointStats> points(List<Row> rows) {
        Map<List<String>, List<double[]>> byPoint = new LinkedHashMap<>();
        for (Row r : rows) {
            List<double[]> runs = byPoint.computeIfAbsent(r.values(), k -> new ArrayList<>());
            if (r.complete() && r.report() != null) runs.add(Headline.of(r.report()).metrics());
        }
        Map<List<String>, PointStats> out = new LinkedHashMap<>();
        byPoint.forEach((values, runs) -> {
            int[] n = new int[METRICS.length];
            double[][] stats = new double[METRICS.length][];
            for (int m = 0; m < METRICS.length; m++) {
                double[] x = new double[runs.size()];
                for (double[] run : runs) if (!Double.isNaN(run[m])) x[n[m]++] = run[m];
                stats[m] = Stats.of(Arrays.copyOf(x, n[m]));
            }
            out.put(values, new PointStats(n, stats));
        });
        return out;
    }

    /**
     * sweep-summary.csv: per point (the --param values) and metric, over its complete runs (the seeds): runs,
     * mean, sample standard deviation and the 95% confidence interval of the mean (Student's t).
     */
    public static byte[] summary(List<String> params, Map<List<String>, PointStats> points) {
        List<String> header = new ArrayList<>(params);
        header.addAll(List.of("metric", "runs", "mean", "sd", "ci95_low", "ci95_high"));
        Csv csv = new Csv(header.toArray(String[]::new));
        points.forEach((values, point) -> {
            for (int m = 0; m < METRICS.length; m++) {
                List<String> fields = new ArrayList<>(values);
                fields.add(METRICS[m]);
                fields.add(Csv.number(point.runs()[m]));
                for (double v : point.stats()[m]) fields.add(Csv.number(v));
                csv.row(fields.toArray(String[]::new));
            }
        });
        return csv.bytes();
    }

    /** The table printed at the end of a sweep. */
    public static String table(List<Row> rows) {
        SummaryTable.Table t = new SummaryTable.Table("run", "complete", "delivered/sent", "lost", "mean goodput",
                "drops", "digest");
        int failed = 0;
        for (Row r : rows) {
            if (!r.complete() || r.report() == null) {
                failed++;
                t.row(r.run(), "no", "-", "-", "-", "-", r.reason() == null ? "-" : r.reason());
                continue;
            }
            Headline h = Headline.of(r.report());
            String digest = text(r.report().summary().get("digest"));
            t.row(r.run(), "yes", Format.grouped(h.received()) + "/" + Format.grouped(h.sent()),
                    Format.grouped(h.lost()), Double.isNaN(h.meanGoodputBps()) ? "-" : Format.si(h.meanGoodputBps(), "bit/s"), Format.grouped(h.drops()),
                    digest.substring(0, Math.min(12, digest.length())));
        }
        StringBuilder out = new StringBuilder();
        t.appendTo(out);
        out.append(rows.size()).append(rows.size() == 1 ? " run, " : " runs, ")
                .append(rows.size() - failed).append(" complete");
        if (failed > 0) out.append(", ").append(failed).append(" failed");
        return out.append('\n').toString();
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }
}
