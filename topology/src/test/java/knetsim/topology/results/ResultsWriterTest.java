package knetsim.topology.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsWriterTest {
    private static final List<String> TEXT_FILES = List.of("summary.json", "counters.csv", "drops.csv", "flows.csv",
            "series.csv", "report.html");

    @TempDir
    Path tmp;

    @Test
    void writesEveryFileAndNoTemporaryOnes() throws IOException {
        Path dir = tmp.resolve("run");
        List<Path> plots = ResultsWriter.write(dir, SampleReports.dumbbell());
        for (String f : TEXT_FILES) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        assertEquals(List.of("odd_series_.png", "r1.eth1_qdisc_backlog.png", "flows_goodput.png"), plots.stream().map(p -> p.getFileName().toString()).toList());
        try (Stream<Path> all = Files.walk(dir)) {
            List<String> leftovers = all.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertEquals(List.of(), leftovers);
        }
    }

    @Test
    void plotsAreValidPngsOfTheChartSize() throws IOException {
        List<Path> plots = ResultsWriter.write(tmp, SampleReports.dumbbell());
        assertEquals(3, plots.size());
        for (Path p : plots) {
            BufferedImage image = ImageIO.read(p.toFile());
            assertNotNull(image, p + " is not an image ImageIO can read");
            assertEquals(Plots.WIDTH, image.getWidth());
            assertEquals(Plots.HEIGHT, image.getHeight());
        }
    }

    @Test
    void sameReportGivesSameBytesWhateverTheInputOrderOrLocale() throws IOException {
        RunReport report = SampleReports.dumbbell();
        ResultsWriter.write(tmp.resolve("a"), report);
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            ResultsWriter.write(tmp.resolve("b"), SampleReports.reversed(report));
        } finally {
            Locale.setDefault(before);
        }
        for (String f : TEXT_FILES) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(f)), Files.readAllBytes(tmp.resolve("b").resolve(f)), f);
        }
    }

    @Test
    void csvFieldsWithCommasAndQuotesRoundTrip() throws IOException {
        ResultsWriter.write(tmp, SampleReports.dumbbell());
        List<List<String>> counters = csv("counters.csv");
        assertEquals(List.of("scope", "name", "value"), counters.get(0));
        assertTrue(counters.contains(List.of("odd, \"scope\"", "na\"me", "-1")), counters.toString());

        List<List<String>> flows = csv("flows.csv");
        assertEquals(List.of(ResultsWriter.FLOW_COLUMNS), flows.get(0));
        Map<String, List<String>> byFlow = flows.subList(1, flows.size()).stream()
                .collect(Collectors.toMap(r -> r.get(0), r -> r));
        assertEquals(List.of(SampleReports.FLOW, "udp", "10.0.1.2:40000", "10.0.2.2:9000", "10000", "12000000", "9950",
                "11940000", "46", "4", "19104000", "0.005", "one-way", "10250000", "11000000", "12750000", "14000000", "35000"),
                byFlow.get(SampleReports.FLOW));
        // Jitter was not measured for the TCP flow: an empty field, not "NaN".
        assertEquals("", byFlow.get(SampleReports.ODD_FLOW).get(17));
        assertEquals(18, byFlow.get(SampleReports.ODD_FLOW).size());

        List<List<String>> series = csv("series.csv");
        assertEquals(List.of("time_ns", "scope", "layer", "name", "flow", "value"), series.get(0));
        assertTrue(series.contains(List.of("500000000", "odd, \"series\"", "", "", "", "0.1")));
        assertEquals(1 + 11 + 11 + 1, series.size());
    }

    @Test
    void rowsAreSortedNaturallyByScope() throws IOException {
        ResultsWriter.write(tmp, SampleReports.dumbbell());
        List<String> scopes = csv("counters.csv").stream().skip(1).map(r -> r.get(0)).distinct().toList();
        assertTrue(scopes.indexOf("h2.eth0") < scopes.indexOf("h10.eth0"), scopes.toString());
        assertTrue(scopes.indexOf("h1") < scopes.indexOf("h1.cpu0"), scopes.toString());
        List<List<String>> drops = csv("drops.csv");
        assertEquals(List.of("place", "reason", "packets"), drops.get(0));
        assertEquals(List.of("h2 socket", "NO_SOCKET", "2"), drops.get(1));
    }

    @Test
    void summaryJsonHoldsTheMapInOrder() throws IOException {
        RunReport report = SampleReports.dumbbell();
        ResultsWriter.write(tmp, report);
        Map<String, Object> read = ResultFiles.readJson(tmp.resolve("summary.json"));
        assertEquals(List.copyOf(report.summary().keySet()), List.copyOf(read.keySet()));
        assertEquals(1_234_567, read.get("events"));
        assertTrue(read.containsKey("lookaheadGlobalNs"));
        assertEquals(null, read.get("lookaheadGlobalNs"));
    }

    @Test
    void reportPageHasItsTablesPlotsAndCapturesEscaped() throws IOException {
        ResultsWriter.write(tmp, SampleReports.dumbbell());
        String html = Files.readString(tmp.resolve("report.html"), StandardCharsets.UTF_8);
        for (String id : List.of("summary", "flows", "interfaces", "drops")) {
            assertTrue(html.contains("<table id=\"" + id + "\">"), id);
        }
        assertTrue(html.contains("data-images-total=\"3\""));
        assertTrue(html.contains("src=\"plots/flows_goodput.png\""));
        assertTrue(html.contains("alt=\"throughput h1-&gt;h2:9000 udp-cbr\""));
        assertTrue(html.contains("<a href=\"pcap/h1.eth0.pcap\">pcap/h1.eth0.pcap</a>"));
        assertTrue(html.contains("h3-&gt;h4:80 &quot;bulk, cubic&quot;"));
        assertTrue(!html.contains("\"bulk"), "flow names must be escaped");
        assertTrue(!html.contains("http://") && !html.contains("https://"), "the page must be self-contained");
        // Interfaces are scopes with exactly one dot; queues, CPUs and links are not.
        String interfaces = html.substring(html.indexOf("<table id=\"interfaces\">"),
                html.indexOf("</table>", html.indexOf("<table id=\"interfaces\">")));
        assertTrue(interfaces.contains("<td>r1.eth1</td>"));
        assertTrue(!interfaces.contains("h2.eth0.rx0") && !interfaces.contains("link.") && !interfaces.contains("h1.cpu0"));
    }

    @Test
    void emptyReportStillWritesEveryFile() throws IOException {
        RunReport empty = new RunReport(Map.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        assertEquals(List.of(), ResultsWriter.write(tmp, empty));
        for (String f : TEXT_FILES) {
            assertTrue(Files.exists(tmp.resolve(f)), f);
        }
        assertEquals("time_ns,scope,layer,name,flow,value\n", Files.readString(tmp.resolve("series.csv")));
    }

    @Test
    void aSinglePointSeriesIsStillPlotted() throws IOException {
        RunReport one = new RunReport(Map.of(), List.of(), List.of(), List.of(),
                List.of(new SeriesPoint(1_000, "h1:tcp:1:cwnd", 10)), List.of());
        List<Path> plots = ResultsWriter.write(tmp, one);
        assertEquals(1, plots.size());
        assertNotNull(ImageIO.read(plots.get(0).toFile()));
    }

    @Test
    void seriesWhoseNamesSanitiseAlikeGetDistinctFiles() throws IOException {
        RunReport clash = new RunReport(Map.of(), List.of(), List.of(), List.of(),
                List.of(new SeriesPoint(0, "a:b", 1), new SeriesPoint(0, "a/b", 2), new SeriesPoint(0, "A b", 3)), List.of());
        List<String> names = ResultsWriter.write(tmp, clash).stream().map(p -> p.getFileName().toString()).toList();
        // Compared without case, because "A_b.png" and "a_b.png" are one file on macOS and Windows.
        assertEquals(List.of("A_b.png", "a_b-2.png", "a_b-3.png"), names);
    }

    private List<List<String>> csv(String name) throws IOException {
        return SampleReports.parseCsv(Files.readString(tmp.resolve(name), StandardCharsets.UTF_8));
    }
}
