package knetsim.topology.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * routing = auto: shortest-path static routes. The graph has hosts, routers and switches as vertices and links
 * as edges weighted by their delay; only routers forward, so a path never passes through a host. A path's
 * label is (delay sum, hop count, first-hop name, first-hop interface), compared in that order, which keeps
 * Dijkstra exact and the result deterministic. Every node gets a route to every subnet it is not connected to,
 * via the first hop's address on the shared segment; a node that already has a default route (a gateway or a
 * written one) gets none, and a written route for the same prefix is kept instead of a computed one.
 */
final class AutoRouting {
    private record Edge(String localIface, String to, String remoteIface, long delay) {
    }

    private record Label(long cost, int hops, String firstHop, String firstIface, int via, String dev, String at) {
    }

    private static final Comparator<Label> ORDER = Comparator.comparingLong(Label::cost).thenComparingInt(Label::hops)
            .thenComparing(Label::firstHop).thenComparing(Label::firstIface).thenComparing(Label::at);

    private final Map<String, NodeSpec> nodes;
    private final Map<String, List<Edge>> edges = new HashMap<>();

    AutoRouting(Map<String, NodeSpec> nodes, List<LinkSpec> links) {
        this.nodes = nodes;
        for (LinkSpec l : links) {
            edges.computeIfAbsent(l.a().node(), k -> new ArrayList<>())
                    .add(new Edge(l.a().iface(), l.b().node(), l.b().iface(), l.delayNs()));
            edges.computeIfAbsent(l.b().node(), k -> new ArrayList<>())
                    .add(new Edge(l.b().iface(), l.a().node(), l.a().iface(), l.delayNs()));
        }
    }

    /** The nodes with their computed routes appended. */
    Map<String, NodeSpec> apply() {
        // subnet -> nodes attached to it, routers first (only they can take a packet on into the subnet).
        Map<Long, List<String>> subnets = new TreeMap<>();
        for (NodeSpec n : nodes.values()) {
            for (InterfaceSpec i : n.interfaces()) {
                subnets.computeIfAbsent(key(i.network(), i.prefixLength()), k -> new ArrayList<>()).add(n.name());
            }
        }
        Map<String, NodeSpec> out = new TreeMap<>();
        for (NodeSpec n : nodes.values()) out.put(n.name(), withRoutes(n, subnets));
        return out;
    }

    private NodeSpec withRoutes(NodeSpec n, Map<Long, List<String>> subnets) {
        Set<Long> have = new HashSet<>();
        for (InterfaceSpec i : n.interfaces()) have.add(key(i.network(), i.prefixLength()));
        for (RouteSpec r : n.routes()) {
            if (r.prefixLength() == 0) return n;
            have.add(key(r.to(), r.prefixLength()));
        }
        if (have.containsAll(subnets.keySet())) return n;
        Map<String, Label> best = shortestPaths(n.name());
        List<RouteSpec> routes = new ArrayList<>(n.routes());
        for (Map.Entry<Long, List<String>> s : subnets.entrySet()) {
            if (have.contains(s.getKey())) continue;
            Label chosen = null;
            for (boolean routers : new boolean[] {true, false}) {
                for (String owner : s.getValue()) {
                    Label l = best.get(owner);
                    if (l == null || nodes.get(owner).router() != routers) continue;
                    if (chosen == null || ORDER.compare(l, chosen) < 0) chosen = l;
                }
                if (chosen != null) break;
            }
            if (chosen == null) continue; // unreachable: reported by the traffic check if anything sends there
            routes.add(new RouteSpec((int) (s.getKey() >>> 8), (int) (s.getKey() & 0xff), chosen.via(), chosen.dev(), 0,
                    RouteSpec.Source.AUTO));
        }
        return new NodeSpec(n.name(), n.router(), n.cpus(), n.gratuitousArp(), n.costs(), n.interfaces(), routes,
                n.netfilter(), n.sysctl());
    }

    private static long key(int network, int prefixLength) {
        return ((network & 0xffffffffL) << 8) | prefixLength;
    }

    /**
     * Best label of every L3 node reachable from {@code source} through routers and switches. A node that does
     * not forward is never expanded, so its label is only the smallest of those offered to it: it is kept aside
     * rather than queued (a 10,000-host network then runs Dijkstra over its routers and switches alone). A label
     * offered to it after the smallest is strictly larger (one hop more at no smaller cost), so this gives the
     * labels that queueing it did.
     */
    private Map<String, Label> shortestPaths(String source) {
        Map<String, Label> settled = new HashMap<>();
        Map<String, Label> leaves = new HashMap<>();
        PriorityQueue<Label> queue = new PriorityQueue<>(ORDER);
        for (Edge e : edges.getOrDefault(source, List.of())) {
            if (e.to().equals(source)) continue;
            boolean l3 = nodes.containsKey(e.to());
            offer(new Label(e.delay(), 1, l3 ? e.to() : "", l3 ? e.remoteIface() : "",
                    l3 ? address(e.to(), e.remoteIface()) : 0, e.localIface(), e.to()), queue, leaves);
        }
        settled.put(source, null);
        while (!queue.isEmpty()) {
            Label l = queue.poll();
            if (settled.containsKey(l.at())) continue;
            settled.put(l.at(), l);
            for (Edge e : edges.getOrDefault(l.at(), List.of())) {
                if (settled.containsKey(e.to())) continue;
                boolean first = l.firstHop().isEmpty() && nodes.containsKey(e.to());
                offer(new Label(l.cost() + e.delay(), l.hops() + 1, first ? e.to() : l.firstHop(),
                        first ? e.remoteIface() : l.firstIface(), first ? address(e.to(), e.remoteIface()) : l.via(),
                        l.dev(), e.to()), queue, leaves);
            }
        }
        settled.remove(source);
        settled.keySet().removeIf(k -> !nodes.containsKey(k));
        leaves.remove(source);
        settled.putAll(leaves);
        return settled;
    }

    // a router or switch is queued and expanded; a node that does not forward keeps its smallest label
    private void offer(Label l, PriorityQueue<Label> queue, Map<String, Label> leaves) {
        NodeSpec node = nodes.get(l.at());
        if (node != null && !node.router()) leaves.merge(l.at(), l, (old, mine) -> ORDER.compare(mine, old) < 0 ? mine : old);
        else queue.add(l);
    }

    private int address(String node, String iface) {
        return nodes.get(node).iface(iface).address();
    }
}
