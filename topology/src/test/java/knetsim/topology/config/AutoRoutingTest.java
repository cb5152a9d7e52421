package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * routing = auto's compact routes against Dijkstra written out plainly: every vertex queued (a host is queued but
 * never expanded), a label per offer, and a RouteSpec per chosen subnet.
 */
class AutoRoutingTest {
    @TempDir
    Path dir;

    private record Label(long cost, int hops, String firstHop, String firstIface, int via, String dev, String at) {
    }

    private static final Comparator<Label> ORDER = Comparator.comparingLong(Label::cost).thenComparingInt(Label::hops)
            .thenComparing(Label::firstHop).thenComparing(Label::firstIface).thenComparing(Label::at);

    // the routes of every node without a default route: subnet "network/length" -> "via dev"
    private static Map<String, Map<String, String>> reference(Topology t) {
        Map<String, List<LinkSpec.Endpoint[]>> adjacent = new HashMap<>();
        Map<String, Long> delay = new HashMap<>();
        for (LinkSpec l : t.links()) {
            adjacent.computeIfAbsent(l.a().node(), k -> new ArrayList<>()).add(new LinkSpec.Endpoint[] {l.a(), l.b()});
            adjacent.computeIfAbsent(l.b().node(), k -> new ArrayList<>()).add(new LinkSpec.Endpoint[] {l.b(), l.a()});
            delay.put(l.a() + "-" + l.b(), l.delayNs());
            delay.put(l.b() + "-" + l.a(), l.delayNs());
        }
        Map<String, Map<String, String>> out = new TreeMap<>();
        Map<String, List<NodeSpec>> subnets = subnets(t);
        for (NodeSpec n : t.nodes().values()) {
            if (n.routes().stream().anyMatch(r -> r.prefixLength() == 0)) continue;
            Map<String, Label> best = new HashMap<>();
            PriorityQueue<Label> queue = new PriorityQueue<>(ORDER);
            queue.add(new Label(0, 0, "", "", 0, "", n.name()));
            while (!queue.isEmpty()) {
                Label l = queue.poll();
                if (best.containsKey(l.at())) continue;
                best.put(l.at(), l);
                NodeSpec at = t.node(l.at());
                if (!l.at().equals(n.name()) && at != null && !at.router()) continue; // a host does not forward
                for (LinkSpec.Endpoint[] e : adjacent.getOrDefault(l.at(), List.of())) {
                    NodeSpec to = t.node(e[1].node());
                    boolean first = l.firstHop().isEmpty() && to != null;
                    int address = to == null ? 0 : to.iface(e[1].iface()).address();
                    queue.add(new Label(l.cost() + delay.get(e[0] + "-" + e[1]), l.hops() + 1,
                            first ? e[1].node() : l.firstHop(), first ? e[1].iface() : l.firstIface(),
                            first ? address : l.via(), l.hops() == 0 ? e[0].iface() : l.dev(), e[1].node()));
                }
            }
            Map<String, String> routes = new TreeMap<>();
            for (String subnet : subnets.keySet()) {
                List<NodeSpec> owners = subnets.get(subnet);
                if (owners.contains(n) || n.routes().stream().anyMatch(r -> subnet.equals(Ipv4s.text(r.to(), r.prefixLength())))) {
                    continue;
                }
                Label chosen = cheapest(best, owners, true, n);
                if (chosen == null) chosen = cheapest(best, owners, false, n);
                if (chosen != null) routes.put(subnet, Ipv4s.text(chosen.via()) + " " + chosen.dev());
            }
            out.put(n.name(), routes);
        }
        return out;
    }

    private static Label cheapest(Map<String, Label> best, List<NodeSpec> owners, boolean routers, NodeSpec source) {
        Label chosen = null;
        for (NodeSpec o : owners) {
            Label l = o == source || o.router() != routers ? null : best.get(o.name());
            if (l != null && (chosen == null || ORDER.compare(l, chosen) < 0)) chosen = l;
        }
        return chosen;
    }

    private static Map<String, List<NodeSpec>> subnets(Topology t) {
        Map<String, List<NodeSpec>> owners = new TreeMap<>();
        for (NodeSpec n : t.nodes().values()) {
            for (InterfaceSpec i : n.interfaces()) {
                owners.computeIfAbsent(Ipv4s.text(i.network(), i.prefixLength()), k -> new ArrayList<>()).add(n);
            }
        }
        return owners;
    }

