package knetsim.topology.run;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import knetsim.core.cluster.AkkaConfig;
import knetsim.core.cluster.ClusterRun;
import knetsim.core.run.RunFailedException;
import knetsim.core.run.RunProgress;
import knetsim.core.run.RunResult;
import knetsim.core.time.SimTime;
import knetsim.topology.cli.Versions;
import knetsim.topology.config.Projection;
import knetsim.topology.config.Topology;
import knetsim.topology.results.Progress;
import knetsim.topology.results.ResultFiles;
import knetsim.topology.results.ResultsWriter;
import knetsim.topology.results.RunReport;

/**
 * One run of a topology: place it on the members, run it (forking N-1 member JVMs on loopback),
 * gather what every LP reported, and write the results folder. Wall-clock time is read here only
 * to report how long things took; it never reaches the model.
 */
public final class TopologyRun {
    /** How a run went: the report written (complete or not) and the exit code for the CLI. */
    public record Outcome(boolean complete, RunReport report, Path dir) {}

    /**
     * @param onForked sees each member JVM started (tests kill one); {@code terminal} picks the progress style
     * @param listen   null: fork members-1 JVMs; otherwise wait there for members started by hand
     */
    public record Settings(int members, Path dir, PrintStream out, boolean terminal, boolean progress,
                           Consumer<ProcessHandle> onForked, Listen listen) {
        public Settings(int members, Path dir, PrintStream out, boolean terminal, boolean progress,
                        Consumer<ProcessHandle> onForked) {
            this(members, dir, out, terminal, progress, onForked, null);
        }
    }

    /**
     * Where the launcher waits for {@code knetsim member}s and for how long.
     *
     * @param advertise   the address members join at when {@code host} is a wildcard such as 0.0.0.0 (null: the
     *                    machine's first non-loopback address)
     * @param onListening told the advertised {@code host:port} (the real port when 0 was asked for)
     */
    public record Listen(String host, int port, String advertise, Duration waitMembers, Consumer<String> onListening) {
        public Listen(String host, int port, Duration waitMembers, Consumer<String> onListening) {
            this(host, port, null, waitMembers, onListening);
        }
    }

    private volatile ClusterRun.RunHandle handle;
    private String commandLine;
    private List<String> overrides = List.of();
    private ResultsWriter.Options output = ResultsWriter.Options.DEFAULT;
    private ClusterRun.Remoting remoting = ClusterRun.Remoting.FRESH_KEY;
    private double loadSeconds = Double.NaN;

    /**
     * How the members authenticate each other: by default TLS with a key made for this run (with --listen
     * it is written to a private temporary file that the 'waiting for' line names), or the key in a given
     * file, or plain TCP.
     */
    public TopologyRun remoting(ClusterRun.Remoting how) {
        this.remoting = how;
        return this;
    }

    /** How much the results folder holds (plots, rows in the report, compression). */
    public TopologyRun output(ResultsWriter.Options options) {
        this.output = options;
        return this;
    }

    /**
     * What the results folder records of how the run was asked for: the command line (command.txt)
     * and the overrides applied to the file (--set, --param, --seed, --duration), in order.
     */
    public TopologyRun provenance(String commandLine, List<String> overrides) {
        this.commandLine = commandLine;
        this.overrides = List.copyOf(overrides);
        return this;
    }

    /** How long reading and checking the file took before this run was asked for (summary.json's loadSeconds). */
    public TopologyRun loadedIn(double seconds) {
        this.loadSeconds = seconds;
        return this;
    }

    /** Ends a run early (Ctrl-C): the outcome is incomplete with this reason. */
    public void abort(String reason) {
        ClusterRun.RunHandle h = handle;
        if (h != null) h.abort(reason);
    }

