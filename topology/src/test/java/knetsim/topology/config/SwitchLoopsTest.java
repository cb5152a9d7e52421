package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A loop of switches would make a broadcast storm (no spanning tree): validate refuses it and names the cycle. */
class SwitchLoopsTest {
    @TempDir
    Path dir;

    static final String HOSTS = """
            seed = 1
            duration = 1s
            hosts {
              h1 { interfaces { eth0 { ip = "10.0.0.1/24" } } }
              h2 { interfaces { eth0 { ip = "10.0.0.2/24" } } }
            }
            switches { sw1 {}, sw2 {}, sw3 {} }
            links = [
              { a = h1.eth0, b = sw1, rate = 1Gbps, delay = 1ms }
              { a = h2.eth0, b = sw3, rate = 1Gbps, delay = 1ms }
            """;

    List<ConfigProblem> problems(String links) throws Exception {
        Path f = dir.resolve("loop.conf");
        Files.writeString(f, HOSTS + links + "]\n");
        return assertThrows(TopologyException.class, () -> TopologyLoader.load(f, List.of(), 1)).problems();
    }

    @Test
    void twoSwitchesLinkedTwice() throws Exception {
        List<ConfigProblem> p = problems("""
                  { a = sw1, b = sw2, rate = 1Gbps, delay = 1us }
                  { a = sw2, b = sw3, rate = 1Gbps, delay = 1us }
                  { a = sw2, b = sw1, rate = 1Gbps, delay = 1us }
                """);
        assertEquals(1, p.size(), p.toString());
        assertEquals(13, p.get(0).line());
        assertEquals("links[4]", p.get(0).key());
        assertEquals("this link closes a loop of switches (sw2 -> sw1 -> sw2): a broadcast would circle it for ever,"
                + " and spanning tree (br_stp) is not modelled; remove a link of the loop", p.get(0).message());
    }

    @Test
    void aSwitchLinkedToItself() throws Exception {
        List<ConfigProblem> p = problems("  { a = sw2, b = sw2, rate = 1Gbps, delay = 1us }\n"
                + "  { a = sw1, b = sw3, rate = 1Gbps, delay = 1us }\n");
        assertEquals(1, p.size(), p.toString());
        assertEquals("links[2]", p.get(0).key());
        assertEquals(11, p.get(0).line());
        assertEquals(true, p.get(0).message().startsWith("this link closes a loop of switches (sw2 -> sw2)"));
    }

    @Test
    void aTriangle() {
        SwitchLoops loops = new SwitchLoops();
        assertNull(loops.add("a", "b"));
        assertNull(loops.add("b", "c"));
        assertNull(loops.add("d", "e"));
        assertEquals("c -> b -> a -> c", loops.add("c", "a"));
        assertNull(loops.add("c", "d"));
        assertEquals("e -> d -> c -> b -> a -> e", loops.add("e", "a"));
    }

    @Test
    void aTreeOfSwitchesIsFine() throws Exception {
        Path f = dir.resolve("tree.conf");
        Files.writeString(f, HOSTS + "  { a = sw1, b = sw2, rate = 1Gbps, delay = 1us }\n"
                + "  { a = sw2, b = sw3, rate = 1Gbps, delay = 1us }\n]\n");
        assertEquals(3, TopologyLoader.load(f, List.of(), 1).switches().size());
    }
}
