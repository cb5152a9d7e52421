package knetsim.topology.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import knetsim.node.ipv4.Subnets;
import knetsim.topology.config.ShortestPaths.Edge;
import knetsim.topology.config.ShortestPaths.Label;

/**
 * routing = auto: shortest-path static routes. The graph has hosts, routers and switches as vertices and links
 * as edges weighted by their delay; only routers forward, so a path never passes through a host (ShortestPaths
 * has the labels and their order). Every node gets a route to every subnet it is not connected to, via the first
 * hop's address on the shared segment, the cheapest path to one of the subnet's routers or else to any of its
 * nodes; a node that already has a default route (a gateway or a written one) gets none, and a written route for
 * the same prefix is kept instead of a computed one. The routes are kept as runs over one order of all subnets
 * that every node shares (ComputedRoutes), made subnet by subnet without an object per route.
 */
final class AutoRouting {

    private final Map<String, NodeSpec> nodes;
    // vertices: every node and switch a link names, numbered once so that Dijkstra works on arrays
    private final Map<String, Integer> vertexOf = new HashMap<>();
    private final List<List<Edge>> edges = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private boolean[] l3;
    private boolean[] router;
    private final ShortestPaths paths;

    AutoRouting(Map<String, NodeSpec> nodes, List<LinkSpec> links) {
        this.nodes = nodes;
        for (String n : nodes.keySet()) vertex(n);
        for (LinkSpec l : links) {
            int a = vertex(l.a().node()), b = vertex(l.b().node());
            edges.get(a).add(new Edge(l.a().iface(), b, l.b().node(), l.b().iface(), address(l.b()), l.delayNs()));
            edges.get(b).add(new Edge(l.b().iface(), a, l.a().node(), l.a().iface(), address(l.a()), l.delayNs()));
        }
        l3 = new boolean[names.size()];
        router = new boolean[names.size()];
        for (int v = 0; v < names.size(); v++) {
            NodeSpec n = nodes.get(names.get(v));
            l3[v] = n != null;
            router[v] = n != null && n.router();
        }
        paths = new ShortestPaths(edges, l3, router);
    }

    private int vertex(String name) {
        Integer v = vertexOf.get(name);
        if (v != null) return v;
        vertexOf.put(name, names.size());
        names.add(name);
        edges.add(new ArrayList<>());
        return names.size() - 1;
    }

    // the nodes attached to a subnet, routers apart from the others
    private record Subnet(int[] routers, int[] others) {
    }

    /** The nodes with their computed routes, as runs over one shared order of every subnet. */
    Map<String, NodeSpec> apply() {
        // subnet -> nodes attached to it, in the order Subnets keeps: longest prefix first, then by prefix as an int
        Map<Long, List<String>> owners = new TreeMap<>();
        for (NodeSpec n : nodes.values()) {
            for (InterfaceSpec i : n.interfaces()) {
                owners.computeIfAbsent(key(i.network(), i.prefixLength()), k -> new ArrayList<>()).add(n.name());
            }
        }
        List<Subnet> subnets = new ArrayList<>();
        int[] prefixes = new int[owners.size()], lengths = new int[owners.size()];
        for (Map.Entry<Long, List<String>> e : owners.entrySet()) {
            int[] all = e.getValue().stream().mapToInt(vertexOf::get).toArray();
            prefixes[subnets.size()] = (int) (e.getKey() - Integer.MIN_VALUE);
            lengths[subnets.size()] = 32 - (int) (e.getKey() >>> 32);
            subnets.add(new Subnet(java.util.Arrays.stream(all).filter(v -> router[v]).toArray(),
                    java.util.Arrays.stream(all).filter(v -> !router[v]).toArray()));
        }
        Subnets order = new Subnets(prefixes, lengths);
        Map<String, NodeSpec> out = new TreeMap<>();
        for (NodeSpec n : nodes.values()) out.put(n.name(), withRoutes(n, subnets, order));
        return out;
    }

    private NodeSpec withRoutes(NodeSpec n, List<Subnet> subnets, Subnets order) {
        for (RouteSpec r : n.routes()) {
            if (r.prefixLength() == 0) return n;
        }
        boolean[] have = new boolean[subnets.size()];
        int had = 0;
        for (InterfaceSpec i : n.interfaces()) had += mark(have, order.indexOf(i.network(), i.prefixLength()));
        for (RouteSpec r : n.routes()) had += mark(have, order.indexOf(r.to(), r.prefixLength()));
        if (had == subnets.size()) return n;
        paths.from(vertexOf.get(n.name()));
        Runs runs = new Runs();
        for (int s = 0; s < subnets.size(); s++) {
            Label chosen = null;
            if (!have[s]) {
                chosen = cheapest(subnets.get(s).routers());
                if (chosen == null) chosen = cheapest(subnets.get(s).others());
            }
            runs.add(s, chosen); // null: unreachable, reported by the traffic check if anything sends there
        }
        return new NodeSpec(n.name(), n.router(), n.cpus(), n.gratuitousArp(), n.costs(), n.interfaces(), n.routes(),
                n.netfilter(), n.sysctl(), runs.done(order));
    }

    /** A node's routes as they are chosen, subnet by subnet in the shared order: a new run where the hop changes. */
    private static final class Runs {
        private int[] start = new int[8], hop = new int[8];
        private int runs;
        private final List<Integer> via = new ArrayList<>();
        private final List<String> dev = new ArrayList<>();
        // hop ids by (dev, via): looked up only where a run starts, never per subnet
        private final Map<String, Map<Integer, Integer>> ids = new HashMap<>();

        void add(int subnet, Label chosen) {
            int h = -1;
            if (chosen != null) {
                int last = runs == 0 ? -1 : hop[runs - 1];
                h = last >= 0 && via.get(last) == chosen.via() && dev.get(last).equals(chosen.dev()) ? last
                        : ids.computeIfAbsent(chosen.dev(), d -> new HashMap<>()).computeIfAbsent(chosen.via(), v -> {
                            via.add(v);
                            dev.add(chosen.dev());
                            return via.size() - 1;
                        });
            }
            if (runs > 0 && hop[runs - 1] == h) return;
            if (runs == start.length) {
                start = java.util.Arrays.copyOf(start, 2 * runs);
                hop = java.util.Arrays.copyOf(hop, 2 * runs);
            }
            start[runs] = subnet;
            hop[runs++] = h;
        }

        ComputedRoutes done(Subnets order) {
            return new ComputedRoutes(order, java.util.Arrays.copyOf(start, runs), java.util.Arrays.copyOf(hop, runs),
                    via.stream().mapToInt(Integer::intValue).toArray(), dev.toArray(new String[0]));
        }
    }

    // marks a subnet the node already reaches; 1 if it was not marked yet
    private static int mark(boolean[] have, int subnet) {
        if (subnet < 0 || have[subnet]) return 0;
        have[subnet] = true;
        return 1;
    }

    private Label cheapest(int[] owners) {
        Label chosen = null;
        for (int owner : owners) {
            Label l = paths.best(owner);
            if (l != null && (chosen == null || ShortestPaths.ORDER.compare(l, chosen) < 0)) chosen = l;
        }
        return chosen;
    }

    // sorts as Subnets orders: longest prefix first, then the prefix as a signed int
    private static long key(int network, int prefixLength) {
        return (long) (32 - prefixLength) << 32 | (network - (long) Integer.MIN_VALUE);
    }

    private Integer address(LinkSpec.Endpoint end) {
        NodeSpec node = nodes.get(end.node());
        InterfaceSpec i = node == null ? null : node.iface(end.iface());
        return i == null ? null : i.address();
    }
}
