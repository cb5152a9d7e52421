package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import knetsim.core.time.SimTime;
import org.junit.jupiter.api.Test;

/**
 * Which groups may run and how far, on GroupClocksTest's hub: group 0 - 500 - group 1 (the hub) - 300 -
 * group 2, the smallest delay between groups 300.
 */
class GroupHorizonsTest {
    static final long N = SimTime.NEVER;

    static GroupHorizons horizons(boolean windowsForAll, long span) {
        GroupHorizons h = new GroupHorizons(GroupClocksTest.hub(), 3, 300, span, windowsForAll);
        h.reported(0, 1_000);
        h.reported(1, 5_000);
        h.reported(2, 1_100);
        return h;
    }

    @Test
    void withChannelClocksAGroupRunsToItsOwnBoundAndOthersGoOnWhileItRuns() {
        GroupHorizons h = horizons(false, SimTime.MILLISECOND);
        assertEquals(1_000, h.plan());
        assertEquals(1_900, h.horizon(0, N));   // the hub can be woken by group 2 at 1400, then 500 to group 0
        assertEquals(N, h.horizon(1, N));       // the hub's event at 5000 is past its bound, 1400
        assertEquals(1_700, h.horizon(2, N));
        assertEquals(1_000, h.start(0));
        assertEquals(1_100, h.start(2));
        assertEquals(2, h.running());
        // group 2 reports: next event at 4000; group 0 is still running from 1000, so the hub stays bound at 1500
        h.reported(2, 4_000);
        assertEquals(1, h.running());
        assertEquals(1_000, h.plan());
        assertEquals(N, h.horizon(0, N));       // running
        assertEquals(N, h.horizon(1, N));       // 5000 >= 1500
        assertEquals(N, h.horizon(2, N));       // 4000 >= 1000 + 500 + 300
        h.reported(0, 6_000);                   // group 0 done
        assertEquals(4_000, h.plan());
        assertEquals(N, h.horizon(0, N));       // 6000 is past 4800: group 2 -> hub -> group 0
        assertEquals(N, h.horizon(1, N));       // 5000 is past 4300: group 2's event may still reach the hub
        assertEquals(4_600, h.horizon(2, N));   // the hub, woken at 4300 at the earliest, reaches it at 4600
        assertEquals(4_500, h.horizon(2, 4_500)); // the round's horizon
    }

    @Test
    void withOneWindowForAllNothingStartsUntilEveryGroupReported() {
        GroupHorizons h = horizons(true, SimTime.MILLISECOND);
        assertEquals(1_000, h.plan());
        // every group to the earliest event plus the smallest delay between groups
        assertEquals(1_300, h.horizon(0, N));
        assertEquals(N, h.horizon(1, N));
        assertEquals(1_300, h.horizon(2, N));
        h.start(0);
        h.start(2);
        h.reported(0, 1_200);
        h.plan();
        assertEquals(N, h.horizon(0, N), "group 2 is still running: the window is not over");
        h.reported(2, 1_250);
        assertEquals(1_200, h.plan());
        assertEquals(1_500, h.horizon(0, N));
        assertEquals(1_500, h.horizon(2, N));
    }

    @Test
    void anAdvanceEndsAtMostASpanAfterTheGroupsFirstEvent() {
        GroupHorizons h = horizons(false, 250);
        h.plan();
        assertEquals(1_250, h.horizon(0, N));
        assertEquals(1_350, h.horizon(2, N));
        assertEquals(1_000, h.nextEventTime());
        h.arrived(1, 1_200);                    // an event for the hub waits in the inbox
        h.plan();
        assertEquals(1_400, h.horizon(1, N));   // from 1200 to the bound 1400 (group 2 at 1100 + 300)
    }

    // group 0 sends to group 1 and nothing reaches group 0: only its span ends its Advances
    static GroupHorizons oneWay(long span, long advanceEvents) {
        LpGraph graph = new LpGraph.Builder(2).edge(0, 1, 500).build();
        GroupClocks clocks = new GroupClocks(graph, new int[] {0, 0}, 0, new int[] {0, 1}, 2);
        GroupHorizons h = new GroupHorizons(clocks, 2, 500, span, false, advanceEvents);
        h.reported(1, N);
        return h;
    }

