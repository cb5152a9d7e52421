package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Names become file names and result columns: only a safe set gets through validate. */
class NamesTest {
    @TempDir
    Path dir;

    List<ConfigProblem> problems(String hosts, String extra) throws Exception {
        Path f = dir.resolve("t.conf");
        Files.writeString(f, "seed = 1\nduration = 1s\nhosts {\n" + hosts + "\n}\n" + extra);
        return assertThrows(TopologyException.class, () -> TopologyLoader.load(f, List.of(), 1)).problems();
    }

    @Test
    void aNodeNamedLikeAPathIsRefusedAtItsLine() throws Exception {
        List<ConfigProblem> p = problems("  \"../x\" { interfaces { eth0 { ip = \"10.0.0.1/24\" } } }", "");
        assertEquals(1, p.size(), p.toString());
        assertEquals(4, p.get(0).line());
        assertEquals("hosts.../x", p.get(0).key());
        assertTrue(p.get(0).message().startsWith("\"../x\" is not a name: use letters, digits, '-' and '_'"),
                p.get(0).message());
    }

    @Test
    void interfaceAndSwitchNamesAreCheckedToo() throws Exception {
        List<ConfigProblem> p = problems("  h1 { interfaces { \"eth0/../../../tmp\" { ip = \"10.0.0.1/24\" } } }",
                "switches { \"sw\u200b1\" {} }\n");
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).message().startsWith("\"eth0/../../../tmp\" is not an interface name"), p.toString());
        // the zero-width space is shown, not hidden
        assertTrue(p.get(1).message().startsWith("\"sw\\u200b1\" is not a name"), p.toString());
    }

    @Test
    void loIsTheLoopbackDeviceAndNoInterfaceMayTakeItsName() throws Exception {
        List<ConfigProblem> p = problems("  h1 { interfaces { lo { ip = \"10.0.0.1/24\" } } }", "");
        assertEquals(1, p.size(), p.toString());
        assertEquals("hosts.h1.interfaces.lo", p.get(0).key());
        assertTrue(p.get(0).message().startsWith("\"lo\" is the loopback device every host and router already has"),
                p.get(0).message());
    }

    @Test
    void theSafeSet() {
        for (String ok : List.of("h1", "H-1_a", "_x", "0", "a".repeat(64))) assertNull(NodeReader.badName(ok, false), ok);
        for (String ok : List.of("eth0", "eth0.100", "veth_a-1", "a".repeat(15))) {
            assertNull(NodeReader.badName(ok, true), ok);
        }
        for (String bad : List.of("", "..", ".h", "-rf", "a/b", "a\\b", "h.1", "a b", "h\u202e1", "h\u200d1", "é",
                "a".repeat(65), "x\0")) {
            assertTrue(NodeReader.badName(bad, false) != null, bad);
        }
        for (String bad : List.of(".eth0", "eth0/1", "a".repeat(16), "eth\u200b0")) {
            assertTrue(NodeReader.badName(bad, true) != null, bad);
        }
    }
}
