package knetsim.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.ConfigFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.run.MemberAgent;
import knetsim.core.run.RunFailedException;
import knetsim.core.run.RunResult;
import knetsim.core.selftest.SelftestScenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A launcher that waits for members started on their own (as {@code knetsim member} does), here
 * as ActorSystems in this JVM: they are given partitions in join order and give the same digest.
 */
class ExternalMembersTest {
    static final SelftestScenario SCENARIO = SelftestScenario.withEvents(200, 60_000, 11);

    private final List<MemberMain.Running> members = new ArrayList<>();

    @AfterEach
    void stopMembers() throws Exception {
        for (MemberMain.Running m : members) m.system().terminate();
        for (MemberMain.Running m : members) m.system().getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private MemberMain.Running member(String joinHostPort, Duration joinTimeout) {
        MemberMain.Running m = MemberMain.start(new MemberMain.Settings(MemberAgent.ANY_PARTITION, null,
                MemberMain.parseAddress(joinHostPort), null, "127.0.0.1", 0, joinTimeout, ConfigFactory.empty(),
                line -> {}));
        members.add(m);
        return m;
    }

    @Test
    void membersThatJoinOnTheirOwnGiveTheSequentialDigestAndEndCompleted() throws Exception {
        MemberMain.runEnded = false; // as in a fresh member JVM: an earlier test's run must not count
        assertEquals("knetsim member: launcher is gone, exiting", MemberMain.parentGoneLine(),
                "a launcher that vanishes before the run has ended is news");
        CompletableFuture<String> listening = new CompletableFuture<>();
        var options = new ClusterRun.Options(3, 3).withSetupTimeout(Duration.ofSeconds(30))
                .withRemoting(ClusterRun.Remoting.PLAIN) // these members join without a key (TLS: ForeignSenderIT)
                .withExternalMembers(new ClusterRun.ExternalMembers(2, "127.0.0.1", 0, listening::complete));
        RunResult result = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            var handle = ClusterRun.start(SCENARIO, options);
            String where = listening.get(5, TimeUnit.SECONDS);
            assertEquals(where, handle.listening());
            member(where, Duration.ofSeconds(30));
            member(where, Duration.ofSeconds(30));
            return handle.await();
        });
        assertEquals(SequentialEngine.run(SCENARIO).digest(), result.digest());
        assertEquals(3, result.jvms());
        for (MemberMain.Running m : members) {
            MemberMain.Ending ending = m.ending().get(20, TimeUnit.SECONDS);
            assertTrue(ending.completed(), ending.message());
            m.system().getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        // the launcher exits after a completed run, closing a forked member's pipe: no "launcher is gone" then
        assertNull(MemberMain.parentGoneLine(), "printed after a successful run");
    }

    @Test
    void aLauncherWithTooFewMembersGivesUpNamingHowManyJoined() {
        CompletableFuture<String> listening = new CompletableFuture<>();
        var options = new ClusterRun.Options(3, 3).withSetupTimeout(Duration.ofSeconds(4))
                .withRemoting(ClusterRun.Remoting.PLAIN) // these members join without a key (TLS: ForeignSenderIT)
                .withExternalMembers(new ClusterRun.ExternalMembers(2, "127.0.0.1", 0, listening::complete));
        RunFailedException failure = assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            var handle = ClusterRun.start(SCENARIO, options);
            member(listening.get(5, TimeUnit.SECONDS), Duration.ofSeconds(30));
            return assertThrows(RunFailedException.class, handle::await);
        });
        assertTrue(failure.getMessage().matches("only 1 of 2 members joined at 127\\.0\\.0\\.1:\\d+ within 4 s"),
                failure.getMessage());
        MemberMain.Ending ending = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> members.get(0).ending().get());
        assertFalse(ending.completed());
        assertTrue(ending.message().contains("only 1 of 2 members joined"), ending.message());
    }

    @Test
    void aMemberThatFindsNoLauncherGivesUpAfterItsJoinTimeout() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free, and nothing listens there once closed
        }
        MemberMain.Running m = member("127.0.0.1:" + port, Duration.ofSeconds(2));
        MemberMain.Ending ending = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> m.ending().get());
        assertFalse(ending.completed());
        assertEquals("could not join the cluster at 127.0.0.1:" + port + " within 2 s (is a launcher waiting there"
                + " with --listen, and can this machine reach it? Join at the address its 'waiting for' line prints: a"
                + " launcher listening on 0.0.0.0 answers only at the address it advertises, which --advertise sets;"
                + " and does this member have the launcher's key, --secret FILE, or --insecure when the launcher runs"
                + " with --insecure?)",
                ending.message());
        m.system().getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void aForkingLauncherRefusesAMemberThatJoinsOnItsOwn() throws Exception {
        // A forked run with one in-process member and the coordinator: the stranger is not wanted.
        SelftestScenario endless = SelftestScenario.withEvents(200, 4_000_000_000L, 3);
        CompletableFuture<Void> begun = new CompletableFuture<>();
        var handle = ClusterRun.start(endless, new ClusterRun.Options(2, 1).withRemoting(ClusterRun.Remoting.PLAIN)
                .withOnBegin(() -> begun.complete(null)));
        try {
            begun.get(30, TimeUnit.SECONDS);
            ActorSystem<?> coordinator = coordinatorOf(handle);
            var a = coordinator.address();
            MemberMain.Running stranger = member(a.getHost().get() + ":" + a.getPort().get(), Duration.ofSeconds(20));
            MemberMain.Ending ending = assertTimeoutPreemptively(Duration.ofSeconds(25), () -> stranger.ending().get());
            assertFalse(ending.completed());
            assertEquals("the launcher says: this launcher forks its own members and takes no others", ending.message());
        } finally {
            handle.abort("test over");
            assertThrows(RunFailedException.class, handle::await);
        }
    }

    private static ActorSystem<?> coordinatorOf(ClusterRun.RunHandle handle) throws Exception {
        var field = ClusterRun.RunHandle.class.getDeclaredField("coordinator");
        field.setAccessible(true);
        return (ActorSystem<?>) field.get(handle);
    }
}
