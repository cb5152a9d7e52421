package knetsim.topology.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Time axes read in milliseconds for runs under 2 s (0..600 ms, not 0..0.6 s) and in seconds from 2 s. */
class TimeAxisTest {
    @Test
    void shortRunsInMillisecondsLongOnesInSeconds() {
        Plots.TimeAxis shortRun = Plots.TimeAxis.of(List.of(new SeriesPoint(0, "a:b:c", 1), new SeriesPoint(600_000_000L, "a:b:c", 2)));
        assertEquals("virtual time (ms)", shortRun.title());
        assertEquals(600, 600_000_000L / shortRun.ns());
        Plots.TimeAxis longRun = Plots.TimeAxis.of(List.of(new SeriesPoint(2_000_000_000L, "a:b:c", 1)));
        assertEquals("virtual time (s)", longRun.title());
        assertEquals(2, 2_000_000_000L / longRun.ns());
        assertEquals("virtual time (ms)", Plots.TimeAxis.of(List.of()).title());
    }

    @Test
    void aShortRunsPlotIsDrawnInMilliseconds() {
        List<SeriesPoint> points = new java.util.ArrayList<>();
        for (int i = 0; i <= 60; i++) points.add(new SeriesPoint(i * 10_000_000L, "r1.eth0:qdisc:backlog", i % 7));
        org.knowm.xchart.XYChart chart = Plots.series("r1.eth0:qdisc:backlog", points, Plots.TimeAxis.of(points));
        assertEquals("virtual time (ms)", chart.getXAxisTitle());
        double[] x = chart.getSeriesMap().values().iterator().next().getXData();
        assertEquals(600, x[x.length - 1], 1e-9, "the last sample at 600 ms");
    }
}
