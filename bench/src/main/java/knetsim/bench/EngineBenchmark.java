package knetsim.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import knetsim.core.cluster.ClusterRun;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.run.RunFailedException;
import knetsim.core.run.RunResult;
import knetsim.core.selftest.SelftestScenario;

/**
 * Events/s of the selftest graph on the plain single-threaded loop ({@link SequentialEngine}) and
 * on the engine ({@link ClusterRun}) at each requested partition count, all in this JVM. Each
 * configuration gets {@code --warmup} unmeasured runs, then {@code --runs} measured ones; wall time
 * is System.nanoTime around the whole call, so engine runs include ActorSystem start-up, cluster
 * formation (partitions > 1) and shutdown. Every run's digest must equal the plain loop's, or the
 * benchmark exits with status 1: a fast wrong answer is not a result.
 */
public final class EngineBenchmark {
    private EngineBenchmark() {}

    /** Aims of the issue, reported but not enforced: the machine may be busy. */
    private static final double TARGET_EVENTS_PER_S = 1_000_000;
    private static final double TARGET_RATIO = 5.0;

    private record Run(String digest, long events, long nanos) {
        double eventsPerSecond() {
            return events * 1e9 / nanos;
        }
    }

    private interface Body {
        Run run() throws RunFailedException;
    }

    private record Row(String name, int partitions, long events, double median, double min, double max) {}

    public static void main(String[] args) {
        int lps = 1000, warmup = 2, runs = 3;
        long events = 2_000_000, seed = 42;
        int[] partitions = {1, 2};
        try {
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (option.equals("--help") || option.equals("-h")) usage(null);
                if (i + 1 >= args.length) usage("missing value for " + option);
                String value = args[++i];
                switch (option) {
                    case "--lps" -> lps = Integer.parseInt(value);
                    case "--events" -> events = Long.parseLong(value);
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--warmup" -> warmup = Integer.parseInt(value);
                    case "--runs" -> runs = Integer.parseInt(value);
                    case "--partitions" -> partitions = Arrays.stream(value.split(","))
                            .map(String::trim).mapToInt(Integer::parseInt).toArray();
                    default -> usage("unknown option " + option);
                }
            }
        } catch (NumberFormatException e) {
            usage("not a number: " + e.getMessage());
        }
        if (lps < 2 || events < 1 || warmup < 0 || runs < 1) {
            usage("need --lps >= 2, --events >= 1, --warmup >= 0, --runs >= 1");
        }
        for (int p : partitions) {
            if (p < 1 || p > lps) usage("partitions must be between 1 and --lps (" + lps + "), got " + p);
        }

        SelftestScenario scenario = SelftestScenario.withEvents(lps, events, seed);
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "machine: %d cores, max heap %d MiB, java %s, %s/%s%n",
                rt.availableProcessors(), rt.maxMemory() >> 20, System.getProperty("java.version"),
                System.getProperty("os.name"), System.getProperty("os.arch"));
        System.out.printf(Locale.ROOT, "scenario: selftest, %d LPs, %d events (%d tokens/LP x %d hops + 1), seed %d%n",
                lps, scenario.expectedEvents(), scenario.tokensPerLp(), scenario.hopsPerToken(), seed);
        System.out.printf(Locale.ROOT, "method: %d warm-up + %d measured runs per configuration, wall time per run%n%n",
                warmup, runs);

        List<Row> rows = new ArrayList<>();
        String[] reference = new String[1];
        Body plain = () -> {
            long t0 = System.nanoTime();
            SequentialEngine.Result r = SequentialEngine.run(scenario);
            return new Run(r.digest(), r.events(), System.nanoTime() - t0);
        };
        rows.add(measure("plain loop", 0, plain, warmup, runs, reference, scenario.expectedEvents()));
        for (int p : partitions) {
            ClusterRun.Options options = new ClusterRun.Options(p, 1);
            Body engine = () -> {
                long t0 = System.nanoTime();
                RunResult r = ClusterRun.run(scenario, options);
                return new Run(r.digest(), r.events(), System.nanoTime() - t0);
            };
            rows.add(measure("engine, " + p + " partition" + (p == 1 ? "" : "s"), p, engine, warmup, runs,
                    reference, scenario.expectedEvents()));
        }

        double plainMedian = rows.get(0).median();
        System.out.printf(Locale.ROOT, "%n%-22s %10s %14s %14s %14s %12s%n",
                "configuration", "events", "median ev/s", "min ev/s", "max ev/s", "plain/this");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "%-22s %10d %,14.0f %,14.0f %,14.0f %11.2fx%n",
                    row.name(), row.events(), row.median(), row.min(), row.max(), plainMedian / row.median());
        }
        System.out.println();
        System.out.println("digests: all runs match the plain loop (" + reference[0] + ")");
        for (Row row : rows.subList(1, rows.size())) {
            double ratio = plainMedian / row.median();
            String aim = String.format(Locale.ROOT, "aim, %s: %.2fx the plain loop's time (aim <= %.0fx): %s",
                    row.name(), ratio, TARGET_RATIO, ratio <= TARGET_RATIO ? "met" : "MISSED");
            if (row.partitions() == 1) {
                aim += String.format(Locale.ROOT, "; %,.0f ev/s (aim >= %,.0f): %s", row.median(),
                        TARGET_EVENTS_PER_S, row.median() >= TARGET_EVENTS_PER_S ? "met" : "MISSED");
            }
            System.out.println(aim);
        }
    }

    private static Row measure(String name, int partitions, Body body, int warmup, int runs, String[] reference,
                               long expectedEvents) {
        System.out.printf(Locale.ROOT, "%s:", name);
        double[] rates = new double[runs];
        long events = 0;
        for (int i = 0; i < warmup + runs; i++) {
            System.gc();
            Run run;
            try {
                run = body.run();
            } catch (RunFailedException | RuntimeException e) {
                System.out.println();
                fail(name + ", run " + (i + 1) + " failed: " + e);
                return null;
            }
            if (reference[0] == null) reference[0] = run.digest();
            if (!run.digest().equals(reference[0]) || run.events() != expectedEvents) {
                System.out.println();
                fail(String.format(Locale.ROOT, "%s, run %d is WRONG: digest %s with %d events, expected the"
                        + " plain loop's %s with %d events", name, i + 1, run.digest(), run.events(), reference[0],
                        expectedEvents));
            }
            boolean measured = i >= warmup;
            if (measured) rates[i - warmup] = run.eventsPerSecond();
            events = run.events();
            System.out.printf(Locale.ROOT, " %s%.0f", measured ? "" : "(warm-up) ", run.eventsPerSecond());
        }
        System.out.println(" ev/s");
        Arrays.sort(rates);
        double median = runs % 2 == 1 ? rates[runs / 2] : (rates[runs / 2 - 1] + rates[runs / 2]) / 2;
        return new Row(name, partitions, events, median, rates[0], rates[runs - 1]);
    }

    private static void fail(String message) {
        System.out.flush();
        System.err.println("knetsim bench: " + message);
        System.exit(1);
    }

    private static void usage(String problem) {
        String text = "usage: java -jar knetsim-bench.jar [--lps N (1000)] [--events N (2000000)] [--seed S (42)]"
                + " [--warmup K (2)] [--runs R (3)] [--partitions 1,2]";
        if (problem == null) {
            System.out.println(text);
            System.exit(0);
        }
        System.err.println("knetsim bench: " + problem + "\n" + text);
        System.exit(2);
    }
}
