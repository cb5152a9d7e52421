package knetsim.node.ipv4;

import java.util.ArrayList;
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
    // routing = auto's routes of main, until the first change of main puts them into the Fib (see materialize())
    private ComputedFib computed;
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
            materialize();
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
        if (table == Table.MAIN) materialize();
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
        if (table == Table.MAIN) materialize();
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

    /**
     * routing = auto's routes, into main as if each had been added with {@link #add(Route)} after the routes
     * there now, but kept compact: a lookup makes a subnet's Route only when it first matches. Each distinct
     * next hop's gateway is checked as add checks it. Should main already hold a route of one of their prefixes
     * (routing = auto never computes one), they are added one by one instead, with add's errors.
     *
     * @throws IllegalArgumentException as {@link #add(Route)}; or if computed routes were already given
     */
    public void addComputed(ComputedFib routes) {
        Objects.requireNonNull(routes, "routes");
        if (computed != null) throw new IllegalArgumentException("computed routes were already added");
        for (Route first : routes.firstRouteOfEachHop()) checkGateway(first);
        for (Route r : main.routes) {
            if (routes.route(r.destination().bits(), r.prefixLength()) != null) {
                for (Route c : routes.routes()) add(c);
                return;
            }
        }
        computed = routes;
    }

    // A change of main (ip route add/del, ip addr add) first turns the computed routes into ordinary ones, as
    // add() would have stored them, so that every rule of fib_table_insert()/fib_table_delete() applies unchanged
    // from then on. Scripts change routes rarely, so the cost (a Route per computed route) is paid rarely.
    private void materialize() {
        if (computed == null) return;
        List<Route> all = computed.routes();
        computed = null;
        for (Route r : all) main.insert(r);
    }

    private Result lookup(Ipv4Address destination, int minScope, int oif) {
        Route found = local.find(destination.bits(), minScope, oif, null);
        Table table = Table.LOCAL;
        if (found == null) {
            found = main.find(destination.bits(), minScope, oif, computed);
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
        if (table == Table.MAIN && computed != null) sorted.addAll(computed.routes()); // inserted after the others
        sorted.sort(Comparator.comparing(Route::destination)
                .thenComparing(Comparator.comparingInt(Route::prefixLength).reversed())
                .thenComparingInt(Route::metric));
        return List.copyOf(sorted);
    }

    private Fib fib(Table table) {
        return Objects.requireNonNull(table, "table") == Table.LOCAL ? local : main;
    }
}
