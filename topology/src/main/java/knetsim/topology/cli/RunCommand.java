package knetsim.topology.cli;

import akka.actor.Address;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import knetsim.topology.config.Topology;
import knetsim.topology.results.ResultsWriter;
import knetsim.topology.results.SummaryTable;
import knetsim.topology.run.MemoryEstimate;
import knetsim.topology.run.TopologyRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code knetsim run FILE}: validate, run with a progress bar, write the results folder, print the summary. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run a topology file and write its results folder (summary.json, counters.csv, drops.csv,",
                "flows.csv, series.csv, pcap/, plots/, report.html). The same file and seed give the same digest",
                "for any --members."})
public final class RunCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the topology file (HOCON)")
    Path file;

    @Option(names = "--seed", description = "the run's seed (default: the file's)")
    Long seed;

    @Option(names = "--duration", description = "virtual time to simulate, e.g. 500ms (default: the file's)")
    String duration;

    @Option(names = "--members", defaultValue = "1", description = "JVMs to spread the run over; more than 1 forks local members on 127.0.0.1, unless --listen (default ${DEFAULT-VALUE})")
    int members;

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = Converters.HostPort.class,
            description = {"fork nothing: listen at HOST:PORT (an address of this machine the members reach; port 0 picks one)",
                    "and wait for --members minus 1 members started with 'knetsim member --join HOST:PORT'"})
    Address listen;

    @Option(names = "--advertise", paramLabel = "HOST",
            description = {"with --listen: the address of this machine the members join at, when --listen binds a",
                    "wildcard such as 0.0.0.0 (default: its first non-loopback address)"})
    String advertise;

    @Option(names = "--secret", paramLabel = "FILE",
            description = {"with --listen: the run's key, which each member is given with 'knetsim member --secret FILE';",
                    "made (readable only by you) if FILE does not exist. Default: a fresh key for this run alone, in",
                    "a private temporary file that the 'waiting for' line names and the run deletes"})
    Path secret;

    @Option(names = "--insecure",
            description = {"plain TCP between the launcher and its members instead of TLS with the run's key: any",
                    "process that reaches their ports can talk to the run. Only on a network you trust"})
    boolean insecure;

    @Option(names = "--wait-members", paramLabel = "DURATION", converter = Converters.PositiveDuration.class,
            description = "with --listen: how long to wait for the members to join (default 60s)")
    Duration waitMembers;

    @Option(names = "--out", description = "results folder (default: results/<file-name>-<timestamp>)")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a key of the file, e.g. links[0].delay=5ms (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--no-progress", description = "no progress display")
    boolean noProgress;

    @Option(names = "--plots", paramLabel = "WHICH", defaultValue = "default",
            description = {"default: one plot per recorded series, one goodput overlay of the top flows, CDFs beyond --top",
                    "flows; all: also one plot per flow (default: ${DEFAULT-VALUE})"})
    String plots;

    @Option(names = "--plot-format", paramLabel = "FORMAT", split = ",",
            description = "also write each plot as svg and/or pdf (PNG is always written, for the report)")
    List<String> plotFormats = new ArrayList<>();

    @Option(names = "--top", paramLabel = "N", defaultValue = "8",
            description = "rows in the report's tables and flows named in an overlay plot (default ${DEFAULT-VALUE}); the CSVs keep all")
    int top;

    @Option(names = "--compress", description = "gzip the CSV files (NAME.csv.gz)")
    boolean compress;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        List<String> overrides = new ArrayList<>(sets);
        if (seed != null) overrides.add("seed=" + seed);
        if (duration != null) {
            try {
                if (knetsim.topology.config.Units.durationNs(duration) <= 0) throw new IllegalArgumentException("not positive");
            } catch (RuntimeException e) {
                err.println("knetsim run: --duration: expected a duration above 0 like 500ms, 1.5us or 10s, got \"" + duration + "\"");
                err.flush();
                return Main.BAD_INPUT;
            }
            overrides.add("duration=" + duration);
        }
        if (listen != null && members < 2) {
            err.println("knetsim run: --listen waits for members started by hand, so it needs --members 2 or more, got "
                    + members);
            err.flush();
            return Main.BAD_INPUT;
        }
        if (advertise != null && listen == null) {
            err.println("knetsim run: --advertise applies only with --listen");
            err.flush();
            return Main.BAD_INPUT;
        }
        if (waitMembers != null && listen == null) {
            err.println("knetsim run: --wait-members applies only with --listen (forked members are waited for by"
                    + " themselves)");
            err.flush();
            return Main.BAD_INPUT;
        }
        if (secret != null && (listen == null || insecure)) {
            err.println("knetsim run: --secret applies only with --listen and without --insecure (forked members are"
                    + " given a fresh key of their own)");
            err.flush();
            return Main.BAD_INPUT;
        }
        knetsim.core.cluster.ClusterRun.Remoting remoting = knetsim.core.cluster.ClusterRun.Remoting.FRESH_KEY;
        if (insecure) {
            remoting = knetsim.core.cluster.ClusterRun.Remoting.PLAIN;
        } else if (secret != null) {
            String problem = MemberCommand.secretProblem(secret, true, spec.commandLine().getOut());
            if (problem != null) {
                err.println("knetsim run: --secret: " + problem);
                err.flush();
                return Main.BAD_INPUT;
            }
            remoting = knetsim.core.cluster.ClusterRun.Remoting.secret(secret);
        }
        ResultsWriter.Options output = outputOptions(err, plots, plotFormats, top, compress, "run");
        if (output == null) return Main.BAD_INPUT;
        long loading = System.nanoTime(); // display only, as every *Seconds of summary.json
        Topology topology = ValidateCommand.load(err, file, overrides, members, "run");
        if (topology == null) return Main.BAD_INPUT;
        double loadSeconds = (System.nanoTime() - loading) / 1e9;
        // forked members run with -Xmx1g (ClusterRun): each JVM's share must fit the smaller heap
        long heap = Runtime.getRuntime().maxMemory();
        String tooBig = MemoryEstimate.refusal(topology, members, members > 1 && listen == null
                ? Math.min(heap, 1L << 30) : heap);
        if (tooBig != null) {
            err.println("knetsim run: " + tooBig);
            err.flush();
            return Main.RUN_FAILED;
        }
        Path dir = out != null ? out : defaultDir(file);
        TopologyRun run = new TopologyRun().provenance(commandLine(spec), overrides).output(output).remoting(remoting)
                .loadedIn(loadSeconds);
        try (OnInterrupt ignored = OnInterrupt.install("run-interrupt", run::abort)) {
            var settings = new TopologyRun.Settings(members, dir, System.out, System.console() != null, !noProgress,
                    p -> {}, listen == null ? null : new TopologyRun.Listen(listen.getHost().get(), listen.getPort().get(),
                            advertise, waitMembers != null ? waitMembers : Duration.ofSeconds(60), where -> {}));
            TopologyRun.Outcome outcome = run.run(topology, file.toString(), settings);
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(SummaryTable.render(outcome.report(), System.console() != null));
            knetsim.topology.run.ScriptOutcomes.lines(outcome.report().summary().get("scripts")).forEach(stdout::println);
            stdout.println("results: " + dir);
            stdout.flush();
            if (!outcome.complete()) {
                err.println("knetsim run: the run failed: " + outcome.report().summary().get("reason"));
                err.println("  (summary marked incomplete: " + dir.resolve("summary.json") + ")");
                err.flush();
                return Main.RUN_FAILED;
            }
            String script = knetsim.topology.run.ScriptOutcomes.strictFailure(outcome.report().summary().get("scripts"));
            if (script != null) {
                err.println("knetsim run: " + script);
                err.flush();
                return Main.RUN_FAILED;
            }
            return Main.OK;
        }
    }

    /** The output options, or null after saying on {@code err} what is wrong with them. */
    static ResultsWriter.Options outputOptions(PrintWriter err, String plots, List<String> formats, int top, boolean compress,
                                               String command) {
        String problem = null;
        if (!plots.equals("default") && !plots.equals("all")) problem = "--plots takes default or all, got " + plots;
        for (String f : formats) {
            if (!f.equals("svg") && !f.equals("pdf")) problem = "--plot-format takes svg or pdf, got " + f;
        }
        if (top < 1) problem = "--top must be at least 1, got " + top;
        if (problem != null) {
            err.println("knetsim " + command + ": " + problem);
            err.flush();
            return null;
        }
        return new ResultsWriter.Options(plots.equals("all"), top, formats.stream().distinct().toList(), compress);
    }

    /** "knetsim run ..." as typed, each argument quoted for a POSIX shell when it needs it. */
    static String commandLine(picocli.CommandLine.Model.CommandSpec spec) {
        StringBuilder line = new StringBuilder("knetsim");
        List<String> args = new ArrayList<>();
        for (picocli.CommandLine.Model.CommandSpec s = spec; s != null; s = s.parent()) {
            if (s.parent() == null) args.addAll(0, s.commandLine().getParseResult().originalArgs());
        }
        for (String a : args) line.append(' ').append(shellQuote(a));
        return line.toString();
    }

    static String shellQuote(String s) {
        if (!s.isEmpty() && s.matches("[A-Za-z0-9_./:=@%+,-]+")) return s;
        return "'" + s.replace("'", "'\\''") + "'";
    }

    static Path defaultDir(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.conf$", "");
        return Path.of("results", name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }
}
