package knetsim.topology.results;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;

/**
 * The plots of a run. By default: one chart per recorded series (counters as steps, gauges such as a
 * qdisc's backlog as lines; a series denser than the chart drawn as its min/max envelope per pixel
 * column), one overlay of the flows' goodput (the top N flows by bytes and the rest summed as
 * "others"), and, beyond N flows, the distributions (CDF) of per-flow goodput, delay and loss. With
 * {@code all}, one chart per flow as well. PNG for the report; SVG or PDF besides when asked.
 */
final class Plots {
    static final int WIDTH = 900;
    static final int HEIGHT = 420;
    /** Above this many points a series is thinned before drawing: a chart is ~900 pixels wide. */
    static final int MAX_POINTS = 8000;
    /** A series with more samples than this is drawn as its min/max envelope per pixel column. */
    static final int ENVELOPE_ABOVE = 2 * WIDTH;

    /** A written plot; {@code file} is relative to the results directory, with '/' separators. */
    record Plot(String series, String title, String file) {}

    /** Which plots: every flow's own ({@code all}), how many flows an overlay names, extra formats ("svg", "pdf"). */
    record Options(boolean all, int top, List<String> formats) {
        static final Options DEFAULT = new Options(false, 8, List.of());

        Options {
            formats = List.copyOf(formats);
        }
    }

    private Plots() {}

    /** Loads Java2D, fonts and the chart library on a daemon thread while a run goes on, so drawing starts warm. */
    static void warmUp() {
        Thread t = new Thread(() -> {
            try {
                Charts.encode(Charts.chart("warm-up", "x", "y", true), "png");
            } catch (IOException | RuntimeException | LinkageError ignored) {
                // only a head start; the real plots report their own failures
            }
        }, "knetsim-plots-warm-up");
        t.setDaemon(true);
        t.start();
    }

    static List<Plot> write(Path dir, List<SeriesPoint> points) throws IOException {
        return write(dir, points, List.of(), Options.DEFAULT);
    }

    static List<Plot> write(Path dir, List<SeriesPoint> points, List<FlowRow> flows, Options options) throws IOException {
        return write(dir, points, flows, List.of(), options);
    }

