package knetsim.topology.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class SweepPlotsTest {
    private static double[][] metric(int m, double[] s) {
        double[][] all = new double[SweepReport.METRICS.length][];
        for (int i = 0; i < all.length; i++) all[i] = i == m ? s : new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        return all;
    }

    @Test
    void oneLinePerValueOfTheOtherParamWithTheConfidenceIntervalAsErrorBarsOnALogAxisForALogRange() {
        int lost = List.of(SweepReport.METRICS).indexOf("packets_lost");
        Map<List<String>, double[][]> stats = new LinkedHashMap<>();
        stats.put(List.of("0.001", "1ms"), metric(lost, new double[] {2, 1, 0.5, 3.5}));
        stats.put(List.of("0.001", "5ms"), metric(lost, new double[] {3, 1, 1, 5}));
        stats.put(List.of("0.1", "1ms"), metric(lost, new double[] {40, 4, 30, 50}));
        stats.put(List.of("0.1", "5ms"), metric(lost, new double[] {42, Double.NaN, Double.NaN, Double.NaN}));
        XYChart chart = SweepPlots.chart(List.of("loss.p", "delay"), 0, lost, stats);
        assertEquals(List.of("delay=1ms", "delay=5ms"), List.copyOf(chart.getSeriesMap().keySet()));
        XYSeries one = chart.getSeriesMap().get("delay=1ms");
        assertArrayEquals(new double[] {0.001, 0.1}, one.getXData());
        assertArrayEquals(new double[] {2, 40}, one.getYData());
        assertArrayEquals(new double[] {1.5, 10}, one.getExtraValues(), "error bar = ci95_high - mean");
        assertArrayEquals(new double[] {2, 0}, chart.getSeriesMap().get("delay=5ms").getExtraValues(),
                "one seed: no interval, no bar");
        assertTrue(chart.getStyler().isXAxisLogarithmic(), "0.001..0.1 spans 100x");

        XYChart byDelay = SweepPlots.chart(List.of("loss.p", "delay"), 1, lost, stats);
        assertArrayEquals(new double[] {0, 1}, byDelay.getSeriesMap().get("loss.p=0.001").getXData(),
                "durations are not plain numbers: placed in --param order");
        assertEquals("5ms", byDelay.getStyler().getxAxisTickLabelsFormattingFunction().apply(1.0));
        assertFalse(byDelay.getStyler().isXAxisLogarithmic());
    }
}
