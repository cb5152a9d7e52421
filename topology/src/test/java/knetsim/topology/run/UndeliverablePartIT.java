package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import knetsim.topology.results.ResultFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `knetsim run --members 2` whose member cannot receive its part of the scenario: the transport's
 * frame is set to 64 KiB, smaller than the 128 KiB chunks campus-1000's scenario is shipped in.
 * The launcher ends within 30 s of forking the member, with exit code 1, a reason naming the
 * message and the limit, and no process left behind (before issue 14 it hung at 0 % forever).
 */
class UndeliverablePartIT {
    @TempDir
    Path dir;

    @Test
    void aPartTooBigForTheFrameEndsTheRunWithExitCode1AndTheReason() throws Exception {
        Path out = dir.resolve("out");
        Path log = dir.resolve("launcher.log");
        Process launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dakka.remote.artery.advanced.maximum-frame-size=64KiB",
                "-cp", System.getProperty("java.class.path"), "knetsim.topology.cli.Main", "run",
                Path.of("..", "configs", "campus-1000.conf").toString(), "--duration", "50ms", "--members", "2",
                "--out", out.toString(), "--no-progress")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<ProcessHandle> members = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (members.isEmpty() && launcher.isAlive() && System.nanoTime() < deadline) {
                members.addAll(launcher.toHandle().children().toList());
                Thread.sleep(100); // polling the test's own child process list, not model time
            }
            assertFalse(members.isEmpty(), "the launcher forks a member JVM: " + Files.readString(log));
            assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher ends within 30 s of forking the member");
            assertEquals(1, launcher.exitValue(), Files.readString(log));
            Map<String, Object> summary = ResultFiles.readJson(out.resolve("summary.json"));
            assertEquals(false, summary.get("complete"));
            String reason = String.valueOf(summary.get("reason"));
            assertTrue(reason.contains("a MemberAgent.ScenarioChunk message of 131"), reason);
            assertTrue(reason.contains("exceeds the transport's frame limit of 61440 bytes"), reason);
            for (ProcessHandle member : members) {
                member.onExit().get(20, TimeUnit.SECONDS);
                assertFalse(member.isAlive(), "no member outlives the run");
            }
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
            launcher.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
