package knetsim.node.ipv4;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A host's IPv4 FIB without policy rules, so the local table is consulted before the main one as Linux's default
 * rules (0: local, 32766: main) do. A plain object owned by one Host actor, so it takes no locks.
 */
public final class RoutingTable {

    /** The two tables a plain Linux host has; the ids are RT_TABLE_LOCAL and RT_TABLE_MAIN. */
    public enum Table {
        LOCAL(255, "local"),
        MAIN(254, "main");

        private final int id;
        private final String keyword;

        Table(int id, String keyword) {
            this.id = id;
            this.keyword = keyword;
        }

        public int id() {
            return id;
        }

        @Override
        public String toString() {
            return keyword;
        }
    }

    /**
     * What fib_lookup() hands ip_route_output: the route, the table it came from, the neighbour to resolve
     * (the gateway, or the destination itself on a directly connected route) and the output device. For a
     * LOCAL route the kernel then sends through loopback; for a reject type the caller fails with its errno.
     */
    public record Result(Route route, Table table, Ipv4Address nextHop, int ifindex) {
    }

    /** An address configured on an interface, for the primary/secondary decision __inet_insert_ifa() makes. */
    private record InterfaceAddress(int ifindex, Ipv4Address address, int prefixLength) {
    }

    private final Fib local = new Fib();
    private final Fib main = new Fib();
    private final List<InterfaceAddress> addresses = new ArrayList<>();

