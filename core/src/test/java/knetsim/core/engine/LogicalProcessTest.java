package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import knetsim.core.time.SimTime;
import org.junit.jupiter.api.Test;

/** Drives one LP through the engine's side, as UnitActor and SequentialEngine do, without Akka. */
class LogicalProcessTest {
    record Tick(int n) implements Payload {
        @Override
        public long fingerprint() {
            return n;
        }
    }

    /** Logs "time/sender/n" per event; behaviour is plugged in per test. */
    static final class Probe extends LogicalProcess {
        final List<String> log = new ArrayList<>();
        Consumer<Probe> startup = p -> {};
        BiConsumer<Probe, Tick> handler = (p, t) -> {};

        @Override
        protected void onStart() {
            startup.accept(this);
        }

        @Override
        protected void onEvent(Payload payload) {
            Tick t = (Tick) payload;
            log.add(now() + "/" + sender() + "/" + t.n());
            handler.accept(this, t);
        }
    }

    // 0 -> 1 at least 1us; 1 has no edge back; 2 <-> 0 so three LPs can exchange events.
    static final LpGraph GRAPH = new LpGraph.Builder(3)
            .edge(0, 1, SimTime.MICROSECOND).edge(0, 2, 5).edge(2, 0, 5).build();

    private static Probe attached(int id, Consumer<Probe> startup) {
        Probe p = new Probe();
        p.startup = startup;
        p.attach(id, GRAPH, 42, SimTime.NEVER);
        return p;
    }

    /** The events the LP sent since the last call, drained as the engines drain them. */
    private static List<Event> sent(Probe p) {
        List<Event> out = new ArrayList<>();
        p.drainOutbox(out::add);
        return out;
    }

    /**
     * A row of more than four edges is spread into a table by target when its ids are close (1..7), and
     * searched when they are far apart (1, 40, 90, 150, 199): either way each target keeps its own minimum.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1,2,3,4,5,6,7", "1,40,90,150,199"})
    void aLongRowChecksEachEdgeAgainstItsOwnMinimum(String row) {
        int[] targets = Arrays.stream(row.split(",")).mapToInt(Integer::parseInt).toArray();
        LpGraph.Builder b = new LpGraph.Builder(200);
        for (int to : targets) b.edge(0, to, to * 100L);
        Probe p = new Probe();
        p.attach(0, b.build(), 42, SimTime.NEVER);
        List<Integer> expected = new ArrayList<>();
        for (int k : new int[] {2, 2, 4, 2, 0, 4, 1, 3}) {
            int to = targets[k];
            p.send(to, to * 100L, new Tick(to));
            expected.add(to);
            var e = assertThrows(IllegalArgumentException.class, () -> p.send(to, to * 100L - 1, new Tick(0)));
            assertTrue(e.getMessage().contains("LP 0 -> LP " + to + ":"), e.getMessage());
        }
        for (int none : new int[] {0, 8, 39, 41, 198, 200, -1, Integer.MIN_VALUE}) {
            if (Arrays.stream(targets).anyMatch(t -> t == none)) continue;
            var e = assertThrows(IllegalArgumentException.class, () -> p.send(none, SimTime.SECOND, new Tick(0)));
            assertTrue(e.getMessage().contains("LP 0 has no edge to LP " + none), e.getMessage());
        }
        assertEquals(expected, sent(p).stream().map(Event::targetLp).toList());
    }

    /** The edges of a short row sit in the LP's fields: a switch of target must check the new edge's own minimum. */
    @Test
    void aShortRowNeverLendsOneEdgesMinimumToAnother() {
        Probe p = attached(0, lp -> {});
        p.send(2, 5, new Tick(0));                 // edge 0 -> 2, minimum 5 ns
        p.send(2, 5, new Tick(1));                 // remembered
        var e = assertThrows(IllegalArgumentException.class, () -> p.send(1, 5, new Tick(2)));
        assertTrue(e.getMessage().contains("LP 0 -> LP 1") && e.getMessage().contains("1us"), e.getMessage());
        p.send(1, SimTime.MICROSECOND, new Tick(3)); // now 0 -> 1 is remembered
        assertThrows(IllegalArgumentException.class, () -> p.send(1, 999, new Tick(4)));
        var none = assertThrows(IllegalArgumentException.class, () -> p.send(-1, SimTime.SECOND, new Tick(5)));
        assertTrue(none.getMessage().contains("LP 0 has no edge to LP -1"), none.getMessage());
        List<Event> out = sent(p);
        assertEquals(List.of(new Tick(0), new Tick(1), new Tick(3)), out.stream().map(Event::payload).toList(),
                "only the accepted sends are posted");
        assertEquals(List.of(0L, 1L, 2L), out.stream().map(Event::originSeq).toList(),
                "refused sends take no sequence number");
        Probe one = attached(2, lp -> {});         // one edge: the unused slots must match no target
        assertThrows(IllegalArgumentException.class, () -> one.send(Integer.MIN_VALUE, SimTime.SECOND, new Tick(6)));
        assertThrows(IllegalArgumentException.class, () -> one.send(1, SimTime.SECOND, new Tick(6)));
    }

