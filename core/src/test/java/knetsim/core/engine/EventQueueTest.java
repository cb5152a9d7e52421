package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.PriorityQueue;
import java.util.SplittableRandom;
import knetsim.core.time.SimTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An LP's pending queue decides the order its events are processed in, so it must hand them out
 * exactly as the {@code PriorityQueue<Event>} with {@link Event#ORDER} it replaced did: checked
 * against one on random events, with many equal times (ties then go to originLp, then originSeq).
 */
class EventQueueTest {
    private record Tag(int n) implements Payload {
        @Override
        public long fingerprint() {
            return n;
        }
    }

    @Test
    void emptyQueueHasNothing() {
        EventQueue q = new EventQueue();
        assertTrue(q.isEmpty());
        assertNull(q.peek());
        assertNull(q.poll());
        assertEquals(SimTime.NEVER, q.peekTime());
    }

    @Test
    void equalTimesGoByOriginLpThenSequence() {
        EventQueue q = new EventQueue();
        Event a = new Event(5, 3, 9, 0, new Tag(0));
        Event b = new Event(5, 2, 10, 0, new Tag(1));
        Event c = new Event(5, 2, 4, 0, new Tag(2));
        Event d = new Event(4, 7, 1, 0, new Tag(3));
        q.add(a);
        q.add(b);
        q.add(c);
        q.add(d);
        assertSame(d, q.poll());
        assertSame(c, q.poll());
        assertSame(b, q.poll());
        assertSame(a, q.poll());
        assertTrue(q.isEmpty());
    }

    /** Random adds and polls, mixed as an LP mixes arrivals and processing; times from a small range. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void matchesPriorityQueueOnRandomEvents(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        EventQueue q = new EventQueue();
        PriorityQueue<Event> reference = new PriorityQueue<>(Event.ORDER);
        long[] nextSeq = new long[6];
        int timeRange = 1 + random.nextInt(40); // small ranges give many equal times
        for (int step = 0; step < 20_000; step++) {
            if (random.nextInt(100) < 55) {
                int origin = random.nextInt(nextSeq.length);
                Event e = new Event(random.nextInt(timeRange), origin, nextSeq[origin]++, 0, new Tag(step));
                q.add(e);
                reference.add(e);
            } else {
                assertSame(reference.peek(), q.peek(), "step " + step + ": peek");
                assertSame(reference.poll(), q.poll(), "step " + step + ": poll");
            }
            assertEquals(reference.size(), q.size(), "step " + step + ": size");
            Event head = reference.peek();
            assertEquals(head == null ? SimTime.NEVER : head.time(), q.peekTime(), "step " + step + ": peekTime");
        }
        while (!reference.isEmpty()) assertSame(reference.poll(), q.poll());
        assertTrue(q.isEmpty());
    }
}
