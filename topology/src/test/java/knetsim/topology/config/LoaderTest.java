package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import knetsim.node.netfilter.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model a good file loads into: defaults, resolution, overrides, generators and computed routes. */
class LoaderTest {
    static final Path CONFIGS = ConfigsTest.CONFIGS;
    @TempDir
    Path dir;

    static String route(RouteSpec r) {
        return Ipv4s.text(r.to(), r.prefixLength()) + " via " + Ipv4s.text(r.via()) + " dev " + r.dev() + " "
                + r.source();
    }

    Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void routedFileResolvesEverything() throws Exception {
        Path file = CONFIGS.resolve("routed.conf");
        Topology t = TopologyLoader.load(file, List.of(), 1);
        assertEquals(7, t.seed());
        assertEquals(3_000_000_000L, t.durationNs());
        NodeSpec r1 = t.node("r1");
        assertTrue(r1.router());
        assertEquals(List.of("eth0", "eth1", "eth2"), r1.interfaces().stream().map(InterfaceSpec::name).toList());
        assertEquals(3, r1.iface("eth2").ifindex());
        assertEquals(List.of("10.0.2.0/24 via 10.0.0.2 dev eth1 WRITTEN"), r1.routes().stream().map(LoaderTest::route)
                .toList());
        assertEquals(List.of("0.0.0.0/0 via 10.0.1.1 dev eth0 GATEWAY"), t.node("h1").routes().stream()
                .map(LoaderTest::route).toList());
        NetfilterRuleSpec rule = r1.netfilter().get(0);
        assertEquals(Rule.Hook.FORWARD, rule.hook());
        assertEquals(Rule.Target.DROP, rule.target());
        assertEquals(17, rule.protocol());
        assertEquals(9999, rule.destinationPort());
        assertEquals(-1, rule.sourcePort());
        assertEquals(24, rule.sourceLength());
        // "r1.*" names lo too (pcap/r1.lo.pcap is written only if lo carried something)
        assertEquals(List.of("r1.eth0", "r1.eth1", "r1.eth2", "r1.lo"), t.captures());
        TrafficSpec.UdpSend udp = (TrafficSpec.UdpSend) t.traffic().get(2);
        assertEquals(t.node("h2").interfaces().get(0).address(), udp.to());
        assertEquals(9000, udp.port());
        assertEquals(2_500_000_000L, udp.stopNs());
        assertEquals(TopologyLoader.sha256(Files.readAllBytes(file)), t.sha256());
        assertEquals(64, t.sha256().length());
        assertEquals(1_000_000L, t.record().intervalNs());
    }

    @Test
    void defaultsAndUniqueDeterministicMacs() throws Exception {
        Topology t = TopologyLoader.load(CONFIGS.resolve("lan.conf"), List.of(), 1);
        assertEquals(1, t.node("h1").cpus());
        assertEquals(NodeSpec.Costs.DEFAULT, t.node("h1").costs());
        assertEquals(new NodeSpec.Costs(2_000, 1_000, 1_500, 1_000), t.node("h3").costs());
        InterfaceSpec eth0 = t.node("h1").interfaces().get(0);
        assertEquals(1500, eth0.mtu());
        assertEquals(256, eth0.rxRing());
        assertEquals(1000, eth0.txqueuelen());
        assertEquals(0x0200_0000_0001L, eth0.mac());
        assertEquals(0x0200_0000_0104L, t.node("h4").interfaces().get(0).mac());
        Set<Long> macs = new HashSet<>();
        t.nodes().values().forEach(n -> n.interfaces().forEach(i -> assertTrue(macs.add(i.mac()))));
        assertEquals(4, t.switches().get("sw1").ports());
        assertEquals(new LinkSpec.Endpoint("sw1", null, true, 2), t.links().get(2).b());
        assertEquals(LinkSpec.QdiscSpec.DEFAULT, t.links().get(0).qdisc());
        assertEquals(LinkSpec.LossSpec.NONE, t.links().get(0).loss());
    }