    @Test
    void sendBelowTheEdgeMinimumIsRefusedNamingBothLpsAndBothDelays() {
        Probe p = attached(0, lp -> {});
        var e = assertThrows(IllegalArgumentException.class, () -> p.send(1, 999, new Tick(0)));
        assertTrue(e.getMessage().contains("LP 0 -> LP 1"), e.getMessage());
        assertTrue(e.getMessage().contains("999ns"), e.getMessage());
        assertTrue(e.getMessage().contains("1us"), e.getMessage());
        assertTrue(sent(p).isEmpty(), "a refused send must not leave an event behind");
        p.send(1, SimTime.MICROSECOND, new Tick(0)); // exactly the minimum is allowed
        assertEquals(SimTime.MICROSECOND, sent(p).get(0).time());
    }

    @Test
    void sendWithoutAnEdgeAndNegativeSelfDelayAreRefused() {
        Probe p = attached(1, lp -> {});
        var e = assertThrows(IllegalArgumentException.class, () -> p.send(0, SimTime.SECOND, new Tick(0)));
        assertTrue(e.getMessage().contains("LP 1 has no edge to LP 0"), e.getMessage());
        var neg = assertThrows(IllegalArgumentException.class, () -> p.schedule(-1, new Tick(0)));
        assertTrue(neg.getMessage().contains("LP 1") && neg.getMessage().contains("-1"), neg.getMessage());
        assertEquals(SimTime.NEVER, p.nextEventTime());
        assertThrows(IllegalStateException.class, () -> p.attach(2, GRAPH, 42, SimTime.NEVER), "attached twice");
    }

    @Test
    void sentEventsCarryOriginAndAPerOriginSequenceSharedWithSelfEvents() {
        Probe p = attached(0, lp -> {
            lp.send(1, 2_000, new Tick(1));
            lp.schedule(3, new Tick(2));
            lp.send(2, 5, new Tick(3));
        });
        p.start();
        List<Event> out = sent(p);
        assertEquals(List.of(new Event(2_000, 0, 0, 1, new Tick(1)), new Event(5, 0, 2, 2, new Tick(3))), out);
        assertTrue(sent(p).isEmpty(), "the outbox hands events over once");
        assertEquals(3, p.nextEventTime());
    }

