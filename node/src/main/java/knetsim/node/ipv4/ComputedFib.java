package knetsim.node.ipv4;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * routing = auto's routes of one main table, stored without an object per route: the next hop of every subnet of
 * a shared {@link Subnets} list as runs (run k covers the subnets from {@code runStart[k]} to the next run's start
 * and goes through next hop {@code runHop[k]}, or nowhere when that is -1) over a small table of distinct next
 * hops. Each route is {@code SUBNET via GATEWAY dev DEV} as {@code ip route add} stores it (unicast, scope
 * global, proto boot, metric 0). An edge router that sends everything through its uplink needs a handful of
 * runs whatever the size of the network.
 *
 * <p>The {@link Route} of a subnet is made on its first lookup and kept in a small open-addressing cache, so
 * lookups allocate nothing after the first of each subnet and only subnets actually used hold a Route. A plain
 * object owned by one RoutingTable, so it takes no locks.
 */
public final class ComputedFib {
    private static final int[] NO_KEYS = new int[0];

    /**
     * The routes themselves, immutable and shareable (a host's configuration carries them; each RoutingTable
     * wraps them in its own ComputedFib for the cache). The arrays are not copied: callers must not change them.
     *
     * @param subnets   the shared subnet order
     * @param runStart  each run's first subnet index: starts at 0, strictly increasing
     * @param runHop    each run's next hop (an index into the three arrays below) or -1
     * @param gateways  each next hop's gateway; {@code ifindexes} and {@code devices}: its output device
     */
    public record Runs(Subnets subnets, int[] runStart, int[] runHop, Ipv4Address[] gateways, int[] ifindexes,
                       String[] devices) {
        public Runs {
            Objects.requireNonNull(subnets, "subnets");
            if (runStart.length != runHop.length || gateways.length != ifindexes.length
                    || gateways.length != devices.length) {
                throw new IllegalArgumentException("one hop per run start, one device per gateway");
            }
            for (int h = 0; h < gateways.length; h++) {
                if (gateways[h] == null || devices[h] == null || ifindexes[h] <= 0) {
                    throw new IllegalArgumentException("next hop " + h + " needs a gateway and a device");
                }
            }
            for (int k = 0; k < runStart.length; k++) {
                if ((k == 0 ? runStart[k] != 0 : runStart[k] <= runStart[k - 1]) || runStart[k] >= subnets.size()) {
                    throw new IllegalArgumentException("runs must start at 0 and increase within the subnets: run " + k);
                }
                if (runHop[k] < -1 || runHop[k] >= gateways.length) throw new IllegalArgumentException("no next hop " + runHop[k]);
            }
        }
    }

    private final Subnets subnets;
    private final int[] runStart;
    private final int[] runHop;
    private final Ipv4Address[] gateways;
    private final int[] ifindexes;
    private final String[] devices;
    /** Bit L is set when some subnet of length L has a route here. */
    private final long lengths;
    private final int size;
    // the cache: subnet index + 1 (0: empty slot) and its Route, at most half full
    private int[] cachedKeys = NO_KEYS;
    private Route[] cachedRoutes = new Route[0];
    private int cached;

    public ComputedFib(Runs runs) {
        subnets = runs.subnets();
        runStart = runs.runStart();
        runHop = runs.runHop();
        gateways = runs.gateways();
        ifindexes = runs.ifindexes();
        devices = runs.devices();
        long seen = 0;
        for (int k = 0; k < runStart.length; k++) {
            if (runHop[k] < 0) continue;
            int end = end(k);
            for (int length = 0; length <= 32; length++) {
                if (subnets.start(length) < end && subnets.end(length) > runStart[k]) seen |= 1L << length;
            }
        }
        lengths = seen;
        size = subnets.routed(runStart, runHop);
    }

    private int end(int run) {
        return subnets.runEnd(runStart, run);
    }

    /** Bit L is set when some route here has prefix length L. */
    long lengths() {
        return lengths;
    }