    public Outcome run(Topology topology, String configFile, Settings settings) throws IOException {
        long started = System.nanoTime();
        HeapWatch.reset();
        TopologyScenario scenario = TopologyScenario.of(topology);
        Placement placement = scenario.placement(settings.members());
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("command", "run");
        summary.put("config", configFile);
        summary.put("configSha256", topology.sha256());
        summary.put("overrides", overrides);
        summary.put("seed", topology.seed());
        summary.put("durationNs", topology.durationNs());
        summary.put("members", settings.members());
        summary.put("nodes", topology.nodes().size() + topology.switches().size());
        summary.put("lps", scenario.network().scopes().size());
        summary.put("placement", placement.partitionOfNode());
        summary.put("cut", placement.cut());
        long projected = Projection.events(topology);
        summary.put("projectedEvents", projected);
        if (settings.progress() && projected > 0) {
            settings.out().printf(java.util.Locale.ROOT, "projected: at least %,d events%n", projected);
        }
        AtomicLong begun = new AtomicLong(), ended = new AtomicLong();
        var options = new ClusterRun.Options(settings.members(), settings.members())
                .withOverrides(AkkaConfig.dispatcher(Runtime.getRuntime().availableProcessors(), 100))
                .withOnForked(settings.onForked())
                .withOnBegin(() -> begun.set(System.nanoTime()))
                .withOnEnd(() -> ended.set(System.nanoTime()));
        Listen listen = settings.listen();
        java.nio.file.Path freshKey = null;
        ClusterRun.Remoting how = remoting;
        if (listen != null && how.tls() && how.secret() == null) {
            // members started by hand need the file: the launcher names it, and deletes it after the run
            freshKey = knetsim.core.cluster.RunKey.writeFresh();
            how = ClusterRun.Remoting.secret(freshKey);
        }
        options = options.withRemoting(how);
        if (listen != null) {
            int others = settings.members() - 1;
            String secretOption = !how.tls() ? " --insecure" : " --secret " + how.secret().toAbsolutePath();
            String copyHint = !how.tls() ? "; plain TCP: anyone who reaches the port can talk to this run"
                    : "; copy that key file to each member's machine, readable only by you";
            options = options.withSetupTimeout(listen.waitMembers())
                    .withExternalMembers(new ClusterRun.ExternalMembers(others, listen.host(), listen.port(),
                            listen.advertise(), where -> {
                        summary.put("listen", where);
                        settings.out().println("waiting for " + others + " member" + (others == 1 ? "" : "s")
                                + " to join at " + where + " (start each with: knetsim member --join " + where
                                + secretOption + copyHint + ")");
                        settings.out().flush();
                        listen.onListening().accept(where);
                    }));
        }
        // rendered and written on its own thread while the network is built and run; awaited before the results
        java.util.concurrent.CompletableFuture<Void> provenance = writeProvenance(settings.dir(), topology);
        ResultsWriter.warmUp();
        RunProgress.reset();
        Progress progress = null;
        Thread watcher = null;
        RunResult result = null;
        String failure = null;
        try {
            handle = ClusterRun.start(scenario, options);
            // after start: with --listen, the waiting line comes first and stays above the bar
            progress = settings.progress() ? Progress.start(topology.durationNs(), settings.terminal(), settings.out()) : null;
            watcher = progress == null ? null : startWatcher(progress);
            result = handle.await();
        } catch (RunFailedException | IllegalArgumentException | IllegalStateException e) {
            failure = e.getMessage();
        } catch (OutOfMemoryError e) {
            // ends the run like any failure: exit 1, an incomplete summary, no stack trace
            ClusterRun.RunHandle h = handle;
            handle = null;
            result = null;
            if (h != null) h.abort("out of memory");
            failure = "out of memory (this JVM may use " + (Runtime.getRuntime().maxMemory() >> 20) + " MB of heap);"
                    + " give it more with -Xmx (KNETSIM_JAVA_OPTS=-Xmx8g ./knetsim run ...)";
        } finally {
            if (freshKey != null) knetsim.core.cluster.RunKey.deletePrivate(freshKey);
            if (watcher != null) {
                watcher.interrupt();
                try {
                    watcher.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (progress != null) {
                // the last line says what the summary says: the run's own count, over every member
                progress.update(result != null ? topology.durationNs() : RunProgress.virtualTime(),
                        result != null ? result.events() : RunProgress.events());
                progress.finish();
            }
        }
        scenario.forgetLps(); // the model's LPs are done: the results are built from what they reported
        awaitProvenance(provenance);
        double wall = (System.nanoTime() - started) / 1e9;
        summary.put("wallSeconds", wall);
        summary.put("peakHeapMb", peakHeapMb());
        summary.put("peakHeapAfterGcMb", HeapWatch.peakMb());
        summary.put("versions", Versions.all());
        summary.put("machine", machine());
        if (result == null) {
            summary.put("complete", false);
            summary.put("reason", failure);
            RunReport report = new RunReport(summary, List.of(), List.of(), List.of(), List.of(), List.of());
            ResultsWriter.write(settings.dir(), report);
            return new Outcome(false, report, settings.dir());
        }
        double running = Math.max(1e-9, (ended.get() - begun.get()) / 1e9);
        if (!Double.isNaN(loadSeconds)) summary.put("loadSeconds", loadSeconds); // before setupSeconds: not in wallSeconds
        summary.put("setupSeconds", (begun.get() - started) / 1e9);
        summary.put("runSeconds", running);
        summary.put("events", result.events());
        summary.put("eventsPerSecond", Math.round(result.events() / running));
        summary.put("virtualSeconds", SimTime.toSeconds(result.lastEventTime()));
        summary.put("lookaheadLocalNs", nullIfNever(result.lookaheadLocalNs()));
        summary.put("lookaheadGlobalNs", nullIfNever(result.lookaheadGlobalNs()));
        summary.put("rounds", result.rounds());
        summary.put("windows", result.windows());
        summary.put("digest", result.digest());
        summary.put("complete", true);
        long writing = System.nanoTime();
        ReportAssembler.Rows rows = ReportAssembler.rows(result, scenario.network(), topology);
        List<String> pcaps = ReportAssembler.writePcaps(settings.dir(), result, topology.captureSnaplen());
        Map<String, Integer> exitStatus = ReportAssembler.writeAppOutputs(settings.dir(), result);
        ReportAssembler.writeNeighbours(settings.dir(), result, scenario.network(), output);
        if (!exitStatus.isEmpty()) summary.put("exitStatus", exitStatus); // ping's, by process
        List<knetsim.node.script.SyscallChunk> syscalls = new java.util.ArrayList<>();
        List<knetsim.node.script.ScriptReport> scripts = new java.util.ArrayList<>();
        for (var items : result.reports().values()) {
            for (var item : items) {
                if (item instanceof knetsim.node.script.SyscallChunk c) syscalls.add(c);
                else if (item instanceof knetsim.node.script.ScriptReport s) scripts.add(s);
            }
        }
        if (knetsim.topology.results.SyscallsCsv.write(settings.dir(), syscalls, output)) summary.put("syscalls", syscalls.stream().mapToLong(c -> c.size()).sum());
        if (!scripts.isEmpty()) summary.put("scripts", ScriptOutcomes.summarize(scripts, topology));
        List<String> unmatched = new java.util.ArrayList<>();
        SeriesProbes.resolve(topology.record(), scenario.network().scopes(), unmatched);
        if (!unmatched.isEmpty()) summary.put("seriesNotRecorded", unmatched); // no LP has such a counter
        RunReport report = new RunReport(summary, rows.counters(), rows.drops(), rows.flows(), rows.series(), pcaps,
                rows.flowDrops(), rows.fct());
        ResultFiles.writeAtomically(settings.dir().resolve("topology.svg"), TopologyPicture.svg(topology, rows.drops()));
        ResultsWriter.write(settings.dir(), report, output, () -> Map.of("resultsSeconds", (System.nanoTime() - writing) / 1e9));
        return new Outcome(true, report, settings.dir());
    }

    // where it ran: display only, never part of the model
    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        return m;
    }

    // config.resolved.conf and command.txt: enough to run the same thing again (on a thread of its own)
    private java.util.concurrent.CompletableFuture<Void> writeProvenance(Path dir, Topology topology) {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                ResultFiles.writeAtomically(dir.resolve("config.resolved.conf"),
                        ResolvedConfig.render(topology).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (commandLine != null) {
                    ResultFiles.writeAtomically(dir.resolve("command.txt"),
                            (commandLine + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, "knetsim-provenance");
        t.setDaemon(true);
        t.start();
        return done;
    }

    // the provenance files exist before any result is written; their failure is the run's
    private static void awaitProvenance(java.util.concurrent.CompletableFuture<Void> provenance) throws IOException {
        try {
            provenance.join();
        } catch (java.util.concurrent.CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) throw io;
            if (cause instanceof RuntimeException re) throw re;
            if (cause instanceof Error err) throw err;
            throw new IOException(cause);
        }
    }

    // Polls how far partition 0 has got, for the display only.
    private static Thread startWatcher(Progress progress) {
        Thread t = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    progress.update(RunProgress.virtualTime(), RunProgress.events());
                    Thread.sleep(200); // the launcher's display refresh, outside the model
                }
            } catch (InterruptedException done) {
                // the run is over
            }
        }, "knetsim-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Long nullIfNever(long nanos) {
        return nanos == SimTime.NEVER ? null : nanos;
    }

    /** This JVM's heap high-water mark: the sum of every heap pool's peak (an upper bound; members are not counted). */
    static long peakHeapMb() {
        long bytes = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getPeakUsage() != null) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes >> 20;
    }
}
