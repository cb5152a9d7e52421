package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import knetsim.topology.cli.Main;
import knetsim.topology.results.ResultFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A results folder says how to run it again: config.resolved.conf (after --set, substitutions and generate),
 * command.txt, and summary.json's overrides, versions and machine; running config.resolved.conf with the same
 * seed gives the same digest.
 */
class ProvenanceTest {
    @TempDir
    Path dir;

    @Test
    void aResultsFolderRerunsToTheSameDigest() throws IOException {
        // a generated dumbbell, overridden, with interfaces (one a line) whose names do not sort in ifindex order
        Files.writeString(dir.resolve("t.conf"), """
                seed = 5
                duration = 100ms
                vars { rate = 20Mbps }
                generate { kind = dumbbell, pairs = 2, bottleneck { rate = 50Mbps, delay = 2ms } }
                hosts { x { interfaces {
                  wan { ip = "10.9.0.2/24" }
                  eth2 { ip = "10.9.1.2/24" }
                  eth10 { ip = "10.9.2.2/24" } } } }
                hosts { y { interfaces { eth0 { ip = "10.9.0.3/24" }, eth1 { ip = "10.9.1.3/24" }, eth3 { ip = "10.9.2.3/24" } } } }
                links = [ { a = "x.wan", b = "y.eth0", rate = 1Gbps, delay = 1ms }
                          { a = "x.eth2", b = "y.eth1", rate = 1Gbps, delay = 1ms }
                          { a = "x.eth10", b = "y.eth3", rate = 1Gbps, delay = 1ms } ]
                traffic = [ { app = udp-sink, on = y, port = 7000 }
                            { app = udp-cbr, on = x, to = "y:7000", rate = ${vars.rate}, size = 500 } ]
                """);
        Path first = dir.resolve("first");
        assertEquals(Main.OK, Main.execute("run", dir.resolve("t.conf").toString(), "--seed", "11", "--set",
                "links[0].delay=3ms", "--out", first.toString(), "--no-progress"));
        String resolved = Files.readString(first.resolve("config.resolved.conf"));
        assertTrue(!resolved.contains("\"generate\"") && !resolved.contains("${"), "expanded and substituted");
        String x = resolved.substring(resolved.indexOf("  \"x\" {"), resolved.indexOf("  \"y\" {"));
        assertTrue(x.indexOf("\"wan\"") > 0 && x.indexOf("\"wan\"") < x.indexOf("\"eth2\"")
                && x.indexOf("\"eth2\"") < x.indexOf("\"eth10\""), "interfaces in ifindex order: " + x);
        String command = Files.readString(first.resolve("command.txt"));
        assertTrue(command.startsWith("knetsim run ") && command.contains("--seed 11")
                && command.contains("--set 'links[0].delay=3ms'"), command);
        Map<String, Object> summary = ResultFiles.readJson(first.resolve("summary.json"));
        assertEquals(List.of("links[0].delay=3ms", "seed=11"), summary.get("overrides"));
        @SuppressWarnings("unchecked")
        Map<String, Object> versions = (Map<String, Object>) summary.get("versions");
        assertTrue(versions.containsKey("knetsim") && versions.containsKey("commit") && versions.containsKey("java"), versions.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> machine = (Map<String, Object>) summary.get("machine");
        assertTrue(((Number) machine.get("cores")).intValue() >= 1 && ((Number) machine.get("maxHeapBytes")).longValue() > 0);

        Path again = dir.resolve("again");
        assertEquals(Main.OK, Main.execute("run", first.resolve("config.resolved.conf").toString(), "--seed", "11",
                "--out", again.toString(), "--no-progress"));
        String digest = (String) summary.get("digest");
        assertEquals(digest, ResultFiles.readJson(again.resolve("summary.json")).get("digest"));
        assertEquals(Files.readString(first.resolve("flows.csv")), Files.readString(again.resolve("flows.csv")));

        // and the digest depends on what was overridden: the check above can fail
        Path other = dir.resolve("other");
        assertEquals(Main.OK, Main.execute("run", dir.resolve("t.conf").toString(), "--seed", "11", "--out",
                other.toString(), "--no-progress"));
        assertNotEquals(digest, ResultFiles.readJson(other.resolve("summary.json")).get("digest"));
    }
}
