package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import knetsim.core.time.SimTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scheduler picks the next LP from this heap; a wrong minimum or an unstable tie-break would
 * change which LP runs first and so the order events are sent in. Checked against a brute-force
 * reference that is obviously right: scan all keys, lowest slot wins ties.
 */
class TimeHeapTest {

    /** Reference minimum: (key, slot) lexicographic, as the heap promises. */
    private static int refMinSlot(long[] keys) {
        int best = 0;
        for (int s = 1; s < keys.length; s++) if (keys[s] < keys[best]) best = s;
        return best;
    }

    private static void assertMatches(TimeHeap heap, long[] ref, int step) {
        int slot = refMinSlot(ref);
        assertEquals(ref[slot], heap.minKey(), () -> "step " + step + ": minKey");
        assertEquals(slot, heap.minSlot(), () -> "step " + step + ": minSlot (ties must go to the lowest slot)");
        for (int s = 0; s < ref.length; s++) {
            int at = s;
            assertEquals(ref[s], heap.key(s), () -> "step " + step + ": key of slot " + at);
        }
    }

    @Test
    void freshHeapIsAllIdle() {
        TimeHeap heap = new TimeHeap(5);
        assertEquals(5, heap.size());
        assertEquals(SimTime.NEVER, heap.minKey());
        // All keys tie at NEVER, so the deterministic tie-break still names slot 0.
        assertEquals(0, heap.minSlot());
        for (int s = 0; s < 5; s++) assertEquals(SimTime.NEVER, heap.key(s));
    }

    @Test
    void emptyHeapReportsNever() {
        // A partition may own no LP at all; its scheduler must see "nothing to do", not crash.
        assertEquals(SimTime.NEVER, new TimeHeap(0).minKey());
        assertEquals(0, new TimeHeap(0).size());
    }

    @Test
    void tiesGoToTheLowestSlotWhateverTheInsertionOrder() {
        TimeHeap heap = new TimeHeap(8);
        for (int s : new int[] {7, 3, 5, 6}) heap.set(s, 100);
        assertEquals(3, heap.minSlot());
        heap.set(3, SimTime.NEVER);
        assertEquals(5, heap.minSlot());
        heap.set(1, 100);
        assertEquals(1, heap.minSlot());
        heap.set(6, 99);
        assertEquals(6, heap.minSlot());
        assertEquals(99, heap.minKey());
    }

    @Test
    void lowerNeverRaisesAKey() {
        TimeHeap heap = new TimeHeap(3);
        heap.set(1, 50);
        heap.lower(1, 80);
        assertEquals(50, heap.key(1));
        heap.lower(1, 20);
        assertEquals(20, heap.key(1));
        heap.lower(2, SimTime.NEVER); // an event "at never" on an idle slot changes nothing
        assertEquals(SimTime.NEVER, heap.key(2));
        assertEquals(1, heap.minSlot());
    }

    @Test
    void goingIdleHandsTheMinimumOnAndAllIdleIsNeverAgain() {
        TimeHeap heap = new TimeHeap(4);
        heap.set(2, 10);
        heap.set(0, 30);
        heap.set(2, SimTime.NEVER);
        assertEquals(0, heap.minSlot());
        assertEquals(30, heap.minKey());
        heap.set(0, SimTime.NEVER);
        assertEquals(SimTime.NEVER, heap.minKey());
    }

    @ParameterizedTest(name = "{0} slots")
    @ValueSource(ints = {1, 2, 3, 7, 16, 33, 200})
    void randomSetAndLowerMatchBruteForce(int slots) {
        SplittableRandom random = new SplittableRandom(slots * 7919L);
        TimeHeap heap = new TimeHeap(slots);
        long[] ref = new long[slots];
        Arrays.fill(ref, SimTime.NEVER);
        for (int step = 0; step < 20_000; step++) {
            int slot = random.nextInt(slots);
            // A small key range forces many ties; NEVER and values near it cover the idle and overflow edges.
            long key = switch (random.nextInt(10)) {
                case 0 -> SimTime.NEVER;
                case 1 -> SimTime.NEVER - 1 - random.nextInt(3);
                case 2 -> 0;
                default -> random.nextInt(20);
            };
            if (random.nextBoolean()) {
                heap.set(slot, key);
                ref[slot] = key;
            } else {
                heap.lower(slot, key);
                ref[slot] = Math.min(ref[slot], key);
            }
            assertMatches(heap, ref, step);
        }
    }

    @Test
    void drainingInHeapOrderYieldsSortedKeysThenSlots() {
        // The scheduler's do/while over minSlot relies on successive minima being non-decreasing.
        SplittableRandom random = new SplittableRandom(1);
        int n = 64;
        TimeHeap heap = new TimeHeap(n);
        for (int s = 0; s < n; s++) heap.set(s, random.nextInt(10));
        long lastKey = Long.MIN_VALUE;
        int lastSlot = -1;
        for (int i = 0; i < n; i++) {
            long k = heap.minKey();
            int s = heap.minSlot();
            boolean ordered = k > lastKey || (k == lastKey && s > lastSlot);
            assertTrue(ordered, "drain step " + i + ": (" + k + "," + s + ") after (" + lastKey + "," + lastSlot + ")");
            lastKey = k;
            lastSlot = s;
            heap.set(s, SimTime.NEVER);
        }
        assertEquals(SimTime.NEVER, heap.minKey());
    }
}
