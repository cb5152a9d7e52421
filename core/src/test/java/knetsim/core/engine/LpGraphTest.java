package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.TreeMap;
import knetsim.core.time.SimTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Lookaheads are derived from this graph, so its validation is what keeps a run from stalling. */
class LpGraphTest {
    record Tick(int n) implements Payload {
        @Override
        public long fingerprint() {
            return n;
        }
    }

    @Test
    void builderKeepsTheSmallestOfRepeatedEdgesAndSortsTargets() {
        LpGraph g = new LpGraph.Builder(4)
                .edge(0, 3, 50).edge(0, 1, 30).edge(0, 3, 20).edge(0, 1, 40).edge(2, 0, 7).edge(0, 2, 9)
                .build();
        assertEquals(4, g.lpCount());
        assertArrayEquals(new int[] {1, 2, 3}, g.targets()[0]);
        assertArrayEquals(new long[] {30, 9, 20}, g.minDelays()[0]);
        assertArrayEquals(new int[0], g.targets()[1]);
        assertArrayEquals(new int[] {0}, g.targets()[2]);
        assertArrayEquals(new long[] {7}, g.minDelays()[2]);
    }

    @Test
    void builderMatchesAReferenceOnRandomEdges() {
        // Exercises the packed (from << 32 | to) key: rows must never bleed into each other.
        SplittableRandom random = new SplittableRandom(3);
        int n = 37;
        LpGraph.Builder b = new LpGraph.Builder(n);
        TreeMap<String, Long> ref = new TreeMap<>();
        for (int i = 0; i < 2_000; i++) {
            int from = random.nextInt(n), to = random.nextInt(n);
            if (from == to) continue; // self edges are refused (see below)
            long d = 1 + random.nextInt(100);
            b.edge(from, to, d);
            ref.merge(from + ">" + to, d, Math::min);
        }
        LpGraph g = b.build();
        int total = 0;
        for (int from = 0; from < n; from++) {
            int[] t = g.targets()[from];
            for (int j = 0; j < t.length; j++) {
                if (j > 0) assertTrue(t[j - 1] < t[j], "row " + from + " not strictly sorted");
                assertEquals(ref.get(from + ">" + t[j]), g.minDelays()[from][j]);
                assertEquals(g.minDelays()[from][j], g.minDelay(from, t[j]));
            }
            total += t.length;
        }
        assertEquals(ref.size(), total);
    }

