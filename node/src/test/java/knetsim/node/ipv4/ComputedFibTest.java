package knetsim.node.ipv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * routing = auto's compact routes against the same routes added one by one with ip route add: every lookup, the
 * dump and later changes must be the same.
 */
class ComputedFibTest {
    private static final Ipv4Address GW1 = Ipv4Address.parse("192.168.1.2");
    private static final Ipv4Address GW2 = Ipv4Address.parse("192.168.2.2");
    private static final Ipv4Address GW3 = Ipv4Address.parse("192.168.2.3");
    private static final int[] LENGTHS = {8, 12, 16, 20, 24, 24, 24, 28, 30, 32};

    /** A network of random subnets, some of them a router's connected or written prefixes, the rest computed. */
    private record Network(Subnets subnets, ComputedFib.Runs runs, List<Route> computed, List<Route> written) {
    }

    private static Network network(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        TreeSet<Long> keys = new TreeSet<>(); // (32 - length) << 32 | prefix as unsigned: the shared order
        while (keys.size() < 600) {
            int length = LENGTHS[random.nextInt(LENGTHS.length)];
            int prefix = (0x0a000000 | random.nextInt(1 << 20) << 4) & Route.mask(length);
            // some subnets outside 10/8, negative as ints, so the signed order is exercised
            if (random.nextInt(8) == 0) prefix = (0xc0000000 | random.nextInt(1 << 24) << 4) & Route.mask(length);
            if ((prefix & 0xffff0000) == 0xc0a80000) continue; // 192.168/16 holds the router's own subnets
            keys.add((long) (32 - length) << 32 | (prefix + 0x80000000L));
        }
        int[] prefixes = new int[keys.size()], lengths = new int[keys.size()];
        int i = 0;
        for (long k : keys) {
            lengths[i] = 32 - (int) (k >>> 32);
            prefixes[i++] = (int) ((k & 0xffffffffL) - 0x80000000L);
        }
        Subnets subnets = new Subnets(prefixes, lengths);
        Ipv4Address[] gateways = {GW1, GW2, GW3};
        int[] ifindexes = {1, 2, 2};
        String[] devices = {"eth0", "eth1", "eth1"};
        List<Integer> starts = new ArrayList<>(), hops = new ArrayList<>();
        List<Route> computed = new ArrayList<>(), written = new ArrayList<>();
        int hop = -1;
        for (int s = 0; s < subnets.size(); s++) {
            if (s == 0 || random.nextInt(6) == 0) {
                int next = random.nextInt(4) - 1;
                if (s == 0 || next != hop) {
                    starts.add(s);
                    hops.add(next);
                    hop = next;
                }
            }
            Ipv4Address to = Ipv4Address.of(subnets.prefix(s));
            if (hop >= 0) {
                computed.add(Route.via(to, lengths[s], gateways[hop], ifindexes[hop], devices[hop], 0));
            } else if (random.nextInt(3) == 0) {
                written.add(Route.via(to, lengths[s], GW2, 0, null, random.nextInt(3)));
            }
        }
        written.add(Route.via(Ipv4Address.of(0), 0, GW1, 0, null, 0)); // a default, shorter than all of them
        var runs = new ComputedFib.Runs(subnets, starts.stream().mapToInt(x -> x).toArray(),
                hops.stream().mapToInt(x -> x).toArray(), gateways, ifindexes, devices);
        return new Network(subnets, runs, computed, written);
    }

    private static RoutingTable router(Network n, boolean compact) {
        RoutingTable t = new RoutingTable();
        t.addLoopback();
        t.addConnected(1, "eth0", Ipv4Address.parse("192.168.1.1"), 24);
        t.addConnected(2, "eth1", Ipv4Address.parse("192.168.2.1"), 24);
        for (Route r : n.written()) t.add(r);
        if (compact) {
            t.addComputed(new ComputedFib(n.runs()));
        } else {
            for (Route r : n.computed()) t.add(r);
        }
        return t;
    }

    private static void assertSameLookups(RoutingTable expected, RoutingTable actual, Network n, SplittableRandom random) {
        for (int probe = 0; probe < 3_000; probe++) {
            // inside a random subnet (its first, last or any address), or anywhere
            int s = random.nextInt(n.subnets().size());
            int host = ~Route.mask(n.subnets().prefixLength(s));
            int bits = switch (random.nextInt(4)) {
                case 0 -> n.subnets().prefix(s);
                case 1 -> n.subnets().prefix(s) | host;
                case 2 -> n.subnets().prefix(s) | random.nextInt() & host;
                default -> random.nextInt();
            };
            Ipv4Address d = Ipv4Address.of(bits);
            assertEquals(expected.lookup(d), actual.lookup(d), d.toString());
        }
        assertEquals(expected.routes(), actual.routes());
        assertEquals(expected.routes(RoutingTable.Table.LOCAL), actual.routes(RoutingTable.Table.LOCAL));
    }