    /**
     * Configures {@code address/prefixLength} on an interface ({@code ip addr add}) and adds the routes
     * fib_add_ifaddr() adds: {@code local ADDRESS} (scope host) in the local table, and for a primary address
     * the subnet route (scope link) in main and, below /31, {@code broadcast} for the subnet's last address in
     * local; all proto kernel with src the primary address. A second address in a subnet the interface already
     * has is secondary and gets only its local route. Current kernels no longer add a broadcast route for the
     * subnet's first address, so neither does this.
     *
     * @throws IllegalArgumentException "RTNETLINK answers: File exists" if the interface has this address/length
     */
    public void addConnected(int ifindex, String device, Ipv4Address address, int prefixLength) {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(device, "device");
        if (ifindex <= 0) throw new IllegalArgumentException("ifindex must be positive: " + ifindex);
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0..32: " + address + "/" + prefixLength);
        }
        int mask = Route.mask(prefixLength);
        int prefix = address.bits() & mask;
        // __inet_insert_ifa(): an address in a subnet (same mask) the device already has is secondary,
        // and the very same address again is EEXIST.
        InterfaceAddress primary = null;
        for (InterfaceAddress a : addresses) {
            if (a.ifindex() == ifindex && a.prefixLength() == prefixLength && (a.address().bits() & mask) == prefix) {
                if (a.address().equals(address)) {
                    throw new IllegalArgumentException("RTNETLINK answers: File exists: " + address + "/"
                            + prefixLength + " is already on " + device);
                }
                if (primary == null) primary = a;
            }
        }
        addresses.add(new InterfaceAddress(ifindex, address, prefixLength));
        Ipv4Address src = primary == null ? address : primary.address();
        // fib_add_ifaddr() -> fib_magic(): NLM_F_CREATE|NLM_F_APPEND, so these join existing routes of the same
        // prefix and metric (a subnet on two interfaces) instead of clashing; only an identical route is skipped.
        local.append(new Route(address, 32, null, ifindex, device, 0, Route.Scope.HOST, Route.Type.LOCAL,
                Route.Protocol.KERNEL, src, 0));
        if (primary != null) return;
        if (prefix != 0 && (prefix != address.bits() || prefixLength < 32)) {
            main.append(new Route(Ipv4Address.of(prefix), prefixLength, null, ifindex, device, 0, Route.Scope.LINK,
                    Route.Type.UNICAST, Route.Protocol.KERNEL, src, 0));
            if (prefixLength < 31) {
                // RFC 3021: /31 and /32 subnets have no broadcast address.
                local.append(new Route(Ipv4Address.of(prefix | ~mask), 32, null, ifindex, device, 0,
                        Route.Scope.LINK, Route.Type.BROADCAST, Route.Protocol.KERNEL, src, 0));
            }
        }
    }

    /**
     * lo comes up with 127.0.0.1/8 (fib_add_ifaddr() on an IFF_LOOPBACK device): {@code local 127.0.0.0/8} (the
     * prefix route is local, not unicast, and so in the local table), {@code local 127.0.0.1} and
     * {@code broadcast 127.255.255.255}, all dev lo proto kernel src 127.0.0.1. The routes are shared by every host.
     */
    public void addLoopback() {
        for (Route r : LOOPBACK_ROUTES) local.append(r);
    }

    private static final List<Route> LOOPBACK_ROUTES = loopbackRoutes();

    private static List<Route> loopbackRoutes() {
        int ifindex = knetsim.node.dev.Loopback.IFINDEX;
        String device = knetsim.node.dev.Loopback.NAME;
        Ipv4Address src = knetsim.node.dev.Loopback.ADDRESS;
        int prefixLength = knetsim.node.dev.Loopback.PREFIX_LENGTH;
        int prefix = src.bits() & Route.mask(prefixLength);
        return List.of(
                new Route(Ipv4Address.of(prefix), prefixLength, null, ifindex, device, 0, Route.Scope.HOST,
                        Route.Type.LOCAL, Route.Protocol.KERNEL, src, 0),
                new Route(src, 32, null, ifindex, device, 0, Route.Scope.HOST, Route.Type.LOCAL, Route.Protocol.KERNEL,
                        src, 0),
                new Route(Ipv4Address.of(prefix | ~Route.mask(prefixLength)), 32, null, ifindex, device, 0,
                        Route.Scope.LINK, Route.Type.BROADCAST, Route.Protocol.KERNEL, src, 0));
    }

    /** {@code ip route add ROUTE}: into the main table. */
    public Route add(Route route) {
        return add(Table.MAIN, route);
    }

    /**
     * {@code ip route add ROUTE table TABLE} (NLM_F_CREATE|NLM_F_EXCL). A gateway route without a device gets
     * the device its gateway resolves through; the route as stored is returned.
     *
     * @throws IllegalArgumentException "Nexthop has invalid gateway" if the gateway is not reachable through a
     *         route of scope link or host (on the route's device, if it names one) that is unicast or local;
     *         "RTNETLINK answers: File exists" if the table has a route of the same prefix and metric
     */
    public Route add(Table table, Route route) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(route, "route");
        Route stored = route.gateway() == null ? route : checkGateway(route);
        Fib fib = fib(table);
        // fib_table_insert(): type and nexthop are not part of the key; prefix, tos and priority are.
        Route existing = fib.sameKey(stored);
        if (existing != null) {
            throw new IllegalArgumentException("RTNETLINK answers: File exists: " + stored + " clashes with "
                    + existing + " in table " + table);
        }
        fib.insert(stored);
        return stored;
    }

    // fib_check_nh_v4_gw(): look the gateway up as fib_lookup() would, but seeing only routes of scope link or
    // narrower (so not via another gateway) and, if the route names a device, only routes out of it.
    private Route checkGateway(Route route) {
        Result via = lookup(route.gateway(), Route.Scope.LINK.value(), route.ifindex());
        if (via == null || (via.route().type() != Route.Type.UNICAST && via.route().type() != Route.Type.LOCAL)) {
            throw new IllegalArgumentException("Nexthop has invalid gateway: " + route.gateway() + " in " + route
                    + (via == null ? " (no connected route to it)" : " (it is a " + via.route().type() + " route)"));
        }
        return route.ifindex() != 0 ? route : route.withDevice(via.route().ifindex(), via.route().device());
    }

    /** {@code ip route del ROUTE}: from the main table. */
    public void remove(Route route) {
        remove(Table.MAIN, route);
    }

    /**
     * {@code ip route del ROUTE table TABLE}: removes the route equal to {@code route}. Routes through a gateway
     * that this leaves unreachable stay, as in Linux, where only a device going down flushes them.
     *
     * @throws IllegalArgumentException "RTNETLINK answers: No such process" (ESRCH) if there is none
     */
    public void remove(Table table, Route route) {
        Objects.requireNonNull(route, "route");
        if (!fib(table).delete(route)) {
            throw new IllegalArgumentException("RTNETLINK answers: No such process: " + route + " is not in table "
                    + table);
        }
    }

    /**
     * fib_lookup(): the local table first, then main; in each the longest matching prefix, then the lowest
     * metric, then the route inserted first (a tie only addConnected can create, for one subnet on two
     * interfaces; the kernel then also uses the first alias in its list). Empty means no route: the caller
     * fails with ENETUNREACH and counts IpOutNoRoutes (or, forwarding, sends ICMP net unreachable).
     */
    public Optional<Result> lookup(Ipv4Address destination) {
        Objects.requireNonNull(destination, "destination");
        return Optional.ofNullable(lookup(destination, Route.Scope.UNIVERSE.value(), 0));
    }

    private Result lookup(Ipv4Address destination, int minScope, int oif) {
        Route found = local.find(destination.bits(), minScope, oif);
        Table table = Table.LOCAL;
        if (found == null) {
            found = main.find(destination.bits(), minScope, oif);
            table = Table.MAIN;
        }
        if (found == null) return null;
        Ipv4Address nextHop = found.gateway() != null ? found.gateway() : destination;
        return new Result(found, table, nextHop, found.ifindex());
    }

    /** {@code ip route show}: the main table. */
    public List<Route> routes() {
        return routes(Table.MAIN);
    }

    /**
     * {@code ip route show table TABLE}, in the order the kernel dumps its trie: by prefix as an unsigned number,
     * then longer prefix first (a leaf keeps its aliases by suffix length), then metric, then insertion.
     */
    public List<Route> routes(Table table) {
        List<Route> sorted = new ArrayList<>(fib(table).routes);
        sorted.sort(Comparator.comparing(Route::destination)
                .thenComparing(Comparator.comparingInt(Route::prefixLength).reversed())
                .thenComparingInt(Route::metric));
        return List.copyOf(sorted);
    }

    private Fib fib(Table table) {
        return Objects.requireNonNull(table, "table") == Table.LOCAL ? local : main;
    }

    // Each table keeps its routes in insertion order (the source of routes()) and, per prefix length, a sorted
    // int[] of prefixes with each prefix's routes by metric then insertion (one Route, or a Route[] of aliases).
    // A lookup probes only the lengths in use, longest first, by binary search: O(L log n) for L distinct lengths
    // (at most 33) and n routes, with no allocation. A change inserts into or removes from one length's arrays
    // in place, so a router given 100,000 routes builds its table in O(n log n) (routes sorted by prefix, as
    // routing = auto gives them, are appended), not by re-sorting the table after every route.

    /** One table; sorted arrays rather than a trie because they are simpler to get right and fast enough. */
    private static final class Fib {
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
        // backtracks to shorter prefixes.
        Route find(int address, int minScope, int oif) {
            long remaining = lengths;
            while (remaining != 0) {
                int length = 63 - Long.numberOfLeadingZeros(remaining);
                remaining &= ~(1L << length);
                int at = Arrays.binarySearch(keys[length], 0, sizes[length], address & Route.mask(length));
                if (at < 0) continue;
                Object b = buckets[length][at];
                if (b instanceof Route r) {
                    if (usable(r, minScope, oif)) return r;
                    continue;
                }
                for (Route r : (Route[]) b) {
                    if (usable(r, minScope, oif)) return r;
                }
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
}
