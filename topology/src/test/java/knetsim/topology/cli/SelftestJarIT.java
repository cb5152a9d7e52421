package knetsim.topology.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import knetsim.topology.results.ResultFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar as a user runs it: forked members, their clean-up, and what happens if the launcher dies. */
class SelftestJarIT {
    static final String JAR = System.getProperty("knetsim.jar", "target/knetsim.jar");

    @TempDir
    Path dir;

    @Test
    void twoAndThreeJvmsGiveTheOneJvmDigestAndLeaveNoProcess() throws Exception {
        String one = digest(run("--out", dir.resolve("j1").toString()), dir.resolve("j1"));
        String two = digest(run("--partitions", "2", "--jvms", "2", "--out", dir.resolve("j2").toString()), dir.resolve("j2"));
        String three = digest(run("--partitions", "3", "--jvms", "3", "--throughput", "1", "--out",
                dir.resolve("j3").toString()), dir.resolve("j3"));
        assertEquals(one, two);
        assertEquals(one, three);
    }

    @Test
    void membersExitWhenTheLauncherIsKilled() throws Exception {
        Process launcher = start(List.of("--lps", "300", "--partitions", "2", "--jvms", "2", "--events", "2000000000",
                "--out", dir.resolve("killed").toString()));
        List<ProcessHandle> members = awaitMembers(launcher);
        launcher.destroyForcibly().waitFor();
        for (ProcessHandle member : members) {
            boolean gone = member.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).get() != null || !member.isAlive();
            if (!gone) member.destroyForcibly();
            assertTrue(gone, "member " + member.pid() + " outlived its launcher");
        }
    }

    @Test
    void aTerminatedLauncherWritesAnIncompleteSummaryAndStopsItsMembers() throws Exception {
        Path out = dir.resolve("terminated");
        Process launcher = start(List.of("--lps", "300", "--partitions", "2", "--jvms", "2", "--events", "2000000000",
                "--out", out.toString()));
        List<ProcessHandle> members = awaitMembers(launcher);
        launcher.destroy(); // SIGTERM, as a user's kill or a batch system's time limit sends
        assertTrue(launcher.waitFor(40, TimeUnit.SECONDS), "the launcher did not stop");
        Map<String, Object> summary = ResultFiles.readJson(out.resolve("summary.json"));
        assertEquals(false, summary.get("complete"));
        assertTrue(String.valueOf(summary.get("reason")).contains("interrupted"), summary.toString());
        for (ProcessHandle member : members) {
            assertTrue(member.onExit().completeOnTimeout(null, 30, TimeUnit.SECONDS).get() != null || !member.isAlive(),
                    "member " + member.pid() + " outlived its launcher");
        }
    }

    private static List<ProcessHandle> awaitMembers(Process launcher) throws InterruptedException {
        List<ProcessHandle> members = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (members.isEmpty() && System.nanoTime() < deadline && launcher.isAlive()) {
            launcher.toHandle().children().forEach(members::add);
            if (members.isEmpty()) launcher.waitFor(200, TimeUnit.MILLISECONDS);
        }
        assertTrue(!members.isEmpty(), "the launcher forked no member");
        // Let the run begin: the summary must report an interrupted run, not a failed start.
        launcher.waitFor(3, TimeUnit.SECONDS);
        return members;
    }

    private Process start(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR, "selftest"));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private Process run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--lps", "300", "--events", "150000"));
        all.addAll(List.of(args));
        Process p = start(all);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "selftest did not finish");
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("digest"), output);
        assertTrue(p.toHandle().descendants().noneMatch(ProcessHandle::isAlive), "a member outlived the run");
        return p;
    }

    private static String digest(Process finished, Path out) throws IOException {
        assertTrue(Files.exists(out.resolve("summary.json")));
        return (String) ResultFiles.readJson(out.resolve("summary.json")).get("digest");
    }
}
