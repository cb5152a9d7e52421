package knetsim.topology.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Longest-prefix match over a node's connected subnets and routes, as the validator's walks and the path
 * properties need it: connected wins a tie, then the lower metric, then the route written first. Each node's
 * written routes are indexed by prefix length (sorted prefixes, binary search) the first time the node is looked
 * up, and routing = auto's are searched in their compact form (ComputedRoutes.match), so walking 10,000 flows
 * through routers that routing = auto gave 10,000 routes each costs a few probes per hop, not a scan of every
 * route.
 */
final class RouteLookup {
    /** Per prefix length (longest first), the prefixes in order and the winning route of each. */
    private record Index(int[] lengths, int[][] prefixes, RouteSpec[][] winners) {
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
        RouteSpec written = null;
        for (int k = 0; k < index.lengths().length; k++) {
            int length = index.lengths()[k];
            if (length <= bestLength) break; // a connected subnet at least as long wins
            int at = Arrays.binarySearch(index.prefixes()[k], to & Ipv4s.mask(length));
            if (at >= 0) {
                written = index.winners()[k][at];
                bestLength = length;
                break;
            }
        }
        // a computed route is never of a prefix the node is on or has a route to, so only a longer one wins
        ComputedRoutes computed = node.computed();
        int hop = computed.match(to, bestLength);
        if (hop >= 0) return new Validator.Hop(computed.dev()[hop], computed.via()[hop]);
        return written != null ? new Validator.Hop(written.dev(), written.via()) : best;
    }

    private static Index index(NodeSpec node) {
        Map<Integer, List<RouteSpec>> byLength = new TreeMap<>(java.util.Comparator.reverseOrder());
        for (RouteSpec r : node.routes()) byLength.computeIfAbsent(r.prefixLength(), l -> new ArrayList<>()).add(r);
        int n = byLength.size(), k = 0;
        int[] lengths = new int[n];
        int[][] prefixes = new int[n][];
        RouteSpec[][] winners = new RouteSpec[n][];
        for (var e : byLength.entrySet()) {
            List<RouteSpec> same = e.getValue();
            // stable: of one prefix, the lowest metric first, and of those the route written first
            same.sort(java.util.Comparator.comparingInt(RouteSpec::to).thenComparingInt(RouteSpec::metric));
            int[] p = new int[same.size()];
            RouteSpec[] w = new RouteSpec[same.size()];
            int m = 0;
            for (RouteSpec r : same) {
                if (m > 0 && p[m - 1] == r.to()) continue;
                p[m] = r.to();
                w[m++] = r;
            }
            lengths[k] = e.getKey();
            prefixes[k] = Arrays.copyOf(p, m);
            winners[k++] = Arrays.copyOf(w, m);
        }
        return new Index(lengths, prefixes, winners);
    }
}
