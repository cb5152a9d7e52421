package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import knetsim.topology.results.ResultFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `knetsim run --members 2` whose member JVM is stopped (SIGSTOP) as soon as it is forked, before it can join:
 * the launcher fails the run within seconds, as it does for a member lost mid-run, instead of waiting out the 60 s
 * set-up timeout, and the reason names the member.
 */
class StoppedMemberIT {
    @TempDir
    Path dir;

    @Test
    void aMemberStoppedDuringSetUpEndsTheRunQuicklyAndIsNamed() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "reads process states from /proc");
        Path out = dir.resolve("out");
        Path log = dir.resolve("launcher.log");
        Process launcher = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "knetsim.topology.cli.Main", "run",
                Path.of("..", "configs", "ping.conf").toString(), "--members", "2", "--out", out.toString(),
                "--no-progress")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        List<ProcessHandle> members = List.of();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (members.isEmpty() && System.nanoTime() < deadline) {
                members = launcher.toHandle().children().toList();
                Thread.sleep(20); // polling the test's own child process list, not model time
            }
            assertFalse(members.isEmpty(), "the launcher forks a member JVM");
            long pid = members.get(0).pid();
            long stoppedAt = System.nanoTime();
            assertEquals(0, new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor());
            assertTrue(launcher.waitFor(40, TimeUnit.SECONDS), "the launcher ends well before the 60 s set-up timeout");
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stoppedAt);
            assertTrue(seconds < 40, "ended after " + seconds + " s");
            assertEquals(1, launcher.exitValue(), Files.readString(log));
            Map<String, Object> summary = ResultFiles.readJson(out.resolve("summary.json"));
            assertEquals(false, summary.get("complete"));
            String reason = String.valueOf(summary.get("reason"));
            assertTrue(reason.contains("jvm-1 (pid " + pid + ")"), "the reason names the member: " + reason);
        } finally {
            launcher.descendants().forEach(ProcessHandle::destroyForcibly);
            launcher.destroyForcibly();
            launcher.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
