package knetsim.core.selftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.LpGraph;
import knetsim.core.engine.Scenario;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The selftest is the reference workload of the determinism checks, so its own promises must hold exactly. */
class SelftestScenarioTest {
    private static final long US = SimTime.MICROSECOND;

    /** Delegates to a selftest scenario but keeps the LPs, so their counters can be read after the run. */
    record Recording(SelftestScenario inner, List<LogicalProcess> lps) implements Scenario {
        Recording(SelftestScenario inner) {
            this(inner, new ArrayList<>());
        }

        @Override public LpGraph graph() { return inner.graph(); }
        @Override public long seed() { return inner.seed(); }
        @Override public long endTime() { return inner.endTime(); }

        @Override
        public LogicalProcess createLp(int lpId) {
            LogicalProcess lp = inner.createLp(lpId);
            lps.add(lp);
            return lp;
        }

        long sum(String counter) {
            return lps.stream().mapToLong(lp -> lp.counters().get(counter)).sum();
        }
    }

    private static boolean sameGraph(LpGraph a, LpGraph b) {
        // LpGraph is a record of arrays, so equals() is identity on them; compare contents.
        return a.lpCount() == b.lpCount() && Arrays.deepEquals(a.targets(), b.targets())
                && Arrays.deepEquals(a.minDelays(), b.minDelays());
    }

    @Test
    void graphIsAPureFunctionOfTheSeed() {
        var s = new SelftestScenario(50, 3, 1, 1, 7, 10 * US, 20 * US, 0);
        assertTrue(sameGraph(s.graph(), s.graph()), "graph() is called once per partition and must agree");
        assertTrue(sameGraph(s.graph(), new SelftestScenario(50, 3, 9, 9, 7, 10 * US, 20 * US, 5).graph()),
                "tokens, hops and jitter do not shape the graph");
        assertFalse(sameGraph(s.graph(), new SelftestScenario(50, 3, 1, 1, 8, 10 * US, 20 * US, 0).graph()));
    }

    @ParameterizedTest(name = "{0} LPs, {1} cross edges each, delays [{2}, {3}]")
    @CsvSource({"2, 0, 1, 1", "2, 5, 3, 9", "3, 4, 1, 100", "1000, 3, 10000, 20000", "64, 0, 7, 7"})
    void everyLpHasItsRingEdgeAndItsCrossEdgesWithinTheDelayRange(int lps, int cross, long min, long max) {
        LpGraph g = new SelftestScenario(lps, cross, 1, 0, 11, min, max, 0).graph();
        assertEquals(lps, g.lpCount());
        long edges = 0;
        for (int lp = 0; lp < lps; lp++) {
            int[] t = g.targets()[lp];
            assertTrue(g.minDelay(lp, (lp + 1) % lps) > 0, "LP " + lp + " lacks its ring edge");
            assertTrue(t.length >= 1 && t.length <= 1 + cross, "LP " + lp + " has " + t.length + " edges");
            for (int j = 0; j < t.length; j++) {
                assertNotEquals(lp, t[j], "self edge at LP " + lp);
                long d = g.minDelays()[lp][j];
                assertTrue(d >= min && d <= max, "LP " + lp + " -> " + t[j] + ": " + d);
            }
            edges += t.length;
        }
        // With many LPs duplicates are rare: if cross edges collapsed onto few targets this would drop.
        if (lps >= 1000) assertTrue(edges >= lps * (1 + cross) * 99L / 100, "only " + edges + " distinct edges");
        if (cross == 0) assertEquals(lps, edges, "a bare ring");
    }

    @ParameterizedTest(name = "withEvents({0} LPs, {1} events)")
    @CsvSource({"2, 0", "2, 1", "2, 16", "2, 17", "3, 1000003", "400, 120000", "1000, 7999"})
    void withEventsGivesAtLeastTheRequestedEventsAndLessThanOneMoreRoundOfTokens(int lps, long events) {
        var s = SelftestScenario.withEvents(lps, events, 1);
        assertTrue(s.expectedEvents() >= events, s.expectedEvents() + " < " + events);
        assertTrue(s.expectedEvents() < Math.max(events, 1) + (long) lps * s.tokensPerLp(),
                "overshoots by a whole round of tokens: " + s.expectedEvents());
        assertEquals(s.lps() * (long) s.tokensPerLp() * (s.hopsPerToken() + 1L), s.expectedEvents());
    }

