package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import knetsim.core.cluster.ClusterRun;
import knetsim.core.run.RunFailedException;
import knetsim.core.time.SimTime;
import org.junit.jupiter.api.Test;

/** A broken LP must end the run with the reason, never hang it or be silently absorbed. */
class CausalityGuardTest {
    record Tick(int n) implements Payload {
        @Override
        public long fingerprint() {
            return n;
        }
    }

    /** LP 0 at 100us injects an event at 10us into LP 1, which already processed 50us. */
    record BrokenScenario(boolean throwInstead) implements Scenario {
        @Override
        public LpGraph graph() {
            return new LpGraph.Builder(2).edge(0, 1, SimTime.MICROSECOND).edge(1, 0, SimTime.MICROSECOND).build();
        }

        @Override
        public long seed() {
            return 1;
        }

        @Override
        public long endTime() {
            return SimTime.SECOND;
        }

        @Override
        public LogicalProcess createLp(int lpId) {
            return new LogicalProcess() {
                @Override
                protected void onStart() {
                    schedule(lpId == 0 ? 100 * SimTime.MICROSECOND : 50 * SimTime.MICROSECOND, new Tick(lpId));
                }

                @Override
                protected void onEvent(Payload payload) {
                    if (lpId != 0) return;
                    if (throwInstead) throw new IllegalStateException("model bug");
                    sendUnchecked(1, 10 * SimTime.MICROSECOND, new Tick(9));
                }
            };
        }
    }

    @Test
    void eventInThePastFailsTheRunNamingTheLpAndBothTimes() {
        RunFailedException failure = assertTimeoutPreemptivelyRun(new BrokenScenario(false));
        String message = failure.getMessage();
        assertTrue(message.contains("causality violated: LP 1"), message);
        assertTrue(message.contains("at 10us"), message);
        assertTrue(message.contains("after one at 50us"), message);
    }

    /** The same broken LP, with both LPs in one execution unit: the unit's own loop must catch it. */
    record BrokenUnit() implements Scenario {
        static final BrokenScenario SHAPE = new BrokenScenario(false);

        @Override
        public LpGraph graph() {
            return SHAPE.graph();
        }

        @Override
        public long seed() {
            return 1;
        }

        @Override
        public long endTime() {
            return SimTime.SECOND;
        }

        @Override
        public LogicalProcess createLp(int lpId) {
            return SHAPE.createLp(lpId);
        }

        @Override
        public int[] unitOf() {
            return new int[] {0, 0};
        }
    }

    @Test
    void eventInThePastInsideAUnitFailsTheRunToo() {
        RunFailedException failure = assertTimeoutPreemptivelyRun(new BrokenUnit());
        String message = failure.getMessage();
        assertTrue(message.contains("causality violated: LP 1 would process an event at 10us (from LP 0, seq 1)"
                + " after one at 50us"), message);
    }

    @Test
    void anExceptionInAModelFailsTheRunWithItsReason() {
        RunFailedException failure = assertTimeoutPreemptivelyRun(new BrokenScenario(true));
        assertTrue(failure.getMessage().contains("LP 0"), failure.getMessage());
        assertTrue(failure.getMessage().contains("model bug"), failure.getMessage());
        assertTrue(failure.getMessage().contains("at 100us"), failure.getMessage());
    }

    /** BrokenScenario's graph, but LP 1's constructor refuses its parameters. */
    record UnbuildableScenario() implements Scenario {
        static final BrokenScenario SHAPE = new BrokenScenario(false);

        @Override
        public LpGraph graph() {
            return SHAPE.graph();
        }

        @Override
        public long seed() {
            return SHAPE.seed();
        }

        @Override
        public long endTime() {
            return SHAPE.endTime();
        }

        @Override
        public LogicalProcess createLp(int lpId) {
            if (lpId == 1) throw new IllegalArgumentException("p + r must be > 0");
            return SHAPE.createLp(lpId);
        }
    }

    @Test
    void anLpThatCannotBeBuiltFailsTheRunInsteadOfHangingIt() {
        RunFailedException failure = assertTimeoutPreemptivelyRun(new UnbuildableScenario());
        assertTrue(failure.getMessage().contains("could not build its LPs: p + r must be > 0"), failure.getMessage());
    }

    private static RunFailedException assertTimeoutPreemptivelyRun(Scenario scenario) {
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(RunFailedException.class, () -> ClusterRun.run(scenario, new ClusterRun.Options(1, 1))));
    }
}
