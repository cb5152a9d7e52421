package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import knetsim.core.cluster.ClusterRun;
import knetsim.core.run.RunFailedException;
import knetsim.core.time.SimTime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A model that throws anywhere (its constructor, onStart, onEvent, onFinish), an exception or an
 * error such as a failed {@code assert}, fails the run with its reason: never a run that waits forever
 * for an actor that has stopped. Each run is bounded by {@link #WITHIN}.
 */
public class ModelFailureTest {
    static final Duration WITHIN = Duration.ofSeconds(30);

    /** The token passed round the ring. */
    public record Token(int n) implements Payload {
        @Override
        public long fingerprint() {
            return n;
        }
    }

    /** A ring of four LPs passing a token every microsecond until 1 ms; LP {@code culprit} fails {@code where}. */
    public record FailingModel(String where, int culprit) implements Scenario {
        @Override
        public LpGraph graph() {
            LpGraph.Builder b = new LpGraph.Builder(4);
            for (int lp = 0; lp < 4; lp++) b.edge(lp, (lp + 1) % 4, SimTime.MICROSECOND);
            return b.build();
        }

        @Override
        public long seed() {
            return 7;
        }

        @Override
        public long endTime() {
            return SimTime.MILLISECOND;
        }

        @Override
        public LogicalProcess createLp(int lpId) {
            boolean culpritHere = lpId == culprit;
            if (culpritHere && where.equals("constructor")) throw new AssertionError("constructor assert");
            if (culpritHere && where.equals("static-init") && BadTable.TABLE.length > 0) throw new AssertionError();
            return new LogicalProcess() {
                @Override
                protected void onStart() {
                    if (culpritHere && where.equals("start")) throw new AssertionError("start assert");
                    if (lpId == 0) send(1, SimTime.MICROSECOND, new Token(0));
                }

                @Override
                protected void onEvent(Payload payload) {
                    if (culpritHere && where.equals("event") && now() > 100 * SimTime.MICROSECOND) {
                        throw new AssertionError("event assert");
                    }
                    send((lpId + 1) % 4, SimTime.MICROSECOND, payload);
                }

                @Override
                protected void onFinish() {
                    if (culpritHere && where.equals("finish")) throw new IllegalStateException("finish bug");
                }
            };
        }
    }

    /** A model class whose static initialiser throws: ExceptionInInitializerError, then NoClassDefFoundError. */
    static final class BadTable {
        static final int[] TABLE = load();

        static int[] load() {
            throw new IllegalStateException("cannot parse the model's table");
        }
    }

    @ParameterizedTest(name = "{0} of LP {1}, {2} partition(s): the reason names {3}")
    @CsvSource({
            "start, 1, 1, 'LP 1 ', start assert",
            "event, 1, 1, 'LP 1 ', event assert",
            "finish, 1, 1, 'LP 1 ', finish bug",
            "event, 3, 2, 'LP 3 ', event assert",
            "finish, 3, 2, 'LP 3 ', finish bug",
            // an Error from a constructor escapes the scheduler's set-up: its parent, which watches it, fails the run
            "constructor, 1, 1, 'partition 0 ', constructor assert",
            "constructor, 3, 2, 'partition 1 ', constructor assert",
            // errors Akka takes as fatal, which shut the system down (never completing): the first time the class is
            // used, an ExceptionInInitializerError (its cause says why), then NoClassDefFoundError (naming the class)
            "static-init, 1, 1, 'partition 0 could not build its LPs', BadTable|cannot parse the model's table",
            "static-init, 3, 2, 'partition 1 could not build its LPs', BadTable|cannot parse the model's table"})
    void aModelThatThrowsFailsTheRunWithItsReason(String where, int culprit, int partitions, String who, String what) {
        ClusterRun.Options options = new ClusterRun.Options(partitions, 1);
        RunFailedException failure = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(WITHIN,
                () -> assertThrows(RunFailedException.class, () -> ClusterRun.run(new FailingModel(where, culprit), options)));
        String message = failure.getMessage();
        assertTrue(message.contains(who), message);
        assertTrue(java.util.Arrays.stream(what.split("\\|")).anyMatch(message::contains), message);
    }
}