    @Test
    void setOverridesLayerOverTheFile() throws Exception {
        Topology t = TopologyLoader.load(CONFIGS.resolve("ping.conf"), List.of("seed=9", "duration=2s",
                "hosts.h1.cpus=4", "links[0].delay=3ms"), 1);
        assertEquals(9, t.seed());
        assertEquals(2_000_000_000L, t.durationNs());
        assertEquals(4, t.node("h1").cpus());
        assertEquals(3_000_000L, t.links().get(0).delayNs());
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.load(
                CONFIGS.resolve("ping.conf"), List.of("hosts.h1.cpus=0"), 1));
        assertEquals("--set:1: hosts.h1.cpus: expected an integer 1..1024, got 0", e.getMessage());
        e = assertThrows(TopologyException.class, () -> TopologyLoader.load(CONFIGS.resolve("ping.conf"),
                List.of("links[0].delay=0", "links[3].rate=1Gbps"), 1));
        assertEquals("--set:2: links[3].rate: the file has no object links[3] to set a key in", e.getMessage());
        e = assertThrows(TopologyException.class, () -> TopologyLoader.load(CONFIGS.resolve("ping.conf"),
                List.of("links[0].delay=0"), 1));
        assertEquals("--set:1: links[0].delay: expected a delay > 0 like 1ms (it bounds the lookahead), got \"0\"",
                e.getMessage());
    }

    @Test
    void substitutionsAndIncludesResolve() throws Exception {
        write("common.conf", "vars { link { rate = 1Gbps, delay = 1ms } }\n");
        Path f = write("main.conf", """
                include "common.conf"
                duration = 1s
                vars.net = "10.1.0"
                hosts { h1 { interfaces { eth0 { ip = ${vars.net}".1/24" } } }
                        h2 { interfaces { eth0 { ip = ${vars.net}".2/24" } } } }
                links = [ ${vars.link} { a = "h1.eth0", b = "h2.eth0" } ]
                """);
        Topology t = TopologyLoader.load(f, List.of(), 1);
        assertEquals("10.1.0.2", Ipv4s.text(t.node("h2").interfaces().get(0).address()));
        assertEquals(1_000_000L, t.links().get(0).delayNs());
        assertEquals(t, TopologyLoader.fromResolved(t.resolvedJson()));
        Path bad = write("bad.conf", "duration = 1s\nhosts { h1 { interfaces { eth0 { ip = ${nowhere} } } } }\n");
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.load(bad, List.of(), 1));
        assertEquals(2, e.problems().get(0).line());
        assertEquals("(substitution)", e.problems().get(0).key());
    }

    @Test
    void fromResolvedRebuildsTheSameModelEvenWhenInterfacesAreNotInNameOrder() throws Exception {
        Path f = write("order.conf", """
                duration = 1s
                routers { r1 { interfaces {
                  wan { ip = "10.0.0.1/30" }
                  lan { ip = "10.0.1.1/24" }
                } } }
                hosts { h1 { interfaces { eth0 { ip = "10.0.0.2/30" } } }, h2 { interfaces { eth0 { ip = "10.0.1.2/24" } } } }
                links = [ { a = "r1.wan", b = "h1.eth0", rate = 1Gbps, delay = 1ms }
                          { a = "r1.lan", b = "h2.eth0", rate = 1Gbps, delay = 1ms } ]
                """);
        Topology t = TopologyLoader.load(f, List.of(), 1);
        assertEquals(List.of("wan", "lan"), t.node("r1").interfaces().stream().map(InterfaceSpec::name).toList());
        Topology again = TopologyLoader.fromResolved(t.resolvedJson());
        assertEquals(t, again);
        assertEquals(t.sha256(), again.sha256());
    }

    @Test
    void autoRoutingTakesTheLowestDelayPath() throws Exception {
        // h1 - r1 - r2 - h2 directly with 50ms, or r1 - r3 - r2 with 1ms + 1ms: the second wins.
        Path f = write("auto.conf", """
                duration = 1s
                routing = auto
                hosts {
                  h1 { interfaces { eth0 { ip = "10.0.1.2/24", gateway = "10.0.1.1" } } }
                  h2 { interfaces { eth0 { ip = "10.0.2.2/24" } } }
                }
                routers {
                  r1 { interfaces { eth0 { ip = "10.0.1.1/24" }, eth1 { ip = "10.9.0.1/30" }, eth2 { ip = "10.9.1.1/30" } } }
                  r2 { interfaces { eth0 { ip = "10.0.2.1/24" }, eth1 { ip = "10.9.0.2/30" }, eth2 { ip = "10.9.2.1/30" } } }
                  r3 { interfaces { eth0 { ip = "10.9.1.2/30" }, eth1 { ip = "10.9.2.2/30" } } }
                }
                links = [
                  { a = "h1.eth0", b = "r1.eth0", rate = 1Gbps, delay = 1ms }
                  { a = "h2.eth0", b = "r2.eth0", rate = 1Gbps, delay = 1ms }
                  { a = "r1.eth1", b = "r2.eth1", rate = 1Gbps, delay = 50ms }
                  { a = "r1.eth2", b = "r3.eth0", rate = 1Gbps, delay = 1ms }
                  { a = "r3.eth1", b = "r2.eth2", rate = 1Gbps, delay = 1ms }
                ]
                traffic = [ { app = ping, on = h1, to = h2 } ]
                """);
        Topology t = TopologyLoader.load(f, List.of(), 1);
        assertTrue(t.node("r1").allRoutes().stream().map(LoaderTest::route).toList()
                .contains("10.0.2.0/24 via 10.9.1.2 dev eth2 AUTO"));
        assertEquals(List.of("0.0.0.0/0 via 10.0.1.1 dev eth0 GATEWAY"), t.node("h1").routes().stream()
                .map(LoaderTest::route).toList());
        // h2 has no gateway: it gets a route to every other subnet, through r2.
        assertEquals(4, t.node("h2").allRoutes().size());
        assertTrue(t.node("h2").allRoutes().stream().allMatch(r -> r.via() == t.node("r2").iface("eth0").address()));
    }

    @Test
    void generatedProblemsPointAtTheGenerateKey() throws Exception {
        Path f = write("gen.conf", """
                duration = 1s

                generate { kind = star, leaves = 3 }
                hosts.h1.interfaces.eth0.ip = "10.0.0.2/29"
                """);
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.load(f, List.of(), 1));
        assertEquals(List.of(new ConfigProblem(f.toString(), 3, "hosts.h2.interfaces.eth0.ip",
                "address 10.0.0.2 is already used by hosts.h1.interfaces.eth0.ip")), e.problems());
    }

    @Test
    void generatorsMakeLoadableTopologies() throws Exception {
        for (String gen : List.of("kind = line, nodes = 5", "kind = line, nodes = 2", "kind = star, leaves = 6",
                "kind = tree, depth = 2, fan-out = 3", "kind = fat-tree, k = 4",
                "kind = dumbbell, pairs = 2, traffic { app = udp-poisson, rate = 1Mbps }")) {
            Path f = write("g.conf", "duration = 1s\ngenerate { " + gen + " }\n");
            Topology t = TopologyLoader.load(f, List.of(), 1);
            assertEquals(Topology.Routing.AUTO, t.routing(), gen);
            assertEquals(t, TopologyLoader.fromResolved(t.resolvedJson()), gen);
            Set<Integer> addresses = new HashSet<>();
            t.nodes().values().forEach(n -> n.interfaces().forEach(i -> assertTrue(addresses.add(i.address()), gen)));
        }
        Topology fat = TopologyLoader.load(write("f.conf", """
                duration = 1s
                generate { kind = fat-tree, k = 4 }
                traffic = [ { app = ping, on = h1-1-1, to = h4-2-2 } ]
                """), List.of(), 1);
        assertEquals(16 + 20, fat.nodes().size());
        assertEquals(48, fat.links().size());
        Topology line = TopologyLoader.load(write("l.conf", """
                duration = 1s
                routing = manual
                generate { kind = line, nodes = 3 }
                """), List.of(), 1);
        assertEquals(Topology.Routing.MANUAL, line.routing());
        assertNotEquals(0, line.node("h1").routes().size());
    }
}
