package knetsim.topology.config;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The static properties of the route from a node to an address, walked hop by hop over the route tables as the
 * validator walks them: the slowest link's rate (the bottleneck) and the sum of the links' propagation delays
 * one way. A hop through switches counts the link it leaves by and the link it arrives by. Used for a flow's
 * ideal completion time.
 */
public final class PathProperties {
    /** {@code bottleneckBps} 0 and {@code delayNs} -1 when the address cannot be reached. */
    public record Path(long bottleneckBps, long delayNs) {
        public boolean reachable() {
            return delayNs >= 0;
        }
    }

    private final Topology topology;
    private final Segments segments;
    private final Map<String, LinkSpec> linkOf = new HashMap<>();
    private final Map<Long, Path> cache = new HashMap<>();
    private final RouteLookup routes = new RouteLookup();

    public PathProperties(Topology topology) {
        this.topology = topology;
        this.segments = new Segments(topology.nodes(), topology.links());
        for (LinkSpec l : topology.links()) {
            for (LinkSpec.Endpoint e : List.of(l.a(), l.b())) if (!e.isSwitch()) linkOf.put(e.node() + "." + e.iface(), l);
        }
    }

    /** The path from {@code from} to {@code address}. */
    public Path of(String from, int address) {
        NodeSpec start = topology.node(from);
        if (start == null) return new Path(0, -1);
        long key = ((long) from.hashCode() << 32) ^ (address & 0xffffffffL);
        Path known = cache.get(key);
        if (known != null) return known;
        Path p = walk(start, address);
        cache.put(key, p);
        return p;
    }

    private Path walk(NodeSpec cur, int to) {
        long bottleneck = Long.MAX_VALUE, delay = 0;
        Set<String> seen = new HashSet<>();
        while (seen.add(cur.name())) {
            for (InterfaceSpec i : cur.interfaces()) if (i.address() == to) return new Path(bottleneck, delay);
            Validator.Hop hop = routes.lookup(cur, to);
            if (hop == null) return new Path(0, -1);
            Segments.Member next = segments.owner(cur.name(), hop.dev(), hop.nextHop());
            if (next == null) return new Path(0, -1);
            LinkSpec out = linkOf.get(cur.name() + "." + hop.dev()), in = linkOf.get(next.node().name() + "." + next.iface().name());
            for (LinkSpec l : out == in ? List.of(out) : java.util.Arrays.asList(out, in)) {
                if (l == null) continue;
                bottleneck = Math.min(bottleneck, l.rateBps());
                delay += l.delayNs();
            }
            cur = next.node();
        }
        return new Path(0, -1); // a routing loop
    }
}