    /** How many routes: the subnets with a next hop. */
    public int size() {
        return size;
    }

    /** The next hop of the subnet at {@code index}, or -1: a binary search over the runs. */
    int hop(int index) {
        return Subnets.hopOf(runStart, runHop, index);
    }

    /** The route of {@code prefix/length} if it is one here, or null. */
    Route route(int prefix, int length) {
        int s = subnets.indexOf(prefix, length);
        int hop = s < 0 ? -1 : hop(s);
        return hop < 0 ? null : cachedRoute(s, hop);
    }

    // fib_table_lookup() at one prefix length for these routes: scope global, so never when a narrower scope is
    // asked for (a gateway's check), and only out of oif when one is asked for
    Route find(int length, int address, int minScope, int oif) {
        if (minScope > Route.Scope.UNIVERSE.value()) return null;
        int s = subnets.indexOf(address & Route.mask(length), length);
        if (s < 0) return null;
        int hop = hop(s);
        if (hop < 0 || oif != 0 && ifindexes[hop] != oif) return null;
        return cachedRoute(s, hop);
    }

    /** Every route, in the shared subnet order (longest prefix first, then by prefix): for a dump, not a lookup. */
    List<Route> routes() {
        List<Route> out = new ArrayList<>(size);
        for (int k = 0; k < runStart.length; k++) {
            if (runHop[k] < 0) continue;
            for (int s = runStart[k], end = end(k); s < end; s++) {
                Route r = cachedOrNull(s);
                out.add(r != null ? r : newRoute(s, runHop[k]));
            }
        }
        return out;
    }

    /** One route per distinct next hop (its first subnet's), for the gateway checks of ip route add. */
    List<Route> firstRouteOfEachHop() {
        List<Route> out = new ArrayList<>();
        boolean[] seen = new boolean[gateways.length];
        for (int k = 0; k < runStart.length; k++) {
            int hop = runHop[k];
            if (hop < 0 || seen[hop]) continue;
            seen[hop] = true;
            out.add(newRoute(runStart[k], hop));
        }
        return out;
    }

    private Route newRoute(int subnet, int hop) {
        return Route.via(Ipv4Address.of(subnets.prefix(subnet)), subnets.prefixLength(subnet), gateways[hop],
                ifindexes[hop], devices[hop], 0);
    }

    private Route cachedOrNull(int subnet) {
        if (cached == 0) return null;
        int mask = cachedKeys.length - 1;
        for (int i = slot(subnet, mask); ; i = (i + 1) & mask) {
            if (cachedKeys[i] == 0) return null;
            if (cachedKeys[i] == subnet + 1) return cachedRoutes[i];
        }
    }

    private Route cachedRoute(int subnet, int hop) {
        Route r = cachedOrNull(subnet);
        if (r != null) return r;
        if (2 * (cached + 1) > cachedKeys.length) grow();
        r = newRoute(subnet, hop);
        put(subnet, r);
        return r;
    }

    private void put(int subnet, Route r) {
        int mask = cachedKeys.length - 1, i = slot(subnet, mask);
        while (cachedKeys[i] != 0) i = (i + 1) & mask;
        cachedKeys[i] = subnet + 1;
        cachedRoutes[i] = r;
        cached++;
    }

    private void grow() {
        int[] oldKeys = cachedKeys;
        Route[] oldRoutes = cachedRoutes;
        cachedKeys = new int[Math.max(8, oldKeys.length * 2)];
        cachedRoutes = new Route[cachedKeys.length];
        cached = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) put(oldKeys[i] - 1, oldRoutes[i]);
        }
    }

    private static int slot(int subnet, int mask) {
        int h = subnet * 0x9E3779B9;
        return (h ^ h >>> 16) & mask;
    }

    /** How many routes have been made (the cache's size): what lookups have cost in Route objects. */
    int cachedRoutes() {
        return cached;
    }
}
