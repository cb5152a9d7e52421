package knetsim.node.ipv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import knetsim.node.ipv4.Route.Type;
import knetsim.node.ipv4.RoutingTable.Result;
import knetsim.node.ipv4.RoutingTable.Table;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private RoutingTable table;

    private static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    private Result lookup(String destination) {
        return table.lookup(ip(destination)).orElseThrow(() -> new AssertionError("no route to " + destination));
    }

    private static List<String> lines(List<Route> routes) {
        return routes.stream().map(Route::toString).toList();
    }

    @BeforeEach
    void twoInterfaces() {
        table = new RoutingTable();
        table.addConnected(2, "eth0", ip("10.0.0.1"), 24);
        table.addConnected(3, "eth1", ip("10.0.1.1"), 24);
    }

    @Test
    void addressesAddWhatFibAddIfaddrAdds() {
        assertEquals(List.of(
                "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1",
                "10.0.1.0/24 dev eth1 proto kernel scope link src 10.0.1.1"), lines(table.routes()));
        assertEquals(List.of(
                "local 10.0.0.1 dev eth0 proto kernel scope host src 10.0.0.1",
                "broadcast 10.0.0.255 dev eth0 proto kernel scope link src 10.0.0.1",
                "local 10.0.1.1 dev eth1 proto kernel scope host src 10.0.1.1",
                "broadcast 10.0.1.255 dev eth1 proto kernel scope link src 10.0.1.1"),
                lines(table.routes(Table.LOCAL)));
    }

    @Test
    void pointToPointAndHostAddressesHaveNoBroadcastAndHostOnesNoSubnetRoute() {
        RoutingTable t = new RoutingTable();
        t.addConnected(2, "eth0", ip("192.168.9.0"), 31);
        t.addConnected(3, "eth1", ip("192.168.7.7"), 32);
        assertEquals(List.of("192.168.9.0/31 dev eth0 proto kernel scope link src 192.168.9.0"), lines(t.routes()));
        assertEquals(List.of(
                "local 192.168.7.7 dev eth1 proto kernel scope host src 192.168.7.7",
                "local 192.168.9.0 dev eth0 proto kernel scope host src 192.168.9.0"), lines(t.routes(Table.LOCAL)));
    }

    @Test
    void aSecondAddressInTheSubnetIsSecondaryAndTheSameOneIsRefused() {
        table.addConnected(2, "eth0", ip("10.0.0.9"), 24);
        table.addConnected(2, "eth0", ip("10.0.0.10"), 24);
        assertEquals(2, table.routes().size());
        assertEquals("local 10.0.0.9 dev eth0 proto kernel scope host src 10.0.0.1",
                lookup("10.0.0.9").route().toString());
        assertEquals("local 10.0.0.10 dev eth0 proto kernel scope host src 10.0.0.1",
                lookup("10.0.0.10").route().toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> table.addConnected(2, "eth0", ip("10.0.0.9"), 24));
        assertEquals("RTNETLINK answers: File exists: 10.0.0.9/24 is already on eth0", e.getMessage());
    }

    @Test
    void theSameAddressWithAnotherLengthIsANewSubnetButOneLocalRoute() {
        table.addConnected(2, "eth0", ip("10.0.0.1"), 16);
        assertEquals(List.of(
                "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1",
                "10.0.0.0/16 dev eth0 proto kernel scope link src 10.0.0.1",
                "10.0.1.0/24 dev eth1 proto kernel scope link src 10.0.1.1"), lines(table.routes()));
        assertEquals(List.of(
                "local 10.0.0.1 dev eth0 proto kernel scope host src 10.0.0.1",
                "broadcast 10.0.0.255 dev eth0 proto kernel scope link src 10.0.0.1",
                "local 10.0.1.1 dev eth1 proto kernel scope host src 10.0.1.1",
                "broadcast 10.0.1.255 dev eth1 proto kernel scope link src 10.0.1.1",
                "broadcast 10.0.255.255 dev eth0 proto kernel scope link src 10.0.0.1"),
                lines(table.routes(Table.LOCAL)));
    }

    @Test
    void aGatewayCheckSkipsLongerRoutesOfTheWrongScopeOrDevice() {
        // fib_table_lookup() backtracks to the connected /24 when the aliases of a longer prefix do not qualify.
        table.add(Route.via(ip("10.0.0.0"), 28, ip("10.0.1.2"), 0, null, 0));
        table.add(Route.direct(ip("10.0.0.0"), 29, 3, "eth1", 0));
        assertEquals("10.6.0.0/16 via 10.0.0.2 dev eth0",
                table.add(Route.via(ip("10.6.0.0"), 16, ip("10.0.0.2"), 2, "eth0", 0)).toString());
        assertEquals("10.7.0.0/16 via 10.0.0.9 dev eth0",
                table.add(Route.via(ip("10.7.0.0"), 16, ip("10.0.0.9"), 0, null, 0)).toString());
    }

    @Test
    void longestPrefixWinsOverTheDefaultRouteAndShorterPrefixes() {
        table.add(Route.via(Ipv4Address.ANY, 0, ip("10.0.0.254"), 0, null, 0));
        table.add(Route.via(ip("172.16.0.0"), 12, ip("10.0.0.2"), 0, null, 0));
        table.add(Route.via(ip("172.16.5.0"), 24, ip("10.0.1.2"), 0, null, 0));
        assertEquals("172.16.5.0/24 via 10.0.1.2 dev eth1", lookup("172.16.5.9").route().toString());
        assertEquals("172.16.0.0/12 via 10.0.0.2 dev eth0", lookup("172.16.6.1").route().toString());
        assertEquals("172.16.0.0/12 via 10.0.0.2 dev eth0", lookup("172.31.255.255").route().toString());
        assertEquals("default via 10.0.0.254 dev eth0", lookup("172.32.0.0").route().toString());
        assertEquals("default via 10.0.0.254 dev eth0", lookup("8.8.8.8").route().toString());
    }

    @Test
    void theLowestMetricBreaksATieWhicheverCameFirst() {
        Route slow = table.add(Route.via(ip("10.9.0.0"), 16, ip("10.0.0.2"), 2, "eth0", 200));
        Route fast = table.add(Route.via(ip("10.9.0.0"), 16, ip("10.0.1.2"), 3, "eth1", 100));
        Route slowest = table.add(Route.via(ip("10.9.0.0"), 16, ip("10.0.1.3"), 3, "eth1", 300));
        assertEquals(fast, lookup("10.9.1.1").route());
        table.remove(fast);
        assertEquals(slow, lookup("10.9.1.1").route());
        table.remove(slow);
        assertEquals(slowest, lookup("10.9.1.1").route());
    }

    @Test
    void localAddressesResolveAsLocalBeforeMainTableRoutes() {
        table.add(Route.via(ip("10.0.0.1"), 32, ip("10.0.1.2"), 0, null, 0));
        Result own = lookup("10.0.0.1");
        assertEquals(Type.LOCAL, own.route().type());
        assertEquals(Table.LOCAL, own.table());
        assertEquals(ip("10.0.0.1"), own.nextHop());
        Result broadcast = lookup("10.0.1.255");
        assertEquals(Type.BROADCAST, broadcast.route().type());
        assertEquals(3, broadcast.ifindex());
    }

    @Test
    void aConnectedRouteHopsToTheDestinationAndAGatewayRouteToTheGateway() {
        table.add(Route.via(ip("10.0.2.0"), 24, ip("10.0.0.2"), 0, null, 100).withMtu(1400));
        Result direct = lookup("10.0.1.77");
        assertEquals(new Result(table.routes().get(1), Table.MAIN, ip("10.0.1.77"), 3), direct);
        Result routed = lookup("10.0.2.5");
        assertEquals(ip("10.0.0.2"), routed.nextHop());
        assertEquals(2, routed.ifindex());
        assertEquals("10.0.2.0/24 via 10.0.0.2 dev eth0 metric 100 mtu 1400", routed.route().toString());
    }

    @Test
    void noRouteIsEmpty() {
        assertEquals(Optional.empty(), table.lookup(ip("192.168.1.1")));
        assertEquals(Optional.empty(), new RoutingTable().lookup(ip("10.0.0.1")));
        table.add(Route.via(Ipv4Address.ANY, 0, ip("10.0.0.254"), 0, null, 0));
        assertTrue(table.lookup(ip("192.168.1.1")).isPresent());
    }

    @Test
    void rejectRoutesAreReturnedWithTheirType() {
        table.add(Route.reject(Type.UNREACHABLE, ip("10.8.0.0"), 16, 0));
        table.add(Route.reject(Type.BLACKHOLE, ip("10.7.0.0"), 16, 0));
        table.add(Route.reject(Type.PROHIBIT, ip("10.6.0.0"), 16, 0));
        assertEquals("unreachable 10.8.0.0/16", lookup("10.8.3.4").route().toString());
        assertEquals(Type.UNREACHABLE, lookup("10.8.3.4").route().type());
        assertEquals("EHOSTUNREACH", lookup("10.8.3.4").route().type().errno());
        assertEquals(Type.BLACKHOLE, lookup("10.7.0.1").route().type());
        assertEquals("EINVAL", lookup("10.7.0.1").route().type().errno());
        assertEquals(Type.PROHIBIT, lookup("10.6.255.255").route().type());
        assertEquals("EACCES", lookup("10.6.255.255").route().type().errno());
        assertEquals(0, lookup("10.6.255.255").ifindex());
    }

    @Test
    void refusesHostBitsNamingTheRoute() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Route.direct(ip("10.0.0.1"), 24, 2, "eth0", 0));
        assertEquals("Invalid prefix for given prefix length: 10.0.0.1/24", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Route.reject(Type.BLACKHOLE, ip("0.0.0.1"), 0, 0));
        assertEquals("Invalid prefix for given prefix length: 0.0.0.1/0", e.getMessage());
        assertEquals("10.0.0.1", Route.direct(ip("10.0.0.1"), 32, 2, "eth0", 0).destination().toString());
    }

    @Test
    void refusesRoutesNoCommandCouldMake() {
        Ipv4Address net = ip("10.3.0.0");
        assertEquals("prefix length must be 0..32: 10.3.0.0/33",
                assertThrows(IllegalArgumentException.class, () -> Route.direct(net, 33, 2, "eth0", 0)).getMessage());
        assertEquals("metric must not be negative: 10.3.0.0/16",
                assertThrows(IllegalArgumentException.class, () -> Route.direct(net, 16, 2, "eth0", -1)).getMessage());
        assertEquals("ifindex and device name go together: 10.3.0.0/16",
                assertThrows(IllegalArgumentException.class, () -> Route.direct(net, 16, 2, null, 0)).getMessage());
        assertEquals("unicast route needs a device: 10.3.0.0/16",
                assertThrows(IllegalArgumentException.class, () -> Route.direct(net, 16, 0, null, 0)).getMessage());
        assertEquals("mtu must not be negative: 10.3.0.0/16", assertThrows(IllegalArgumentException.class,
                () -> Route.direct(net, 16, 2, "eth0", 0).withMtu(-1)).getMessage());
        assertEquals("blackhole route takes no gateway or device: 10.3.0.0/16", assertThrows(
                IllegalArgumentException.class, () -> new Route(net, 16, null, 2, "eth0", 0, Route.Scope.UNIVERSE,
                        Type.BLACKHOLE, Route.Protocol.BOOT, null, 0)).getMessage());
    }

    @Test
    void refusesADuplicatePrefixAndMetricWhateverTheNexthop() {
        table.add(Route.via(ip("10.9.0.0"), 16, ip("10.0.0.2"), 0, null, 100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> table.add(Route.reject(Type.BLACKHOLE, ip("10.9.0.0"), 16, 100)));
        assertEquals("RTNETLINK answers: File exists: blackhole 10.9.0.0/16 metric 100 clashes with "
                + "10.9.0.0/16 via 10.0.0.2 dev eth0 metric 100 in table main", e.getMessage());
        table.add(Route.reject(Type.BLACKHOLE, ip("10.9.0.0"), 16, 101));
        table.add(Route.reject(Type.BLACKHOLE, ip("10.9.0.0"), 17, 100));
        assertEquals(5, table.routes().size());
    }

    @Test
    void refusesAGatewayNotReachableThroughAConnectedRoute() {
        table.add(Route.via(ip("10.5.0.0"), 16, ip("10.0.0.2"), 0, null, 0));
        for (String gateway : List.of("192.168.0.1", "10.5.0.1", "10.0.0.255")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> table.add(Route.via(ip("10.6.0.0"), 16, ip(gateway), 0, null, 0)));
            assertTrue(e.getMessage().startsWith("Nexthop has invalid gateway: " + gateway
                    + " in 10.6.0.0/16 via " + gateway + " ("), e.getMessage());
        }
        IllegalArgumentException wrongDevice = assertThrows(IllegalArgumentException.class,
                () -> table.add(Route.via(ip("10.6.0.0"), 16, ip("10.0.0.2"), 3, "eth1", 0)));
        assertEquals("Nexthop has invalid gateway: 10.0.0.2 in 10.6.0.0/16 via 10.0.0.2 dev eth1 "
                + "(no connected route to it)", wrongDevice.getMessage());
        // fib_check_nh_v4_gw() accepts a LOCAL result, so a gateway that is one of our own addresses passes.
        assertEquals("10.6.0.0/16 via 10.0.0.1 dev eth0",
                table.add(Route.via(ip("10.6.0.0"), 16, ip("10.0.0.1"), 0, null, 0)).toString());
    }

    @Test
    void removingAMissingRouteIsNoSuchProcess() {
        Route route = Route.direct(ip("10.3.0.0"), 16, 2, "eth0", 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.remove(route));
        assertEquals("RTNETLINK answers: No such process: 10.3.0.0/16 dev eth0 scope link is not in table main",
                e.getMessage());
    }

    @Test
    void aSubnetOnTwoInterfacesUsesTheFirstConfigured() {
        RoutingTable t = new RoutingTable();
        t.addConnected(3, "eth1", ip("10.0.0.2"), 24);
        t.addConnected(2, "eth0", ip("10.0.0.1"), 24);
        assertEquals(List.of("10.0.0.0/24 dev eth1 proto kernel scope link src 10.0.0.2",
                "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1"), lines(t.routes()));
        assertEquals(3, t.lookup(ip("10.0.0.77")).orElseThrow().ifindex());
    }

    @Test
    void showsRoutesInTrieOrder() {
        table.add(Route.via(Ipv4Address.ANY, 0, ip("10.0.0.254"), 0, null, 0));
        table.add(Route.reject(Type.UNREACHABLE, ip("10.0.0.0"), 8, 0));
        table.add(Route.via(ip("192.168.0.0"), 16, ip("10.0.1.2"), 0, null, 20));
        table.add(Route.via(ip("192.168.0.0"), 16, ip("10.0.1.3"), 0, null, 10));
        table.add(Route.direct(ip("10.0.0.128"), 25, 3, "eth1", 5));
        assertEquals(List.of(
                "default via 10.0.0.254 dev eth0",
                "10.0.0.0/24 dev eth0 proto kernel scope link src 10.0.0.1",
                "unreachable 10.0.0.0/8",
                "10.0.0.128/25 dev eth1 scope link metric 5",
                "10.0.1.0/24 dev eth1 proto kernel scope link src 10.0.1.1",
                "192.168.0.0/16 via 10.0.1.3 dev eth1 metric 10",
                "192.168.0.0/16 via 10.0.1.2 dev eth1 metric 20"), lines(table.routes()));
    }

    /** Addresses from few octet values, so random prefixes overlap and random destinations hit them. */
    private static Arbitrary<Ipv4Address> clustered() {
        Arbitrary<Integer> octet = Arbitraries.of(0, 1, 2, 128, 255);
        return Combinators.combine(octet, octet, octet, octet)
                .as((a, b, c, d) -> Ipv4Address.of(a << 24 | b << 16 | c << 8 | d));
    }

    @Provide
    Arbitrary<List<Route>> randomRoutes() {
        Arbitrary<Route> route = Combinators.combine(clustered(), Arbitraries.integers().between(0, 32),
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 2), Arbitraries.of(Type.UNICAST,
                        Type.UNICAST, Type.UNICAST, Type.UNREACHABLE, Type.BLACKHOLE))
                .as((address, length, ifindex, metric, type) -> {
                    Ipv4Address prefix = Ipv4Address.of(address.bits() & Route.mask(length));
                    return type == Type.UNICAST ? Route.direct(prefix, length, ifindex, "eth" + ifindex, metric)
                            : Route.reject(type, prefix, length, metric);
                });
        return route.list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Ipv4Address>> interfaceAddresses() {
        return clustered().list().ofMaxSize(4);
    }

    @Property
    void lookupAgreesWithAScanOfEveryRoute(@ForAll("randomRoutes") List<Route> routes,
                                           @ForAll("interfaceAddresses") List<Ipv4Address> configured,
                                           @ForAll @IntRange(min = 2, max = 5) int removeEvery,
                                           @ForAll("clusteredList") List<Ipv4Address> destinations) {
        RoutingTable t = new RoutingTable();
        for (int i = 0; i < configured.size(); i++) {
            try {
                t.addConnected(1 + i % 3, "eth" + (1 + i % 3), configured.get(i), 8 * (1 + i % 4) - i % 2);
            } catch (IllegalArgumentException alreadyThere) {
                // the same random address twice on one interface: refused, which is another test's business
            }
        }
        List<Route> added = new ArrayList<>();
        for (Route r : routes) {
            try {
                added.add(t.add(r));
            } catch (IllegalArgumentException duplicate) {
                assertTrue(duplicate.getMessage().startsWith("RTNETLINK answers: File exists"), duplicate.getMessage());
            }
        }
        for (int i = 0; i < added.size(); i += removeEvery) {
            t.remove(added.get(i));
        }
        for (Ipv4Address destination : destinations) {
            Optional<Result> expected = scan(t.routes(Table.LOCAL), Table.LOCAL, destination)
                    .or(() -> scan(t.routes(Table.MAIN), Table.MAIN, destination));
            assertEquals(expected, t.lookup(destination), "lookup " + destination);
        }
    }

    @Provide
    Arbitrary<List<Ipv4Address>> clusteredList() {
        return clustered().list().ofMinSize(1).ofMaxSize(20);
    }

    // The definition, by brute force: routes() lists equal prefix and metric in insertion order, so the first
    // best one in that list is the one the kernel's alias order picks.
    private static Optional<Result> scan(List<Route> routes, Table table, Ipv4Address destination) {
        Route best = null;
        for (Route r : routes) {
            if (!r.matches(destination)) continue;
            if (best == null || r.prefixLength() > best.prefixLength()
                    || (r.prefixLength() == best.prefixLength() && r.metric() < best.metric())) {
                best = r;
            }
        }
        if (best == null) return Optional.empty();
        return Optional.of(new Result(best, table, best.gateway() != null ? best.gateway() : destination,
                best.ifindex()));
    }
}
