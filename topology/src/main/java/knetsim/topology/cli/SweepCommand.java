package knetsim.topology.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import knetsim.topology.results.ResultFiles;
import knetsim.topology.results.SweepPlots;
import knetsim.topology.results.SweepReport;
import knetsim.topology.run.TopologyRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code knetsim sweep FILE --param PATH=V1,V2 --seeds N}: validates every point of the cross product first, then
 * runs them, several at once, each in its own ActorSystem with one member, into {@code DIR/<point>/}, and writes
 * {@code DIR/sweep.csv} in cross-product order, so the output does not depend on --parallel.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a topology file for every combination of --param values and seeds. Each run writes its",
                "own results folder DIR/<param=value_..._seed=S>/; DIR/sweep.csv has one row per run in",
                "cross-product order (the first --param varies slowest, seeds fastest). Every point is validated",
                "before anything runs. Exit 0 when every run completed, 1 when any failed, 2 for bad input."})
public final class SweepCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the topology file (HOCON)")
    Path file;

    @Option(names = "--param", paramLabel = "PATH=V1,V2,...",
            description = {"a key of the file (as --set takes it, e.g. links[0].loss.p) and the values to try (repeatable);",
                "commas inside \"...\", [...] or {...} do not split; A:B:logN, A:B:linN and A:B:STEP are ranges"})
    List<String> params = new ArrayList<>();

    @Option(names = "--zip", paramLabel = "PATH,PATH,...",
            description = "vary these --param paths together (their i-th values form one point) instead of as a cross"
                    + " product; they need the same number of values (repeatable)")
    List<String> zips = new ArrayList<>();

    @Option(names = "--seeds", defaultValue = "1", description = "runs per combination, with seeds S, S+1, ... (default ${DEFAULT-VALUE})")
    int seeds;

    @Option(names = "--seed", description = "the first seed S (default: the file's)")
    Long seed;

    @Option(names = "--out", description = "results folder (default: results/sweep-<file-name>-<timestamp>)")
    Path out;

    @Option(names = "--parallel", description = "runs at once (default: the number of cores)")
    Integer parallel;

    @Option(names = "--duration", description = "virtual time to simulate per run, e.g. 500ms (default: the file's)")
    String duration;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a key of the file in every run (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--captures", description = "keep the file's capture list (off in sweeps: a pcap per interface per run adds up)")
    boolean captures;

    private final Set<TopologyRun> active = ConcurrentHashMap.newKeySet();
    private volatile String aborted;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        List<SweepPlan.Param> parsed;
        List<SweepPlan.Point> points;
        try {
            if (seeds < 1) throw new SweepPlan.BadInput("--seeds must be at least 1, got " + seeds);
            if (parallel != null && parallel < 1) {
                throw new SweepPlan.BadInput("--parallel must be at least 1, got " + parallel);
            }
            parsed = SweepPlan.parse(params, duration);
            List<String> everyRun = new ArrayList<>(sets);
            if (!captures) everyRun.add("capture=[]");
            List<List<String>> zipped = SweepPlan.zips(zips, parsed);
            points = SweepPlan.points(file, parsed, zipped, everyRun, duration, seed, seeds);
        } catch (SweepPlan.BadInput e) {
            err.println("knetsim sweep: " + e.getMessage());
            err.flush();
            return Main.BAD_INPUT;
        }
        Path dir = out != null ? out : defaultDir(file);
        int k = Math.min(points.size(), parallel != null ? parallel : Runtime.getRuntime().availableProcessors());
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("sweep: %d run%s (%d combination%s x %d seed%s), %d at once, into %s%n", points.size(),
                points.size() == 1 ? "" : "s", points.size() / seeds, points.size() / seeds == 1 ? "" : "s", seeds,
                seeds == 1 ? "" : "s", k, dir);
        stdout.flush();
        try (OnInterrupt ignored = OnInterrupt.install("sweep-interrupt", reason -> {
            aborted = reason;
            active.forEach(r -> r.abort(reason));
        })) {
            List<SweepReport.Row> rows = runAll(points, dir, k, stdout);
            List<String> paths = parsed.stream().map(SweepPlan.Param::path).toList();
            ResultFiles.writeAtomically(dir.resolve("sweep.csv"), SweepReport.csv(paths, rows));
            var stats = SweepReport.points(rows);
            ResultFiles.writeAtomically(dir.resolve("sweep-summary.csv"), SweepReport.summary(paths, stats));
            ResultFiles.writeAtomically(dir.resolve("sweep.html"), SweepPlots.write(dir, paths, stats));
            stdout.print(SweepReport.table(rows));
            stdout.println("results: " + dir.resolve("sweep.csv"));
            stdout.flush();
            long failed = rows.stream().filter(r -> !r.complete()).count();
            if (failed > 0) {
                err.println("knetsim sweep: " + failed + " of " + rows.size() + " runs failed; their rows in "
                        + dir.resolve("sweep.csv") + " say complete=false and why.");
                err.flush();
                return Main.RUN_FAILED;
            }
            return Main.OK;
        }
    }

    /** Runs the points on {@code k} threads; the rows come back in the points' order. */
    private List<SweepReport.Row> runAll(List<SweepPlan.Point> points, Path dir, int k, PrintWriter stdout)
            throws InterruptedException {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(k, r -> {
            Thread t = new Thread(r, "knetsim-sweep-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<SweepReport.Row>> futures = new ArrayList<>();
            for (SweepPlan.Point p : points) {
                futures.add(pool.submit(() -> {
                    SweepReport.Row row = runOne(p, dir.resolve(p.name()));
                    synchronized (stdout) {
                        stdout.printf("  [%d/%d] %s: %s%n", done.incrementAndGet(), points.size(), p.name(),
                                row.complete() ? "done" : "failed (" + row.reason() + ")");
                        stdout.flush();
                    }
                    return row;
                }));
            }
            List<SweepReport.Row> rows = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                SweepPlan.Point p = points.get(i);
                try {
                    rows.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    rows.add(new SweepReport.Row(p.name(), p.values(), p.seed(), false, null, String.valueOf(e.getCause())));
                }
            }
            return rows;
        } finally {
            pool.shutdownNow();
        }
    }

    private SweepReport.Row runOne(SweepPlan.Point p, Path dir) {
        if (aborted != null) return new SweepReport.Row(p.name(), p.values(), p.seed(), false, null, "not started: " + aborted);
        TopologyRun run = new TopologyRun().provenance(RunCommand.commandLine(spec), p.overrides());
        active.add(run);
        try {
            var settings = new TopologyRun.Settings(1, dir, System.out, false, false, h -> {});
            TopologyRun.Outcome outcome = run.run(p.topology(), file.toString(), settings);
            Object reason = outcome.report().summary().get("reason");
            return new SweepReport.Row(p.name(), p.values(), p.seed(), outcome.complete(), outcome.report(),
                    reason == null ? null : reason.toString());
        } catch (IOException | RuntimeException e) {
            String reason = "the run threw " + e;
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("command", "sweep");
            summary.put("config", file.toString());
            summary.put("seed", p.seed());
            summary.put("complete", false);
            summary.put("reason", reason);
            try {
                ResultFiles.writeJson(dir.resolve("summary.json"), summary);
            } catch (IOException ignored) {
                // the row in sweep.csv still says what happened
            }
            return new SweepReport.Row(p.name(), p.values(), p.seed(), false, null, reason);
        } finally {
            active.remove(run);
        }
    }

    static Path defaultDir(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.conf$", "");
        return Path.of("results", "sweep-" + name + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
