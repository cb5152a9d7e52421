package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import knetsim.core.time.SimTime;
import org.junit.jupiter.api.Test;

/** Each group's own horizon: the earliest time any other group could send it something. */
class GroupClocksTest {
    static final long N = SimTime.NEVER;

    // LPs 0,1 | 2,3 | 4 | 5 (another partition): a hub group 1 between groups 0 and 2, as S4's core router
    // sits between edge-router subtrees; the fast edges inside a group never bound anything
    static GroupClocks hub() {
        LpGraph graph = new LpGraph.Builder(6)
                .edge(0, 1, 10).edge(1, 0, 10)          // inside group 0
                .edge(1, 2, 500).edge(2, 1, 500)        // group 0 <-> group 1 (the smaller delay of two edges counts)
                .edge(0, 3, 700)
                .edge(3, 4, 300).edge(4, 3, 300)        // group 1 <-> group 2
                .edge(4, 5, 1)                          // to the other partition: not a group edge
                .build();
        int[] partitionOf = {0, 0, 0, 0, 0, 1};
        int[] groupOf = {0, 0, 1, 1, 2, -1};
        return new GroupClocks(graph, partitionOf, 0, groupOf, 3);
    }

    @Test
    void aGroupWaitsOnlyForWhatCanReachItThroughTheGroupGraph() {
        long[] bound = new long[3];
        hub().bounds(new long[] {1_000, 5_000, 1_100}, bound);
        // the hub's own event (5000) is not its earliest: group 2 can wake it at 1100 + 300 = 1400, group 0 at 1500.
        // group 0 may run to 1400 + 500, the hub to 1400, group 2 to 1400 + 300
        assertArrayEquals(new long[] {1_900, 1_400, 1_700}, bound);
    }

    @Test
    void aGroupWithNothingToDoStillPassesOnWhatReachesIt() {
        long[] bound = new long[3];
        hub().bounds(new long[] {1_000, N, N}, bound);
        // the idle hub can be woken by group 0 at 1500 and pass it on; group 0 can hear back at 1500 + 500
        assertArrayEquals(new long[] {2_000, 1_500, 1_800}, bound);
    }

    @Test
    void noEventsAnywhereBoundsNothing() {
        long[] bound = new long[3];
        hub().bounds(new long[] {N, N, N}, bound);
        assertArrayEquals(new long[] {N, N, N}, bound);
    }

    @Test
    void theGroupWithTheEarliestEventMayAlwaysRunIt() {
        GroupClocks clocks = hub();
        long[] bound = new long[3];
        java.util.Random random = new java.util.Random(5);
        for (int round = 0; round < 1_000; round++) {
            long[] own = new long[3];
            int earliest = 0;
            for (int g = 0; g < 3; g++) {
                own[g] = random.nextInt(4) == 0 ? N : random.nextInt(10_000);
                if (own[g] < own[earliest]) earliest = g;
            }
            clocks.bounds(own, bound);
            if (own[earliest] != N) assertTrue(own[earliest] < bound[earliest], "round " + round);
            for (int g = 0; g < 3; g++) {
                // never later than what the global window of all groups would allow... and never earlier
                long min = Math.min(own[0], Math.min(own[1], own[2]));
                if (min != N) assertTrue(bound[g] >= min + 300, "round " + round + ": group " + g);
            }
        }
    }
}
