package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import knetsim.topology.cli.Main;
import knetsim.topology.results.ResultFiles;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example in configs/ runs as it is (for a short virtual time) and writes every results file. */
class ConfigsRunTest {
    static final List<String> FILES = List.of("summary.json", "counters.csv", "drops.csv", "flows.csv", "flow_drops.csv", "series.csv",
            "report.html");

    /**
     * Examples left out: campus-1000 (1021 machines, 10,000 LPs) takes 45-60 s on 2 cores even for
     * 20 ms of virtual time (set-up and results dominate), which would double this suite. It loads in
     * ConfigsTest and TwoTierGeneratorTest; it runs in bench/ (S4) and, for 50 ms, in CampusMembersIT.
     * datacenter (16 hosts on 1 Gbit/s links at 30% load) is about a million events per 40 ms; it runs for 40 ms
     * in DatacenterTest and for 10 ms in MembersDeterminismIT.
     */
    static final List<String> LEFT_OUT = List.of("campus-1000.conf", "datacenter.conf");

    @TempDir
    Path dir;

    static Stream<Path> configs() throws IOException {
        return Files.list(Path.of("..", "configs")).filter(p -> p.toString().endsWith(".conf"))
                .filter(p -> !LEFT_OUT.contains(p.getFileName().toString())).sorted();
    }

    @ParameterizedTest
    @MethodSource("configs")
    void runsAndWritesEveryResultsFile(Path config) throws IOException {
        Path out = dir.resolve("out");
        int code = Main.execute("run", config.toString(), "--duration", "600ms", "--out", out.toString(), "--no-progress");
        assertEquals(Main.OK, code, config + " must run");
        for (String file : FILES) assertTrue(Files.size(out.resolve(file)) > 0, config + ": " + file);
        Map<String, Object> summary = ResultFiles.readJson(out.resolve("summary.json"));
        assertEquals(true, summary.get("complete"));
        assertEquals(64, ((String) summary.get("digest")).length());
        assertTrue(((Number) summary.get("events")).longValue() > 0);
        assertTrue(((Number) summary.get("peakHeapMb")).longValue() > 0, "the launcher's peak heap");
        assertTrue(summary.get("peakHeapAfterGcMb") instanceof Number, "the heap held after collections");
        for (String phase : List.of("loadSeconds", "setupSeconds", "runSeconds", "resultsSeconds")) {
            assertTrue(((Number) summary.get(phase)).doubleValue() > 0, config + ": " + phase);
        }
        assertFalse(summary.containsKey("seriesNotRecorded"), config + ": every recorded series has a counter");
        try (Stream<Path> pcaps = Files.list(out.resolve("pcap"))) {
            assertTrue(pcaps.anyMatch(p -> p.toString().endsWith(".pcap")), config + " captures an interface");
        }
        try (Stream<Path> plots = Files.list(out.resolve("plots"))) {
            List<Path> png = plots.filter(p -> p.toString().endsWith(".png")).toList();
            assertTrue(!png.isEmpty(), config + " records a series");
            // by default a handful of plots (one per kind of series), however many hosts and flows (tree-1000 has
            // 1,000 hosts, tcp-dumbbell 8 flows with 5 TCP metrics each; bbr-vs-cubic adds BBR's 4)
            assertTrue(png.size() <= 12, config + " wrote " + png);
        }
        assertTrue(Files.size(out.resolve("topology.svg")) > 0 && Files.size(out.resolve("config.resolved.conf")) > 0);
        List<String> counters = Files.readAllLines(out.resolve("counters.csv"));
        assertEquals("scope,name,value", counters.get(0));
        assertTrue(counters.stream().anyMatch(l -> l.contains(",IpInReceives,")), "SNMP counters under their kernel names");
        assertEquals("place,reason,packets", Files.readAllLines(out.resolve("drops.csv")).get(0));
    }
}