    @Test
    void eventsAreProcessedInTimeOriginSeqOrderWhateverTheEnqueueOrder() {
        List<Event> events = new ArrayList<>();
        int n = 0;
        for (long t : new long[] {7, 3, 11, 0}) {
            for (int origin : new int[] {2, 0, 1}) {
                for (long seq : new long[] {9, 4}) events.add(new Event(t, origin, seq + t, 1, new Tick(n++)));
            }
        }
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Event.ORDER);
        List<String> expected = sorted.stream()
                .map(e -> e.time() + "/" + e.originLp() + "/" + ((Tick) e.payload()).n()).toList();
        Random shuffle = new Random(5);
        for (int round = 0; round < 20; round++) {
            Collections.shuffle(events, shuffle);
            Probe p = attached(1, lp -> {});
            p.start();
            events.forEach(p::enqueue);
            p.runUntil(SimTime.NEVER);
            assertEquals(expected, p.log, "shuffle " + round);
            assertEquals(events.size(), p.processed());
            assertEquals(11, p.lastEventTime());
        }
    }

    @Test
    void runUntilProcessesExactlyTheEventsBeforeTheHorizonIncludingNewSelfEvents() {
        Probe p = attached(2, lp -> {
            lp.schedule(10, new Tick(0));
            lp.schedule(100, new Tick(9)); // exactly at the horizon: belongs to the next window
        });
        p.handler = (lp, t) -> {
            if (t.n() == 0) lp.schedule(0, new Tick(1));    // same instant, created meanwhile
            if (t.n() == 1) lp.schedule(89, new Tick(2));   // 99: last nanosecond of the window
            if (t.n() == 2) lp.schedule(1, new Tick(3));    // 100: the horizon itself
        };
        p.start();
        p.runUntil(100);
        assertEquals(List.of("10/2/0", "10/2/1", "99/2/2"), p.log);
        assertEquals(3, p.processed());
        assertEquals(100, p.nextEventTime());
        assertEquals(99, p.lastEventTime());
        p.runUntil(100); // an empty window changes nothing
        assertEquals(3, p.processed());
        p.runUntil(101);
        assertEquals(List.of("10/2/0", "10/2/1", "99/2/2", "100/2/9", "100/2/3"), p.log);
        assertEquals(SimTime.NEVER, p.nextEventTime());
    }

    @Test
    void processNextTakesExactlyTheEarliestEventAndSenderIsItsOrigin() {
        Probe p = attached(0, lp -> lp.schedule(50, new Tick(0)));
        p.start();
        p.enqueue(new Event(20, 2, 0, 0, new Tick(1)));
        p.processNext();
        assertEquals(List.of("20/2/1"), p.log, "sender() of a received event is its origin");
        p.processNext();
        assertEquals("50/0/0", p.log.get(1), "sender() of a self event is the LP itself");
    }

    @Test
    void enqueueingAnEventEarlierThanTheLastProcessedOneIsACausalityViolation() {
        Probe p = attached(2, lp -> lp.schedule(50, new Tick(0)));
        p.start();
        p.runUntil(SimTime.NEVER);
        p.enqueue(new Event(50, 3, 3, 2, new Tick(1))); // same instant, later in (origin, seq) order: allowed
        var e = assertThrows(CausalityViolation.class, () -> p.enqueue(new Event(10, 0, 4, 2, new Tick(2))));
        String m = e.getMessage();
        assertTrue(m.contains("LP 2"), m);
        assertTrue(m.contains("at 10ns"), m);
        assertTrue(m.contains("after one at 50ns"), m);
        p.runUntil(SimTime.NEVER);
        assertEquals(2, p.processed());
    }

    @Test
    void anEqualTimeEventEarlierInOriginOrderIsAlsoAViolation() {
        Probe p = attached(2, lp -> lp.schedule(50, new Tick(0)));
        p.start();
        p.runUntil(SimTime.NEVER);
        p.enqueue(new Event(50, 0, 3, 2, new Tick(1))); // (50, LP 0) sorts before the processed (50, LP 2)
        var e = assertThrows(CausalityViolation.class, () -> p.runUntil(SimTime.NEVER));
        assertTrue(e.getMessage().contains("from LP 0, seq 3") && e.getMessage().contains("(from LP 2, seq 0)"),
                e.getMessage());
    }

    @Test
    void aZeroDelaySelfEventAfterAnEventFromAHigherIdIsLegal() {
        // LP 0 handles an event from LP 3 at 50 and schedules itself at once: (50, 0, s) sorts
        // before (50, 3, 0), yet it is what schedule(0) promises.
        Probe p = attached(0, lp -> {});
        p.handler = (lp, t) -> {
            if (t.n() == 1) lp.schedule(0, new Tick(2));
        };
        p.start();
        p.enqueue(new Event(50, 3, 0, 0, new Tick(1)));
        p.runUntil(SimTime.NEVER);
        assertEquals(List.of("50/3/1", "50/0/2"), p.log);
    }

    @Test
    void delaysPastTheEndOfTimeSaturateToNeverInsteadOfWrappingNegative() {
        Probe p = attached(0, lp -> lp.schedule(10, new Tick(0)));
        p.handler = (lp, t) -> {
            lp.schedule(Long.MAX_VALUE, new Tick(1));
            lp.send(1, Long.MAX_VALUE - 5, new Tick(2));
        };
        p.start();
        p.runUntil(SimTime.NEVER);
        assertEquals(SimTime.NEVER, p.nextEventTime());
        assertEquals(SimTime.NEVER, sent(p).get(0).time());
        assertEquals(1, p.processed());
    }

    @Test
    void theRandomStreamIsAFunctionOfSeedAndLpId() {
        long[] a = draws(42, 1), b = draws(42, 1);
        assertArrayEquals(a, b, "same (seed, LP)");
        assertFalse(Arrays.equals(a, draws(42, 2)), "another LP");
        assertFalse(Arrays.equals(a, draws(43, 1)), "another seed");
        assertEquals(LogicalProcess.seedFor(7, 3), LogicalProcess.seedFor(7, 3));
    }

    private static long[] draws(long seed, int lpId) {
        Probe p = new Probe();
        p.attach(lpId, GRAPH, seed, SimTime.NEVER);
        long[] out = new long[8];
        for (int i = 0; i < out.length; i++) out[i] = p.random().nextLong();
        return out;
    }

    @Test
    void countersAreNamedAndSnapshotsAreSortedCopies() {
        Probe p = attached(0, lp -> {});
        Counters.Counter rx = p.counters().counter("rx_packets");
        rx.increment();
        rx.add(4);
        p.counters().counter("IpForwDatagrams").increment();
        assertSame(rx, p.counters().counter("rx_packets"), "one handle per name, or hot-path increments get lost");
        assertEquals(5, p.counters().get("rx_packets"));
        assertEquals(0, p.counters().get("never_touched"));
        Map<String, Long> snap = p.counters().snapshot();
        assertEquals(List.of("IpForwDatagrams", "rx_packets"), List.copyOf(snap.keySet()));
        rx.increment();
        assertEquals(5, snap.get("rx_packets"), "a snapshot must not follow later increments");
        assertEquals(6, rx.value());
    }
}
