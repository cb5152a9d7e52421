package knetsim.topology.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.selftest.SelftestScenario;
import knetsim.topology.results.ResultFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SelftestCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesASummaryWithTheSequentialDigest() throws Exception {
        Path out = dir.resolve("one");
        assertEquals(Main.OK, Main.execute("selftest", "--lps", "200", "--events", "40000", "--seed", "9",
                "--out", out.toString()));
        Map<String, Object> summary = ResultFiles.readJson(out.resolve("summary.json"));
        for (String key : List.of("digest", "events", "virtualSeconds", "wallSeconds", "eventsPerSecond",
                "partitions", "jvms", "lookaheadLocalNs", "lookaheadGlobalNs", "complete", "versions")) {
            assertTrue(summary.containsKey(key), "summary.json lacks " + key + ": " + summary);
        }
        var scenario = SelftestScenario.withEvents(200, 40_000, 9);
        assertEquals(SequentialEngine.run(scenario).digest(), summary.get("digest"));
        assertEquals(scenario.expectedEvents(), ((Number) summary.get("events")).longValue());
        assertEquals(true, summary.get("complete"));
        assertEquals(null, summary.get("lookaheadGlobalNs"), "one partition has no cross-partition edge");
        try (var files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temporary file left behind");
        }
    }

    @Test
    void twoPartitionsInThisJvmGiveTheSameDigest() throws Exception {
        assertEquals(Main.OK, Main.execute("selftest", "--lps", "200", "--events", "40000", "--out", dir.resolve("a").toString()));
        assertEquals(Main.OK, Main.execute("selftest", "--lps", "200", "--events", "40000", "--partitions", "2",
                "--threads", "1", "--throughput", "1", "--out", dir.resolve("b").toString()));
        Map<String, Object> a = ResultFiles.readJson(dir.resolve("a/summary.json"));
        Map<String, Object> b = ResultFiles.readJson(dir.resolve("b/summary.json"));
        assertEquals(a.get("digest"), b.get("digest"));
        assertTrue(((Number) b.get("lookaheadGlobalNs")).longValue() >= 10_000, "edges are at least 10us: " + b);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--lps 1                  | --lps must be at least 2",
            "--partitions 3 --jvms 4  | --jvms must be between 1 and --partitions (3), got 4",
            "--partitions 0           | --partitions must be between 1 and --lps",
            "--events nine            | Invalid value for option '--events'",
            "--bogus                  | Unknown option: '--bogus'"})
    void badInputExitsWithTwoAndSaysWhy(String args, String expected) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        System.setErr(new PrintStream(err, true));
        try {
            String[] argv = ("selftest " + args.trim() + " --out " + dir.resolve("bad")).split("\\s+");
            code = Main.execute(argv);
        } finally {
            System.setErr(saved);
        }
        assertEquals(Main.BAD_INPUT, code);
        assertTrue(err.toString().contains(expected), err.toString());
        assertFalse(Files.exists(dir.resolve("bad")), "nothing may run on bad input");
    }
}
