package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import knetsim.core.engine.PartitionScheduler.EndOfWindow;
import knetsim.core.time.SimTime;
import org.junit.jupiter.api.Test;

/**
 * Every partition must reach the same LBTS from the same markers, and only once all of them are in;
 * a round closed early or an LBTS that misses one peer's minimum lets a partition run past an
 * event still in flight.
 */
class RoundMarkersTest {
    /** Partition 0 of 3, so its peers are 1 and 2. */
    private final RoundMarkers markers = new RoundMarkers(3);

    private static EndOfWindow marker(int from, long round, long next, long minSent, long count) {
        return new EndOfWindow(from, round, next, minSent, count);
    }

    @Test
    void completeOnlyOnceOwnAndEveryPeersMarkerAreIn() {
        assertFalse(markers.complete(0));
        assertNull(markers.marker(marker(1, 0, 100, SimTime.NEVER, 0), 0));
        assertFalse(markers.complete(0), "one peer missing, own missing");
        markers.own(0, 300, SimTime.NEVER);
        assertFalse(markers.complete(0), "peer 2 still missing");
        assertNull(markers.marker(marker(2, 0, 200, SimTime.NEVER, 0), 0));
        assertTrue(markers.complete(0));
        assertFalse(markers.complete(1), "the other round is untouched");
    }

    @Test
    void ownMarkerLastAlsoCompletes() {
        markers.marker(marker(2, 0, 5, 6, 0), 0);
        markers.marker(marker(1, 0, 7, 8, 0), 0);
        assertFalse(markers.complete(0));
        markers.own(0, 9, 10);
        assertTrue(markers.complete(0));
    }

    @Test
    void lowerBoundIsTheMinimumOverEveryNextEventAndMinSentTime() {
        markers.own(0, 500, 400);
        markers.marker(marker(1, 0, 300, 350, 0), 0);
        markers.marker(marker(2, 0, 250, SimTime.NEVER, 0), 0);
        assertEquals(250, markers.lowerBound(0));
        markers.clear(0);
        // An event in flight counts even when it is earlier than every queue's head.
        markers.own(2, 500, SimTime.NEVER);
        markers.marker(marker(1, 2, 300, 120, 0), 2);
        markers.marker(marker(2, 2, 250, SimTime.NEVER, 0), 2);
        assertEquals(120, markers.lowerBound(2));
        markers.clear(2);
        markers.own(4, 900, 80);
        markers.marker(marker(1, 4, 300, 350, 0), 4);
        markers.marker(marker(2, 4, 250, SimTime.NEVER, 0), 4);
        assertEquals(80, markers.lowerBound(4), "our own in-flight minimum");
    }

    @Test
    void everyoneIdleGivesNever() {
        markers.own(0, SimTime.NEVER, SimTime.NEVER);
        markers.marker(marker(1, 0, SimTime.NEVER, SimTime.NEVER, 0), 0);
        markers.marker(marker(2, 0, SimTime.NEVER, SimTime.NEVER, 0), 0);
        assertTrue(markers.complete(0));
        assertEquals(SimTime.NEVER, markers.lowerBound(0));
    }

    @Test
    void aMarkerForTheNextRoundIsKeptApartAndCountsAfterClear() {
        // Peer 1 finished round 3 and already round 4 before peer 2's round-3 marker reached us.
        markers.own(3, 1_000, SimTime.NEVER);
        markers.marker(marker(1, 3, 900, SimTime.NEVER, 2), 3);
        markers.received(3, 1, 2);
        markers.received(4, 1, 1);
        assertNull(markers.marker(marker(1, 4, 5, 6, 1), 3), "one round ahead, while this partition is in round 3");
        assertFalse(markers.complete(3), "round 4's marker must not stand in for peer 2's round-3 marker");
        assertEquals(900, markers.lowerBound(3), "round 4's low times must not leak into round 3's LBTS");
        assertNull(markers.marker(marker(2, 3, 950, SimTime.NEVER, 0), 3));
        assertTrue(markers.complete(3));
        assertNull(markers.countsMatch(3));
        markers.clear(3);

        assertFalse(markers.complete(4), "own marker for round 4 not given yet");
        markers.own(4, 2_000, SimTime.NEVER);
        assertFalse(markers.complete(4), "only peer 1 is in for round 4");
        assertNull(markers.marker(marker(2, 4, 7, SimTime.NEVER, 0), 4),
                "peer 2 gave round 3's marker, its round-4 marker is not a duplicate");
        assertTrue(markers.complete(4));
        assertEquals(5, markers.lowerBound(4));
        assertNull(markers.countsMatch(4), "the event that arrived early for round 4 is counted for round 4");
    }

