package knetsim.core.engine;

import java.util.Arrays;

/**
 * Which actor runs which LP in one partition: the partition's execution units (see
 * {@link Scenario#unitOf()}) cut, in order of their first LP, into at most {@code maxGroups}
 * contiguous groups of about equal LP counts. A unit is never split. The grouping changes only
 * who drives an LP, never the order of its events, so it cannot change a result.
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

    static Grouping of(int[] unitOf, int[] partitionOf, int partition, int maxGroups) {
        int n = partitionOf.length;
        if (unitOf.length != n) throw new IllegalArgumentException("unitOf has " + unitOf.length + " entries for " + n + " LPs");
        int units = 0;
        for (int u : unitOf) {
            if (u < 0) throw new IllegalArgumentException("negative unit " + u);
            units = Math.max(units, u + 1);
        }
        int[] unitPartition = new int[units];
        int[] unitSize = new int[units];
        int[] unitOrder = new int[units]; // local units in order of their first LP
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
        int groups = Math.min(localUnits, Math.max(1, maxGroups));
        int[] groupOfUnit = new int[units];
        Arrays.fill(groupOfUnit, -1);
        int[] groupSize = new int[groups];
        long filled = 0;
        for (int k = 0, g = 0; k < localUnits; k++) {
            int u = unitOrder[k];
            // move on once this group holds its share; leave at least one unit for every later group
            if (g < groups - 1 && groupSize[g] > 0
                    && (filled >= (long) (g + 1) * lpCount / groups || localUnits - k <= groups - 1 - g)) {
                g++;
            }
            groupOfUnit[u] = g;
            groupSize[g] += unitSize[u];
            filled += unitSize[u];
        }
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
}
