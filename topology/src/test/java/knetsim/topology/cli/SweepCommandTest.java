package knetsim.topology.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import knetsim.topology.results.ResultFiles;
import knetsim.topology.results.SweepReport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SweepCommandTest {
    private static final String TOPOLOGY = """
            seed = 42
            duration = 200ms
            hosts {
              h1 { interfaces { eth0 { ip = "10.0.0.1/24" } } }
              h2 { interfaces { eth0 { ip = "10.0.0.2/24" } } }
            }
            links = [ { a = "h1.eth0", b = "h2.eth0", rate = 100Mbps, delay = 1ms, loss { model = bernoulli, p = 0.0 } } ]
            traffic = [
              { app = udp-sink, on = h2, port = 9000 }
              { app = udp-cbr, on = h1, to = "h2:9000", rate = 10Mbps, size = 1000, start = 10ms }
            ]
            capture = [ "h1.eth0" ]
            """;
    private static final String HEADER = "run,links[0].loss.p,seed,complete,digest,events,packets_sent,"
            + "packets_received,packets_lost,in_flight_at_end,loss_ratio,mean_goodput_bps,mean_delay_p50_ns,"
            + "mean_delay_p99_ns,max_delay_p99_ns,mean_jitter_ns,drops,reason";

    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void writeTopology() throws Exception {
        file = dir.resolve("two.conf");
        Files.writeString(file, TOPOLOGY);
    }

    @Test
    void runsTheCrossProductInOrderAndTheSameSweepGivesTheSameCsvForAnyParallelism() throws Exception {
        Path one = dir.resolve("k1");
        Path two = dir.resolve("k2");
        assertEquals(Main.OK, Main.execute("sweep", file.toString(), "--param", "links[0].loss.p=0.0,0.2",
                "--seeds", "2", "--parallel", "1", "--out", one.toString()));
        assertEquals(Main.OK, Main.execute("sweep", file.toString(), "--param", "links[0].loss.p=0.0,0.2",
                "--seeds", "2", "--parallel", "2", "--out", two.toString()));

        List<String> names = List.of("links.0.loss.p=0.0_seed=42", "links.0.loss.p=0.0_seed=43",
                "links.0.loss.p=0.2_seed=42", "links.0.loss.p=0.2_seed=43");
        for (String name : names) {
            Map<String, Object> summary = ResultFiles.readJson(one.resolve(name).resolve("summary.json"));
            assertEquals(true, summary.get("complete"), name + ": " + summary);
            assertTrue(Files.exists(one.resolve(name).resolve("flows.csv")), name);
        }
        List<String> lines = Files.readAllLines(one.resolve("sweep.csv"));
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertEquals(HEADER, lines.get(0));
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) rows.add(List.of(line.split(",", -1)));
        for (int i = 0; i < 4; i++) {
            List<String> row = rows.get(i);
            assertEquals(names.get(i), row.get(0), "cross-product order");
            assertEquals(i < 2 ? "0.0" : "0.2", row.get(1));
            assertEquals(i % 2 == 0 ? "42" : "43", row.get(2), "seeds are the file's seed + 0..N-1");
            assertEquals("true", row.get(3));
            assertEquals(64, row.get(4).length(), "a sha-256 digest: " + row);
            assertEquals("", row.get(17), "no reason for a complete run");
        }
        for (int seed = 0; seed < 2; seed++) {
            long lostLow = Long.parseLong(rows.get(seed).get(8));
            long lostHigh = Long.parseLong(rows.get(2 + seed).get(8));
            assertTrue(lostHigh > lostLow + 10, "20% loss must lose more than none: " + lostLow + " vs " + lostHigh);
            assertEquals(rows.get(seed).get(6), rows.get(2 + seed).get(6), "the sender sends the same either way");
        }
        assertFalse(rows.get(0).get(4).equals(rows.get(1).get(4)), "another seed, another trace");
        assertEquals(Files.readString(one.resolve("sweep.csv")), Files.readString(two.resolve("sweep.csv")),
                "the same sweep gives the same sweep.csv with 1 or 2 runs at once");
        assertEquals(ResultFiles.readJson(one.resolve(names.get(3)).resolve("summary.json")).get("digest"),
                ResultFiles.readJson(two.resolve(names.get(3)).resolve("summary.json")).get("digest"));
        try (var files = Files.list(one)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temporary file left behind");
        }
        // sweep-summary.csv: per point and metric, over its two seeds, mean, sd and the 95% CI (t with 1 df: 12.706)
        List<String> summary = Files.readAllLines(one.resolve("sweep-summary.csv"));
        assertEquals("links[0].loss.p,metric,runs,mean,sd,ci95_low,ci95_high", summary.get(0));
        String[] lost = summary.stream().filter(l -> l.startsWith("0.2,packets_lost,")).findFirst().orElseThrow().split(",");
        double a = Double.parseDouble(rows.get(2).get(8)), b = Double.parseDouble(rows.get(3).get(8));
        assertEquals("2", lost[2]);
        assertEquals((a + b) / 2, Double.parseDouble(lost[3]), 1e-9);
        double sd = Math.abs(a - b) / Math.sqrt(2);
        assertEquals(sd, Double.parseDouble(lost[4]), 1e-9);
        assertEquals((a + b) / 2 - 12.706 * sd / Math.sqrt(2), Double.parseDouble(lost[5]), 1e-6);
        assertEquals((a + b) / 2 + 12.706 * sd / Math.sqrt(2), Double.parseDouble(lost[6]), 1e-6);
        assertFalse(Files.exists(one.resolve(names.get(0)).resolve("pcap")), "no captures in a sweep unless --captures");
        // sweep.html: one PNG per metric against the swept parameter, each linked and present
        String html = Files.readString(one.resolve("sweep.html"));
        var links = java.util.regex.Pattern.compile("<img src=\"([^\"]+)\"").matcher(html).results()
                .map(r -> r.group(1)).toList();
        assertEquals(SweepReport.METRICS_COUNT, links.size(), html);
        assertTrue(links.contains("plots/sweep-packets_lost-vs-links_0_.loss.p.png"), links.toString());
        for (String link : links) {
            byte[] png = Files.readAllBytes(one.resolve(link));
            assertEquals((byte) 0x89, png[0], link);
            assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII), link);
        }
        assertTrue(html.contains("href=\"sweep-summary.csv\""), html);
    }

    @Test
    void withoutParamsItSweepsSeedsFromTheFirstSeedGiven() throws Exception {
        Path out = dir.resolve("seeds");
        assertEquals(Main.OK, Main.execute("sweep", file.toString(), "--seeds", "2", "--seed", "7", "--duration",
                "50ms", "--set", "links[0].loss.p=0.1", "--out", out.toString()));
        List<String> lines = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals("run,seed,complete,digest,events,packets_sent,packets_received,packets_lost,in_flight_at_end,loss_ratio,mean_goodput_bps,"
                + "mean_delay_p50_ns,mean_delay_p99_ns,max_delay_p99_ns,mean_jitter_ns,drops,reason", lines.get(0));
        assertTrue(lines.get(1).startsWith("seed=7,7,true,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("seed=8,8,true,"), lines.get(2));
        Map<String, Object> summary = ResultFiles.readJson(out.resolve("seed=8/summary.json"));
        assertEquals(50_000_000L, ((Number) summary.get("durationNs")).longValue());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--param links[0].loss.p=0.1,2.0 --seeds 2    | --param links[0].loss.p=2.0: links[0].loss.p: expected a number",
            "--param links[0].delay=1ms,5parsecs          | --param links[0].delay=5parsecs: links[0].delay: expected a duration",
            "--param links[3].delay=1ms                   | --param links[3].delay=1ms: links[3].delay: the file has no object",
            "--param links[0].delay=1ms,,2ms              | --param links[0].delay=1ms,,2ms: the value list has an empty value",
            "--param links[0].delay=                      | --param links[0].delay=: the value list has an empty value",
            "--param links[0].delay                       | --param links[0].delay: expected PATH=V1,V2,...",
            "--param links[0].delay=1ms,1ms               | the value 1ms is listed twice",
            "--param seed=1,2                             | vary the seed with --seeds N",
            "--param a=1 --param a=2                      | --param a is given twice",
            "--seeds 0                                    | --seeds must be at least 1, got 0",
            "--parallel 0                                 | --parallel must be at least 1, got 0",
            "--param links[0].loss.p=0,0.1 --param links[0].delay=1:3:1 --zip links[0].loss.p,links[0].delay"
                    + " | --zip links[0].loss.p,links[0].delay: zipped params need the same number of values, but"
                    + " links[0].loss.p has 2 and links[0].delay has 3",
            "--param links[0].loss.p=0:0.1:log3           | --param links[0].loss.p=0:0.1:log3: the range 0:0.1:log3: a log range needs two ends above 0"})
    void badInputExitsWithTwoNamesTheOptionAndWritesNothing(String args, String expected) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            List<String> argv = new ArrayList<>(List.of("sweep", file.toString(), "--out", dir.resolve("bad").toString()));
            argv.addAll(List.of(args.trim().split("\\s+")));
            code = Main.execute(argv.toArray(String[]::new));
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(Main.BAD_INPUT, code, text);
        assertTrue(text.contains(expected), text);
        assertFalse(text.contains("\tat "), "no stack trace: " + text);
        assertFalse(Files.exists(dir.resolve("bad")), "nothing may run on bad input");
    }

    @Test
    void zippedParamsRunTheirPairsOnlyAndRangesExpand() throws Exception {
        Path out = dir.resolve("zip");
        assertEquals(Main.OK, Main.execute("sweep", file.toString(), "--param", "links[0].loss.p=0:0.2:lin2",
                "--param", "links[0].delay=\"1ms\",\"3ms\"", "--zip", "links[0].loss.p,links[0].delay",
                "--duration", "50ms", "--out", out.toString()));
        List<String> lines = Files.readAllLines(out.resolve("sweep.csv"));
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).startsWith("links.0.loss.p=0_links.0.delay=_1ms__seed=42,0,\"\"\"1ms\"\"\",42,true,"),
                lines.get(1));
        assertTrue(lines.get(2).startsWith("links.0.loss.p=0.2_links.0.delay=_3ms__seed=42,0.2,\"\"\"3ms\"\"\",42,true,"),
                lines.get(2));
        long lost = Long.parseLong(lines.get(2).split(",")[9]); // run, 2 params, seed, complete, digest, events, sent, received, lost
        assertTrue(lost > 0, "20% loss loses packets: " + lines.get(2));
    }

    @Test
    void pointNamesAreSafeFolderNames() {
        assertEquals("links.1.loss.p=0.01_seed=43", SweepPlan.name(
                List.of(new SweepPlan.Param("links[1].loss.p", List.of("0.01"))), List.of("0.01"), 43));
        assertEquals("hosts.h1.interfaces.eth0.ip=_10.0.0.1_24__seed=1", SweepPlan.name(
                List.of(new SweepPlan.Param("hosts.h1.interfaces.eth0.ip", List.of("\"10.0.0.1/24\""))),
                List.of("\"10.0.0.1/24\""), 1));
    }

    @Test
    void aFailedRunKeepsItsRowWithAReasonAndNoMetrics() {
        var failed = new SweepReport.Row("links.0.delay=1ms_seed=3", List.of("1ms"), 3, false, null,
                "members did not join, in time");
        String csv = new String(SweepReport.csv(List.of("links[0].delay"), List.of(failed)), StandardCharsets.UTF_8);
        assertEquals("run,links[0].delay,seed,complete,digest,events,packets_sent,packets_received,packets_lost,in_flight_at_end,"
                + "loss_ratio,mean_goodput_bps,mean_delay_p50_ns,mean_delay_p99_ns,max_delay_p99_ns,mean_jitter_ns,drops,reason\n"
                + "links.0.delay=1ms_seed=3,1ms,3,false,,,,,,,,,,,,,,\"members did not join, in time\"\n", csv);
        assertTrue(SweepReport.table(List.of(failed)).contains("1 run, 0 complete, 1 failed"));
    }
}