    @Test
    void looksUpAndDumpsAsTheSameRoutesAdded() {
        for (long seed = 1; seed <= 4; seed++) {
            Network n = network(seed);
            RoutingTable added = router(n, false), compact = router(n, true);
            assertEquals(n.computed().size(), new ComputedFib(n.runs()).size());
            assertEquals(n.written().size() + n.computed().size() + 2, compact.routes().size());
            assertSameLookups(added, compact, n, new SplittableRandom(seed));
        }
    }

    @Test
    void aLookupMakesEachSubnetsRouteOnceAndKeepsIt() {
        Network n = network(7);
        ComputedFib fib = new ComputedFib(n.runs());
        Route r = n.computed().get(n.computed().size() / 2);
        int bits = r.destination().bits() | ~Route.mask(r.prefixLength()) & 0x5;
        Route first = fib.find(r.prefixLength(), bits, 0, 0);
        assertEquals(r, first);
        assertSame(first, fib.find(r.prefixLength(), r.destination().bits(), 0, 0));
        assertEquals(1, fib.cachedRoutes());
        for (Route c : n.computed()) assertEquals(c, fib.find(c.prefixLength(), c.destination().bits(), 0, 0));
        assertEquals(n.computed().size(), fib.cachedRoutes());
        assertEquals(n.computed(), fib.routes()); // the shared order, made of the cached routes
        // scope global: never an answer for a gateway's check (scope link); out of the right device only
        assertEquals(null, fib.find(r.prefixLength(), bits, Route.Scope.LINK.value(), 0));
        assertEquals(null, fib.find(r.prefixLength(), bits, 0, r.ifindex() == 1 ? 2 : 1));
        assertEquals(r, fib.find(r.prefixLength(), bits, 0, r.ifindex()));
    }

    @Test
    void aChangeOfMainTurnsThemIntoOrdinaryRoutes() {
        Network n = network(3);
        RoutingTable added = router(n, false), compact = router(n, true);
        Route some = n.computed().get(5);
        Route more = Route.via(some.destination(), some.prefixLength(), GW1, 0, null, 7);
        for (RoutingTable t : List.of(added, compact)) {
            t.add(more);
            t.remove(some);
            t.addConnected(3, "eth2", Ipv4Address.parse("172.16.0.1"), 16);
        }
        assertSameLookups(added, compact, n, new SplittableRandom(3));
        Route clash = n.computed().get(9);
        String error = assertThrows(IllegalArgumentException.class, () -> compact.add(clash)).getMessage();
        assertTrue(error.startsWith("RTNETLINK answers: File exists"), error);
        assertThrows(IllegalArgumentException.class, () -> compact.remove(some));
    }

    @Test
    void aPrefixMainAlreadyHoldsMakesThemOrdinaryRoutesAtOnceWithAddsErrors() {
        Network n = network(5);
        RoutingTable compact = router(n, false);
        String error = assertThrows(IllegalArgumentException.class,
                () -> compact.addComputed(new ComputedFib(n.runs()))).getMessage();
        assertTrue(error.startsWith("RTNETLINK answers: File exists"), error);
        RoutingTable unreachable = new RoutingTable();
        error = assertThrows(IllegalArgumentException.class,
                () -> unreachable.addComputed(new ComputedFib(n.runs()))).getMessage();
        assertTrue(error.startsWith("Nexthop has invalid gateway"), error);
    }

    @Test
    void subnetsRefuseAnOrderFibDoesNotIndex() {
        int[] ten = {0x0a000000, 0x0a010000};
        assertEquals(1, new Subnets(ten, new int[] {16, 16}).indexOf(0x0a010000, 16));
        assertEquals(-1, new Subnets(ten, new int[] {16, 16}).indexOf(0x0a010000, 24));
        assertThrows(IllegalArgumentException.class, () -> new Subnets(new int[] {0x0a010000, 0x0a000000}, new int[] {16, 16}));
        assertThrows(IllegalArgumentException.class, () -> new Subnets(ten, new int[] {8, 16})); // shorter first
        assertThrows(IllegalArgumentException.class, () -> new Subnets(ten, new int[] {16, 8})); // bits past /8
        Subnets s = new Subnets(ten, new int[] {16, 16});
        Ipv4Address[] gw = {GW1};
        assertThrows(IllegalArgumentException.class, () -> new ComputedFib.Runs(s, new int[] {1}, new int[] {0}, gw,
                new int[] {1}, new String[] {"eth0"})); // the first run starts at 0
        assertThrows(IllegalArgumentException.class, () -> new ComputedFib.Runs(s, new int[] {0}, new int[] {1}, gw,
                new int[] {1}, new String[] {"eth0"})); // no next hop 1
    }
}
