package knetsim.core.engine;

import java.util.Arrays;

/**
 * Which actor runs which LP in one partition. A group runs all of its LPs in one time-ordered
 * loop, so an event between two units of one group may fall inside the window and is simply run
 * in order; only edges between groups bound the window ({@code LpGraph.localLookahead} over
 * {@link #groupOf}). {@link #alongCables} therefore cuts the partition's execution units (see
 * {@link Scenario#unitOf()}) along their slowest cables ({@link CableClusters}): on S4 with two or
 * more threads, the core router's unit and the 20 edge-router subtrees, so the window is the
 * 500 us core cable instead of the 100 us access cable. Where no cable is slower than the others
 * it falls back to {@link #of}: the units in order of their first LP cut into at most
 * {@code maxGroups} contiguous groups of about equal LP counts (neighbours in LP order, which
 * talk most, stay in one actor). A unit is never split. The grouping changes only who drives an
 * LP, never the order of its events, so it cannot change a result.
 *
 * @param groupOf by LP id: its group, or -1 for LPs of other partitions
 * @param indexOf by LP id: its index in its group's {@link #lpsOf} list
 */
record Grouping(int[] groupOf, int[] indexOf, int[][] members, int lpCount) {

    int groups() {
        return members.length;
    }

    /** The LP ids of group {@code g}, ascending. */
    int[] lpsOf(int g) {
        return members[g];
    }

    /**
     * The grouping a partition's scheduler uses on {@code threads} dispatcher threads: along
     * cables, into at least one group per thread (every thread has work) and at least
     * {@code perThread} groups even on one thread, at most {@code perThread} per thread. On one
     * thread, merging every cable would leave a single group of all LPs; on S4 that cost 8-22% more
     * CPU per event (against the plain loop) than the 4 contiguous groups did before, in five
     * sittings on a busy machine (bench/README.md), so one thread keeps 4 groups, as before.
     */
    static Grouping forDispatcher(LpGraph graph, int[] unitOf, int[] partitionOf, int partition, int threads,
                                  int perThread) {
        int t = Math.max(1, threads), p = Math.max(1, perThread);
        return alongCables(graph, unitOf, partitionOf, partition, Math.max(t, p), p * t);
    }

    /**
     * Groups of whole clusters of units joined by their fastest cables: as many levels of cable
     * delay merged as leave at least {@code minGroups} clusters of at most 1/minGroups of the
     * LPs each, if that at least doubles the window ({@link CableClusters}); more clusters than {@code maxGroups}
     * are packed into {@code maxGroups} groups balanced by LP count (largest cluster first, to the
     * lightest group; ties to the earlier cluster and group). When no cable level can be merged,
     * the contiguous cut of {@link #of}.
     */
    static Grouping alongCables(LpGraph graph, int[] unitOf, int[] partitionOf, int partition, int minGroups,
                                int maxGroups) {
        if (graph.lpCount() != partitionOf.length) {
            throw new IllegalArgumentException("the graph has " + graph.lpCount() + " LPs, partitionOf " + partitionOf.length);
        }
        Units units = Units.of(unitOf, partitionOf, partition);
        CableClusters.Result clusters = CableClusters.of(graph, unitOf, partitionOf, partition, units.order,
                units.local, units.size, Math.max(1, minGroups));
        if (!clusters.merged()) return build(unitOf, partitionOf, partition, contiguous(units, maxGroups), units.lpCount);
        int[] clusterOf = clusters.clusterOf();
        int count = clusters.clusters();
        int groups = Math.max(1, maxGroups);
        if (count <= groups) return build(unitOf, partitionOf, partition, clusterOf, units.lpCount);

        long[] clusterSize = new long[count];
        for (int k = 0; k < units.local; k++) clusterSize[clusterOf[units.order[k]]] += units.size[units.order[k]];
        Integer[] bySize = new Integer[count];
        for (int c = 0; c < count; c++) bySize[c] = c;
        Arrays.sort(bySize, (x, y) -> clusterSize[x] != clusterSize[y] ? Long.compare(clusterSize[y], clusterSize[x])
                : Integer.compare(x, y));
        long[] load = new long[groups];
        int[] groupOfCluster = new int[count];
        for (int c : bySize) {
            int lightest = 0;
            for (int g = 1; g < groups; g++) if (load[g] < load[lightest]) lightest = g;
            groupOfCluster[c] = lightest;
            load[lightest] += clusterSize[c];
        }
        // renumber the groups in order of their first LP, as the clusters are
        int[] renamed = new int[groups];
        Arrays.fill(renamed, -1);
        int next = 0;
        int[] groupOfUnit = new int[units.size.length];
        Arrays.fill(groupOfUnit, -1);
        for (int k = 0; k < units.local; k++) {
            int u = units.order[k];
            int g = groupOfCluster[clusterOf[u]];
            if (renamed[g] < 0) renamed[g] = next++;
            groupOfUnit[u] = renamed[g];
        }
        return build(unitOf, partitionOf, partition, groupOfUnit, units.lpCount);
    }

