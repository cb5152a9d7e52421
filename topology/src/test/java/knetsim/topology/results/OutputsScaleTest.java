package knetsim.topology.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With many flows the outputs stay small: a few plots, top-N tables that say what they left out, optional gzip. */
class OutputsScaleTest {
    static final int FLOWS = 12;

    @TempDir
    Path tmp;

    static RunReport manyFlows() {
        List<FlowRow> flows = new ArrayList<>();
        List<SeriesPoint> series = new ArrayList<>();
        for (int i = 1; i <= FLOWS; i++) {
            String flow = "h" + i + "/udp-cbr-1 -> 10.0.0." + i + ":9000";
            flows.add(new FlowRow(flow, "udp", "10.0.1." + i + ":4000", "10.0.0." + i + ":9000", 100 * i, 100_000L * i,
                    100 * i - i % 3, 100_000L * i - 1000 * (i % 3), i % 3, 0, 1e6 * i, (i % 3) / (100.0 * i),
                    FlowRow.ONE_WAY, 1e6 + i, 2e6, 3e6, 4e6, 1e4));
            for (int t = 0; t < 10; t++) series.add(new SeriesPoint(t * 100_000_000L, SeriesPoint.goodputSeries(flow), 1e6 * i));
        }
        for (int t = 0; t < 10_000; t++) series.add(new SeriesPoint(t * 1_000_000L, "r1.eth0:qdisc:backlog", t % 97));
        List<CounterRow> counters = new ArrayList<>();
        for (int i = 1; i <= FLOWS; i++) {
            counters.add(new CounterRow("h" + i + ".eth0", "tx_packets", 100 * i));
            counters.add(new CounterRow("h" + i + ".eth0", "qdisc_dropped", i == 7 ? 50 : 0));
        }
        return new RunReport(Map.of("events", 1), counters, List.of(new DropRow("h7.eth0 qdisc", "QDISC_DROP", 50)),
                flows, series, List.of());
    }

    private static List<Path> plots(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("plots"))) {
            return files.sorted().toList();
        }
    }

    @Test
    void manyFlowsGiveAFewPlotsByDefaultAndEveryFlowsWithAll() throws IOException {
        ResultsWriter.write(tmp.resolve("default"), manyFlows(), new ResultsWriter.Options(false, 8, List.of("svg"), false),
                Map::of);
        List<Path> plots = plots(tmp.resolve("default")).stream().filter(p -> p.toString().endsWith(".png")).toList();
        // the backlog series, the goodput overlay, and the goodput, delay and loss CDFs
        assertEquals(List.of("flows_goodput-cdf.png", "flows_goodput.png", "flows_delay-cdf.png", "flows_loss-cdf.png",
                "r1.eth0_qdisc_backlog.png").stream().sorted().toList(),
                plots.stream().map(p -> p.getFileName().toString()).toList());
        String svg = Files.readString(tmp.resolve("default").resolve("plots/flows_goodput.svg"));
        assertTrue(svg.startsWith("<?xml") && svg.contains("<svg"), svg.substring(0, 100));
        assertEquals(10, plots(tmp.resolve("default")).size(), "each in PNG and SVG");
        ResultsWriter.write(tmp.resolve("all"), manyFlows(), new ResultsWriter.Options(true, 8, List.of(), false), Map::of);
        assertEquals(5 + FLOWS, plots(tmp.resolve("all")).size(), "and every flow's own plot with --plots all");
    }

    @Test
    void tablesShowTheTopRowsWithTotalsAndSayWhatTheyLeftOut() throws IOException {
        ResultsWriter.write(tmp, manyFlows(), new ResultsWriter.Options(false, 5, List.of(), false), Map::of);
        String html = Files.readString(tmp.resolve("report.html"));
        String flows = html.substring(html.indexOf("<table id=\"flows\">"), html.indexOf("</table>", html.indexOf("<table id=\"flows\">")));
        assertEquals(5 + 1 + 1, flows.split("<tr").length - 1, "header, 5 flows, the totals");
        assertTrue(flows.contains("all 12 flows"));
        assertTrue(html.contains("7 more flows not shown"), "says what it left out");
        // the flows that lost most come first: i % 3 == 2 lose 2 packets each, largest bytes first
        assertTrue(flows.contains("h11/udp-cbr-1") && !flows.contains("h12/udp-cbr-1"), flows);
        String text = SummaryTable.render(manyFlows());
        assertTrue(text.contains("... 2 more flows (flows.csv has them all)"), text);
        assertTrue(text.contains("h7.eth0"), "the interface that dropped is in the top rows");
        // the CSV keeps every row
        assertEquals(1 + FLOWS, Files.readAllLines(tmp.resolve("flows.csv")).size());
    }

    @Test
    void compressWritesGzipOfTheSameBytes() throws IOException {
        ResultsWriter.write(tmp.resolve("plain"), manyFlows());
        ResultsWriter.write(tmp.resolve("gz"), manyFlows(), new ResultsWriter.Options(false, 8, List.of(), true), Map::of);
        for (String f : List.of("counters.csv", "drops.csv", "flows.csv", "flow_drops.csv", "series.csv")) {
            assertFalse(Files.exists(tmp.resolve("gz").resolve(f)), f);
            try (InputStream in = new GZIPInputStream(Files.newInputStream(tmp.resolve("gz").resolve(f + ".gz")))) {
                assertArrayEquals(Files.readAllBytes(tmp.resolve("plain").resolve(f)), in.readAllBytes(), f);
            }
        }
        String series = new String(Files.readAllBytes(tmp.resolve("plain").resolve("series.csv")), StandardCharsets.UTF_8);
        assertTrue(series.startsWith("time_ns,scope,layer,name,flow,value\n"), "tidy columns");
        assertTrue(series.contains("\n0,r1.eth0,qdisc,backlog,,0\n"), "a recorded series");
        assertTrue(series.contains("\n0,flow,app,goodput_bps,h1/udp-cbr-1 -> 10.0.0.1:9000,1000000\n"), "a flow's goodput");
    }

    @Test
    void compressAlsoGzipsNeighCsvAndLeavesNeighTxtPlain() throws IOException {
        String[] row = {"19000", "h1", "eth0", "10.0.0.2", "", "NONE", "INCOMPLETE"};
        NeighFiles.write(tmp.resolve("plain"), List.<String[]>of(row).iterator(), List.of("h1: 10.0.0.2 dev eth0 FAILED").iterator(),
                ResultsWriter.Options.DEFAULT);
        NeighFiles.write(tmp.resolve("gz"), List.<String[]>of(row).iterator(), List.of("h1: 10.0.0.2 dev eth0 FAILED").iterator(),
                new ResultsWriter.Options(false, 8, List.of(), true));
        assertFalse(Files.exists(tmp.resolve("gz").resolve("neigh.csv")));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tmp.resolve("gz").resolve("neigh.csv.gz")))) {
            assertEquals("time_ns,node,interface,address,lladdr,from,to\n19000,h1,eth0,10.0.0.2,,NONE,INCOMPLETE\n",
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertArrayEquals(Files.readAllBytes(tmp.resolve("plain").resolve("neigh.txt")),
                Files.readAllBytes(tmp.resolve("gz").resolve("neigh.txt")));
    }
}
