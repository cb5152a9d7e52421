package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import knetsim.topology.cli.Main;
import knetsim.topology.config.Topology;
import knetsim.topology.config.TopologyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Large topologies: validate builds no LPs; run estimates the heap first and refuses what cannot fit. */
class HugeTopologyTest {
    static final Path CONFIGS = Path.of("..", "configs");

    @TempDir
    Path dir;

    @Test
    void theEstimatedLpCountIsTheBuiltOne() throws Exception {
        try (Stream<Path> files = Files.list(CONFIGS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".conf")).sorted().toList()) {
                Topology t = TopologyLoader.load(f, List.of(), 1);
                assertEquals(TopologyScenario.of(t).graph().lpCount(), MemoryEstimate.lps(t), f.toString());
            }
        }
    }

    @Test
    void theRefusalNamesTheEstimateAndTheOptions() throws Exception {
        Topology t = TopologyLoader.load(CONFIGS.resolve("campus-1000.conf"), List.of(), 1);
        long lps = MemoryEstimate.lps(t);
        assertNull(MemoryEstimate.refusal(t, 1, 64L << 30));
        String m = MemoryEstimate.refusal(t, 1, 64L << 20);
        long routes = MemoryEstimate.routes(t);
        assertEquals(20 * (1000 - 50 + 19) + 1000 + 1000, routes,
                "each edge router a route to every other subnet, the core to every host subnet, each host its default");
        assertTrue(m.startsWith("this topology needs about " + MemoryEstimate.gib(MemoryEstimate.bytes(lps, MemoryEstimate.routeBytes(t, 1)))
                + " of heap per JVM (" + String.format(java.util.Locale.ROOT, "%,d", lps) + " LPs at about 5 KB each, and "
                + String.format(java.util.Locale.ROOT, "%,d", routes) + " routes),"
                + " but this JVM may use 0.1 GB; nothing was built."), m);
        assertTrue(m.contains("KNETSIM_JAVA_OPTS=-Xmx") && m.contains("--members"), m);
        // two JVMs hold half each
        assertTrue(MemoryEstimate.refusal(t, 2, 64L << 20).contains(" in each of 2 JVMs"));
    }

    @Test
    void aHundredThousandHostStarIsValidatedWithoutBuildingLps() throws Exception {
        Path f = dir.resolve("star.conf");
        Files.writeString(f, "seed = 1\nduration = 10ms\ngenerate { kind = star, leaves = 100000 }\n");
        Topology t = TopologyLoader.load(f, List.of(), 1, false);
        assertEquals(100_000, t.nodes().size());
        assertNull(t.resolvedJson()); // validate ships nothing and builds nothing
        long lps = MemoryEstimate.lps(t);
        assertEquals(100_000 * 4 + 2 * 100_000 + 1, lps);
    }

    @Test
    void aRunThatCannotFitIsRefusedBeforeItIsBuilt() throws Exception {
        Path f = dir.resolve("star.conf");
        Files.writeString(f, "seed = 1\nduration = 10ms\ngenerate { kind = star, leaves = 80000 }\n");
        // the suite's JVMs have -Xmx2g; 480,001 LPs need about 2.4 GB
        assumeTrue(MemoryEstimate.bytes(480_001) > Runtime.getRuntime().maxMemory());
        Path out = dir.resolve("out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = Main.execute("run", f.toString(), "--out", out.toString(), "--no-progress");
        } finally {
            System.setErr(saved);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(Main.RUN_FAILED, code, text);
        assertTrue(text.startsWith("knetsim run: this topology needs about 2.4 GB of heap per JVM (480,001 LPs"), text);
        assertTrue(text.contains("-Xmx"), text);
        assertFalse(text.contains("\tat "), text);
        assertFalse(Files.exists(out), "nothing was built or written");
    }
}