    private static void assertReference(Topology t, String name) {
        Map<String, Map<String, String>> expected = reference(t);
        for (NodeSpec n : t.nodes().values()) {
            Map<String, String> actual = new TreeMap<>();
            for (RouteSpec r : n.computed().list()) {
                actual.put(Ipv4s.text(r.to(), r.prefixLength()), Ipv4s.text(r.via()) + " " + r.dev());
            }
            assertEquals(expected.getOrDefault(n.name(), Map.of()), actual, name + ": " + n.name());
        }
    }

    @Test
    void everyAutoRoutedConfigGetsThePlainDijkstrasRoutes() throws Exception {
        int checked = 0;
        try (Stream<Path> files = Files.list(Path.of("..", "configs"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".conf")).sorted().toList()) {
                Topology t = TopologyLoader.load(f, List.of(), 1);
                // the 1,000-host trees only repeat their edge routers; the plain Dijkstra takes seconds on them
                if (t.routing() != Topology.Routing.AUTO || t.nodes().size() > 300) continue;
                assertReference(t, f.toString());
                checked++;
            }
        }
        assertTrue(checked >= 3, "auto-routed configs: " + checked);
    }

    @Test
    void hostsWithoutGatewaysAndSubnetsWithoutRouters() throws Exception {
        // h2 has no gateway; 10.0.4.0/24 has only h4, reached through r1 and the switch it shares with r1's LAN;
        // h5, on both switches, is offered a path through each: from r1 its own subnets are nearer through sw1
        Path f = dir.resolve("auto.conf");
        Files.writeString(f, """
                duration = 1s
                routing = auto
                hosts {
                  h1 { interfaces { eth0 { ip = "10.0.1.2/24", gateway = "10.0.1.1" } } }
                  h2 { interfaces { eth0 { ip = "10.0.2.2/24" } } }
                  h3 { interfaces { eth0 { ip = "10.0.3.3/24", gateway = "10.0.3.1" } } }
                  h4 { interfaces { eth0 { ip = "10.0.4.4/24" } } }
                  h5 { interfaces { eth0 { ip = "10.0.5.5/24" }, eth1 { ip = "10.0.6.5/24" } } }
                }
                routers {
                  r1 { interfaces { eth0 { ip = "10.0.1.1/24" }, eth1 { ip = "10.9.0.1/30" }, eth2 { ip = "10.9.1.1/30" },
                                    eth3 { ip = "10.0.3.1/24" } } }
                  r2 { interfaces { eth0 { ip = "10.0.2.1/24" }, eth1 { ip = "10.9.0.2/30" }, eth2 { ip = "10.9.2.1/30" },
                                    eth3 { ip = "10.0.7.1/24" } } }
                  r3 { interfaces { eth0 { ip = "10.9.1.2/30" }, eth1 { ip = "10.9.2.2/30" } } }
                }
                switches { sw1 {}, sw2 {} }
                links = [
                  { a = "h1.eth0", b = "r1.eth0", rate = 1Gbps, delay = 1ms }
                  { a = "h2.eth0", b = "r2.eth0", rate = 1Gbps, delay = 1ms }
                  { a = "r1.eth1", b = "r2.eth1", rate = 1Gbps, delay = 3ms }
                  { a = "r1.eth2", b = "r3.eth0", rate = 1Gbps, delay = 1ms }
                  { a = "r3.eth1", b = "r2.eth2", rate = 1Gbps, delay = 1ms }
                  { a = "r1.eth3", b = "sw1", rate = 1Gbps, delay = 1ms }
                  { a = "h3.eth0", b = "sw1", rate = 1Gbps, delay = 1ms }
                  { a = "h4.eth0", b = "sw1", rate = 1Gbps, delay = 1ms }
                  { a = "r2.eth3", b = "sw2", rate = 1Gbps, delay = 1ms }
                  { a = "h5.eth0", b = "sw1", rate = 1Gbps, delay = 1ms }
                  { a = "h5.eth1", b = "sw2", rate = 1Gbps, delay = 1ms }
                ]
                traffic = [ { app = ping, on = h1, to = h2 } ]
                """);
        Topology t = TopologyLoader.load(f, List.of(), 1);
        assertReference(t, "auto.conf");
        assertTrue(t.node("r2").allRoutes().stream().anyMatch(r -> Ipv4s.text(r.to(), r.prefixLength()).equals("10.0.4.0/24")),
                t.node("r2").allRoutes().toString());
        assertEquals(9, t.node("h2").computed().size()); // every other subnet, through r2
        assertTrue(t.node("r1").allRoutes().stream().anyMatch(r -> Ipv4s.text(r.to(), r.prefixLength()).equals("10.0.6.0/24")
                && r.dev().equals("eth3") && Ipv4s.text(r.via()).equals("10.0.5.5")), t.node("r1").allRoutes().toString());
    }
}
