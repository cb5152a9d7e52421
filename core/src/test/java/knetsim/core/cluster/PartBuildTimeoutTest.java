package knetsim.core.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import knetsim.core.run.RunFailedException;
import knetsim.core.selftest.SelftestScenario;
import org.junit.jupiter.api.Test;

/**
 * A member that stays reachable but does not finish building its partition (here: one LP takes 40 s to build, against
 * a part-build-timeout of 1 s) fails the run naming it, instead of keeping the run waiting for as long as it takes.
 */
class PartBuildTimeoutTest {
    @Test
    void aPartitionThatDoesNotFinishBuildingFailsTheRun() {
        SelftestScenario inner = SelftestScenario.withEvents(100, 20_000, 3);
        var options = new ClusterRun.Options(2, 1).withOverrides(ConfigFactory.parseString("knetsim.part-build-timeout = 1s"));
        long start = System.nanoTime();
        RunFailedException failure = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> assertThrows(RunFailedException.class,
                        () -> ClusterRun.run(new TurnedAwayMemberTest.SlowBuild(inner, 40_000), options)));
        assertTrue(failure.getMessage().contains("partition 1"), failure.getMessage());
        assertTrue(failure.getMessage().contains("did not finish building its LPs within 1 s"), failure.getMessage());
        // set-up, the failure at about 1 s, then the tear-down (at most ClusterRun's 5 s): well before the build would end
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "failed before the build would have ended");
    }
}
