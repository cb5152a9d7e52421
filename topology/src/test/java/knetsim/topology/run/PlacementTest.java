package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import knetsim.topology.config.Topology;
import knetsim.topology.config.TopologyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlacementTest {
    @TempDir
    Path dir;

    Topology load(String text, int members) throws Exception {
        Path f = dir.resolve("t.conf");
        Files.writeString(f, text);
        return TopologyLoader.load(f, List.of(), members);
    }

    @Test
    void aFreePartOfADisconnectedTopologyJoinsAPinnedOne() throws Exception {
        // three separate networks: x and y pinned to members 0 and 1, z free and the largest; z must
        // join one of them, not be refused because the two smallest groups are both pinned
        Topology t = load("""
                duration = 1s
                hosts {
                  x1 { interfaces { eth0 { ip = "10.0.1.1/24" } } }, x2 { interfaces { eth0 { ip = "10.0.1.2/24" } } }
                  y1 { interfaces { eth0 { ip = "10.0.2.1/24" } } }, y2 { interfaces { eth0 { ip = "10.0.2.2/24" } } }
                  z1 { interfaces { eth0 { ip = "10.0.3.1/24" } } }, z2 { interfaces { eth0 { ip = "10.0.3.2/24" } } }
                }
                switches { sw {} }
                links = [ { a = "x1.eth0", b = "x2.eth0", rate = 1Gbps, delay = 1ms }
                          { a = "y1.eth0", b = "y2.eth0", rate = 1Gbps, delay = 1ms }
                          { a = "z1.eth0", b = "sw", rate = 1Gbps, delay = 1ms }
                          { a = "z2.eth0", b = "sw", rate = 1Gbps, delay = 1ms } ]
                placement { x1 = 0, y1 = 1 }
                """, 2);
        TopologyScenario scenario = TopologyScenario.of(t);
        Placement p = scenario.placement(2);
        assertEquals(0, p.partitionOfNode().get("x2"));
        assertEquals(1, p.partitionOfNode().get("y2"));
        int z = p.partitionOfNode().get("z1");
        assertEquals(z, p.partitionOfNode().get("z2"));
        assertEquals(z, p.partitionOfNode().get("sw"));
        assertTrue(p.cut().isEmpty(), "no cable crosses: " + p.cut());
    }
}
