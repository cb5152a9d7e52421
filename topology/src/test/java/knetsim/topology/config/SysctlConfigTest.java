package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node's sysctl block (tcp_ecn, tcp_congestion_control), a generator's for all its hosts, tcp-sink's cc. */
class SysctlConfigTest {
    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path p = dir.resolve("t.conf");
        Files.writeString(p, text);
        return p;
    }

    private static final String TWO = """
            duration = 1s
            hosts { h1 { SYSCTL interfaces { eth0 { ip = "10.0.0.1/24" } } }
                    h2 { interfaces { eth0 { ip = "10.0.0.2/24" } } } }
            links = [ { a = "h1.eth0", b = "h2.eth0", rate = 1Gbps, delay = 1ms } ]
            traffic = [ { app = tcp-sink, on = h2, port = 5201 SINK } ]
            """;

    @Test
    void aHostsSysctlsAreReadAndSurviveTheResolvedForm() throws Exception {
        Topology t = TopologyLoader.load(write(TWO.replace("SYSCTL", "sysctl { tcp_ecn = 1, tcp_congestion_control = dctcp },")
                .replace("SINK", ", cc = dctcp")), List.of(), 1);
        assertEquals(new NodeSpec.Sysctl(1, "dctcp"), t.node("h1").sysctl());
        assertEquals(NodeSpec.Sysctl.DEFAULT, t.node("h2").sysctl(), "unset: Linux's tcp_ecn 2 and cubic");
        assertEquals("dctcp", ((TrafficSpec.TcpSink) t.traffic().get(0)).cc());
        assertEquals(t, TopologyLoader.fromResolved(t.resolvedJson()));
    }

    @Test
    void badSysctlsNameTheirKey() throws Exception {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.load(write(
                TWO.replace("SYSCTL", "sysctl { tcp_ecn = 3, tcp_congestion_control = vegas, tcp_ecm = 1 },")
                        .replace("SINK", ", cc = bbr2")), List.of(), 1));
        String all = e.problems().toString();
        List<String> keys = e.problems().stream().map(ConfigProblem::key).toList();
        assertTrue(keys.contains("hosts.h1.sysctl.tcp_ecm"), all);
        assertTrue(keys.contains("hosts.h1.sysctl.tcp_ecn"), all);
        assertTrue(keys.contains("hosts.h1.sysctl.tcp_congestion_control"), all);
        assertTrue(keys.contains("traffic[0].cc"), all);
        assertTrue(all.contains("did you mean \"tcp_ecn\""), all);
        assertTrue(all.contains("no congestion control \"vegas\", expected one of "), all);
        assertTrue(e.problems().stream().allMatch(p -> p.line() > 0), all);
    }

    @Test
    void aGeneratorsSysctlGoesToEveryGeneratedHost() throws Exception {
        Topology t = TopologyLoader.load(write("""
                duration = 1s
                generate { kind = fat-tree, k = 4, sysctl { tcp_congestion_control = dctcp } }
                """), List.of(), 1);
        long hosts = t.nodes().values().stream().filter(n -> !n.router()).count();
        assertEquals(16, hosts);
        t.nodes().values().forEach(n -> assertEquals(n.router() ? NodeSpec.Sysctl.DEFAULT : new NodeSpec.Sysctl(null, "dctcp"),
                n.sysctl(), n.name()));
    }
}
