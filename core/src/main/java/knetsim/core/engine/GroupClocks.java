package knetsim.core.engine;

import java.util.Arrays;
import knetsim.core.time.SimTime;

/**
 * How far each group of a partition may run without waiting for the others: Chandy-Misra-Bryant
 * channel clocks, computed in one place because the partition's scheduler sees every group
 * (docs/architecture.md, "Each group its own horizon"). A group {@code n} that may still act at
 * {@code T(n)} (its earliest pending event, or the earliest event of the run it is running now)
 * sends nothing to a group {@code g} before {@code T(n) + d(n, g)}, where {@code d} is the smallest
 * minimum delay of an LP edge from {@code n} to {@code g}; and {@code n} may itself be woken by any
 * other group first. So every group's earliest possible time is a shortest path from all groups'
 * own times over the group graph, and group {@code g} may run every event before
 * {@code min over edges n -> g of T'(n) + d(n, g)}, with {@code T'} those shortest paths.
 *
 * <p>This is the global window's bound made local: the window of all groups ends at the earliest
 * event anywhere plus the smallest delay between any two groups, which is never later than any
 * group's bound here. On S4 the edge routers' subtrees may run the datagrams the core router has
 * already forwarded while the core router runs the next ones, where one window for all makes them
 * take turns. The group with the earliest time can always run, so this never deadlocks.
 */
final class GroupClocks {
    private final int groups;
    // group edges by origin: targets and smallest minimum delays, flattened (CSR)
    private final int[] start;
    private final int[] target;
    private final long[] delay;
    private final long[] earliest;
    private final TimeHeap heap;

    /** The graph between the groups of {@code partition}, from its LPs' edges. */
    GroupClocks(LpGraph graph, int[] partitionOf, int partition, int[] groupOf, int groups) {
        this.groups = groups;
        long[][] d = new long[groups][];
        int edges = 0;
        for (int from = 0; from < graph.lpCount(); from++) {
            if (partitionOf[from] != partition) continue;
            int gf = groupOf[from];
            int[] targets = graph.targets()[from];
            for (int j = 0; j < targets.length; j++) {
                int to = targets[j];
                if (partitionOf[to] != partition || groupOf[to] == gf) continue;
                if (d[gf] == null) {
                    d[gf] = new long[groups];
                    Arrays.fill(d[gf], SimTime.NEVER);
                }
                if (d[gf][groupOf[to]] == SimTime.NEVER) edges++;
                d[gf][groupOf[to]] = Math.min(d[gf][groupOf[to]], graph.minDelays()[from][j]);
            }
        }
        this.start = new int[groups + 1];
        this.target = new int[edges];
        this.delay = new long[edges];
        int e = 0;
        for (int g = 0; g < groups; g++) {
            start[g] = e;
            if (d[g] == null) continue;
            for (int to = 0; to < groups; to++) {
                if (d[g][to] == SimTime.NEVER) continue;
                target[e] = to;
                delay[e++] = d[g][to];
            }
        }
        start[groups] = e;
        this.earliest = new long[groups];
        this.heap = new TimeHeap(groups);
    }

    /** The graph between groups as lines {@code E from to delay}, for the window profile. */
    void writeEdges(java.io.PrintWriter out) {
        for (int g = 0; g < groups; g++) {
            for (int e = start[g]; e < start[g + 1]; e++) out.println("E " + g + " " + target[e] + " " + delay[e]);
        }
    }

    /**
     * Fills {@code bound[g]}: group {@code g} may run every event before it ({@code NEVER} when no
     * other group can reach it). {@code own[g]} is the earliest time group {@code g} may act by itself:
     * its earliest pending event, the earliest event of the run it is running, {@code NEVER} if none.
     */
    void bounds(long[] own, long[] bound) {
        // Dijkstra from every group at once: earliest[g] = min(own[g], min over n -> g of earliest[n] + d)
        for (int g = 0; g < groups; g++) {
            earliest[g] = own[g];
            heap.set(g, own[g]);
        }
        long t;
        while ((t = heap.minKey()) != SimTime.NEVER) {
            int n = heap.minSlot();
            heap.set(n, SimTime.NEVER);
            for (int e = start[n]; e < start[n + 1]; e++) {
                long via = SimTime.saturatingAdd(t, delay[e]);
                int g = target[e];
                if (via < earliest[g]) {
                    earliest[g] = via;
                    heap.set(g, via);
                }
            }
        }
        Arrays.fill(bound, 0, groups, SimTime.NEVER);
        for (int n = 0; n < groups; n++) {
            if (earliest[n] == SimTime.NEVER) continue;
            for (int e = start[n]; e < start[n + 1]; e++) {
                bound[target[e]] = Math.min(bound[target[e]], SimTime.saturatingAdd(earliest[n], delay[e]));
            }
        }
    }
}
