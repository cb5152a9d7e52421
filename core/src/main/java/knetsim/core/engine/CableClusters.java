package knetsim.core.engine;

import java.util.Arrays;
import knetsim.core.time.SimTime;

/**
 * The execution units of one partition clustered along their edges of smallest delay first
 * (single linkage, as {@code Placement} clusters machines for members), for {@link Grouping}.
 * A window is bounded by the smallest delay of an edge between two groups; an edge inside a group
 * costs nothing, because a group runs its LPs in one time-ordered loop. Merging every edge of the
 * smallest delay raises that bound to the next delay, at the price of fewer, larger groups. So
 * whole delay levels are merged, smallest first, as long as at least {@code minClusters} clusters
 * remain (at least one per dispatcher thread, so every thread has work) and no cluster holds more than
 * its share of the LPs (so the threads can still be balanced); the first level that breaks
 * either is not merged, and its delay is the bound. Where the bound so won is less than
 * {@link #MIN_GAIN} times the shortest edge's (cables of equal or nearly equal delays: the
 * selftest's random graph, whose single linkage chains into one giant cluster), nothing is merged:
 * a slightly longer window does not pay for groups that lose their neighbours. The clusters are a
 * function of the graph and the units only (a whole level merges the same set whatever the edge
 * order), numbered in order of their first LP, so every member computes the same ones.
 */
final class CableClusters {
    private CableClusters() {}

    /** How much longer than the shortest edge between units the window must become to be worth a cut. */
    static final long MIN_GAIN = 2;

    /**
     * @param clusterOf by unit number: its cluster, -1 for units of other partitions
     * @param clusters  how many clusters
     * @param merged    whether any edge was merged (false: every unit is its own cluster)
     */
    record Result(int[] clusterOf, int clusters, boolean merged) {}

    /**
     * @param unitOrder the partition's units in order of their first LP ({@code localUnits} of them)
     * @param unitSize  by unit number: its LPs in this partition (the size of {@code unitOf}'s range)
     * @param minClusters the least number of clusters; each may hold at most 1/minClusters of the LPs
     */
    static Result of(LpGraph graph, int[] unitOf, int[] partitionOf, int partition, int[] unitOrder, int localUnits,
                     int[] unitSize, int minClusters) {
        int units = unitSize.length;
        long lps = 0;
        for (int k = 0; k < localUnits; k++) lps += unitSize[unitOrder[k]];
        long share = (lps + minClusters - 1) / minClusters;
        // edges between two units of this partition, as (delay, from unit, to unit), sorted by delay
        int edges = 0;
        for (int from = 0; from < graph.lpCount(); from++) {
            if (partitionOf[from] != partition) continue;
            for (int to : graph.targets()[from]) {
                if (partitionOf[to] == partition && unitOf[to] != unitOf[from]) edges++;
            }
        }
        long[] delay = new long[edges];
        int[] a = new int[edges], b = new int[edges];
        for (int from = 0, e = 0; from < graph.lpCount(); from++) {
            if (partitionOf[from] != partition) continue;
            int[] targets = graph.targets()[from];
            for (int j = 0; j < targets.length; j++) {
                int to = targets[j];
                if (partitionOf[to] != partition || unitOf[to] == unitOf[from]) continue;
                delay[e] = graph.minDelays()[from][j];
                a[e] = unitOf[from];
                b[e] = unitOf[to];
                e++;
            }
        }
        int[] order = sortedByDelay(delay);

        // union by LP count without path compression, so that a level that breaks a limit can be undone
        int[] parent = new int[units];
        long[] size = new long[units];
        for (int u = 0; u < units; u++) {
            parent[u] = u;
            size[u] = unitSize[u];
        }
        long shortest = edges == 0 ? 0 : delay[order[0]];
        long bound = SimTime.NEVER;
        int clusters = localUnits;
        boolean merged = false;
        int[] undo = new int[Math.max(1, units)]; // unions of one level: at most units - 1
        for (int i = 0; i < edges; ) {
            long level = delay[order[i]];
            int unions = 0;
            long largest = 0;
            for (; i < edges && delay[order[i]] == level; i++) {
                int ra = find(parent, a[order[i]]), rb = find(parent, b[order[i]]);
                if (ra == rb) continue;
                if (size[ra] < size[rb] || (size[ra] == size[rb] && ra > rb)) {
                    int t = ra;
                    ra = rb;
                    rb = t;
                }
                parent[rb] = ra;
                size[ra] += size[rb];
                largest = Math.max(largest, size[ra]);
                undo[unions++] = rb;
            }
            if (clusters - unions < minClusters || largest > share) {
                for (int k = unions - 1; k >= 0; k--) { // undo in reverse: each root back on its own
                    int child = undo[k];
                    size[parent[child]] -= size[child];
                    parent[child] = child;
                }
                bound = level; // this level's edges stay between clusters: its delay is the bound
                break;
            }
            clusters -= unions;
            merged |= unions > 0;
        }

        if (merged && bound != SimTime.NEVER && bound < MIN_GAIN * shortest) {
            for (int u = 0; u < units; u++) parent[u] = u; // not worth it: every unit on its own
            merged = false;
        }
        int[] clusterOf = new int[units];
        Arrays.fill(clusterOf, -1);
        int[] label = new int[units];
        Arrays.fill(label, -1);
        int next = 0;
        for (int k = 0; k < localUnits; k++) {
            int u = unitOrder[k];
            int root = find(parent, u);
            if (label[root] < 0) label[root] = next++;
            clusterOf[u] = label[root];
        }
        return new Result(clusterOf, next, merged);
    }

    private static int find(int[] parent, int u) {
        while (parent[u] != u) u = parent[u];
        return u;
    }

    // edge indices by ascending delay (ties by index: any order gives the same clusters per level)
    private static int[] sortedByDelay(long[] delay) {
        Integer[] boxed = new Integer[delay.length];
        for (int i = 0; i < delay.length; i++) boxed[i] = i;
        Arrays.sort(boxed, (x, y) -> delay[x] != delay[y] ? Long.compare(delay[x], delay[y]) : Integer.compare(x, y));
        int[] order = new int[delay.length];
        for (int i = 0; i < delay.length; i++) order[i] = boxed[i];
        return order;
    }
}
