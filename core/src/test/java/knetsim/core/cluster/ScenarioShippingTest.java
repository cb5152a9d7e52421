package knetsim.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.run.MemberAgent;
import knetsim.core.run.RunCoordinator;
import knetsim.core.run.RunFailedException;
import knetsim.core.run.RunResult;
import knetsim.core.selftest.SelftestScenario;
import org.junit.jupiter.api.Test;

/**
 * A scenario bigger than Artery's frame (256 KiB) reaches every member in chunks; a member that
 * cannot receive its part (a message too big for the frame, or one that is never confirmed) fails
 * the run within seconds with the reason, instead of leaving it waiting forever.
 */
class ScenarioShippingTest {
    static final SelftestScenario INNER = SelftestScenario.withEvents(100, 20_000, 3);
    /** About 2.5 frames of incompressible bytes, as a 1,000-host topology file resolves to. */
    static final PaddedScenario BIG = new PaddedScenario(INNER, padding(600_000));

    static byte[] padding(int n) {
        byte[] b = new byte[n];
        new SplittableRandom(1).nextBytes(b);
        return b;
    }

    @Test
    void aScenarioOfSeveralFramesIsShippedInChunksAndGivesTheSequentialDigest() {
        RunResult result = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> ClusterRun.run(BIG, new ClusterRun.Options(2, 1)));
        assertEquals(SequentialEngine.run(INNER).digest(), result.digest());
        assertEquals(INNER.expectedEvents(), result.events());
    }

    @Test
    void aChunkTooBigForTheFrameFailsTheRunAtOnceNamingTheLimit() {
        // a member whose transport takes 64 KiB frames cannot receive 128 KiB chunks
        var options = new ClusterRun.Options(2, 1).withOverrides(
                ConfigFactory.parseString("akka.remote.artery.advanced.maximum-frame-size = 64KiB"));
        long start = System.nanoTime();
        RunFailedException failure = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(RunFailedException.class, () -> ClusterRun.run(BIG, options)));
        assertTrue(failure.getMessage().contains("a MemberAgent.ScenarioChunk message of 131"), failure.getMessage());
        assertTrue(failure.getMessage().contains("exceeds the transport's frame limit of " + (65536 - 4096) + " bytes"),
                failure.getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "failed fast");
    }

    @Test
    void systemsSlowToStopDoNotHoldTheFailure() {
        // both systems of the run take 25 s to stop (as an Artery shutdown stuck on a TLS connection can): the launcher
        // gives them STOP_WITHIN together, not a wait per system one after the other
        var options = new ClusterRun.Options(2, 1).withOverrides(ConfigFactory.parseString(
                "akka.remote.artery.advanced.maximum-frame-size = 64KiB\n"
                + "akka.extensions = [\"" + SlowToStop.class.getName() + "\"]"));
        long start = System.nanoTime();
        RunFailedException failure = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(RunFailedException.class, () -> ClusterRun.run(BIG, options)));
        long took = System.nanoTime() - start;
        assertTrue(failure.getMessage().contains("exceeds the transport's frame limit"), failure.getMessage());
        assertTrue(took < TimeUnit.MILLISECONDS.toNanos(SlowToStop.STOP_MILLIS),
                "failed in " + took / 1_000_000 + " ms, before the systems stopped");
    }

    @Test
    void aMemberThatNeverConfirmsItsPartFailsTheRunAfterTheConfirmTimeout() throws Exception {
        CompletableFuture<String> listening = new CompletableFuture<>();
        var options = new ClusterRun.Options(2, 2)
                .withOverrides(ConfigFactory.parseString("knetsim.part-confirm-timeout = 2s"))
                .withRemoting(ClusterRun.Remoting.PLAIN)
                .withExternalMembers(new ClusterRun.ExternalMembers(1, "127.0.0.1", 0, listening::complete));
        ActorSystem<MemberAgent.Command> mute = null;
        try {
            var handle = ClusterRun.start(INNER, options);
            var seed = MemberMain.parseAddress(listening.get(5, TimeUnit.SECONDS));
            // announces itself like a member agent, then drops everything it is sent (a lost message)
            mute = ActorSystem.create(Behaviors.<MemberAgent.Command>setup(context -> {
                ActorRef<RunCoordinator.Command> coordinator = ActorRefResolver.get(context.getSystem())
                        .resolveActorRef(seed.toString() + "/user");
                knetsim.core.run.SenderCheck.tell(coordinator,
                        new RunCoordinator.MemberJoined(MemberAgent.ANY_PARTITION, "mute", context.getSelf()),
                        context.getSelf());
                return Behaviors.ignore();
            }), AkkaConfig.SYSTEM_NAME, AkkaConfig.clustered("127.0.0.1", 0, ConfigFactory.empty()));
            Cluster.get(mute).manager().tell(Join.create(seed));
            RunFailedException failure = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> assertThrows(RunFailedException.class, handle::await));
            assertTrue(failure.getMessage().startsWith("member mute did not confirm receiving its part of the scenario"),
                    failure.getMessage());
            assertTrue(failure.getMessage().endsWith("within 2 s: a message to it was dropped or is undeliverable"),
                    failure.getMessage());
        } finally {
            if (mute != null) {
                mute.terminate();
                mute.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
            }
        }
    }
}