    @Test
    void aMarkerForARoundOtherThanThisOrTheNextIsAnError() {
        // a peer is at most one round ahead: a marker two rounds ahead or one behind would land in the wrong slot
        String ahead = markers.marker(marker(1, 7, 10, 10, 0), 5);
        assertNotNull(ahead);
        assertTrue(ahead.contains("partition 1") && ahead.contains("round 7") && ahead.contains("in round 5"), ahead);
        assertNotNull(markers.marker(marker(2, 4, 10, 10, 0), 5));
        markers.own(5, 50, 50);
        assertFalse(markers.complete(5), "neither counts for round 5");
        assertNull(markers.marker(marker(1, 6, 10, 10, 0), 5));
    }

    @Test
    void aDuplicateMarkerIsReportedAndDoesNotCountTwice() {
        assertNull(markers.marker(marker(1, 6, 10, 10, 0), 6));
        String error = markers.marker(marker(1, 6, 1, 1, 0), 6);
        assertNotNull(error);
        assertTrue(error.contains("partition 1") && error.contains("round 6"), error);
        markers.own(6, 50, 50);
        assertFalse(markers.complete(6), "the duplicate must not stand in for peer 2");
        assertEquals(10, markers.lowerBound(6), "the duplicate's times must not be folded in");
    }

    @Test
    void countsMatchReportsAMismatchBetweenAnnouncedAndReceivedEvents() {
        markers.own(0, 10, 10);
        markers.received(0, 1, 3);
        markers.received(0, 1, 2);
        markers.marker(marker(1, 0, 10, 10, 5), 0);
        markers.marker(marker(2, 0, 10, 10, 4), 0);
        markers.received(0, 2, 3);
        String error = markers.countsMatch(0);
        assertNotNull(error, "a lost frame must fail the run");
        assertTrue(error.contains("partition 2") && error.contains("announced 4") && error.contains("3 arrived"), error);
        markers.received(0, 2, 1);
        assertNull(markers.countsMatch(0));
    }

    @Test
    void clearResetsEverythingForTheRoundTwoAhead() {
        markers.own(0, 1, 1);
        markers.marker(marker(1, 0, 1, 1, 3), 0);
        markers.marker(marker(2, 0, 1, 1, 0), 0);
        markers.received(0, 1, 3);
        markers.clear(0);
        assertFalse(markers.complete(2));
        assertEquals(SimTime.NEVER, markers.lowerBound(2));
        assertNull(markers.marker(marker(1, 2, 100, 100, 0), 2), "peer 1's round-2 marker is not a duplicate of round 0's");
        markers.marker(marker(2, 2, 100, 100, 0), 2);
        markers.own(2, 100, 100);
        assertNull(markers.countsMatch(2), "round 0's received count must not carry over");
        assertEquals(100, markers.lowerBound(2));
    }

    @Test
    void twoPartitionsNeedOnePeerMarker() {
        RoundMarkers two = new RoundMarkers(2);
        two.own(0, 10, SimTime.NEVER);
        assertFalse(two.complete(0));
        two.marker(marker(1, 0, 20, SimTime.NEVER, 0), 0);
        assertTrue(two.complete(0));
        RoundMarkers one = new RoundMarkers(1);
        one.own(0, 10, SimTime.NEVER);
        assertTrue(one.complete(0), "a single partition has no peers to wait for");
    }
}
