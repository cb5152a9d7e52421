package knetsim.core.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import knetsim.core.cluster.AkkaConfig;
import knetsim.core.selftest.SelftestScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * During set-up a node that has not announced itself fails the run only if the failure detector keeps it
 * unreachable for the grace (RunCoordinator.SETUP_UNREACHABLE_GRACE, shortened here): a node back within it
 * (ReachableMember) leaves the run alone, one that stays unreachable fails it naming its address.
 */
class SetupUnreachableGraceTest {
    static final Duration GRACE = Duration.ofMillis(400);
    static final ActorTestKit KIT = ActorTestKit.create("grace", AkkaConfig.local(ConfigFactory.empty()));
    static final Address NODE = new Address("akka", AkkaConfig.SYSTEM_NAME, "127.0.0.7", 25520);

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    // the coordinator of a run of two partitions in set-up: its own partition 0 and a member that never announces itself
    private static ActorRef<RunCoordinator.Command> coordinator(CompletableFuture<RunResult> result) {
        return KIT.spawn(RunCoordinator.create(SelftestScenario.withEvents(8, 1000, 1), 2, 2, false, result,
                new CompletableFuture<>(), new CompletableFuture<>(), new SenderCheck("the test"), GRACE));
    }

    @Test
    void aNodeReachableAgainWithinTheGraceDoesNotFailTheRun() {
        CompletableFuture<RunResult> result = new CompletableFuture<>();
        ActorRef<RunCoordinator.Command> coordinator = coordinator(result);
        coordinator.tell(new RunCoordinator.Reachability(NODE, false));
        coordinator.tell(new RunCoordinator.Reachability(NODE, true));
        // three graces on: the cancelled timer never fired, the run is still setting up
        assertThrows(TimeoutException.class, () -> result.get(3 * GRACE.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(result.isDone());
    }

    @Test
    void aNodeThatStaysUnreachableFailsTheRunAfterTheGraceNamingIt() {
        CompletableFuture<RunResult> result = new CompletableFuture<>();
        ActorRef<RunCoordinator.Command> coordinator = coordinator(result);
        long start = System.nanoTime();
        coordinator.tell(new RunCoordinator.Reachability(NODE, false));
        ExecutionException failed = assertThrows(ExecutionException.class, () -> result.get(10, TimeUnit.SECONDS));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs >= GRACE.toMillis(), "the run failed " + waitedMs + " ms after the node became unreachable,"
                + " before the grace of " + GRACE.toMillis() + " ms");
        assertInstanceOf(RunFailedException.class, failed.getCause());
        String reason = failed.getCause().getMessage();
        assertTrue(reason.contains("the member at 127.0.0.7:25520 became unreachable during set-up"), reason);
        assertTrue(reason.contains("stayed so for 400 ms"), reason);
    }
}
