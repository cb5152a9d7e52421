package knetsim.topology.results;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.Processor;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.pdf.PDFProcessor;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Drawing and encoding of the charts: one look for every plot (white, light grid, readable axes, legends). */
final class Charts {
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf), new Color(0xbcbd22),
        new Color(0x7f7f7f)};
    static final Color OTHERS = new Color(0xb0b0b0);

    static {
        // A run may be started from a desktop session; charts must never need a display.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    static XYChart chart(String title, String xTitle, String yTitle, boolean legend) {
        XYChart chart = new XYChartBuilder().width(Plots.WIDTH).height(Plots.HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        org.knowm.xchart.style.XYStyler s = chart.getStyler();
        s.setLegendVisible(legend);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xdd, 0xdd, 0xdd));
        s.setDecimalPattern("#,##0.###");
        s.setLocale(Locale.ROOT);
        // tick labels spaced so they never overlap, whatever the range
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        chart.getStyler().setYAxisTickMarkSpacingHint(40);
        return chart;
    }

    /** Adds a line; {@code steps} draws it as a staircase (a counter holds its value until the next sample). */
    static XYSeries line(XYChart chart, String name, double[] x, double[] y, Color color, boolean steps) {
        double[][] xy = steps ? steps(x, y) : new double[][] {x, y};
        XYSeries s = chart.addSeries(name, xy[0], xy[1]);
        s.setLineColor(color);
        s.setMarkerColor(color);
        // A line needs two points; a lone sample is still shown, as a marker.
        s.setMarker(x.length < 2 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        return s;
    }

    static double[][] steps(double[] x, double[] y) {
        if (x.length < 2) return new double[][] {x, y};
        double[] sx = new double[x.length * 2 - 1], sy = new double[x.length * 2 - 1];
        for (int i = 0; i < x.length; i++) {
            sx[2 * i] = x[i];
            sy[2 * i] = y[i];
            if (i + 1 < x.length) {
                sx[2 * i + 1] = x[i + 1];
                sy[2 * i + 1] = y[i];
            }
        }
        return new double[][] {sx, sy};
    }

    /** The chart encoded as "png", "svg" or "pdf". */
    static byte[] encode(XYChart chart, String format) throws IOException {
        if (format.equals("png")) return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        VectorGraphics2D g = new VectorGraphics2D();
        chart.paint(g, chart.getWidth(), chart.getHeight());
        Processor processor = format.equals("svg") ? new SVGProcessor() : new PDFProcessor(true);
        Document doc = processor.getDocument(g.getCommands(), new PageSize(0, 0, chart.getWidth(), chart.getHeight()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        doc.writeTo(out);
        return out.toByteArray();
    }
}
