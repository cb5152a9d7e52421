package knetsim.node.ipv4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * RoutingTable.lookup keeps its answers by destination: after any change (ip route add/del, ip addr add) a
 * destination looked up before gets what a table that was never asked answers.
 */
class DstCacheTest {
    private static final Ipv4Address GW = Ipv4Address.parse("10.0.0.254");

    // the table built by {@code changes} from scratch, never asked before
    private static RoutingTable replay(List<Route> changes, List<Boolean> adds) {
        RoutingTable t = base();
        for (int i = 0; i < changes.size(); i++) {
            if (adds.get(i)) t.add(changes.get(i));
            else t.remove(changes.get(i));
        }
        return t;
    }

    private static RoutingTable base() {
        RoutingTable t = new RoutingTable();
        t.addLoopback();
        t.addConnected(1, "eth0", Ipv4Address.parse("10.0.0.1"), 24);
        return t;
    }

    @Property(tries = 30)
    void answersAfterChangesAreThoseOfAFreshTable(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        RoutingTable table = base();
        List<Route> changes = new ArrayList<>();
        List<Boolean> adds = new ArrayList<>();
        List<Route> present = new ArrayList<>();
        List<Ipv4Address> destinations = new ArrayList<>();
        for (int k = 0; k < 24; k++) destinations.add(Ipv4Address.of(0x0a000000 | random.nextInt(1 << 18)));
        destinations.add(Ipv4Address.parse("127.0.0.1"));
        destinations.add(Ipv4Address.parse("10.0.0.1"));
        for (int step = 0; step < 30; step++) {
            if (!present.isEmpty() && random.nextInt(3) == 0) {
                Route r = present.remove(random.nextInt(present.size()));
                table.remove(r);
                changes.add(r);
                adds.add(false);
            } else {
                int length = 8 + random.nextInt(20);
                Ipv4Address prefix = Ipv4Address.of(0x0a000000 | random.nextInt(1 << 18) & Route.mask(length));
                Route r = random.nextBoolean() ? Route.via(prefix, length, GW, 0, null, random.nextInt(2))
                        : Route.reject(Route.Type.UNREACHABLE, prefix, length, random.nextInt(2));
                try {
                    r = table.add(r);
                } catch (IllegalArgumentException clash) {
                    continue; // same prefix and metric: File exists, nothing changed
                }
                present.add(r);
                changes.add(r);
                adds.add(true);
            }
            for (Ipv4Address d : destinations) table.lookup(d); // warm the cache
            RoutingTable fresh = replay(changes, adds);
            for (Ipv4Address d : destinations) assertEquals(fresh.lookup(d), table.lookup(d), d + " at step " + step);
        }
    }

    @Test
    void moreDestinationsThanItKeepsStillAnswerRight() {
        RoutingTable table = base();
        table.add(Route.via(Ipv4Address.parse("172.16.0.0"), 12, GW, 0, null, 0));
        for (int i = 0; i < DstCache.MAX + 100; i++) {
            Ipv4Address d = Ipv4Address.of(0xac100000 + i);
            assertEquals(Ipv4Address.parse("172.16.0.0"), table.lookup(d).orElseThrow().route().destination());
        }
        for (int i = 0; i < 300; i++) {
            Ipv4Address d = Ipv4Address.of(0x0a000000 + i);
            // local 10.0.0.1 and broadcast 10.0.0.255 in the local table, the subnet route in main, then none
            int expected = i == 1 || i == 255 ? 32 : i < 256 ? 24 : -1;
            assertEquals(expected, table.lookup(d).map(r -> r.route().prefixLength()).orElse(-1), d.toString());
        }
    }
}
