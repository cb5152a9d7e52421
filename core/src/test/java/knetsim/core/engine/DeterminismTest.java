package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import knetsim.core.cluster.AkkaConfig;
import knetsim.core.cluster.ClusterRun;
import knetsim.core.run.RunResult;
import knetsim.core.selftest.SelftestScenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DESIGN.md section 2: the same seed gives the same trace digest whatever the partitioning, the
 * dispatcher settings or the run, and that digest is the plain sequential loop's.
 */
class DeterminismTest {
    static final SelftestScenario SCENARIO = SelftestScenario.withEvents(400, 120_000, 42);
    static SequentialEngine.Result reference;

    @BeforeAll
    static void sequentialReference() {
        reference = SequentialEngine.run(SCENARIO);
        assertEquals(SCENARIO.expectedEvents(), reference.events(), "every token hop is one event");
    }

    @Test
    void oneParitionTwiceMatchesTheSequentialLoop() throws Exception {
        RunResult first = ClusterRun.run(SCENARIO, new ClusterRun.Options(1, 1));
        RunResult second = ClusterRun.run(SCENARIO, new ClusterRun.Options(1, 1));
        assertEquals(reference.digest(), first.digest());
        assertEquals(reference.digest(), second.digest());
        assertEquals(reference.events(), first.events());
        assertEquals(reference.lastEventTime(), first.lastEventTime());
    }

    @ParameterizedTest(name = "{0} partitions as separate ActorSystems over Artery and Kryo")
    @ValueSource(ints = {2, 4})
    void partitionsInOneJvmGiveTheSameDigest(int partitions) throws Exception {
        RunResult result = ClusterRun.run(SCENARIO, new ClusterRun.Options(partitions, 1));
        assertEquals(reference.digest(), result.digest());
        assertEquals(reference.events(), result.events());
        assertEquals(partitions, result.partitions());
        assertEquals(SCENARIO.graph().globalLookahead(SCENARIO.partitionOf(partitions)), result.lookaheadGlobalNs());
    }

    @ParameterizedTest(name = "throughput {0}, {1} threads, {2} partitions")
    @CsvSource({"1, 1, 1", "100, 4, 1", "1, 3, 2", "100, 1, 2"})
    void dispatcherSettingsDoNotChangeTheDigest(int throughput, int threads, int partitions) throws Exception {
        var options = new ClusterRun.Options(partitions, 1).withOverrides(AkkaConfig.dispatcher(threads, throughput));
        assertEquals(reference.digest(), ClusterRun.run(SCENARIO, options).digest());
    }

    @ParameterizedTest(name = "units of {0} LPs: throughput {1}, {2} threads, {3} partitions")
    @CsvSource({"4, 1, 1, 1", "4, 100, 4, 1", "7, 1, 3, 2", "4, 100, 1, 2", "50, 100, 2, 3"})
    void executionUnitsGiveTheSequentialDigest(int perUnit, int throughput, int threads, int partitions) throws Exception {
        UnitsOfScenario units = new UnitsOfScenario(SCENARIO, perUnit);
        var options = new ClusterRun.Options(partitions, 1).withOverrides(AkkaConfig.dispatcher(threads, throughput));
        RunResult result = ClusterRun.run(units, options);
        assertEquals(reference.digest(), result.digest());
        assertEquals(reference.events(), result.events());
        // windows are bounded by the edges between groups of units: never shorter than between units,
        // nor than with one LP per unit
        long between = Long.MAX_VALUE, groups = Long.MAX_VALUE;
        int[] partitionOf = units.partitionOf(partitions);
        for (int p = 0; p < partitions; p++) {
            between = Math.min(between, SCENARIO.graph().localLookahead(partitionOf, p, units.unitOf()));
            Grouping g = Grouping.forDispatcher(SCENARIO.graph(), units.unitOf(), partitionOf, p, threads, 4);
            groups = Math.min(groups, SCENARIO.graph().localLookahead(partitionOf, p, g.groupOf()));
        }
        assertEquals(groups, result.lookaheadLocalNs());
        assertTrue(groups >= between);
        assertTrue(between >= SCENARIO.graph().localLookahead(new int[SCENARIO.lps()], 0));
    }

    // advance-events 2: almost every Advance changes its group's span, so spans differ from group to group
    @ParameterizedTest(name = "knetsim.sync = {0}, advance-span {1}, advance-events {2}: {3} threads, {4} partitions")
    @CsvSource({"windows, 1ms, 0, 3, 1", "windows, 1ms, 256, 2, 2", "channels, 3us, 0, 3, 1", "channels, 7us, 0, 2, 2",
            "channels, 1ms, 2, 3, 1", "channels, 20us, 2, 2, 2"})
    void howGroupsWaitForEachOtherDoesNotChangeTheDigest(String sync, String span, int events, int threads, int partitions)
            throws Exception {
        UnitsOfScenario units = new UnitsOfScenario(SCENARIO, 4);
        var settings = com.typesafe.config.ConfigFactory.parseString("knetsim.sync = " + sync + "\nknetsim.advance-span = " + span
                        + "\nknetsim.advance-events = " + events)
                .withFallback(AkkaConfig.dispatcher(threads, 100));
        RunResult result = ClusterRun.run(units, new ClusterRun.Options(partitions, 1).withOverrides(settings));
        assertEquals(reference.digest(), result.digest());
        assertEquals(reference.events(), result.events());
    }

    @Test
    void anotherSeedGivesAnotherDigest() {
        var other = SelftestScenario.withEvents(400, 120_000, 43);
        assertNotEquals(reference.digest(), SequentialEngine.run(other).digest());
    }
}
