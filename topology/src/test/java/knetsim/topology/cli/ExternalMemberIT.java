package knetsim.topology.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import knetsim.core.cluster.ClusterRun;
import knetsim.topology.config.Topology;
import knetsim.topology.config.TopologyLoader;
import knetsim.topology.run.TopologyRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code knetsim run --listen} with {@code knetsim member --join} started as a separate JVM, as a
 * user starts one on another machine. Every process started here is destroyed by pid afterwards.
 */
class ExternalMemberIT {
    static final Path PING = Path.of("..", "configs", "ping.conf");
    /** A ping run far longer than any test: it only ends when something stops it. */
    static final List<String> ENDLESS = List.of("duration=100000s", "traffic[0].count=2000000",
            "traffic[0].interval=1ms");

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    private final ExecutorService launcherThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void destroyEverything() throws InterruptedException {
        for (Process p : processes) {
            if (p.isAlive()) p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        launcherThread.shutdownNow();
    }

    @Test
    void aMemberStartedByHandGivesTheOneMemberDigestAndExitsByItself() throws Exception {
        Topology topology = TopologyLoader.load(PING, List.of(), 2);
        String alone = digest(new TopologyRun().run(topology, PING.toString(), settings(1, "alone", null)));

        CompletableFuture<String> listening = new CompletableFuture<>();
        Path secret = secret();
        Future<TopologyRun.Outcome> launcher = launcherThread.submit(() -> new TopologyRun()
                .remoting(ClusterRun.Remoting.secret(secret)).run(topology, PING.toString(), settings(2, "listen",
                        new TopologyRun.Listen("127.0.0.1", 0, Duration.ofSeconds(40), listening::complete))));
        String where = listening.get(20, TimeUnit.SECONDS);
        Process member = start(dir.resolve("member"), "member", "--join", where, "--secret", secret.toString());

        TopologyRun.Outcome outcome = launcher.get(50, TimeUnit.SECONDS);
        assertTrue(outcome.complete(), String.valueOf(outcome.report().summary().get("reason")));
        assertEquals(alone, digest(outcome));
        assertEquals(where, outcome.report().summary().get("listen"));
        assertTrue(member.waitFor(20, TimeUnit.SECONDS), "the member did not exit after its run");
        assertEquals(0, member.exitValue(), read(dir.resolve("member.err")));
        String out = read(dir.resolve("member.out"));
        assertTrue(out.contains("joining the launcher at " + where), out);
        assertTrue(out.contains("running partition 1 of 2"), out);
    }

    @Test
    void aLauncherThatWaitsInVainExitsWithOneNamingHowManyJoined() throws Exception {
        Process launcher = start(dir.resolve("launcher"), "run", PING.toString(), "--members", "2", "--listen",
                "127.0.0.1:0", "--wait-members", "3s", "--no-progress", "--out", dir.resolve("results").toString());
        assertTrue(launcher.waitFor(40, TimeUnit.SECONDS), "the launcher did not give up");
        String err = read(dir.resolve("launcher.err"));
        assertEquals(1, launcher.exitValue(), err);
        assertTrue(read(dir.resolve("launcher.out")).matches("(?s)waiting for 1 member to join at 127\\.0\\.0\\.1:\\d+ .*"),
                read(dir.resolve("launcher.out")));
        assertTrue(err.matches("(?s)knetsim run: the run failed: only 0 of 1 member joined at 127\\.0\\.0\\.1:\\d+"
                + " within 3 s\n.*"), err);
    }

    @Test
    void aMemberKilledMidRunAbortsTheRunWithinSecondsNamingIt() throws Exception {
        Topology topology = TopologyLoader.load(PING, ENDLESS, 2);
        CompletableFuture<String> listening = new CompletableFuture<>();
        Path secret = secret();
        Future<TopologyRun.Outcome> launcher = launcherThread.submit(() -> new TopologyRun()
                .remoting(ClusterRun.Remoting.secret(secret)).run(topology, PING.toString(), settings(2, "killed",
                        new TopologyRun.Listen("127.0.0.1", 0, Duration.ofSeconds(40), listening::complete))));
        Process member = start(dir.resolve("member"), "member", "--join", listening.get(20, TimeUnit.SECONDS),
                "--secret", secret.toString());
        awaitLine(dir.resolve("member.out"), "running partition 1 of 2", member);
        Thread.sleep(1000); // let the run get going
        member.destroyForcibly();
        long killed = System.nanoTime();
        TopologyRun.Outcome outcome = launcher.get(40, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - killed) / 1e9;
        assertFalse(outcome.complete());
        String reason = String.valueOf(outcome.report().summary().get("reason"));
        assertTrue(reason.matches("member 127\\.0\\.0\\.1:\\d+ \\(pid " + member.pid() + "\\) became unreachable"),
                reason);
        assertTrue(seconds < 20, "took " + seconds + " s to notice the dead member");
    }

    @Test
    void aMemberExitsWithOneWhenItsLauncherDies() throws Exception {
        List<String> args = new ArrayList<>(List.of("run", PING.toString(), "--members", "2", "--listen", "127.0.0.1:0",
                "--no-progress", "--out", dir.resolve("results").toString()));
        for (String set : ENDLESS) args.addAll(List.of("--set", set));
        Process launcher = start(dir.resolve("launcher"), args.toArray(String[]::new));
        String line = awaitLine(dir.resolve("launcher.out"), "waiting for 1 member to join at ", launcher);
        Matcher m = Pattern.compile("join at (127\\.0\\.0\\.1:\\d+) .* --secret (\\S+);").matcher(line);
        assertTrue(m.find(), line);
        Process member = start(dir.resolve("member"), "member", "--join", m.group(1), "--secret", m.group(2));
        awaitLine(dir.resolve("member.out"), "running partition 1 of 2", member);
        launcher.destroyForcibly();
        assertTrue(member.waitFor(30, TimeUnit.SECONDS), "the member outlived its launcher");
        String err = read(dir.resolve("member.err"));
        assertEquals(1, member.exitValue(), err);
        assertTrue(err.contains("knetsim member: the launcher at " + m.group(1) + " became unreachable; exiting"), err);
    }

    @Test
    void aLauncherBoundToEveryAddressTakesAMemberThroughTheAddressItAdvertises() throws Exception {
        for (String[] mode : new String[][] {{"--advertise", "127.0.0.1"}, {}}) {
            Path sub = dir.resolve(mode.length == 0 ? "default" : "loopback");
            Files.createDirectories(sub);
            List<String> args = new ArrayList<>(List.of("run", PING.toString(), "--members", "2", "--listen", "0.0.0.0:0",
                    "--no-progress", "--out", sub.resolve("results").toString()));
            args.addAll(List.of(mode));
            Process launcher = start(sub.resolve("launcher"), args.toArray(String[]::new));
            String line = awaitLine(sub.resolve("launcher.out"), "waiting for 1 member to join at ", launcher);
            Matcher m = Pattern.compile("join at ([0-9.]+):(\\d+) .* --secret (\\S+);").matcher(line);
            assertTrue(m.find(), line);
            // 0.0.0.0 is never advertised: members could not address their handshake to it
            assertEquals(mode.length == 0 ? knetsim.core.cluster.AkkaConfig.advertisedFor("0.0.0.0") : "127.0.0.1",
                    m.group(1), line);
            Process member = start(sub.resolve("member"), "member", "--join", m.group(1) + ":" + m.group(2),
                    "--secret", m.group(3));
            assertTrue(launcher.waitFor(60, TimeUnit.SECONDS), "the run did not end");
            assertEquals(0, launcher.exitValue(), read(sub.resolve("launcher.err")));
            assertTrue(member.waitFor(20, TimeUnit.SECONDS), "the member did not exit after its run");
            assertEquals(0, member.exitValue(), read(sub.resolve("member.err")));
            assertTrue(read(sub.resolve("member.out")).contains("running partition 1 of 2"), read(sub.resolve("member.out")));
        }
    }

    /** A run key, as a user makes one with knetsim run --secret FILE and copies to the members. */
    private Path secret() throws IOException {
        Path file = dir.resolve("secret.pem");
        knetsim.core.cluster.RunKey.generate().write(file);
        return file;
    }

    private TopologyRun.Settings settings(int members, String name, TopologyRun.Listen listen) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new TopologyRun.Settings(members, dir.resolve(name), quiet, false, false, p -> {}, listen);
    }

    private static String digest(TopologyRun.Outcome outcome) {
        assertTrue(outcome.complete(), String.valueOf(outcome.report().summary().get("reason")));
        return (String) outcome.report().summary().get("digest");
    }

    /** {@code java -cp <this classpath> knetsim.topology.cli.Main ARGS}, output to NAME.out and NAME.err. */
    private Process start(Path name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectOutput(Path.of(name + ".out").toFile())
                .redirectError(Path.of(name + ".err").toFile())
                .start();
        processes.add(p);
        return p;
    }

    private static String awaitLine(Path file, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file)) {
                    if (line.contains(text)) return line;
                }
            }
            if (!process.isAlive()) break;
            Thread.sleep(100);
        }
        throw new AssertionError("no line with \"" + text + "\" in " + file + ": " + read(file) + " / "
                + read(Path.of(file.toString().replaceFirst("\\.out$", ".err"))));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }
}
