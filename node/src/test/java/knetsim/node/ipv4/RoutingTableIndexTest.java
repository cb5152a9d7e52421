package knetsim.node.ipv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The FIB's index, updated in place, against fib_lookup() written out as a scan of the routes. */
class RoutingTableIndexTest {

    // longest prefix, then the lowest metric, then the route added first
    private static Route reference(List<Route> routes, Ipv4Address destination) {
        Route best = null;
        for (Route r : routes) {
            if (!r.matches(destination)) continue;
            if (best == null || r.prefixLength() > best.prefixLength()
                    || r.prefixLength() == best.prefixLength() && r.metric() < best.metric()) {
                best = r;
            }
        }
        return best;
    }

    @Test
    void addsAndDeletesInAnyOrderLookUpAsAScanDoes() {
        SplittableRandom random = new SplittableRandom(14);
        int[] lengths = {0, 8, 16, 24, 30, 32};
        RoutingTable table = new RoutingTable();
        List<Route> live = new ArrayList<>();
        for (int step = 0; step < 4_000; step++) {
            if (!live.isEmpty() && random.nextInt(4) == 0) {
                Route gone = live.remove(random.nextInt(live.size()));
                table.remove(gone);
            } else {
                int length = lengths[random.nextInt(lengths.length)];
                // few distinct prefixes and metrics, so prefixes collide and carry several metrics
                int prefix = (0x0a000000 | random.nextInt(1 << 12) << 12) & Route.mask(length);
                Route r = Route.direct(Ipv4Address.of(prefix), length, 1, "eth0", random.nextInt(4));
                boolean clash = false;
                for (Route l : live) {
                    clash |= l.destination().equals(r.destination()) && l.prefixLength() == length && l.metric() == r.metric();
                }
                if (clash) {
                    Route refused = r;
                    assertThrows(IllegalArgumentException.class, () -> table.add(refused), "File exists");
                    continue;
                }
                table.add(r);
                live.add(r);
            }
            for (int probe = 0; probe < 4; probe++) {
                Ipv4Address d = Ipv4Address.of(0x0a000000 | random.nextInt(1 << 24));
                Route expected = reference(live, d);
                assertEquals(expected, table.lookup(d).map(RoutingTable.Result::route).orElse(null), "step " + step + ": " + d);
            }
        }
        assertEquals(live.size(), table.routes().size());
    }
}