    /** The units, in order of their first LP, cut into at most {@code maxGroups} contiguous groups of about equal LP counts. */
    static Grouping of(int[] unitOf, int[] partitionOf, int partition, int maxGroups) {
        Units units = Units.of(unitOf, partitionOf, partition);
        return build(unitOf, partitionOf, partition, contiguous(units, maxGroups), units.lpCount);
    }

    /** By unit number: its group. */
    private static int[] contiguous(Units units, int maxGroups) {
        int groups = Math.min(units.local, Math.max(1, maxGroups));
        int[] groupOfUnit = new int[units.size.length];
        Arrays.fill(groupOfUnit, -1);
        int[] groupSize = new int[groups];
        long filled = 0;
        for (int k = 0, g = 0; k < units.local; k++) {
            int u = units.order[k];
            // move on once this group holds its share; leave at least one unit for every later group
            if (g < groups - 1 && groupSize[g] > 0
                    && (filled >= (long) (g + 1) * units.lpCount / groups || units.local - k <= groups - 1 - g)) {
                g++;
            }
            groupOfUnit[u] = g;
            groupSize[g] += units.size[u];
            filled += units.size[u];
        }
        return groupOfUnit;
    }

    /** The grouping of LPs from a grouping of units numbered 0.. in order of their first LP. */
    private static Grouping build(int[] unitOf, int[] partitionOf, int partition, int[] groupOfUnit, int lpCount) {
        int n = partitionOf.length;
        int groups = 0;
        for (int g : groupOfUnit) groups = Math.max(groups, g + 1);
        int[] groupSize = new int[groups];
        for (int lp = 0; lp < n; lp++) if (partitionOf[lp] == partition) groupSize[groupOfUnit[unitOf[lp]]]++;
        int[][] members = new int[groups][];
        for (int g = 0; g < groups; g++) members[g] = new int[groupSize[g]];
        int[] groupOf = new int[n];
        int[] indexOf = new int[n];
        int[] fill = new int[groups];
        for (int lp = 0; lp < n; lp++) {
            int g = partitionOf[lp] == partition ? groupOfUnit[unitOf[lp]] : -1;
            groupOf[lp] = g;
            if (g >= 0) {
                indexOf[lp] = fill[g];
                members[g][fill[g]++] = lp;
            } else {
                indexOf[lp] = -1;
            }
        }
        return new Grouping(groupOf, indexOf, members, lpCount);
    }

    /**
     * The partition's units: {@code order} its {@code local} units in order of their first LP,
     * {@code size} by unit number its LPs here, {@code lpCount} the partition's LPs.
     */
    private record Units(int[] order, int local, int[] size, int lpCount) {
        static Units of(int[] unitOf, int[] partitionOf, int partition) {
            int n = partitionOf.length;
            if (unitOf.length != n) throw new IllegalArgumentException("unitOf has " + unitOf.length + " entries for " + n + " LPs");
            int units = 0;
            for (int u : unitOf) {
                if (u < 0) throw new IllegalArgumentException("negative unit " + u);
                units = Math.max(units, u + 1);
            }
            int[] unitPartition = new int[units];
            int[] unitSize = new int[units];
            int[] unitOrder = new int[units];
            int localUnits = 0, lpCount = 0;
            Arrays.fill(unitPartition, -1);
            for (int lp = 0; lp < n; lp++) {
                int u = unitOf[lp];
                if (unitPartition[u] < 0) {
                    unitPartition[u] = partitionOf[lp];
                    if (partitionOf[lp] == partition) unitOrder[localUnits++] = u;
                } else if (unitPartition[u] != partitionOf[lp]) {
                    throw new IllegalArgumentException("execution unit " + u + " is split between partitions "
                            + unitPartition[u] + " and " + partitionOf[lp] + " (LP " + lp + "): place a unit's LPs together");
                }
                if (partitionOf[lp] == partition) {
                    unitSize[u]++;
                    lpCount++;
                }
            }
            return new Units(unitOrder, localUnits, unitSize, lpCount);
        }
    }
}
