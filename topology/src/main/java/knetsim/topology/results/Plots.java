package knetsim.topology.results;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** One PNG line chart per recorded series, against virtual time in seconds. */
final class Plots {
    static final int WIDTH = 900;
    static final int HEIGHT = 420;
    /** Above this many points a series is thinned before drawing: a chart is ~900 pixels wide. */
    static final int MAX_POINTS = 8000;

    /** A written plot; {@code file} is relative to the results directory, with '/' separators. */
    record Plot(String series, String title, String file) {}

    private Plots() {}

    static {
        // A run may be started from a desktop session; charts must never need a display.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static List<Plot> write(Path dir, List<SeriesPoint> points) throws IOException {
        Map<String, List<SeriesPoint>> bySeries = new TreeMap<>(Csv.NATURAL);
        for (SeriesPoint p : points) {
            bySeries.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p);
        }
        List<Plot> plots = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, List<SeriesPoint>> e : bySeries.entrySet()) {
            String series = e.getKey();
            List<SeriesPoint> samples = new ArrayList<>(e.getValue());
            samples.sort(ResultsWriter.SERIES_ORDER);
            String flow = flowOf(series);
            boolean throughput = flow != null;
            String title = throughput ? "throughput " + flow : series;
            String file = "plots/" + uniqueName(sanitise(series), used) + ".png";
            byte[] png = BitmapEncoder.getBitmapBytes(chart(title, samples, throughput), BitmapEncoder.BitmapFormat.PNG);
            ResultFiles.writeAtomically(ResultFiles.inside(dir, file), png);
            plots.add(new Plot(series, title, file));
        }
        return plots;
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
            char out = ok ? c : '_';
            // Runs of unsafe characters ("->", ": ") collapse to one underscore to keep names readable.
            if (out == '_' && !ok && b.length() > 0 && b.charAt(b.length() - 1) == '_') {
                continue;
            }
            b.append(out);
        }
        while (b.length() > 0 && b.charAt(0) == '.') {
            b.setCharAt(0, '_');
        }
        return b.length() == 0 ? "series" : b.toString();
    }

    /**
     * Distinct series can sanitise to the same name; later ones (in sorted order) get -2, -3, ...
     * Names are compared without case so that results copied to macOS or Windows keep every plot.
     */
    private static String uniqueName(String base, Set<String> used) {
        String name = base;
        for (int k = 2; !used.add(name.toLowerCase(Locale.ROOT)); k++) {
            name = base + "-" + k;
        }
        return name;
    }

    private static XYChart chart(String title, List<SeriesPoint> samples, boolean throughput) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("virtual time (s)").yAxisTitle(throughput ? "Mbit/s" : "value").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xdd, 0xdd, 0xdd));
        chart.getStyler().setDecimalPattern("#,##0.###");
        chart.getStyler().setLocale(Locale.ROOT);
        List<SeriesPoint> drawn = thin(samples);
        double[] x = new double[drawn.size()];
        double[] y = new double[drawn.size()];
        for (int i = 0; i < drawn.size(); i++) {
            x[i] = drawn.get(i).timeNs() / 1e9;
            double v = drawn.get(i).value();
            y[i] = throughput ? v / 1e6 : v;
        }
        XYSeries s = chart.addSeries("value", x, y);
        s.setLineColor(new Color(0x1f, 0x77, 0xb4));
        // A line needs two points; a lone sample is still shown, as a marker.
        s.setMarker(drawn.size() < 2 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        s.setMarkerColor(new Color(0x1f, 0x77, 0xb4));
        return chart;
    }

    /** Keeps the minimum and maximum of each bucket, in time order, so spikes survive thinning. */
    static List<SeriesPoint> thin(List<SeriesPoint> samples) {
        if (samples.size() <= MAX_POINTS) {
            return samples;
        }
        int buckets = MAX_POINTS / 2;
        List<SeriesPoint> out = new ArrayList<>(MAX_POINTS);
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) samples.size() * b / buckets);
            int to = (int) ((long) samples.size() * (b + 1) / buckets);
            int min = from;
            int max = from;
            for (int i = from; i < to; i++) {
                double v = samples.get(i).value();
                if (v < samples.get(min).value()) {
                    min = i;
                }
                if (v > samples.get(max).value()) {
                    max = i;
                }
            }
            out.add(samples.get(Math.min(min, max)));
            if (min != max) {
                out.add(samples.get(Math.max(min, max)));
            }
        }
        return out;
    }
}
