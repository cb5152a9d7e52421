package knetsim.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.LpGraph;
import knetsim.core.engine.Payload;
import knetsim.core.engine.Scenario;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.run.RunFailedException;
import knetsim.core.run.RunResult;
import knetsim.core.serial.CrossJvm;
import knetsim.core.time.SimTime;
import org.junit.jupiter.api.Test;

/**
 * The results of a partition of many LPs reach the coordinator whole, however many there are: Artery's send
 * queue to a member holds 3,072 messages and drops the rest (to dead letters, logged only at DEBUG), which
 * left a run of a few thousand LPs per member waiting forever for the PartitionFinished it dropped. And any
 * run message that is dropped fails the run at once, naming it.
 */
public class ResultsAtScaleTest {
    /** {@code lps} LPs on a ring of 1 ms edges, no events; each publishes ten counters and hands back two reports. */
    public record ManyCounters(int lps) implements Scenario {
        @Override
        public LpGraph graph() {
            LpGraph.Builder b = new LpGraph.Builder(lps);
            for (int lp = 0; lp < lps; lp++) b.edge(lp, (lp + 1) % lps, SimTime.MILLISECOND);
            return b.build();
        }

        @Override
        public long seed() {
            return 1;
        }

        @Override
        public long endTime() {
            return SimTime.MILLISECOND;
        }

        @Override
        public LogicalProcess createLp(int lpId) {
            return new LogicalProcess() {
                @Override
                protected void onStart() {
                    for (int i = 0; i < 10; i++) counters().counter("counter_name_number_" + i).add(lpId + i);
                }

                @Override
                protected void onEvent(Payload payload) {}

                @Override
                protected List<? extends CrossJvm> reports() {
                    return lpId % 2 == 0 ? List.of(new Note(lpId), new Note(-lpId)) : List.of();
                }
            };
        }
    }

    /** A small report. */
    public record Note(int value) implements CrossJvm {}

    @Test
    void aMemberOfTenThousandLpsHandsBackEveryCounterAndReport() {
        // 20,000 LPs, 10,000 in the in-process member: about 15,000 result messages, five times Artery's queue
        ManyCounters scenario = new ManyCounters(20_000);
        RunResult result = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> ClusterRun.run(scenario, new ClusterRun.Options(2, 1)));
        assertEquals(SequentialEngine.run(scenario).digest(), result.digest());
        assertEquals(20_000, result.counters().size());
        assertEquals(19_999L + 9, (long) result.counters().get(19_999).get("counter_name_number_9"));
        assertEquals(10_000, result.reports().size());
        assertEquals(List.of(new Note(19_998), new Note(-19_998)), result.reports().get(19_998));
    }

    @Test
    void aRunMessageThatIsDroppedFailsTheRunAtOnceNamingIt() {
        // a send queue of 2 messages to each member: most of the scenario's chunks are dropped on their way
        var options = new ClusterRun.Options(2, 1).withOverrides(ConfigFactory.parseString(
                "akka.remote.artery.advanced.outbound-message-queue-size = 2"));
        long start = System.nanoTime();
        RunFailedException failure = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(RunFailedException.class, () -> ClusterRun.run(ScenarioShippingTest.BIG, options)));
        assertTrue(failure.getMessage().contains("could not be sent"), failure.getMessage());
        assertTrue(failure.getMessage().contains("ScenarioChunk"), failure.getMessage());
        // before the part-confirm-timeout (20 s) would have noticed
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(15).toNanos(), "failed fast");
    }
}