    @Test
    void aGroupWhoseAdvancesHoldManyEventsGetsShorterSpansAndLightOnesLongerAgain() {
        GroupHorizons h = oneWay(SimTime.MILLISECOND, 100);
        h.reported(0, 1_000);
        h.plan();
        assertEquals(1_000 + SimTime.MILLISECOND, h.horizon(0, N), "the full span at first");
        h.start(0);
        h.reported(0, 2_000, 201);          // more than twice the 100 events an Advance should hold: half the span
        h.plan();
        assertEquals(2_000 + SimTime.MILLISECOND / 2, h.horizon(0, N));
        h.start(0);
        h.reported(0, 3_000, 200);          // at most twice: the span stays
        h.plan();
        assertEquals(3_000 + SimTime.MILLISECOND / 2, h.horizon(0, N));
        for (int i = 0; i < 20; i++) {
            h.start(0);
            h.reported(0, 4_000, 10_000);
        }
        h.plan();
        assertEquals(4_000 + GroupHorizons.MIN_SPAN, h.horizon(0, N), "never shorter than MIN_SPAN");
        h.start(0);
        h.reported(0, 5_000, 49);           // under half: twice the span
        h.plan();
        assertEquals(5_000 + 2 * GroupHorizons.MIN_SPAN, h.horizon(0, N));
        h.reported(0, 5_000);               // a report not after an Advance (start-up) changes nothing
        h.plan();
        assertEquals(5_000 + 2 * GroupHorizons.MIN_SPAN, h.horizon(0, N));
        for (int i = 0; i < 20; i++) {
            h.start(0);
            h.reported(0, 6_000, 0);
        }
        h.plan();
        assertEquals(6_000 + SimTime.MILLISECOND, h.horizon(0, N), "never longer than knetsim.advance-span");
    }

    @Test
    void eachGroupHasItsOwnSpan() {
        GroupHorizons h = oneWay(SimTime.MILLISECOND, 100);
        h.reported(0, 1_000);
        h.plan();
        h.start(0);
        h.reported(0, 2_000, 1_000);        // group 0 heavy: half its span
        h.reported(1, 2_100, -1);
        h.plan();
        assertEquals(2_000 + SimTime.MILLISECOND / 2, h.horizon(0, N));
        assertEquals(2_500, h.horizon(1, N), "group 1 is bound by group 0's 2000 + 500, not by a span");
        h.start(1);
        h.reported(1, 2_600, 50);           // group 1's own Advances say nothing of group 0's
        h.plan();
        assertEquals(2_000 + SimTime.MILLISECOND / 2, h.horizon(0, N));
    }

    @Test
    void withAdvanceEventsZeroEverySpanIsTheSetting() {
        GroupHorizons h = oneWay(250, 0);
        h.reported(0, 1_000);
        h.start(0);
        h.reported(0, 2_000, 1_000_000);
        h.plan();
        assertEquals(2_250, h.horizon(0, N));
    }

    @Test
    void noSettingOverflowsASpanOrItsThresholds() {
        long huge = java.time.Duration.ofDays(60_000).toNanos();   // over half of Long.MAX_VALUE: "no cap"
        GroupHorizons h = oneWay(huge, 256);
        h.reported(0, 1_000);
        h.start(0);
        h.reported(0, 2_000, 3);            // light: doubling the whole span must not wrap around
        h.plan();
        assertEquals(2_000 + huge, h.horizon(0, N));
        h.start(0);
        h.reported(0, 3_000, 1_000);        // heavy: half
        h.start(0);
        h.reported(0, 3_000, 0);            // light: back to the whole span, not past it
        h.plan();
        assertEquals(3_000 + huge, h.horizon(0, N));

        GroupHorizons many = oneWay(SimTime.MILLISECOND, Long.MAX_VALUE);
        many.reported(0, 1_000);
        many.start(0);
        many.reported(0, 2_000, 0);         // twice Long.MAX_VALUE events would wrap negative: not "more than twice"
        many.plan();
        assertEquals(2_000 + SimTime.MILLISECOND, many.horizon(0, N));
    }

    @Test
    void aSpanSetShorterThanMinSpanStaysTheLongest() {
        GroupHorizons h = oneWay(SimTime.MICROSECOND, 100);
        h.reported(0, 1_000);
        h.start(0);
        h.reported(0, 2_000, 10_000);       // heavy, but the setting is below MIN_SPAN already: it stays, not 10 us
        h.plan();
        assertEquals(2_000 + SimTime.MICROSECOND, h.horizon(0, N));
    }

    @Test
    void withOneEventPerAdvanceOnlyEmptyAdvancesGrowTheSpan() {
        GroupHorizons h = oneWay(SimTime.MILLISECOND, 1);
        h.reported(0, 1_000);
        h.start(0);
        h.reported(0, 2_000, 3);            // more than 2: half
        h.start(0);
        h.reported(0, 3_000, 1);            // 1 is neither: the span stays
        h.plan();
        assertEquals(3_000 + SimTime.MILLISECOND / 2, h.horizon(0, N));
        h.start(0);
        h.reported(0, 4_000, 0);            // fewer than half of 1: twice
        h.plan();
        assertEquals(4_000 + SimTime.MILLISECOND, h.horizon(0, N));
    }
}
