package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import knetsim.topology.results.ResultFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `knetsim run --members 2` whose member JVM is killed mid-run: the launcher ends within 30 s with
 * exit code 1, a summary marked incomplete that names the member, and no process left behind.
 */
class KilledMemberIT {
    @TempDir
    Path dir;

    @Test
    void killingAMemberEndsTheRunWithExitCode1AndAnIncompleteSummary() throws Exception {
        Path out = dir.resolve("out");
        Path log = dir.resolve("launcher.log");
        // a long run, so the member is surely killed while it works
        Process launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "knetsim.topology.cli.Main", "run",
                Path.of("..", "configs", "dumbbell.conf").toString(), "--duration", "600s", "--members", "2",
                "--out", out.toString(), "--no-progress")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<ProcessHandle> members = List.of();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (members.isEmpty() && System.nanoTime() < deadline) {
                members = launcher.toHandle().children().toList();
                Thread.sleep(100); // polling the test's own child process list, not model time
            }
            assertFalse(members.isEmpty(), "the launcher forks a member JVM");
            Thread.sleep(8_000); // let the cluster form and the run get going
            assertTrue(launcher.isAlive(), "the run is still going when the member is killed");
            long killedAt = System.nanoTime();
            members.get(0).destroyForcibly();
            assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher ends within 30 s of the kill");
            assertTrue(System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(30));
            assertEquals(1, launcher.exitValue(), Files.readString(log));
            Map<String, Object> summary = ResultFiles.readJson(out.resolve("summary.json"));
            assertEquals(false, summary.get("complete"));
            String reason = String.valueOf(summary.get("reason"));
            assertTrue(reason.contains("jvm-1"), "the reason names the member: " + reason);
            for (ProcessHandle member : members) {
                member.onExit().get(10, TimeUnit.SECONDS);
                assertFalse(member.isAlive(), "no member outlives the run");
            }
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
            launcher.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
