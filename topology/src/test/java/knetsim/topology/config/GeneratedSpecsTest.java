package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * validate turns a generator's nodes and links into specs without HOCON (GeneratedNetwork), a run reads them as
 * HOCON: both ways must give the same topology, for every generator and with the link keys a user may set.
 */
class GeneratedSpecsTest {
    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path p = dir.resolve("g.conf");
        Files.writeString(p, text);
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "generate { kind = dumbbell, pairs = 3, bottleneck { rate = 10Mbps, delay = 5ms, qdisc { kind = fq_codel }, "
                    + "loss { model = bernoulli, p = 0.01 } }, traffic { app = tcp-bulk, cc = reno, bytes = 1MB } }",
            "generate { kind = dumbbell, pairs = 2, traffic { rate = 5Mbps, size = 1000 } }",
            "generate { kind = line, nodes = 5, link { rate = 100Mbps, delay = 1ms, jitter = 100us } }",
            "generate { kind = star, leaves = 40, link { loss { model = gilbert-elliott, p = 0.01, r = 0.5 }, bql = false } }",
            "generate { kind = tree, depth = 3, fan-out = 3 }",
            "generate { kind = fat-tree, k = 4, sysctl { tcp_ecn = 1, tcp_congestion_control = dctcp }, link { qdisc { kind = red, limit = 400KB, min = 30KB, max = 90KB, "
                    + "avpkt = 1000, burst = 55 } } }",
            "generate { kind = two-tier, edges = 3, hosts-per-edge = 4, traffic { rate = 1Mbps, size = 1000, "
                    + "start = 8ms } }"})
    void specsAreWhatTheHoconGives(String generate) throws Exception {
        Path file = write("duration = 1s\n" + generate + "\n");
        Topology run = TopologyLoader.load(file, List.of(), 1, true);
        Topology validate = TopologyLoader.load(file, List.of(), 1, false);
        assertNull(validate.resolvedJson());
        assertEquals(run.nodes(), validate.nodes());
        assertEquals(run.switches(), validate.switches());
        assertEquals(run.links(), validate.links());
        assertEquals(run.traffic(), validate.traffic());
        assertEquals(run.routing(), validate.routing());
        assertEquals(run.placement(), validate.placement());
        assertEquals(run.warnings(), validate.warnings());
        assertTrue(validate.nodes().size() > 2 && validate.links().size() > 1);
    }

    @Test
    void userNodesBesideAGeneratorStillMergeOverIt() throws Exception {
        // a user's own keys for generated nodes take the HOCON path in validate too
        Path file = write("duration = 1s\ngenerate { kind = star, leaves = 3 }\nhosts { h2 { cpus = 4 } }\n");
        Topology t = TopologyLoader.load(file, List.of(), 1, false);
        assertEquals(4, t.node("h2").cpus());
        assertEquals(1, t.node("h1").cpus());
        assertEquals(List.of("eth0"), t.node("h2").interfaces().stream().map(InterfaceSpec::name).toList());
    }

    @Test
    void aBadLinkTemplateIsReportedOnceAtTheGenerateKey() throws Exception {
        Path file = write("duration = 1s\ngenerate {\n  kind = star\n  leaves = 1000\n  link { rate = 0Mbps }\n}\n");
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.load(file, List.of(), 1, false));
        assertEquals(1, e.problems().size(), e.problems().toString());
        ConfigProblem p = e.problems().get(0);
        assertEquals(5, p.line(), p.toString());
        assertTrue(p.message().contains("rate > 0"), p.toString());
        assertNotNull(p.key());
    }
}
