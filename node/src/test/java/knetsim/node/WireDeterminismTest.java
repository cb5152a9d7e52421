package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import knetsim.core.cluster.ClusterRun;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.run.RunResult;
import knetsim.core.serial.CrossJvm;
import knetsim.link.pcap.CaptureChunk;
import knetsim.link.pcap.CaptureRecord;
import knetsim.link.pcap.PcapWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wire and driver path give the same trace and the same pcap bytes however the run is split. */
class WireDeterminismTest {
    static final WireScenario SCENARIO = new WireScenario(1_000_000_000L, 50_000, 20_000, 0.05, 400, 200, 11);

    @TempDir
    Path dir;

    @Test
    void oneAndTwoPartitionsGiveTheSameDigestAndPcapBytes() throws Exception {
        SequentialEngine.Result reference = SequentialEngine.run(SCENARIO);
        RunResult one = ClusterRun.run(SCENARIO, new ClusterRun.Options(1, 1));
        RunResult two = ClusterRun.run(SCENARIO, new ClusterRun.Options(2, 1));
        assertEquals(reference.digest(), one.digest());
        assertEquals(reference.digest(), two.digest());
        assertEquals(50_000, two.lookaheadGlobalNs(), "the cable between the hosts is the cut");
        Map<String, byte[]> expected = pcaps(reference.reports());
        Map<String, byte[]> split = pcaps(two.reports());
        assertEquals(expected.keySet(), split.keySet());
        for (String device : expected.keySet()) assertArrayEquals(expected.get(device), split.get(device), device);
        assertEquals(two.counters(), reference.counters());
        // Every frame is accounted for: A sent 400, the cable lost some each way (5%), B echoed
        // every frame it received, and A's host has no handler for the echoes (rx_dropped).
        var c = reference.counters();
        int hostA = SCENARIO.id("a"), txA = SCENARIO.id("a.eth0.tx0"), hostB = SCENARIO.id("b"), txB = SCENARIO.id("b.eth0.tx0");
        long lostAB = c.get(SCENARIO.id("link.a.eth0-b.eth0")).get("lost"), lostBA = c.get(SCENARIO.id("link.b.eth0-a.eth0")).get("lost");
        assertTrue(lostAB > 0 && lostBA > 0, "5% loss each way over 400 frames");
        assertEquals(400, c.get(txA).get("tx_packets"));
        assertEquals(400 - lostAB, c.get(hostB).get("rx_packets"));
        assertEquals(c.get(hostB).get("rx_packets"), c.get(txB).get("tx_packets"), "B echoes every frame");
        assertEquals(c.get(txB).get("tx_packets") - lostBA, c.get(hostA).get("rx_packets"));
        assertEquals(c.get(hostA).get("rx_packets"), c.get(hostA).get("rx_dropped"));
    }

    @Test
    void tsharkReadsTheCaptureWithExactTimestampsAndNoMalformedFrame() throws Exception {
        assumeTrue(tsharkInstalled(), "tshark is not installed (.ci/run installs it)");
        SequentialEngine.Result run = SequentialEngine.run(SCENARIO);
        List<CaptureRecord> records = merged(run.reports()).get("b.eth0");
        Path file = dir.resolve("b.eth0.pcap");
        Files.write(file, PcapWriter.toBytes(records));
        Process tshark = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-T", "fields",
                "-e", "frame.time_epoch", "-e", "_ws.malformed", "-e", "_ws.expert.severity")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // stderr: tshark's warning about root
        String out = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tshark.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, tshark.exitValue(), out);
        String[] lines = out.split("\n"); // not strip(): empty trailing fields end in tabs
        assertEquals(records.size(), lines.length, out);
        for (int i = 0; i < lines.length; i++) {
            String[] fields = lines[i].split("\t", -1);
            assertEquals(3, fields.length, "tshark printed: " + lines[i]);
            long t = records.get(i).timeNs();
            assertEquals(String.format("%d.%09d", t / 1_000_000_000L, t % 1_000_000_000L), fields[0], "frame " + (i + 1));
            assertEquals("", fields[1], "malformed frame " + (i + 1));
            assertEquals("", fields[2], "expert info on frame " + (i + 1));
        }
    }

    private static Map<String, List<CaptureRecord>> merged(SortedMap<Integer, List<CrossJvm>> reports) {
        Map<String, List<CaptureRecord>> byDevice = new TreeMap<>();
        reports.values().forEach(items -> items.forEach(item -> {
            if (!(item instanceof CaptureChunk chunk)) return; // drop reports go with them
            byDevice.computeIfAbsent(chunk.device(), d -> new ArrayList<>()).addAll(List.of(chunk.records()));
        }));
        byDevice.values().forEach(list -> list.sort(CaptureRecord.ORDER));
        return byDevice;
    }

    private static Map<String, byte[]> pcaps(SortedMap<Integer, List<CrossJvm>> reports) throws Exception {
        Map<String, byte[]> files = new TreeMap<>();
        for (var e : merged(reports).entrySet()) files.put(e.getKey(), PcapWriter.toBytes(e.getValue()));
        return files;
    }

    private static boolean tsharkInstalled() {
        try {
            return new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }
}
