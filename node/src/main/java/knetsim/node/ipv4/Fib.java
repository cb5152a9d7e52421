package knetsim.node.ipv4;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One table of a {@link RoutingTable}; sorted arrays rather than a trie because they are simpler to get right and
 * fast enough. It keeps its routes in insertion order (the source of routes()) and, per prefix length, a sorted
 * int[] of prefixes with each prefix's routes by metric then insertion (one Route, or a Route[] of aliases).
 * A lookup probes only the lengths in use, longest first, by binary search: O(L log n) for L distinct lengths
 * (at most 33) and n routes, with no allocation. A change inserts into or removes from one length's arrays
 * in place, so a router given 100,000 routes builds its table in O(n log n) (routes sorted by prefix are
 * appended), not by re-sorting the table after every route.
 */
final class Fib {
    private static final int[] NO_KEYS = new int[0];
    private static final Object[] NO_BUCKETS = new Object[0];

    final List<Route> routes = new ArrayList<>();
    /** Bit L is set when some route has prefix length L. */
    private long lengths;
    private final int[][] keys = new int[33][];
    private final int[] sizes = new int[33];
    /** Per length and key: a Route, or a Route[] when a prefix has several (by metric, then insertion). */
    private final Object[][] buckets = new Object[33][];

    Fib() {
        Arrays.fill(keys, NO_KEYS);
        Arrays.fill(buckets, NO_BUCKETS);
    }

    void insert(Route route) {
        routes.add(route);
        index(route);
    }

    void append(Route route) {
        if (!routes.contains(route)) insert(route);
    }

    boolean delete(Route route) {
        if (!routes.remove(route)) return false;
        unindex(route);
        return true;
    }

    /** The first route (by metric, then insertion) of this exact prefix and metric, or null. */
    Route sameKey(Route route) {
        int length = route.prefixLength();
        int at = Arrays.binarySearch(keys[length], 0, sizes[length], route.destination().bits());
        if (at < 0) return null;
        Object b = buckets[length][at];
        if (b instanceof Route r) return r.metric() == route.metric() ? r : null;
        for (Route r : (Route[]) b) {
            if (r.metric() == route.metric()) return r;
        }
        return null;
    }

    // fib_table_lookup(): longest prefix first; within a prefix the first alias whose scope is wide enough
    // and, when an output device is asked for, goes out of it. A reject route answers before the nexthop
    // checks, so it matches whatever the device. When every alias of a prefix is skipped the search
    // backtracks to shorter prefixes. computed (may be null): routing = auto's routes of this table, never of a
    // prefix this table holds, so at each length either answers the same as if its routes had been inserted.
    Route find(int address, int minScope, int oif, ComputedFib computed) {
        long remaining = computed == null ? lengths : lengths | computed.lengths();
        while (remaining != 0) {
            int length = 63 - Long.numberOfLeadingZeros(remaining);
            remaining &= ~(1L << length);
            Route r = findAt(length, address, minScope, oif);
            if (r == null && computed != null) r = computed.find(length, address, minScope, oif);
            if (r != null) return r;
        }
        return null;
    }

    // fib_table_lookup() at one prefix length: the first usable alias of the matching prefix, or null
    private Route findAt(int length, int address, int minScope, int oif) {
        if (sizes[length] == 0) return null;
        int at = Arrays.binarySearch(keys[length], 0, sizes[length], address & Route.mask(length));
        if (at < 0) return null;
        Object b = buckets[length][at];
        if (b instanceof Route r) return usable(r, minScope, oif) ? r : null;
        for (Route r : (Route[]) b) {
            if (usable(r, minScope, oif)) return r;
        }
        return null;
    }

    private static boolean usable(Route r, int minScope, int oif) {
        return r.scope().value() >= minScope && (r.type().rejects() || oif == 0 || r.ifindex() == oif);
    }

    private void index(Route route) {
        int length = route.prefixLength(), key = route.destination().bits(), n = sizes[length];
        int at = Arrays.binarySearch(keys[length], 0, n, key);
        if (at >= 0) {
            Object b = buckets[length][at];
            Route[] old = b instanceof Route r ? new Route[] {r} : (Route[]) b;
            int pos = old.length;
            while (pos > 0 && old[pos - 1].metric() > route.metric()) pos--; // stable: after equal metrics
            Route[] grown = new Route[old.length + 1];
            System.arraycopy(old, 0, grown, 0, pos);
            grown[pos] = route;
            System.arraycopy(old, pos, grown, pos + 1, old.length - pos);
            buckets[length][at] = grown;
            return;
        }
        int pos = -at - 1;
        if (n == keys[length].length) {
            int capacity = Math.max(4, n + (n >> 1));
            keys[length] = Arrays.copyOf(keys[length], capacity);
            buckets[length] = Arrays.copyOf(buckets[length], capacity);
        }
        System.arraycopy(keys[length], pos, keys[length], pos + 1, n - pos);
        System.arraycopy(buckets[length], pos, buckets[length], pos + 1, n - pos);
        keys[length][pos] = key;
        buckets[length][pos] = route;
        sizes[length] = n + 1;
        lengths |= 1L << length;
    }

    private void unindex(Route route) {
        int length = route.prefixLength(), n = sizes[length];
        int at = Arrays.binarySearch(keys[length], 0, n, route.destination().bits());
        Object b = buckets[length][at];
        if (b instanceof Route[] aliases) {
            int i = 0;
            while (!aliases[i].equals(route)) i++;
            Route[] shrunk = new Route[aliases.length - 1];
            System.arraycopy(aliases, 0, shrunk, 0, i);
            System.arraycopy(aliases, i + 1, shrunk, i, aliases.length - i - 1);
            buckets[length][at] = shrunk.length == 1 ? shrunk[0] : shrunk;
            return;
        }
        System.arraycopy(keys[length], at + 1, keys[length], at, n - at - 1);
        System.arraycopy(buckets[length], at + 1, buckets[length], at, n - at - 1);
        buckets[length][n - 1] = null;
        sizes[length] = n - 1;
        if (n == 1) lengths &= ~(1L << length);
    }
}
