package knetsim.topology.results;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Flow completion time against flow size, log-log: every finished flow as a dot (at most {@link #DOTS}, evenly
 * thinned), and the median and 99th percentile of each size bucket (FctBuckets) drawn at the bucket's median size.
 */
final class FctPlot {
    static final int DOTS = 5_000;

    private FctPlot() {}

    static XYChart chart(List<FctRow> rows) {
        XYChart chart = Charts.chart("flow completion time by size (" + rows.size() + " flows)", "flow size (bytes)",
                "FCT (ms)", true);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        List<FctRow> done = new ArrayList<>();
        for (FctRow r : rows) if (r.finished() && r.fctNs() > 0) done.add(r);
        if (done.isEmpty()) {
            Charts.line(chart, "no flow finished", new double[] {1}, new double[] {1}, Charts.OTHERS, false);
            return chart;
        }
        int step = Math.max(1, (done.size() + DOTS - 1) / DOTS);
        int n = (done.size() + step - 1) / step;
        double[] x = new double[n], y = new double[n];
        for (int i = 0, k = 0; i < done.size(); i += step, k++) {
            x[k] = Math.max(1, done.get(i).sizeBytes());
            y[k] = done.get(i).fctNs() / 1e6;
        }
        XYSeries dots = chart.addSeries("flows" + (step > 1 ? " (1 in " + step + ")" : ""), x, y);
        dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        dots.setMarker(SeriesMarkers.CIRCLE);
        dots.setMarkerColor(Charts.OTHERS);
        List<FctBuckets.Bucket> buckets = FctBuckets.of(rows);
        List<double[]> p50 = new ArrayList<>(), p99 = new ArrayList<>();
        for (FctBuckets.Bucket b : buckets) {
            if (b.finished() == 0) continue;
            double size = medianSize(done, b.label());
            p50.add(new double[] {size, b.fctP50Ns() / 1e6});
            p99.add(new double[] {size, b.fctP99Ns() / 1e6});
        }
        line(chart, "median per size bucket", p50, 0);
        line(chart, "p99 per size bucket", p99, 3);
        return chart;
    }

    private static void line(XYChart chart, String name, List<double[]> points, int color) {
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray(), y = points.stream().mapToDouble(p -> p[1]).toArray();
        XYSeries s = Charts.line(chart, name, x, y, Charts.PALETTE[color], false);
        s.setMarker(SeriesMarkers.DIAMOND);
    }

    private static double medianSize(List<FctRow> done, String label) {
        double[] sizes = done.stream().filter(r -> FctBuckets.LABELS[FctBuckets.bucketOf(r.sizeBytes())].equals(label))
                .mapToDouble(r -> Math.max(1, r.sizeBytes())).sorted().toArray();
        return FctBuckets.rank(sizes, 50);
    }
}
