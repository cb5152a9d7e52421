package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Units into actor groups: never split, every group busy, LP counts even, other partitions' LPs
 * left out; along cables: clusters of the fastest cables, the window bounded by the slowest cable
 * that still leaves a group per thread, the contiguous cut where no cable is slower.
 */
class GroupingTest {
    // 10 LPs in 5 units of 2 (LP i and i + 5 together, as a machine and the cable it sends on)
    static final int[] UNIT = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4};

    @Test
    void unitsStayWholeAndGroupsAreEven() {
        int[] partitionOf = new int[10];
        Grouping g = Grouping.of(UNIT, partitionOf, 0, 2);
        assertEquals(2, g.groups());
        assertEquals(10, g.lpCount());
        for (int lp = 0; lp < 10; lp++) {
            assertEquals(g.groupOf()[lp], g.groupOf()[(lp + 5) % 10], "LP " + lp + " and its unit mate");
            assertEquals(lp, g.lpsOf(g.groupOf()[lp])[g.indexOf()[lp]]);
        }
        assertArrayEquals(new int[] {0, 1, 2, 5, 6, 7}, g.lpsOf(0));
        assertArrayEquals(new int[] {3, 4, 8, 9}, g.lpsOf(1));
    }

    @Test
    void noMoreGroupsThanUnitsAndNoEmptyGroup() {
        Grouping g = Grouping.of(UNIT, new int[10], 0, 64);
        assertEquals(5, g.groups());
        for (int k = 0; k < 5; k++) assertEquals(2, g.lpsOf(k).length);
    }

    @Test
    void onlyThisPartitionsLpsAreGrouped() {
        int[] partitionOf = {0, 0, 1, 1, 1, 0, 0, 1, 1, 1};
        Grouping g = Grouping.of(UNIT, partitionOf, 1, 8);
        assertEquals(6, g.lpCount());
        assertEquals(3, g.groups());
        for (int lp : new int[] {0, 1, 5, 6}) assertEquals(-1, g.groupOf()[lp]);
        assertTrue(g.groupOf()[2] >= 0);
        assertEquals(0, Grouping.of(UNIT, partitionOf, 2, 8).groups(), "a partition with no LP has no group");
    }

    @Test
    void aUnitSplitBetweenPartitionsIsRefused() {
        int[] partitionOf = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Grouping.of(UNIT, partitionOf, 0, 2));
        assertEquals("execution unit 0 is split between partitions 0 and 1 (LP 5): place a unit's LPs together",
                e.getMessage());
    }

    // A two-tier tree as 7 units of 2 LPs (LP u and u + 7: a machine and the cable it sends on, 2 ns apart):
    // unit 0 the core router, units 1 and 2 edge routers on 500 ns cables, units 3, 4 under 1 and 5, 6 under 2
    // on 100 ns cables.
    static final int[] TREE_UNIT = {0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6};

    static LpGraph tree(long core, long access) {
        LpGraph.Builder b = new LpGraph.Builder(14);
        for (int u = 0; u < 7; u++) b.edge(u, u + 7, 2).edge(u + 7, u, 2);
        int[][] cables = {{0, 1, 0}, {0, 2, 0}, {1, 3, 1}, {1, 4, 1}, {2, 5, 1}, {2, 6, 1}};
        for (int[] c : cables) {
            long delay = c[2] == 0 ? core : access;
            b.edge(c[0] + 7, c[1], delay).edge(c[1] + 7, c[0], delay); // each end's cable LP to the other machine
        }
        return b.build();
    }

    static long lookahead(LpGraph graph, int[] partitionOf, Grouping g) {
        return graph.localLookahead(partitionOf, 0, g.groupOf());
    }

    @Test
    void treeIsCutAlongItsSlowCablesIntoTheCoreAndTheEdgeSubtrees() {
        LpGraph graph = tree(500, 100);
        int[] one = new int[14];
        assertEquals(100, graph.localLookahead(one, 0, TREE_UNIT), "between units: the access cable");
        Grouping g = Grouping.alongCables(graph, TREE_UNIT, one, 0, 2, 8);
        assertEquals(3, g.groups());
        assertArrayEquals(new int[] {0, 7}, g.lpsOf(0));
        assertArrayEquals(new int[] {1, 3, 4, 8, 10, 11}, g.lpsOf(1));
        assertArrayEquals(new int[] {2, 5, 6, 9, 12, 13}, g.lpsOf(2));
        assertEquals(500, lookahead(graph, one, g), "between groups: the core cable");
        for (int lp = 0; lp < 14; lp++) {
            assertEquals(g.groupOf()[lp], g.groupOf()[(lp + 7) % 14], "LP " + lp + " and its unit mate");
            assertEquals(lp, g.lpsOf(g.groupOf()[lp])[g.indexOf()[lp]]);
        }
    }

    @Test
    void aCutThatWouldLeaveAThreadIdleIsNotMadeAndTheContiguousCutIsKept() {
        LpGraph graph = tree(500, 100);
        int[] one = new int[14];
        // 4 threads: merging the access cables leaves 3 clusters, one thread short, and of 6 LPs, above a share of 4
        Grouping g = Grouping.alongCables(graph, TREE_UNIT, one, 0, 4, 16);
        Grouping contiguous = Grouping.of(TREE_UNIT, one, 0, 16);
        assertEquals(7, g.groups());
        assertArrayEquals(contiguous.groupOf(), g.groupOf());
        assertEquals(100, lookahead(graph, one, g));
        // one thread: everything is one group, and no edge bounds its windows
        Grouping single = Grouping.alongCables(graph, TREE_UNIT, one, 0, 1, 4);
        assertEquals(1, single.groups());
        assertEquals(knetsim.core.time.SimTime.NEVER, lookahead(graph, one, single));
    }

    @Test
    void aSchedulerOnOneThreadStillGetsGroupsPerThreadForItsCache() {
        LpGraph graph = tree(500, 100);
        int[] one = new int[14];
        // 1 thread, 2 groups per thread: at least 2 clusters, so the core cable stays the bound
        Grouping g = Grouping.forDispatcher(graph, TREE_UNIT, one, 0, 1, 2);
        assertEquals(2, g.groups());
        assertEquals(500, lookahead(graph, one, g));
        // 2 threads, 2 per thread: the 3 clusters, each its own group
        Grouping two = Grouping.forDispatcher(graph, TREE_UNIT, one, 0, 2, 2);
        assertEquals(3, two.groups());
        assertArrayEquals(Grouping.alongCables(graph, TREE_UNIT, one, 0, 2, 4).groupOf(), two.groupOf());
        // 2 threads, 4 per thread: at least 4 clusters of at most 4 LPs; the subtrees (6) are too big
        assertArrayEquals(Grouping.of(TREE_UNIT, one, 0, 8).groupOf(), Grouping.forDispatcher(graph, TREE_UNIT, one, 0, 2, 4).groupOf());
    }

    @Test
    void equalCablesFallBackToTheContiguousCut() {
        LpGraph graph = tree(100, 100);
        int[] one = new int[14];
        for (int threads : new int[] {2, 3, 7}) {
            Grouping g = Grouping.alongCables(graph, TREE_UNIT, one, 0, threads, 2 * threads);
            Grouping contiguous = Grouping.of(TREE_UNIT, one, 0, 2 * threads);
            assertArrayEquals(contiguous.groupOf(), g.groupOf(), threads + " threads");
            assertArrayEquals(contiguous.indexOf(), g.indexOf(), threads + " threads");
            assertEquals(100, lookahead(graph, one, g));
        }
    }

    @Test
    void moreClustersThanGroupsArePackedLargestFirstIntoTheLightestGroup() {
        LpGraph graph = tree(500, 100);
        int[] one = new int[14];
        // clusters of 2, 6 and 6 LPs into 2 groups: 6 -> group A, 6 -> group B, then 2 -> A (tie: the earlier)
        Grouping g = Grouping.alongCables(graph, TREE_UNIT, one, 0, 2, 2);
        assertEquals(2, g.groups());
        assertArrayEquals(new int[] {0, 1, 3, 4, 7, 8, 10, 11}, g.lpsOf(0));
        assertArrayEquals(new int[] {2, 5, 6, 9, 12, 13}, g.lpsOf(1));
        assertEquals(500, lookahead(graph, one, g), "packing whole clusters never shortens the window");
    }

    @Test
    void theGroupingIsAFunctionOfTheGraphAndUnitsOnly() {
        // the same tree with its edges given in the reverse order, twice
        LpGraph.Builder b = new LpGraph.Builder(14);
        LpGraph graph = tree(500, 100);
        for (int from = 13; from >= 0; from--) {
            for (int j = graph.targets()[from].length - 1; j >= 0; j--) b.edge(from, graph.targets()[from][j], graph.minDelays()[from][j]);
        }
        LpGraph reversed = b.build();
        int[] one = new int[14];
        Grouping g1 = Grouping.alongCables(graph, TREE_UNIT, one, 0, 2, 2);
        Grouping g2 = Grouping.alongCables(reversed, TREE_UNIT, one, 0, 2, 2);
        assertArrayEquals(g1.groupOf(), g2.groupOf());
        assertArrayEquals(g1.indexOf(), g2.indexOf());
    }

    @Test
    void onlyCablesInsideThePartitionAreMerged() {
        LpGraph graph = tree(500, 100);
        // unit 3 (LPs 3 and 10) in partition 1: its access cable to unit 1 crosses partitions
        int[] partitionOf = new int[14];
        partitionOf[3] = partitionOf[10] = 1;
        Grouping g = Grouping.alongCables(graph, TREE_UNIT, partitionOf, 0, 2, 8);
        assertEquals(12, g.lpCount());
        assertEquals(3, g.groups());
        assertArrayEquals(new int[] {0, 7}, g.lpsOf(0));
        assertArrayEquals(new int[] {1, 4, 8, 11}, g.lpsOf(1));
        assertArrayEquals(new int[] {2, 5, 6, 9, 12, 13}, g.lpsOf(2));
        assertEquals(-1, g.groupOf()[3]);
        assertEquals(-1, g.groupOf()[10]);
        assertEquals(500, graph.localLookahead(partitionOf, 0, g.groupOf()));
    }

    @Test
    void nearlyEqualCablesDoNotChainIntoOneGiantGroup() {
        // a line of 6 one-LP units on cables of 100..104 ns: single linkage would grow one cluster
        // along it; it stops at a thread's share, and a window of 102 instead of 100 is not worth a cut
        LpGraph.Builder b = new LpGraph.Builder(6);
        for (int u = 0; u < 5; u++) b.edge(u, u + 1, 100 + u).edge(u + 1, u, 100 + u);
        LpGraph line = b.build();
        int[] unitOf = {0, 1, 2, 3, 4, 5};
        int[] one = new int[6];
        Grouping g = Grouping.alongCables(line, unitOf, one, 0, 2, 8);
        assertArrayEquals(Grouping.of(unitOf, one, 0, 8).groupOf(), g.groupOf());
        assertEquals(100, line.localLookahead(one, 0, g.groupOf()));
        // the same line with a slow middle cable is cut there
        b = new LpGraph.Builder(6);
        for (int u = 0; u < 5; u++) b.edge(u, u + 1, u == 2 ? 1000 : 100 + u).edge(u + 1, u, u == 2 ? 1000 : 100 + u);
        LpGraph cut = b.build();
        Grouping halves = Grouping.alongCables(cut, unitOf, one, 0, 2, 8);
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1}, halves.groupOf());
        assertEquals(1000, cut.localLookahead(one, 0, halves.groupOf()));
    }
}
