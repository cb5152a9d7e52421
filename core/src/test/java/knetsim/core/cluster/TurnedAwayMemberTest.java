package knetsim.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Address;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.LpGraph;
import knetsim.core.engine.Scenario;
import knetsim.core.run.MemberAgent;
import knetsim.core.run.RunResult;
import knetsim.core.selftest.SelftestScenario;
import org.junit.jupiter.api.Test;

/**
 * A member turned away while the run sets up (the run already has its members) leaves without failing the run it
 * was refused by: it is downed, not taken for a member of the run that became unreachable during set-up.
 */
public class TurnedAwayMemberTest {
    /** The selftest, whose last LP (partition 1) takes {@code sleepMs} to build, as a big partition's set-up does (test code: a wall-clock wait). */
    public record SlowBuild(SelftestScenario inner, long sleepMs) implements Scenario {
        @Override
        public LpGraph graph() {
            return inner.graph();
        }

        @Override
        public long seed() {
            return inner.seed();
        }

        @Override
        public long endTime() {
            return inner.endTime();
        }

        @Override
        public LogicalProcess createLp(int lpId) {
            if (lpId == inner.lps() - 1) {
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return inner.createLp(lpId);
        }
    }

    static MemberMain.Running member(Address seed, String name, CompletableFuture<Void> given) {
        return MemberMain.start(new MemberMain.Settings(MemberAgent.ANY_PARTITION, name, seed, null, "127.0.0.1", 0,
                Duration.ofSeconds(60), ConfigFactory.empty(), line -> {
                    if (line.startsWith("running partition")) given.complete(null);
                }));
    }

    @Test
    void aMemberTurnedAwayDuringSetUpDoesNotFailTheRun() throws Exception {
        SelftestScenario inner = SelftestScenario.withEvents(100, 20_000, 3);
        CompletableFuture<String> listening = new CompletableFuture<>();
        // the launcher notices the stranger gone within about 2 s: with the 5 s grace, well inside the 12 s set-up
        var options = new ClusterRun.Options(2, 2).withRemoting(ClusterRun.Remoting.PLAIN)
                .withOverrides(ConfigFactory.parseString("akka.cluster.failure-detector.acceptable-heartbeat-pause = 1s"))
                .withExternalMembers(new ClusterRun.ExternalMembers(1, "127.0.0.1", 0, listening::complete));
        var handle = ClusterRun.start(new SlowBuild(inner, 12_000), options);
        Address seed = MemberMain.parseAddress(listening.get(10, TimeUnit.SECONDS));
        CompletableFuture<Void> givenA = new CompletableFuture<>();
        MemberMain.Running a = member(seed, "member-A", givenA);
        MemberMain.Running stranger = null;
        long t0 = System.nanoTime();
        try {
            givenA.get(30, TimeUnit.SECONDS);
            stranger = member(seed, "stranger", new CompletableFuture<>());
            // turned away, and told why; the run goes on past the unreachable grace (5 s) and completes
            String ending = String.valueOf(stranger.ending().get(30, TimeUnit.SECONDS));
            assertTrue(ending.contains("already has its 1 member"), ending);
            RunResult r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), handle::await);
            assertEquals(inner.expectedEvents(), r.events());
            assertTrue(System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(5), "the run outlived the grace");
        } finally {
            a.system().terminate();
            if (stranger != null) stranger.system().terminate();
            a.system().getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }
}
