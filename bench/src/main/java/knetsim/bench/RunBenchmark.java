package knetsim.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import knetsim.core.cluster.AkkaConfig;
import knetsim.core.cluster.ClusterRun;
import knetsim.core.engine.SequentialEngine;
import knetsim.topology.config.Topology;
import knetsim.topology.config.TopologyLoader;
import knetsim.topology.run.TopologyScenario;

/**
 * The engine against its own plain loop on one topology, in one sitting: each run alternates the
 * plain sequential loop ({@code SequentialEngine.run}) and the engine as {@code knetsim run} drives
 * it ({@code ClusterRun.run}, one member), both on a fresh scenario whose network is already
 * built, so both times cover creating the LPs and running them (the engine's also the ActorSystem).
 * Prints every run's wall seconds and the ratio engine/plain (aim of issue 14: at most 0.9 on 2
 * cores), the process's CPU seconds for each (robust on a shared machine: the engine's extra work),
 * the engine's windows and window bound, and fails when a digest differs. Usage: {@code java -cp knetsim-bench.jar knetsim.bench.RunBenchmark
 * [--duration 500ms] [--runs 3] [--threads N] configs/campus-1000.conf}.
 */
public final class RunBenchmark {
    private RunBenchmark() {}

    public static void main(String[] args) throws Exception {
        String duration = "500ms";
        int runs = 3;
        int threads = Runtime.getRuntime().availableProcessors();
        Path file = Path.of("configs", "campus-1000.conf");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--duration" -> duration = args[++i];
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> file = Path.of(args[i]);
            }
        }
        Topology topology = TopologyLoader.load(file, List.of("duration=" + duration), 1);
        new TopologyScenario(topology.resolvedJson()).network(); // built once, outside the timings
        System.out.printf(Locale.ROOT, "%s, %s of virtual time, %d cores, engine with %d dispatcher threads%n",
                file.getFileName(), duration, Runtime.getRuntime().availableProcessors(), threads);
        System.out.printf(Locale.ROOT, "%-4s %12s %10s %10s %8s %12s %12s %8s%n", "run", "events", "plain s", "engine s",
                "ratio", "plain cpu s", "engine cpu s", "ratio");
        double[] plain = new double[runs], engine = new double[runs], plainCpu = new double[runs], engineCpu = new double[runs];
        String digest = null;
        long events = 0, windows = 0, lookahead = 0;
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime(); // the benchmark's clock, outside the model
            long cpu = cpu();
            SequentialEngine.Result p = SequentialEngine.run(new TopologyScenario(topology.resolvedJson()));
            plain[r] = (System.nanoTime() - start) / 1e9;
            plainCpu[r] = (cpu() - cpu) / 1e9;
            start = System.nanoTime();
            cpu = cpu();
            var e = ClusterRun.run(new TopologyScenario(topology.resolvedJson()),
                    new ClusterRun.Options(1, 1).withOverrides(AkkaConfig.dispatcher(threads, 100)));
            engine[r] = (System.nanoTime() - start) / 1e9;
            engineCpu[r] = (cpu() - cpu) / 1e9;
            if (!p.digest().equals(e.digest()) || (digest != null && !digest.equals(p.digest()))) {
                System.err.println("digests differ: plain " + p.digest() + ", engine " + e.digest() + ", before " + digest);
                System.exit(1);
            }
            digest = p.digest();
            events = p.events();
            windows = e.windows();
            lookahead = e.lookaheadLocalNs();
            System.out.printf(Locale.ROOT, "%-4d %12d %10.2f %10.2f %7.2fx %12.2f %12.2f %7.2fx%n", r + 1, events, plain[r],
                    engine[r], engine[r] / plain[r], plainCpu[r], engineCpu[r], engineCpu[r] / plainCpu[r]);
        }
        System.out.printf(Locale.ROOT, "median %10d %10.2f %10.2f %7.2fx %12.2f %12.2f %7.2fx  (%.0f / %.0f events/s)%n",
                events, median(plain), median(engine), median(engine) / median(plain), median(plainCpu),
                median(engineCpu), median(engineCpu) / median(plainCpu), events / median(plain), events / median(engine));
        System.out.println("digest " + digest + "; engine: " + windows + " windows, local lookahead "
                + knetsim.core.time.SimTime.format(lookahead) + "; load average " + load());
    }

    /** CPU time of the whole process (every thread, GC and JIT included), in ns. */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static String load() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
