package knetsim.core.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.LpGraph;
import knetsim.core.engine.Payload;
import knetsim.core.engine.Scenario;
import knetsim.core.run.RunFailedException;
import knetsim.core.serial.CrossJvm;
import knetsim.core.time.SimTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A message between members that Kryo cannot write (a class nobody registered) fails the run at once with a
 * reason naming the message and the class, instead of Artery logging and dropping it: a lost report would
 * leave a run that completes without it, a lost batch a run that fails only with a count of missing events.
 */
public class UnserialisableMessageTest {
    static final Duration WITHIN = Duration.ofSeconds(30);

    /** A report holding a class no KryoModule registers. */
    public record Tally(AtomicLong count) implements CrossJvm {}

    /** A payload holding a class no KryoModule registers. */
    public record Counted(AtomicLong count) implements Payload {
        @Override
        public long fingerprint() {
            return count.get();
        }
    }

    /**
     * Four LPs, two per partition; LP 0 sends LP 2 one event and LP 2 LP 0 one (an unregistered payload from LP
     * {@code badEventFrom}, none where it is -1), and LP 3, in partition 1, hands back an unregistered report where
     * {@code badReport}.
     */
    public record Unwritable(int badEventFrom, boolean badReport) implements Scenario {
        @Override
        public LpGraph graph() {
            return new LpGraph.Builder(4).edge(0, 2, SimTime.MICROSECOND).edge(2, 0, SimTime.MICROSECOND).build();
        }

        @Override
        public long seed() {
            return 3;
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
                    if (lpId == 0 || lpId == 2) {
                        send(2 - lpId, 10 * SimTime.MICROSECOND, lpId == badEventFrom ? new Counted(new AtomicLong(5))
                                : new knetsim.core.engine.ModelFailureTest.Token(5));
                    }
                }

                @Override
                protected void onEvent(Payload payload) {}

                @Override
                protected List<? extends CrossJvm> reports() {
                    return lpId == 3 && badReport ? List.of(new Tally(new AtomicLong(7))) : List.of();
                }
            };
        }
    }

    // A batch lost from partition 1 to 0 (the coordinator's system) is seen missing at partition 0 before partition
    // 1's agent can say why: the coordinator asks every agent before it fails the run, and takes the reason it names.
    @ParameterizedTest(name = "unregistered payload from LP {0}, unregistered report {1}: the reason names {2} and {3}")
    @CsvSource({
            "-1, true, LpReport, java.util.concurrent.atomic.AtomicLong",
            "0, false, EventBatch, java.util.concurrent.atomic.AtomicLong",
            "2, false, EventBatch, java.util.concurrent.atomic.AtomicLong"})
    void aMessageKryoCannotWriteFailsTheRunNamingItsClass(int badEventFrom, boolean badReport, String message, String cause) {
        Unwritable scenario = new Unwritable(badEventFrom, badReport);
        RunFailedException failure = assertTimeoutPreemptively(WITHIN, () -> assertThrows(RunFailedException.class,
                () -> ClusterRun.run(scenario, new ClusterRun.Options(2, 1))));
        String reason = failure.getMessage();
        assertTrue(reason.contains(message), reason);
        assertTrue(reason.contains(cause), reason);
        assertTrue(reason.contains("cannot be serialised"), reason);
    }
}
