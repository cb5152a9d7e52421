package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-tier generator: the S4 tree of issue 14 (core, edge routers, a /24 per host, all-to-all-shifted CBR). */
class TwoTierGeneratorTest {
    @TempDir
    Path dir;

    Path write(String text) throws Exception {
        Path p = dir.resolve("t.conf");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void campus1000IsTheS4Scenario() throws Exception {
        Topology t = TopologyLoader.load(ConfigsTest.CONFIGS.resolve("campus-1000.conf"), List.of(), 1);
        assertEquals(1021, t.nodes().size());
        assertEquals(1020, t.links().size());
        assertEquals(10_000_000_000L, t.durationNs());
        LinkSpec up = t.links().stream().filter(l -> l.a().node().equals("core") && l.b().node().equals("e20")).findFirst()
                .orElseThrow();
        assertEquals(10_000_000_000L, up.rateBps());
        assertEquals(500_000L, up.delayNs());
        NodeSpec h51 = t.node("h51");
        assertEquals("10.0.51.2/24", Ipv4s.text(h51.interfaces().get(0).address(), h51.interfaces().get(0).prefixLength()));
        LinkSpec access = t.links().stream().filter(l -> l.a().node().equals("h51")).findFirst().orElseThrow();
        assertEquals("e2", access.b().node());
        assertEquals(1_000_000_000L, access.rateBps());
        assertEquals(100_000L, access.delayNs());
        assertTrue(t.node("e2").router());
        assertEquals(51, t.node("e2").interfaces().size(), "one uplink and 50 hosts");
        // host h (0-based) sends to (h + 50) mod 1000: h1 -> h51, h951 -> h1
        var sends = t.traffic().stream().filter(x -> x instanceof TrafficSpec.UdpSend).map(x -> (TrafficSpec.UdpSend) x).toList();
        assertEquals(1000, sends.size());
        assertEquals(1000, t.traffic().stream().filter(x -> x instanceof TrafficSpec.UdpSink s && s.port() == 9000).count());
        TrafficSpec.UdpSend first = sends.stream().filter(s -> s.on().equals("h1")).findFirst().orElseThrow();
        assertEquals(t.node("h51").interfaces().get(0).address(), first.to());
        assertEquals(9000, first.port());
        assertEquals(1_000_000L, first.rateBps());
        assertEquals(1000, first.size());
        assertEquals(8_000_000L, first.startNs());
        TrafficSpec.UdpSend wrap = sends.stream().filter(s -> s.on().equals("h951")).findFirst().orElseThrow();
        assertEquals(t.node("h1").interfaces().get(0).address(), wrap.to());
        // an edge router routes to every other edge's hosts via the core
        assertTrue(t.node("e1").allRoutes().stream().anyMatch(r -> r.to() == t.node("h51").interfaces().get(0).address() - 2
                && r.via() == t.node("core").iface("eth0").address()), t.node("e1").allRoutes().toString());
        // stored as runs over the shared subnet order: every other subnet via the core, none for e1's own 50 and its
        // core link, so a handful of runs and one next hop whatever the number of edges
        ComputedRoutes e1 = t.node("e1").computed();
        assertEquals(1000 - 50 + 19, e1.size());
        assertTrue(e1.runStart().length <= 6, e1.toString());
        assertEquals(1, e1.via().length);
        assertEquals(1000 + 20, e1.subnets().size()); // the hosts' and the core links
        assertSame(e1.subnets(), t.node("core").computed().subnets());
        assertEquals(1000, t.node("core").computed().size());
        assertEquals(0, t.node("h1").computed().size()); // a host has its gateway
        assertEquals(t, TopologyLoader.fromResolved(t.resolvedJson()));
    }

    @Test
    void badParametersAreReportedAtTheirKeys() throws Exception {
        Path f = write("""
                duration = 1s
                generate {
                  kind = two-tier
                  edges = 0
                  hosts-per-edge = 3
                  acces { rate = 1Gbps }
                  traffic { rate = 1Mbps, peer-offset = 99 }
                }
                """);
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.load(f, List.of(), 1));
        String all = e.problems().toString();
        assertTrue(e.problems().contains(new ConfigProblem(f.toString(), 4, "generate.edges",
                "expected an integer 1..16384, got 0")), all);
        assertTrue(e.problems().contains(new ConfigProblem(f.toString(), 6, "generate.acces",
                "unknown key, did you mean \"access\"?")), all);
        assertTrue(e.problems().stream().anyMatch(p -> p.line() == 7 && p.key().equals("generate.traffic.peer-offset")
                && p.message().startsWith("expected an integer 1..")), all);
    }

    @Test
    void tooManyHostsAreRefused() throws Exception {
        Path f = write("duration = 1s\ngenerate { kind = two-tier, edges = 16384, hosts-per-edge = 1000 }\n");
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.load(f, List.of(), 1));
        assertEquals(List.of(new ConfigProblem(f.toString(), 2, "generate.hosts-per-edge",
                "edges * hosts-per-edge = 16384000 hosts; at most 262143")), e.problems());
    }
}
