package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.DynamicTest;

/** Every shipped example in ../configs loads without problems and survives the trip through resolvedJson. */
class ConfigsTest {
    static final Path CONFIGS = Path.of("..", "configs");

    @TestFactory
    Stream<DynamicTest> everyConfigLoads() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(CONFIGS)) {
            files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertTrue(files.size() >= 7, "expected the seven example configs, found " + files);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            Topology t;
            try {
                t = TopologyLoader.load(f, List.of(), 1);
            } catch (TopologyException e) {
                fail(f + " has problems:\n" + e.getMessage());
                return;
            }
            assertFalse(t.nodes().isEmpty());
            assertFalse(t.traffic().isEmpty());
            assertEquals(t, TopologyLoader.fromResolved(t.resolvedJson()));
        }));
    }

    @Test
    void dumbbellHasEightPairsAndADroppingBottleneck() throws Exception {
        Topology t = TopologyLoader.load(CONFIGS.resolve("dumbbell.conf"), List.of(), 1);
        assertEquals(18, t.nodes().size());
        assertEquals(17, t.links().size());
        assertEquals(16, t.traffic().size());
        LinkSpec bottleneck = t.links().get(0);
        assertEquals(100_000_000L, bottleneck.rateBps());
        assertEquals(LinkSpec.QdiscSpec.Kind.PFIFO, bottleneck.qdisc().kind());
        assertEquals(20, bottleneck.qdisc().limit());
        assertEquals(Topology.Routing.AUTO, t.routing());
    }

    @Test
    void treeHasAThousandHosts() throws Exception {
        Topology t = TopologyLoader.load(CONFIGS.resolve("tree-1000.conf"), List.of(), 1);
        assertEquals(1000, t.nodes().size());
        assertEquals(111, t.switches().size());
        assertEquals(1110, t.links().size());
        assertEquals(22, t.node("h1").interfaces().get(0).prefixLength());
    }
}
