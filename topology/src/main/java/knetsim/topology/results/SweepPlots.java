package knetsim.topology.results;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * {@code sweep.html}: one plot per metric of sweep-summary.csv against each swept parameter, the mean over the seeds
 * with its 95% confidence interval as error bars, one line per combination of the other parameters' values. Numeric
 * values are placed on a number axis (logarithmic when they are positive and span 50x or more); other values are
 * placed in --param order and labelled.
 */
public final class SweepPlots {
    /** Lines per plot at most (the palette's colours); further combinations of the other params are left out. */
    static final int MAX_LINES = Charts.PALETTE.length;

    private SweepPlots() {}

    /** Writes {@code dir/plots/sweep-*.png} and returns the page; a plot that Java2D cannot draw is named instead. */
    public static byte[] write(Path dir, List<String> params, Map<List<String>, SweepReport.PointStats> points)
            throws IOException {
        Map<List<String>, double[][]> stats = new LinkedHashMap<>();
        points.forEach((values, point) -> stats.put(values, point.stats()));
        StringBuilder body = new StringBuilder();
        String skipped = null;
        if (params.isEmpty()) body.append("<p>No --param was swept: see sweep-summary.csv for the seeds' statistics.</p>\n");
        for (int p = 0; p < params.size() && skipped == null; p++) {
            body.append("<h2>against ").append(ReportPage.esc(params.get(p))).append("</h2>\n<div class=\"grid\">\n");
            for (int m = 0; m < SweepReport.METRICS.length; m++) {
                String metric = SweepReport.METRICS[m];
                String file = "plots/sweep-" + Plots.sanitise(metric + "-vs-" + params.get(p)) + ".png";
                try {
                    byte[] png = Charts.encode(chart(params, p, m, stats), "png");
                    Files.createDirectories(dir.resolve("plots"));
                    ResultFiles.writeAtomically(dir.resolve(file), png);
                } catch (RuntimeException | Error e) {
                    skipped = e.toString();
                    break;
                }
                body.append("<figure><img src=\"").append(ReportPage.href(file)).append("\" alt=\"")
                        .append(ReportPage.esc(metric + " against " + params.get(p))).append("\" width=\"450\"><figcaption>")
                        .append(ReportPage.esc(metric)).append("</figcaption></figure>\n");
            }
            body.append("</div>\n");
        }
        if (skipped != null) {
            body.append("<p>No plots were drawn (").append(ReportPage.esc(skipped))
                    .append("); install the font libraries (Debian: fontconfig, libfreetype6) to get them.</p>\n");
        }
        String page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>knetsim sweep</title>\n"
                + "<style>body{font-family:sans-serif;margin:1em}.grid{display:flex;flex-wrap:wrap;gap:8px}"
                + "figure{margin:0}figcaption{text-align:center}</style></head><body>\n<h1>Sweep</h1>\n"
                + "<p>Each point is the mean over the point's seeds; error bars are the 95% confidence interval of the "
                + "mean (Student's t), none with one seed. Numbers: <a href=\"sweep-summary.csv\">sweep-summary.csv</a>,"
                + " <a href=\"sweep.csv\">sweep.csv</a>.</p>\n" + body + "</body></html>\n";
        return page.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static XYChart chart(List<String> params, int p, int m, Map<List<String>, double[][]> stats) {
        List<String> xs = new ArrayList<>();
        Map<List<String>, List<List<String>>> lines = new LinkedHashMap<>();
        for (List<String> values : stats.keySet()) {
            if (!xs.contains(values.get(p))) xs.add(values.get(p));
            List<String> others = new ArrayList<>(values);
            others.remove(p);
            lines.computeIfAbsent(others, k -> new ArrayList<>()).add(values);
        }
        double[] at = numbers(xs);
        boolean numeric = at != null;
        if (!numeric) at = java.util.stream.IntStream.range(0, xs.size()).asDoubleStream().toArray();
        double lo = java.util.Arrays.stream(at).min().orElse(0), hi = java.util.Arrays.stream(at).max().orElse(0);
        XYChart chart = Charts.chart(SweepReport.METRICS[m] + " against " + params.get(p), params.get(p),
                SweepReport.METRICS[m], lines.size() > 1);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setXAxisLogarithmic(numeric && lo > 0 && hi / lo >= 50);
        if (!numeric) {
            double[] ticks = at;
            chart.getStyler().setxAxisTickLabelsFormattingFunction(x -> {
                int i = (int) Math.round(x);
                return Math.abs(x - i) < 1e-9 && i >= 0 && i < ticks.length ? xs.get(i) : "";
            });
        }
        int colour = 0;
        for (Map.Entry<List<String>, List<List<String>>> line : lines.entrySet()) {
            if (colour == MAX_LINES) break;
            List<double[]> xyz = new ArrayList<>();
            for (List<String> values : line.getValue()) {
                double[] s = stats.get(values)[m];
                if (Double.isNaN(s[0])) continue;
                double half = Double.isNaN(s[3]) ? 0 : s[3] - s[0];
                xyz.add(new double[] {at[xs.indexOf(values.get(p))], s[0], half});
            }
            if (xyz.isEmpty()) continue;
            xyz.sort(java.util.Comparator.comparingDouble(v -> v[0]));
            List<String> name = new ArrayList<>();
            for (int i = 0, k = 0; i < params.size(); i++) if (i != p) name.add(params.get(i) + "=" + line.getKey().get(k++));
            XYSeries s = chart.addSeries(name.isEmpty() ? SweepReport.METRICS[m] : String.join(" ", name),
                    xyz.stream().mapToDouble(v -> v[0]).toArray(), xyz.stream().mapToDouble(v -> v[1]).toArray(),
                    xyz.stream().mapToDouble(v -> v[2]).toArray());
            s.setLineColor(Charts.PALETTE[colour]);
            s.setMarkerColor(Charts.PALETTE[colour++]);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        if (chart.getSeriesMap().isEmpty()) chart.addSeries("no complete run", new double[] {0}, new double[] {0});
        return chart;
    }

    /** The values as numbers, or null when any is not a plain number. */
    static double[] numbers(List<String> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            try {
                out[i] = Double.parseDouble(values.get(i));
            } catch (NumberFormatException e) {
                return null;
            }
            if (!Double.isFinite(out[i])) return null;
        }
        return out;
    }
}
