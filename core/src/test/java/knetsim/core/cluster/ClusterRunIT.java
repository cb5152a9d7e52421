package knetsim.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.run.RunFailedException;
import knetsim.core.run.RunResult;
import knetsim.core.selftest.SelftestScenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Runs that fork real member JVMs on 127.0.0.1 and must clean up after themselves. */
class ClusterRunIT {
    static final SelftestScenario SCENARIO = SelftestScenario.withEvents(300, 150_000, 7);
    static String reference;

    @BeforeAll
    static void sequentialReference() {
        reference = SequentialEngine.run(SCENARIO).digest();
    }

    @AfterEach
    void noMemberOutlivesItsRun() {
        List<ProcessHandle> alive = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
        assertTrue(alive.isEmpty(), "processes left behind: " + alive);
    }

    @ParameterizedTest(name = "{0} partitions in {1} JVMs")
    @CsvSource({"2, 2", "3, 3", "4, 2"})
    void forkedMembersGiveTheSequentialDigest(int partitions, int jvms) throws Exception {
        RunResult result = assertTimeoutPreemptively(Duration.ofMinutes(2),
                () -> ClusterRun.run(SCENARIO, new ClusterRun.Options(partitions, jvms)));
        assertEquals(reference, result.digest());
        assertEquals(SCENARIO.expectedEvents(), result.events());
        assertEquals(jvms, result.jvms());
    }

    @Test
    void aMemberKilledMidRunFailsTheRunWithinSecondsNamingIt() {
        // Long enough that it cannot finish before the kill: about a billion events.
        SelftestScenario endless = SelftestScenario.withEvents(1000, 1_000_000_000L, 1);
        AtomicReference<ProcessHandle> member = new AtomicReference<>();
        AtomicLong killedAt = new AtomicLong();
        var options = new ClusterRun.Options(2, 2)
                .withOnForked(member::set)
                .withOnBegin(() -> {
                    killedAt.set(System.nanoTime());
                    member.get().destroyForcibly();
                });
        RunFailedException failure = assertTimeoutPreemptively(Duration.ofSeconds(90),
                () -> assertThrows(RunFailedException.class, () -> ClusterRun.run(endless, options)));
        double seconds = (System.nanoTime() - killedAt.get()) / 1e9;
        assertTrue(killedAt.get() != 0, "the run never began: " + failure.getMessage());
        assertTrue(seconds < 20, "took " + seconds + " s to notice the dead member");
        String message = failure.getMessage();
        assertTrue(message.contains("jvm-1 (pid " + member.get().pid() + ")"), message);
        assertTrue(message.contains("exited"), message);
        assertFalse(member.get().isAlive());
    }
}