    static List<Plot> write(Path dir, List<SeriesPoint> points, List<FlowRow> flows, List<FctRow> fct, Options options)
            throws IOException {
        Map<String, List<SeriesPoint>> bySeries = new TreeMap<>(Csv.NATURAL);
        for (SeriesPoint p : points) bySeries.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p);
        List<Plot> plots = new ArrayList<>();
        Set<String> used = new HashSet<>();
        Map<String, List<SeriesPoint>> goodput = new TreeMap<>(Csv.NATURAL);
        Map<String, Map<String, List<SeriesPoint>>> tcpMetrics = new TreeMap<>();
        TimeAxis axis = TimeAxis.of(points);
        for (Map.Entry<String, List<SeriesPoint>> e : bySeries.entrySet()) {
            List<SeriesPoint> samples = new ArrayList<>(e.getValue());
            samples.sort(ResultsWriter.SERIES_ORDER);
            String flow = flowOf(e.getKey());
            if (flow != null) {
                goodput.put(flow, samples);
                continue;
            }
            String[] tcp = e.getKey().split(":", -1);
            if (tcp.length == 4 && tcp[1].equals("tcp")) {
                // a TCP socket's series: one overlay per metric (cwnd, srtt...) for all flows; each alone only with --plots all
                tcpMetrics.computeIfAbsent(tcp[3], m -> new TreeMap<>(Csv.NATURAL)).put(tcp[0] + ":" + tcp[2], samples);
                if (!options.all()) continue;
            }
            plots.add(save(dir, used, e.getKey(), e.getKey(), series(e.getKey(), samples, axis), options));
        }
        if (!goodput.isEmpty()) {
            String title = goodput.size() == 1 ? "throughput " + goodput.keySet().iterator().next()
                    : "goodput of " + goodput.size() + " flows";
            plots.add(save(dir, used, "flows:goodput", title, overlay(goodput, options.top(), axis), options));
        }
        for (Map.Entry<String, Map<String, List<SeriesPoint>>> m : tcpMetrics.entrySet()) {
            plots.add(save(dir, used, "tcp:" + m.getKey(), "TCP " + m.getKey() + " of " + m.getValue().size()
                    + (m.getValue().size() == 1 ? " flow" : " flows"), tcpOverlay(m.getKey(), m.getValue(), options.top(), axis), options));
        }
        if (options.all()) {
            for (Map.Entry<String, List<SeriesPoint>> e : goodput.entrySet()) {
                String title = "throughput " + e.getKey();
                Map<String, List<SeriesPoint>> one = Map.of(e.getKey(), e.getValue());
                plots.add(save(dir, used, SeriesPoint.goodputSeries(e.getKey()), title, overlay(one, 1, axis), options));
            }
        }
        if (flows.size() > options.top()) {
            plots.add(save(dir, used, "flows:goodput-cdf", "per-flow goodput, CDF over " + flows.size() + " flows",
                    cdf(flows, f -> f.goodputBps() / 1e6, "goodput (Mbit/s)"), options));
            plots.add(save(dir, used, "flows:delay-cdf", "per-flow median delay, CDF over " + flows.size() + " flows",
                    cdf(flows, f -> f.delayP50Ns() / 1e6, "median delay or RTT (ms)"), options));
            plots.add(save(dir, used, "flows:loss-cdf", "per-flow loss, CDF over " + flows.size() + " flows",
                    cdf(flows, f -> f.lossRatio() * 100, "packets lost (%)"), options));
        }
        if (!fct.isEmpty()) {
            plots.add(save(dir, used, "flows:fct", "flow completion time by size, " + fct.size() + " flows",
                    FctPlot.chart(fct), options));
        }
        return plots;
    }

    private static Plot save(Path dir, Set<String> used, String series, String title, XYChart chart, Options options)
            throws IOException {
        String base = "plots/" + uniqueName(sanitise(series), used);
        ResultFiles.writeAtomically(ResultFiles.inside(dir, base + ".png"), Charts.encode(chart, "png"));
        for (String format : options.formats()) {
            ResultFiles.writeAtomically(ResultFiles.inside(dir, base + "." + format), Charts.encode(chart, format));
        }
        return new Plot(series, title, base + ".png");
    }

    // a recorded series: target:layer:counter; gauges as lines, counters as steps
    static XYChart series(String name, List<SeriesPoint> samples, TimeAxis axis) {
        String counter = name.substring(name.lastIndexOf(':') + 1);
        boolean gauge = counter.contains("backlog");
        String unit = counter.contains("bytes") ? "bytes" : gauge ? "packets" : "count";
        XYChart chart = Charts.chart(name, axis.title(), counter + " (" + unit + ")", samples.size() > ENVELOPE_ABOVE);
        if (samples.size() > ENVELOPE_ABOVE) {
            double[][] env = envelope(samples, WIDTH);
            for (int i = 0; i < env[0].length; i++) env[0][i] = env[0][i] * 1e9 / axis.ns();
            Charts.line(chart, "max per pixel", env[0], env[2], Charts.PALETTE[0], false);
            Charts.line(chart, "min per pixel", env[0], env[1], Charts.PALETTE[1], false);
            return chart;
        }
        double[] x = new double[samples.size()], y = new double[samples.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = samples.get(i).timeNs() / axis.ns();
            y[i] = samples.get(i).value();
        }
        Charts.line(chart, counter, x, y, Charts.PALETTE[0], !gauge);
        return chart;
    }

    /** {x, min, max} per column: the time axis cut into {@code columns} equal spans. */
    static double[][] envelope(List<SeriesPoint> samples, int columns) {
        long first = samples.get(0).timeNs(), last = samples.get(samples.size() - 1).timeNs();
        double span = Math.max(1, last - first);
        double[] min = new double[columns], max = new double[columns];
        boolean[] seen = new boolean[columns];
        for (SeriesPoint p : samples) {
            int c = (int) Math.min(columns - 1, (p.timeNs() - first) / span * columns);
            min[c] = seen[c] ? Math.min(min[c], p.value()) : p.value();
            max[c] = seen[c] ? Math.max(max[c], p.value()) : p.value();
            seen[c] = true;
        }
        int n = 0;
        for (boolean s : seen) if (s) n++;
        double[][] out = new double[3][n];
        for (int c = 0, k = 0; c < columns; c++) {
            if (!seen[c]) continue;
            out[0][k] = (first + (c + 0.5) * span / columns) / 1e9;
            out[1][k] = min[c];
            out[2][k++] = max[c];
        }
        return out;
    }

    // the top flows by bytes, each a line, and the rest summed into one "others" line
    private static XYChart overlay(Map<String, List<SeriesPoint>> goodput, int top, TimeAxis axis) {
        List<Map.Entry<String, List<SeriesPoint>>> flows = new ArrayList<>(goodput.entrySet());
        flows.sort(Comparator.comparingDouble((Map.Entry<String, List<SeriesPoint>> e) -> -sum(e.getValue()))
                .thenComparing(Map.Entry::getKey, Csv.NATURAL));
        String title = flows.size() == 1 ? "throughput " + flows.get(0).getKey()
                : "goodput of " + flows.size() + " flows" + (flows.size() > top ? " (top " + top + " by bytes)" : "");
        XYChart chart = Charts.chart(title, axis.title(), "goodput (Mbit/s)", flows.size() > 1);
        if (flows.size() > 1) chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        for (int i = 0; i < Math.min(top, flows.size()); i++) {
            List<SeriesPoint> s = thin(flows.get(i).getValue());
            Charts.line(chart, legend(flows.get(i).getKey()), times(s, axis), mbps(s), Charts.PALETTE[i % Charts.PALETTE.length], false);
        }
        if (flows.size() > top) {
            TreeMap<Long, Double> others = new TreeMap<>();
            for (var e : flows.subList(top, flows.size())) {
                for (SeriesPoint p : e.getValue()) others.merge(p.timeNs(), p.value(), Double::sum);
            }
            double[] x = new double[others.size()], y = new double[others.size()];
            int i = 0;
            for (var e : others.entrySet()) {
                x[i] = e.getKey() / axis.ns();
                y[i++] = e.getValue() / 1e6;
            }
            Charts.line(chart, "others (" + (flows.size() - top) + " flows, summed)", x, y, Charts.OTHERS, false);
        }
        return chart;
    }

    // one line per flow (the first {@code top} by name; the rest are left out and counted in the title), in the metric's unit
    private static XYChart tcpOverlay(String metric, Map<String, List<SeriesPoint>> flows, int top, TimeAxis axis) {
        double scale = switch (metric) {
            case "srtt_us", "bbr_min_rtt_us" -> 1e-3;
            case "delivery_rate_bps", "pacing_rate_bps", "bbr_bw_bps" -> 1e-6;
            default -> 1;
        };
        String unit = switch (metric) {
            case "srtt_us" -> "srtt (ms)";
            case "bbr_min_rtt_us" -> "BBR min RTT (ms)";
            case "delivery_rate_bps" -> "delivery rate (Mbit/s)";
            case "pacing_rate_bps" -> "pacing rate (Mbit/s)";
            case "bbr_bw_bps" -> "BBR bottleneck bw (Mbit/s)";
            case "bbr_pacing_gain", "bbr_cwnd_gain" -> metric.substring(4).replace('_', ' ');
            default -> metric + " (segments)";
        };
        String title = "TCP " + metric + " of " + flows.size() + (flows.size() == 1 ? " flow" : " flows")
                + (flows.size() > top ? " (first " + top + " shown)" : "");
        XYChart chart = Charts.chart(title, axis.title(), unit, flows.size() > 1);
        if (flows.size() > 1) chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        int i = 0;
        for (Map.Entry<String, List<SeriesPoint>> e : flows.entrySet()) {
            if (i == top) break;
            List<SeriesPoint> s = thin(e.getValue());
            double[] y = new double[s.size()];
            for (int k = 0; k < y.length; k++) y[k] = s.get(k).value() * scale;
            Charts.line(chart, legend(e.getKey()), times(s, axis), y, Charts.PALETTE[i % Charts.PALETTE.length], false);
            i++;
        }
        return chart;
    }

    private static String legend(String flow) {
        return flow.length() <= 48 ? flow : flow.substring(0, 47) + "…";
    }

    private static XYChart cdf(List<FlowRow> flows, ToDoubleFunction<FlowRow> metric, String xTitle) {
        double[] v = flows.stream().mapToDouble(metric).filter(d -> !Double.isNaN(d)).sorted().toArray();
        XYChart chart = Charts.chart(xTitle.substring(0, xTitle.indexOf(" (")) + ": CDF over " + v.length + " flows",
                xTitle, "fraction of flows", false);
        if (v.length == 0) v = new double[] {0};
        double[] y = new double[v.length];
        for (int i = 0; i < v.length; i++) y[i] = (i + 1.0) / v.length;
        Charts.line(chart, "flows", v, y, Charts.PALETTE[0], true);
        return chart;
    }

    private static double sum(List<SeriesPoint> s) {
        double total = 0;
        for (SeriesPoint p : s) total += p.value();
        return total;
    }

    private static double[] times(List<SeriesPoint> s, TimeAxis axis) {
        return s.stream().mapToDouble(p -> p.timeNs() / axis.ns()).toArray();
    }

    /**
     * The unit of the time axes: seconds, or milliseconds when the series end before {@link #MS_BELOW_NS} (a
     * 300 ms run reads 0..300 ms, not 0..0.3 s). One unit for every plot of a run, so they compare.
     */
    record TimeAxis(double ns, String title) {
        static final long MS_BELOW_NS = 2_000_000_000L;
        static final TimeAxis SECONDS = new TimeAxis(1e9, "virtual time (s)");
        static final TimeAxis MILLISECONDS = new TimeAxis(1e6, "virtual time (ms)");

        static TimeAxis of(List<SeriesPoint> points) {
            long last = 0;
            for (SeriesPoint p : points) last = Math.max(last, p.timeNs());
            return last < MS_BELOW_NS ? MILLISECONDS : SECONDS;
        }
    }

    private static double[] mbps(List<SeriesPoint> s) {
        return s.stream().mapToDouble(p -> p.value() / 1e6).toArray();
    }

    /** The flow whose goodput a series carries, or null when it is not a flow goodput series. */
    static String flowOf(String series) {
        if (series.startsWith(SeriesPoint.FLOW_PREFIX) && series.endsWith(SeriesPoint.GOODPUT_SUFFIX)
                && series.length() > SeriesPoint.FLOW_PREFIX.length() + SeriesPoint.GOODPUT_SUFFIX.length()) {
            return series.substring(SeriesPoint.FLOW_PREFIX.length(), series.length() - SeriesPoint.GOODPUT_SUFFIX.length());
        }
        return null;
    }

    /** A file name made of [A-Za-z0-9._-] only, never hidden and never empty. */
    static String sanitise(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < 120; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            // Runs of unsafe characters ("->", ": ") collapse to one underscore to keep names readable.
            if (!ok && b.length() > 0 && b.charAt(b.length() - 1) == '_') continue;
            b.append(ok ? c : '_');
        }
        while (b.length() > 0 && b.charAt(0) == '.') b.setCharAt(0, '_');
        return b.length() == 0 ? "series" : b.toString();
    }

    /**
     * Distinct series can sanitise to the same name; later ones (in sorted order) get -2, -3, ...
     * Names are compared without case so that results copied to macOS or Windows keep every plot.
     */
    private static String uniqueName(String base, Set<String> used) {
        String name = base;
        for (int k = 2; !used.add(name.toLowerCase(Locale.ROOT)); k++) name = base + "-" + k;
        return name;
    }

    /** Keeps the minimum and maximum of each bucket, in time order, so spikes survive thinning. */
    static List<SeriesPoint> thin(List<SeriesPoint> samples) {
        if (samples.size() <= MAX_POINTS) return samples;
        int buckets = MAX_POINTS / 2;
        List<SeriesPoint> out = new ArrayList<>(MAX_POINTS);
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) samples.size() * b / buckets);
            int to = (int) ((long) samples.size() * (b + 1) / buckets);
            int min = from, max = from;
            for (int i = from; i < to; i++) {
                double v = samples.get(i).value();
                if (v < samples.get(min).value()) min = i;
                if (v > samples.get(max).value()) max = i;
            }
            out.add(samples.get(Math.min(min, max)));
            if (min != max) out.add(samples.get(Math.max(min, max)));
        }
        return out;
    }

}
