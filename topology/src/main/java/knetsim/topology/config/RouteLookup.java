package knetsim.topology.config;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Longest-prefix match over a node's connected subnets and routes, as the validator's walks and the path
 * properties need it: connected wins a tie, then the lower metric, then the route written first. Each node's
 * routes are indexed by prefix length the first time the node is looked up, so walking 10,000 flows through
 * routers that routing = auto gave 10,000 routes each is a few hash probes per hop, not a scan of every route.
 */
final class RouteLookup {
    /** Per prefix length (longest first), the winning route of each prefix. */
    private record Index(int[] lengths, Map<Integer, RouteSpec>[] byPrefix) {
    }

    private final Map<NodeSpec, Index> indexes = new IdentityHashMap<>();

    // fib_lookup() as the validator models it
    Validator.Hop lookup(NodeSpec node, int to) {
        Validator.Hop best = null;
        int bestLength = -1;
        for (InterfaceSpec i : node.interfaces()) {
            if (i.onSubnet(to) && i.prefixLength() > bestLength) {
                best = new Validator.Hop(i.name(), to);
                bestLength = i.prefixLength();
            }
        }
        Index index = indexes.computeIfAbsent(node, RouteLookup::index);
        for (int k = 0; k < index.lengths().length; k++) {
            int length = index.lengths()[k];
            if (length <= bestLength) break; // a connected subnet at least as long wins
            RouteSpec r = index.byPrefix()[k].get(to & Ipv4s.mask(length));
            if (r != null) return new Validator.Hop(r.dev(), r.via());
        }
        return best;
    }

    @SuppressWarnings("unchecked")
    private static Index index(NodeSpec node) {
        Map<Integer, Map<Integer, RouteSpec>> byLength = new java.util.TreeMap<>(java.util.Comparator.reverseOrder());
        for (RouteSpec r : node.routes()) {
            // the first route of the lowest metric wins: a later one replaces it only with a lower metric
            byLength.computeIfAbsent(r.prefixLength(), l -> new HashMap<>())
                    .merge(r.to(), r, (old, mine) -> mine.metric() < old.metric() ? mine : old);
        }
        int[] lengths = new int[byLength.size()];
        Map<Integer, RouteSpec>[] maps = new Map[byLength.size()];
        int k = 0;
        for (var e : byLength.entrySet()) {
            lengths[k] = e.getKey();
            maps[k++] = e.getValue();
        }
        return new Index(lengths, maps);
    }
}
