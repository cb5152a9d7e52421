package knetsim.topology.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** L2 segments: the interfaces that reach each other through links and switches without an IP hop. */
final class Segments {
    /** A host or router interface on a segment. */
    record Member(NodeSpec node, InterfaceSpec iface) {
    }

    /** Union-find over interfaces (numbered in node order, then ifindex) and switches (numbered after them). */
    private final int[] parent;
    private final Map<String, Integer> firstIface = new HashMap<>();
    private final Map<String, Integer> switchIds = new HashMap<>();
    private final Map<Integer, List<Member>> members = new HashMap<>();
    private final Map<String, NodeSpec> nodes;

    Segments(Map<String, NodeSpec> nodes, List<LinkSpec> links) {
        this.nodes = nodes;
        int next = 0;
        for (NodeSpec n : nodes.values()) {
            firstIface.put(n.name(), next);
            next += n.interfaces().size();
        }
        for (LinkSpec l : links) {
            for (LinkSpec.Endpoint e : new LinkSpec.Endpoint[] {l.a(), l.b()}) {
                if (e.isSwitch() && !switchIds.containsKey(e.node())) switchIds.put(e.node(), next++);
            }
        }
        parent = new int[next];
        for (int k = 0; k < next; k++) parent[k] = k;
        for (LinkSpec l : links) union(id(l.a()), id(l.b()));
        for (NodeSpec n : nodes.values()) {
            int base = firstIface.get(n.name());
            for (int k = 0; k < n.interfaces().size(); k++) {
                members.computeIfAbsent(find(base + k), x -> new ArrayList<>()).add(new Member(n, n.interfaces().get(k)));
            }
        }
    }

    private int id(LinkSpec.Endpoint e) {
        if (e.isSwitch()) return switchIds.get(e.node());
        return id(nodes.get(e.node()), e.iface());
    }

    /** The interface's number, or -1 when the node has no such interface. */
    private int id(NodeSpec node, String iface) {
        if (node == null) return -1;
        List<InterfaceSpec> list = node.interfaces();
        for (int k = 0; k < list.size(); k++) if (list.get(k).name().equals(iface)) return firstIface.get(node.name()) + k;
        return -1;
    }

    static String name(LinkSpec.Endpoint e) {
        return e.isSwitch() ? e.node() : e.node() + "." + e.iface();
    }

    /** Everyone on the segment of node.iface, itself included, in node then ifindex order. */
    List<Member> of(String node, String iface) {
        int id = id(nodes.get(node), iface);
        return id < 0 ? List.of() : members.getOrDefault(find(id), List.of());
    }

    /** The member on node.iface's segment that owns {@code address}, or null. */
    Member owner(String node, String iface, int address) {
        for (Member m : of(node, iface)) {
            if (m.iface().address() == address) return m;
        }
        return null;
    }

    private int find(int x) {
        int root = x;
        while (parent[root] != root) root = parent[root];
        while (parent[x] != root) {
            int up = parent[x];
            parent[x] = root;
            x = up;
        }
        return root;
    }

    private void union(int a, int b) {
        if (a < 0 || b < 0) return;
        int ra = find(a), rb = find(b);
        if (ra != rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
}
