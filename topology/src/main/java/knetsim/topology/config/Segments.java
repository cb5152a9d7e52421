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

    private final Map<String, String> parent = new HashMap<>();
    private final Map<String, List<Member>> members = new HashMap<>();

    Segments(Map<String, NodeSpec> nodes, List<LinkSpec> links) {
        for (LinkSpec l : links) union(name(l.a()), name(l.b()));
        for (NodeSpec n : nodes.values()) {
            for (InterfaceSpec i : n.interfaces()) {
                members.computeIfAbsent(find(n.name() + "." + i.name()), k -> new ArrayList<>()).add(new Member(n, i));
            }
        }
    }

    static String name(LinkSpec.Endpoint e) {
        return e.isSwitch() ? e.node() : e.node() + "." + e.iface();
    }

    /** Everyone on the segment of node.iface, itself included, in node then ifindex order. */
    List<Member> of(String node, String iface) {
        return members.getOrDefault(find(node + "." + iface), List.of());
    }

    /** The member on node.iface's segment that owns {@code address}, or null. */
    Member owner(String node, String iface, int address) {
        for (Member m : of(node, iface)) {
            if (m.iface().address() == address) return m;
        }
        return null;
    }

    private String find(String x) {
        String p = parent.getOrDefault(x, x);
        if (p.equals(x)) return x;
        String root = find(p);
        parent.put(x, root);
        return root;
    }

    private void union(String a, String b) {
        String ra = find(a), rb = find(b);
        if (!ra.equals(rb)) parent.put(ra.compareTo(rb) < 0 ? rb : ra, ra.compareTo(rb) < 0 ? ra : rb);
    }
}
