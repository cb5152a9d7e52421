package knetsim.topology.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import knetsim.core.cluster.AkkaConfig;
import knetsim.core.cluster.ClusterRun;
import knetsim.core.run.RunFailedException;
import knetsim.core.run.RunResult;
import knetsim.core.selftest.SelftestScenario;
import knetsim.core.time.SimTime;
import knetsim.topology.results.ResultFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs the synthetic LP graph to check an installation or a cluster set-up: the digest must be
 * the same for every partitioning, JVM count and dispatcher setting of the same seed.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = {"Run a synthetic LP graph (a ring plus seeded random edges, tokens hopping with random delays)",
                "and report its digest and speed. The same --seed must give the same digest for any",
                "--partitions and --jvms: compare them to check a set-up."})
public final class SelftestCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--lps", defaultValue = "1000", description = "LPs in the graph (default ${DEFAULT-VALUE})")
    int lps;

    @Option(names = "--events", defaultValue = "1000000", description = "events to process, at least (default ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--partitions", defaultValue = "1", description = "partitions, one ActorSystem each (default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--jvms", defaultValue = "1", description = "JVMs; more than 1 forks local members on 127.0.0.1 (default ${DEFAULT-VALUE})")
    int jvms;

    @Option(names = "--seed", defaultValue = "42", description = "run seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "dispatcher threads per ActorSystem (default: the number of cores)")
    Integer threads;

    @Option(names = "--throughput", defaultValue = "100", description = "messages an actor handles before yielding its thread (default ${DEFAULT-VALUE})")
    int throughput;

    @Option(names = "--out", description = "results folder (default: results/selftest-<timestamp>)")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        String problem = validate();
        if (problem != null) {
            err.println("knetsim selftest: " + problem);
            return Main.BAD_INPUT;
        }
        Path dir = out != null ? out
                : Path.of("results", "selftest-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        SelftestScenario scenario = SelftestScenario.withEvents(lps, events, seed);
        // Wall clock of the harness, never of the model: start-up (JVMs, cluster) and the run itself apart.
        AtomicLong begun = new AtomicLong();
        AtomicLong ended = new AtomicLong();
        var options = new ClusterRun.Options(partitions, jvms)
                .withOverrides(AkkaConfig.dispatcher(threads != null ? threads : Runtime.getRuntime().availableProcessors(), throughput))
                .withOnBegin(() -> begun.set(System.nanoTime()))
                .withOnEnd(() -> ended.set(System.nanoTime()));
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("command", "selftest");
        summary.put("seed", seed);
        summary.put("lps", lps);
        summary.put("partitions", partitions);
        summary.put("jvms", jvms);
        long started = System.nanoTime();
        ClusterRun.RunHandle handle = ClusterRun.start(scenario, options);
        // Ctrl-C aborts the run; the JVM waits until the summary says it is incomplete.
        try (OnInterrupt ignored = OnInterrupt.install("selftest-interrupt", handle::abort)) {
            return finish(handle, summary, dir, started, begun, ended, stdout, err);
        }
    }

    private Integer finish(ClusterRun.RunHandle handle, Map<String, Object> summary, Path dir, long started,
                           AtomicLong begun, AtomicLong ended, PrintWriter stdout, PrintWriter err) throws IOException {
        try {
            RunResult result = handle.await();
            double wall = (System.nanoTime() - started) / 1e9;
            double setup = (begun.get() - started) / 1e9;
            double running = (ended.get() - begun.get()) / 1e9;
            summary.put("complete", true);
            summary.put("digest", result.digest());
            summary.put("events", result.events());
            summary.put("virtualSeconds", SimTime.toSeconds(result.lastEventTime()));
            summary.put("wallSeconds", wall);
            summary.put("setupSeconds", setup);
            summary.put("runSeconds", running);
            summary.put("eventsPerSecond", Math.round(result.events() / running));
            summary.put("lookaheadLocalNs", nullIfNever(result.lookaheadLocalNs()));
            summary.put("lookaheadGlobalNs", nullIfNever(result.lookaheadGlobalNs()));
            summary.put("rounds", result.rounds());
            summary.put("windows", result.windows());
            summary.put("versions", Versions.all());
            ResultFiles.writeJson(dir.resolve("summary.json"), summary);
            stdout.printf("selftest: %d LPs, %s in %s, seed %d%n", lps, plural(partitions, "partition"), plural(jvms, "JVM"), seed);
            stdout.printf("  digest     %s%n", result.digest());
            stdout.printf("  events     %d in %.3f virtual s%n", result.events(), SimTime.toSeconds(result.lastEventTime()));
            stdout.printf("  speed      %,.0f events/s (run %.2f s; start-up %.2f s)%n", result.events() / running, running, setup);
            stdout.printf("  lookahead  local %s, global %s; %d rounds, %d windows%n",
                    SimTime.format(result.lookaheadLocalNs()), SimTime.format(result.lookaheadGlobalNs()),
                    result.rounds(), result.windows());
            stdout.printf("  summary    %s%n", dir.resolve("summary.json"));
            stdout.flush();
            return Main.OK;
        } catch (RunFailedException e) {
            summary.put("complete", false);
            summary.put("reason", e.getMessage());
            summary.put("wallSeconds", (System.nanoTime() - started) / 1e9);
            summary.put("versions", Versions.all());
            ResultFiles.writeJson(dir.resolve("summary.json"), summary);
            err.println("knetsim selftest: the run failed: " + e.getMessage());
            err.println("  (summary marked incomplete: " + dir.resolve("summary.json") + ")");
            return Main.RUN_FAILED;
        }
    }

    private String validate() {
        if (lps < 2) return "--lps must be at least 2, got " + lps;
        if (events < 1) return "--events must be at least 1, got " + events;
        if (partitions < 1 || partitions > lps) return "--partitions must be between 1 and --lps (" + lps + "), got " + partitions;
        if (jvms < 1 || jvms > partitions) return "--jvms must be between 1 and --partitions (" + partitions + "), got " + jvms;
        if (threads != null && threads < 1) return "--threads must be at least 1, got " + threads;
        if (throughput < 1) return "--throughput must be at least 1, got " + throughput;
        return null;
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static Long nullIfNever(long nanos) {
        return nanos == SimTime.NEVER ? null : nanos;
    }
}