    /** Never silently fewer events than asked: a count that needs more than 2^31 hops is refused. */
    @ParameterizedTest(name = "withEvents(2, {0})")
    @CsvSource({"9223372036854775807", "34359738369"}) // Long.MAX_VALUE; 16 * 2^31 + 1
    void withEventsRefusesCountsItCannotReach(long events) {
        var e = assertThrows(IllegalArgumentException.class, () -> SelftestScenario.withEvents(2, events, 1));
        assertTrue(e.getMessage().contains("use more LPs"), e.getMessage());
    }

    @Test
    void withEventsJustBelowTheLimitStillReachesTheRequest() {
        long events = 16L * Integer.MAX_VALUE; // 2 LPs * 8 tokens, hops = 2^31 - 2
        assertTrue(SelftestScenario.withEvents(2, events, 1).expectedEvents() >= events);
    }

    @ParameterizedTest(name = "lps={0} cross={1} tokens={2} hops={3} seed={4} delays [{5},{6}] jitter {7}")
    @CsvSource({
        "2, 0, 1, 0, 1, 1, 1, 0",
        "2, 2, 3, 5, 2, 10000, 20000, 10000",
        "17, 2, 8, 12, 3, 10000, 20000, 10000",
        "50, 0, 2, 30, 4, 5, 5, 0",
        "120, 4, 4, 9, 5, 1, 1000, 1"})
    void theSequentialLoopProcessesExactlyTheExpectedEventsAndRetiresEveryToken(
            int lps, int cross, int tokens, int hops, long seed, long min, long max, long jitter) {
        var s = new SelftestScenario(lps, cross, tokens, hops, seed, min, max, jitter);
        var run = new Recording(s);
        SequentialEngine.Result result = SequentialEngine.run(run);
        assertEquals(s.expectedEvents(), result.events());
        assertEquals((long) lps * tokens, run.sum("tokens_retired"), "every token retires exactly once");
        assertEquals((long) lps * tokens * hops, run.sum("tokens_forwarded"), "one forward per hop");
        // Start within [0, max), each hop between the edge's minimum and max + jitter.
        assertTrue(result.lastEventTime() >= hops * min, "last event " + result.lastEventTime());
        assertTrue(result.lastEventTime() <= max - 1 + hops * (max + jitter), "last event " + result.lastEventTime());
    }

    @Test
    void theDigestIsStableAcrossRunsAndDependsOnTheSeed() {
        var s = SelftestScenario.withEvents(40, 20_000, 42);
        SequentialEngine.Result a = SequentialEngine.run(s), b = SequentialEngine.run(s);
        assertEquals(a, b);
        assertEquals(64, a.digest().length(), "hex SHA-256");
        var other = SequentialEngine.run(SelftestScenario.withEvents(40, 20_000, 43));
        assertNotEquals(a.digest(), other.digest());
        assertEquals(a.events(), other.events(), "the seed changes the trace, not the event count");
        // Jitter only changes times, so a digest that ignored event times would miss this.
        var noJitter = new SelftestScenario(40, 2, 8, s.hopsPerToken(), 42, s.minEdgeDelay(), s.maxEdgeDelay(), 0);
        assertNotEquals(a.digest(), SequentialEngine.run(noJitter).digest());
    }

    @ParameterizedTest(name = "lps={0} cross={1} tokens={2} hops={3} delays [{4},{5}] jitter {6}")
    @CsvSource({
        "1, 2, 1, 1, 1, 2, 0", "0, 2, 1, 1, 1, 2, 0", "2, -1, 1, 1, 1, 2, 0", "2, 2, 0, 1, 1, 2, 0",
        "2, 2, 1, -1, 1, 2, 0", "2, 2, 1, 1, 0, 2, 0", "2, 2, 1, 1, -5, 2, 0", "2, 2, 1, 1, 3, 2, 0",
        "2, 2, 1, 1, 1, 2, -1"})
    void constructorRejectsBadParameters(int lps, int cross, int tokens, int hops, long min, long max, long jitter) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SelftestScenario(lps, cross, tokens, hops, 1, min, max, jitter));
        assertTrue(e.getMessage().startsWith("selftest"), e.getMessage());
    }

    /** Delays that could overflow virtual time over 2^31 hops are refused up front, not discovered mid-run. */
    @ParameterizedTest(name = "delays {0}, jitter {1}")
    @CsvSource({"2305843009213693951, 0", "10, 9223372036854775807", "1000000001, 0"})
    void delaysBeyondOneSecondAreRefused(long delay, long jitter) {
        var e = assertThrows(IllegalArgumentException.class, () -> new SelftestScenario(2, 0, 1, 4, 1, delay, delay, jitter));
        assertTrue(e.getMessage().contains("at most 1s"), e.getMessage());
    }
}