    @ParameterizedTest(name = "min delay {0}")
    @ValueSource(longs = {0, -1, Long.MIN_VALUE})
    void nonPositiveMinimumDelayIsRefusedNamingTheEdge(long delay) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new LpGraph.Builder(3).edge(0, 1, 5).edge(1, 2, delay).build());
        assertTrue(e.getMessage().contains("LP 1 -> LP 2"), e.getMessage());
        assertTrue(e.getMessage().contains("zero lookahead would stall"), e.getMessage());
    }

    @Test
    void aRepeatedEdgeCannotHideAZeroDelay() {
        // "Keep the smallest" must not become "keep the first positive one".
        var e = assertThrows(IllegalArgumentException.class,
                () -> new LpGraph.Builder(2).edge(0, 1, 10).edge(0, 1, 0).edge(0, 1, 10).build());
        assertTrue(e.getMessage().contains("LP 0 -> LP 1"), e.getMessage());
    }

    @Test
    void edgesToMissingLpsAreRefused() {
        var b = new LpGraph.Builder(3);
        for (int[] bad : new int[][] {{0, 3}, {3, 0}, {-1, 0}, {0, -1}}) {
            var e = assertThrows(IllegalArgumentException.class, () -> b.edge(bad[0], bad[1], 1));
            assertTrue(e.getMessage().contains("LP " + bad[0] + " -> LP " + bad[1]), e.getMessage());
            assertTrue(e.getMessage().contains("no such LP"), e.getMessage());
        }
        // The record is also a wire format, so its constructor must re-check what the builder checked.
        assertThrows(IllegalArgumentException.class,
                () -> new LpGraph(2, new int[][] {{2}, {}}, new long[][] {{1}, {}}));
        assertThrows(IllegalArgumentException.class,
                () -> new LpGraph(2, new int[][] {{1, 1}, {}}, new long[][] {{1, 1}, {}}));
        assertThrows(IllegalArgumentException.class,
                () -> new LpGraph(2, new int[][] {{1}}, new long[][] {{1}}));
        assertThrows(IllegalArgumentException.class, () -> new LpGraph.Builder(0).build());
    }

    @Test
    void minDelayLooksUpDirectedEdgesOnly() {
        LpGraph g = new LpGraph.Builder(4).edge(0, 2, 11).edge(0, 3, 13).edge(3, 0, 17).build();
        assertEquals(11, g.minDelay(0, 2));
        assertEquals(13, g.minDelay(0, 3));
        assertEquals(17, g.minDelay(3, 0));
        assertEquals(-1, g.minDelay(2, 0), "edges are directed");
        assertEquals(-1, g.minDelay(0, 1));
        assertEquals(-1, g.minDelay(1, 0), "an LP without edges");
    }

    /** Partitions {0,1} and {2,3}; the cheapest edges all cross, so they must not leak into local lookahead. */
    private static final LpGraph SPLIT = new LpGraph.Builder(4)
            .edge(0, 1, 40).edge(1, 0, 30)
            .edge(2, 3, 25)
            .edge(1, 2, 5).edge(3, 0, 8).edge(2, 1, 6)
            .build();
    private static final int[] HALVES = {0, 0, 1, 1};

    @Test
    void localLookaheadIsTheSmallestInternalEdgeIgnoringCrossEdges() {
        assertEquals(30, SPLIT.localLookahead(HALVES, 0));
        assertEquals(25, SPLIT.localLookahead(HALVES, 1));
        assertEquals(5, SPLIT.localLookahead(new int[] {0, 0, 0, 0}, 0));
    }

    @Test
    void localLookaheadWithUnitsCountsOnlyEdgesBetweenUnits() {
        int[] together = {0, 0, 0, 0};
        assertEquals(SimTime.NEVER, SPLIT.localLookahead(together, 0, new int[] {0, 0, 0, 0}));
        int[] identity = {0, 1, 2, 3};
        assertEquals(SPLIT.localLookahead(together, 0), SPLIT.localLookahead(together, 0, identity));
        assertEquals(SPLIT.localLookahead(HALVES, 1), SPLIT.localLookahead(HALVES, 1, identity));
        // units {0,3} and {1,2}: the 5, 6 and 8 ns edges run inside units, the 25 ns one is the bound
        assertEquals(25, SPLIT.localLookahead(together, 0, new int[] {0, 1, 1, 0}));
    }

    @Test
    void localLookaheadIsNeverWithoutInternalEdges() {
        int[] alone = {0, 1, 2, 3};
        for (int p = 0; p < 4; p++) assertEquals(SimTime.NEVER, SPLIT.localLookahead(alone, p));
        assertEquals(SimTime.NEVER, SPLIT.localLookahead(HALVES, 7), "a partition owning no LP");
    }

    @Test
    void globalLookaheadIsTheSmallestCrossEdgeAndNeverWhenNoneCross() {
        assertEquals(5, SPLIT.globalLookahead(HALVES));
        assertEquals(5, SPLIT.globalLookahead(new int[] {0, 1, 2, 3}));
        // Moving 1, 2 and 3 together hides 5 and 6; 8 (3 -> 0) is the cheapest crossing left.
        assertEquals(8, SPLIT.globalLookahead(new int[] {0, 1, 1, 1}));
        assertEquals(25, SPLIT.globalLookahead(new int[] {0, 1, 1, 0}));
        assertEquals(SimTime.NEVER, SPLIT.globalLookahead(new int[] {0, 0, 0, 0}));
    }

    /** Self events go through schedule(), which needs no lookahead; an edge to itself would bypass the window. */
    @Test
    void aSelfEdgeIsRefusedPointingToSchedule() {
        var builder = new LpGraph.Builder(2);
        var e = assertThrows(IllegalArgumentException.class, () -> builder.edge(0, 0, 1));
        assertTrue(e.getMessage().contains("LP 0 -> LP 0") && e.getMessage().contains("schedule()"), e.getMessage());
        var direct = assertThrows(IllegalArgumentException.class,
                () -> new LpGraph(2, new int[][] {{0}, {}}, new long[][] {{5}, {}}));
        assertTrue(direct.getMessage().contains("schedule()"), direct.getMessage());
    }

    @Test
    void rowsOfDifferentLengthAreRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new LpGraph(2, new int[][] {{1}, {}}, new long[][] {{}, {}}));
        assertTrue(e.getMessage().contains("LP 0"), e.getMessage());
    }
}
