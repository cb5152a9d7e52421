package knetsim.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import knetsim.core.engine.SequentialEngine;
import knetsim.topology.config.Topology;
import knetsim.topology.config.TopologyLoader;
import knetsim.topology.run.TopologyScenario;

/**
 * Events/s and frames/s of the reference topologies (configs/*.conf) on the plain single-threaded
 * loop, which measures the model's own cost without the engine's. Frames are what crossed the
 * links. Usage: {@code java -cp knetsim-bench.jar knetsim.bench.TopologyBenchmark [--duration 500ms]
 * [--runs 3] [--digests] configs/dumbbell.conf ...}. The digest of every run of one file must be
 * the same; {@code --digests} prints it per file, so that a change to the model can be checked
 * against the digests from before it. Rates are the median over the runs (the machine is shared).
 * The last columns are the median run's CPU seconds of the whole process (GC and JIT included) and of
 * the loop's own thread, and events per second of the loop's CPU: a machine shared with other builds
 * does not distort these as it distorts wall time.
 */
public final class TopologyBenchmark {
    private TopologyBenchmark() {}

    public static void main(String[] args) throws Exception {
        String duration = "500ms";
        int runs = 3;
        boolean digests = false;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--duration" -> duration = args[++i];
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--digests" -> digests = true;
                default -> files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty()) {
            for (String name : List.of("ping", "lan", "routed", "dumbbell", "lossy-wan", "rx-overload", "tree-1000")) {
                files.add(Path.of("configs", name + ".conf"));
            }
        }
        System.out.printf(Locale.ROOT, "%-18s %12s %12s %14s %14s %8s %10s %17s%s%n", "config", "events", "frames",
                "events/s", "frames/s", "cpu s", "loop cpu s", "events/loop cpu s", digests ? "  digest" : "");
        for (Path file : files) {
            Topology topology;
            try {
                topology = TopologyLoader.load(file, List.of("duration=" + duration), 1);
            } catch (knetsim.topology.config.TopologyException e) {
                // e.g. routed.conf's traffic starts at 500 ms: it cannot run for less; the other files still can
                System.out.printf(Locale.ROOT, "%-18s skipped: %s%n", file.getFileName(), e.getMessage().replace('\n', ' '));
                continue;
            }
            String digest = null;
            double[] eventRates = new double[runs];
            double[] frameRates = new double[runs];
            double[] cpuSeconds = new double[runs];
            double[] loopSeconds = new double[runs];
            long events = 0, frames = 0;
            for (int r = 0; r < runs; r++) {
                // a fresh scenario each time: the LPs of a run are used up by it
                TopologyScenario scenario = new TopologyScenario(topology.resolvedJson());
                long start = System.nanoTime(); // the benchmark's clock, outside the model
                long cpu = cpu();
                long loop = THREADS.getCurrentThreadCpuTime();
                SequentialEngine.Result result = SequentialEngine.run(scenario);
                double seconds = (System.nanoTime() - start) / 1e9;
                cpuSeconds[r] = (cpu() - cpu) / 1e9;
                loopSeconds[r] = (THREADS.getCurrentThreadCpuTime() - loop) / 1e9;
                if (digest != null && !digest.equals(result.digest())) {
                    System.err.println(file + ": the digest changed between runs: " + digest + " vs " + result.digest());
                    System.exit(1);
                }
                digest = result.digest();
                events = result.events();
                frames = 0;
                for (var entry : result.counters().entrySet()) {
                    if (scenario.network().scopes().get(entry.getKey()).startsWith("link.")) {
                        frames += entry.getValue().getOrDefault("frames", 0L);
                    }
                }
                eventRates[r] = events / seconds;
                frameRates[r] = frames / seconds;
            }
            double loop = median(loopSeconds);
            System.out.printf(Locale.ROOT, "%-18s %12d %12d %14.0f %14.0f %8.2f %10.2f %17.0f%s%n", file.getFileName(),
                    events, frames, median(eventRates), median(frameRates), median(cpuSeconds), loop, events / loop,
                    digests ? "  " + digest : "");
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** CPU time of the whole process (every thread, GC and JIT included), in ns. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
