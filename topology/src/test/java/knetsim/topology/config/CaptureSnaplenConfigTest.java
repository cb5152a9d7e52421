package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** capture-snaplen, tcpdump -s: bytes kept of each captured frame; read, defaulted, carried to members, checked. */
class CaptureSnaplenConfigTest {
    private static final String TWO = """
            duration = 1s
            hosts { h1 { interfaces { eth0 { ip = "10.0.0.1/24" } } }
                    h2 { interfaces { eth0 { ip = "10.0.0.2/24" } } } }
            links = [ { a = "h1.eth0", b = "h2.eth0", rate = 1Gbps, delay = 1ms } ]
            capture = [ "h1.eth0" ]
            """;
    private static final String EXPECTED = "expected a snap length in bytes, 14..262144 (at least the Ethernet header)"
            + " or 0 for whole frames as tcpdump -s 0, got ";

    @TempDir
    Path dir;

    private Path write(String extra) throws Exception {
        Path p = dir.resolve("t.conf");
        Files.writeString(p, TWO + extra);
        return p;
    }

    @Test
    void theSnapLengthIsReadAndSurvivesTheResolvedForm() throws Exception {
        Topology t = TopologyLoader.load(write("capture-snaplen = 96\n"), List.of(), 1);
        assertEquals(96, t.captureSnaplen());
        // members rebuild the topology from its resolved JSON: they must cut frames at the same length
        assertEquals(96, TopologyLoader.fromResolved(t.resolvedJson()).captureSnaplen());
        assertEquals(t, TopologyLoader.fromResolved(t.resolvedJson()));
        assertEquals(14, TopologyLoader.load(write("capture-snaplen = 14\n"), List.of(), 1).captureSnaplen());
        assertEquals(64, TopologyLoader.load(write(""), List.of("capture-snaplen=64"), 1).captureSnaplen());
    }

    @Test
    void unsetOrZeroKeepsWholeFramesAsTcpdumpDoes() throws Exception {
        assertEquals(262144, TopologyLoader.load(write(""), List.of(), 1).captureSnaplen());
        assertEquals(262144, TopologyLoader.load(write("capture-snaplen = 0\n"), List.of(), 1).captureSnaplen());
        assertEquals(262144, TopologyLoader.load(write("capture-snaplen = 262144\n"), List.of(), 1).captureSnaplen());
    }

    @Test
    void badSnapLengthsNameFileLineAndKeyAndNothingLoads() throws Exception {
        String[][] cases = {
            {"13", "13"}, {"262145", "262145"}, {"-1", "-1"}, {"96.5", "96.5"}, {"\"96B\"", "\"96B\""},
            {"big", "\"big\""}, {"[ 96 ]", "a list [ ... ]"}, {"{ bytes = 96 }", "an object { ... }"},
        };
        for (String[] c : cases) {
            Path file = write("\n\ncapture-snaplen = " + c[0] + "\n");
            TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.load(file, List.of(), 1),
                    c[0]);
            assertEquals(List.of(new ConfigProblem(file.toString(), 8, "capture-snaplen", EXPECTED + c[1])),
                    e.problems(), c[0]);
        }
        TopologyException set = assertThrows(TopologyException.class,
                () -> TopologyLoader.load(write(""), List.of("capture-snaplen=5"), 1));
        assertEquals(List.of(new ConfigProblem("--set", 1, "capture-snaplen", EXPECTED + "5")), set.problems());
    }

    @Test
    void aMisspeltKeySuggestsIt() throws Exception {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.load(write("capture-snaplenn = 96\n"), List.of(), 1));
        assertEquals("unknown key, did you mean \"capture-snaplen\"?", e.problems().get(0).message());
    }
}
