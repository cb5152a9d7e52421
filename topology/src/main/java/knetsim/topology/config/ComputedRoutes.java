package knetsim.topology.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import knetsim.node.ipv4.Subnets;

/**
 * routing = auto's routes of one node, stored as runs over the order of subnets every node of the topology shares
 * ({@link Subnets}: longest prefix first, then by prefix) instead of one RouteSpec each: run k covers the subnets
 * from {@code runStart[k]} to the next run's start and goes via {@code via[runHop[k]]} out of
 * {@code dev[runHop[k]]}, or has no route when {@code runHop[k]} is -1 (the node's own and written subnets, and
 * those it cannot reach). Each route is {@code SUBNET via VIA dev DEV}, metric 0, {@link RouteSpec.Source#AUTO}.
 * An edge router that sends everything through one uplink has a handful of runs whatever the network's size.
 * The arrays are shared with the FIB (knetsim.node.ipv4.ComputedFib), never copied and never changed.
 */
public record ComputedRoutes(Subnets subnets, int[] runStart, int[] runHop, int[] via, String[] dev) {
    /** No computed routes. */
    public static final ComputedRoutes NONE = new ComputedRoutes(new Subnets(new int[0], new int[0]), new int[0],
            new int[0], new int[0], new String[0]);

    public ComputedRoutes {
        if (runStart.length != runHop.length || via.length != dev.length) {
            throw new IllegalArgumentException("one hop per run, one device per gateway");
        }
    }

    /** How many routes: the subnets with a next hop. */
    public int size() {
        return subnets.routed(runStart, runHop);
    }

    private int end(int run) {
        return subnets.runEnd(runStart, run);
    }

    /** The next hop of the subnet at {@code index} (into via and dev), or -1. */
    public int hop(int index) {
        return Subnets.hopOf(runStart, runHop, index);
    }

    /**
     * fib_table_lookup() over these routes alone: the next hop of the longest one that matches {@code to} and is
     * longer than {@code longerThan}, or -1. A binary search per prefix length, allocating nothing.
     */
    public int match(int to, int longerThan) {
        if (runStart.length == 0) return -1;
        for (int length = 32; length > longerThan; length--) {
            int s = subnets.indexOf(to & Ipv4s.mask(length), length);
            if (s >= 0 && hop(s) >= 0) return hop(s);
        }
        return -1;
    }

    /** Every route as a RouteSpec, in the shared order: one object each, so for tests and small networks only. */
    public List<RouteSpec> list() {
        List<RouteSpec> out = new ArrayList<>();
        for (int k = 0; k < runStart.length; k++) {
            int h = runHop[k];
            if (h < 0) continue;
            for (int s = runStart[k]; s < end(k); s++) {
                out.add(new RouteSpec(subnets.prefix(s), subnets.prefixLength(s), via[h], dev[h], 0, RouteSpec.Source.AUTO));
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ComputedRoutes c && subnets.equals(c.subnets) && Arrays.equals(runStart, c.runStart)
                && Arrays.equals(runHop, c.runHop) && Arrays.equals(via, c.via) && Arrays.equals(dev, c.dev);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(runStart) * 31 + Arrays.hashCode(runHop);
    }

    @Override
    public String toString() {
        return size() + " routes in " + runStart.length + " runs over " + subnets;
    }
}
