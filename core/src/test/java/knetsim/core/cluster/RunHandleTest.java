package knetsim.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import knetsim.core.run.RunFailedException;
import knetsim.core.selftest.SelftestScenario;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A run that is aborted ends promptly and its caller learns why. */
class RunHandleTest {
    @ParameterizedTest(name = "{0} partitions")
    @ValueSource(ints = {1, 2})
    void abortEndsARunningRunWithTheGivenReason(int partitions) throws Exception {
        SelftestScenario endless = SelftestScenario.withEvents(500, 4_000_000_000L, 3);
        CountDownLatch begun = new CountDownLatch(1);
        var handle = ClusterRun.start(endless, new ClusterRun.Options(partitions, 1).withOnBegin(begun::countDown));
        begun.await();
        handle.abort("stopped by the user");
        RunFailedException failure = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(RunFailedException.class, handle::await));
        assertEquals("stopped by the user", failure.getMessage());
    }
}
