package knetsim.core.cluster;

import akka.actor.Address;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import knetsim.core.engine.Scenario;
import knetsim.core.run.RunCoordinator;
import knetsim.core.run.RunFailedException;
import knetsim.core.run.RunResult;
import knetsim.core.run.SenderCheck;

/**
 * Runs a scenario over {@code partitions} ActorSystems in {@code jvms} JVMs on loopback: this JVM
 * hosts the coordinator with partition 0 and the partitions {@code p % jvms == 0}; each forked
 * JVM {@code j} hosts {@code p % jvms == j}. Every system and process started here is stopped
 * before {@link #run} returns, on success and on failure alike.
 *
 * <p>With {@link Options#withExternalMembers external members}, nothing is forked: the coordinator
 * binds to the given host and port and waits for {@code jvms - 1} members started by hand
 * ({@code knetsim member --join HOST:PORT}, see {@link MemberMain}), gives partition {@code p} to
 * the {@code p}-th member to announce itself, and ships each the scenario.
 */
public final class ClusterRun {
    private ClusterRun() {}

    /**
     * @param overrides Akka settings for every system (e.g. dispatcher size), passed to forked JVMs as -D
     * @param onForked  sees each forked member process (tests use it to kill one)
     * @param onBegin   runs once every partition is built and the first round starts
     * @param onEnd     runs when the run has a result or has failed, before the tear-down
     * @param setupTimeout how long to wait for every member to join (with external members: to be started and join)
     * @param external  null: fork the members; otherwise where to wait for members started by hand
     */
    public record Options(int partitions, int jvms, Config overrides, Duration setupTimeout,
                          Consumer<ProcessHandle> onForked, Runnable onBegin, Runnable onEnd,
                          ExternalMembers external, Remoting remoting) {
        public Options(int partitions, int jvms, Config overrides, Duration setupTimeout,
                       Consumer<ProcessHandle> onForked, Runnable onBegin, Runnable onEnd, ExternalMembers external) {
            this(partitions, jvms, overrides, setupTimeout, onForked, onBegin, onEnd, external, Remoting.FRESH_KEY);
        }

        public Options(int partitions, int jvms) {
            this(partitions, jvms, ConfigFactory.empty(), Duration.ofSeconds(60), p -> {}, () -> {}, () -> {}, null);
        }

        /** How the systems of the run authenticate each other (default: TLS with a fresh key per run). */
        public Options withRemoting(Remoting how) {
            return new Options(partitions, jvms, overrides, setupTimeout, onForked, onBegin, onEnd, external, how);
        }

        public Options withOverrides(Config config) {
            return new Options(partitions, jvms, config, setupTimeout, onForked, onBegin, onEnd, external, remoting);
        }

        public Options withOnForked(Consumer<ProcessHandle> observer) {
            return new Options(partitions, jvms, overrides, setupTimeout, observer, onBegin, onEnd, external, remoting);
        }

        public Options withOnBegin(Runnable action) {
            return new Options(partitions, jvms, overrides, setupTimeout, onForked, action, onEnd, external, remoting);
        }

        public Options withOnEnd(Runnable action) {
            return new Options(partitions, jvms, overrides, setupTimeout, onForked, onBegin, action, external, remoting);
        }

        public Options withSetupTimeout(Duration timeout) {
            return new Options(partitions, jvms, overrides, timeout, onForked, onBegin, onEnd, external, remoting);
        }

        /**
         * Fork nothing: bind the coordinator to {@code bindHost:bindPort} (port 0 picks a free one)
         * and wait for {@code count} members started by hand. Needs {@code partitions == jvms == count + 1}.
         */
        public Options withExternalMembers(int count, String bindHost, int bindPort) {
            return withExternalMembers(new ExternalMembers(count, bindHost, bindPort, a -> {}));
        }

        public Options withExternalMembers(ExternalMembers members) {
            return new Options(partitions, jvms, overrides, setupTimeout, onForked, onBegin, onEnd, members, remoting);
        }
    }

    /**
     * How the systems of a run reach each other: TLS with mutual authentication by a run key (a fresh one
     * made for the run and deleted after it, or the file {@code secret}), or plain TCP.
     */
    public record Remoting(boolean tls, Path secret) {
        /** TLS with a key made for this run alone, in a directory only this user can read (the default). */
        public static final Remoting FRESH_KEY = new Remoting(true, null);
        /** Plain TCP: whoever reaches a port can talk to the run; only the checks of senders remain. */
        public static final Remoting PLAIN = new Remoting(false, null);

        /** TLS with the key in {@code file} ({@link RunKey}), which members started by hand are given too. */
        public static Remoting secret(Path file) {
            return new Remoting(true, file);
        }
    }

    /**
     * Members started by hand on other machines (or here).
     *
     * @param onListening told the bound {@code host:port} once the coordinator listens, before any member joins
     */
    public record ExternalMembers(int count, String bindHost, int bindPort, String advertiseHost,
                                  Consumer<String> onListening) {
        public ExternalMembers(int count, String bindHost, int bindPort, Consumer<String> onListening) {
            this(count, bindHost, bindPort, null, onListening);
        }
    }

    /** Starts a run and waits for its result; everything started is stopped before it returns. */
    public static RunResult run(Scenario scenario, Options options) throws RunFailedException {
        return start(scenario, options).await();
    }

    /**
     * Builds the ActorSystems and member JVMs of a run and starts it. The caller must call
     * {@link RunHandle#await()}, which also tears everything down; {@link RunHandle#abort} ends
     * the run early with a reason that await() reports.
     */
    public static RunHandle start(Scenario scenario, Options options) {
        int lps = scenario.graph().lpCount();
        if (options.partitions() < 1 || options.partitions() > lps) {
            throw new IllegalArgumentException("partitions must be between 1 and the number of LPs (" + lps
                    + "), got " + options.partitions());
        }
        if (options.jvms() < 1 || options.jvms() > options.partitions()) {
            throw new IllegalArgumentException("jvms must be between 1 and the number of partitions ("
                    + options.partitions() + "), got " + options.jvms());
        }
        ExternalMembers external = options.external();
        if (external != null && (external.count() < 1 || options.jvms() != external.count() + 1
                || options.partitions() != options.jvms())) {
            throw new IllegalArgumentException("external members host one partition each: need at least 1 member and"
                    + " partitions = jvms = members + 1, got " + external.count() + " members, "
                    + options.partitions() + " partitions, " + options.jvms() + " JVMs");
        }
        CompletableFuture<RunResult> result = new CompletableFuture<>();
        CompletableFuture<Void> allJoined = new CompletableFuture<>();
        CompletableFuture<Void> begun = new CompletableFuture<>();
        begun.thenRunAsync(options.onBegin());
        SenderCheck senders = new SenderCheck("the launcher");
        var coordinatorBehavior = RunCoordinator.create(scenario, options.partitions(), options.jvms(),
                external != null, result, allJoined, begun, senders);
        if (options.partitions() == 1) {
            return new RunHandle(ActorSystem.create(coordinatorBehavior, AkkaConfig.SYSTEM_NAME,
                    AkkaConfig.local(options.overrides())), result, allJoined, options, null, senders, null);
        }
        Path freshKey = null;
        if (options.remoting().tls()) {
            Path secret = options.remoting().secret();
            if (secret == null) {
                try {
                    secret = freshKey = RunKey.writeFresh();
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("cannot write the run's key: " + e.getMessage(), e);
                }
            } else {
                RunKey.read(secret); // a missing or unsafe file is refused here, with its name, not by Artery
            }
            // in the overrides, forked members get it as -D properties
            options = options.withOverrides(AkkaConfig.tls(secret).withFallback(options.overrides()));
        }
        if (external != null) {
            return startListening(coordinatorBehavior, external, result, allJoined, options, senders, freshKey);
        }
        RunHandle handle;
        try {
            handle = new RunHandle(ActorSystem.create(coordinatorBehavior, AkkaConfig.SYSTEM_NAME,
                    AkkaConfig.coordinator("127.0.0.1", 0, options.overrides())), result, allJoined, options, null,
                    senders, freshKey);
        } catch (RuntimeException e) {
            if (freshKey != null) RunKey.deletePrivate(freshKey);
            throw e;
        }
        try {
            ActorSystem<RunCoordinator.Command> coordinator = handle.coordinator;
            Address seed = coordinator.address();
            Cluster.get(coordinator).manager().tell(Join.create(seed));
            String coordinatorPath = ActorRefResolver.get(coordinator).toSerializationFormat(coordinator);
            for (int p = 1; p < options.partitions(); p++) {
                if (p % options.jvms() == 0) {
                    handle.systems.add(MemberMain.start(p, "in-process partition " + p, seed, coordinatorPath,
                            options.overrides()));
                }
            }
            for (int j = 1; j < options.jvms(); j++) {
                Process process = fork(j, options, seed, coordinatorPath);
                handle.processes.add(process);
                String name = "jvm-" + j + " (pid " + process.pid() + ")";
                process.onExit().thenAccept(p -> coordinator.tell(
                        new RunCoordinator.MemberLost(name, "exited with code " + p.exitValue() + " during the run")));
                StoppedWatch.start(process, name, allJoined, coordinator);
                options.onForked().accept(process.toHandle());
            }
            return handle;
        } catch (RuntimeException e) {
            handle.tearDown();
            throw e;
        }
    }

    private static RunHandle startListening(akka.actor.typed.Behavior<RunCoordinator.Command> coordinatorBehavior,
                                            ExternalMembers external, CompletableFuture<RunResult> result,
                                            CompletableFuture<Void> allJoined, Options options, SenderCheck senders,
                                            Path freshKey) {
        ActorSystem<RunCoordinator.Command> coordinator;
        try {
            coordinator = ActorSystem.create(coordinatorBehavior, AkkaConfig.SYSTEM_NAME,
                    AkkaConfig.coordinator(external.bindHost(), external.advertiseHost(), external.bindPort(),
                            options.overrides()));
        } catch (RuntimeException e) {
            if (freshKey != null) RunKey.deletePrivate(freshKey);
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
            throw new IllegalStateException("cannot listen at " + external.bindHost() + ":" + external.bindPort()
                    + ": " + cause.getMessage(), e);
        }
        Address self = coordinator.address();
        String where = self.getHost().get() + ":" + self.getPort().get();
        RunHandle handle = new RunHandle(coordinator, result, allJoined, options, where, senders, freshKey);
        try {
            Cluster.get(coordinator).manager().tell(Join.create(self));
            external.onListening().accept(where);
            return handle;
        } catch (RuntimeException e) {
            handle.tearDown();
            throw e;
        }
    }

    /** A started run: wait for it, or abort it. */
    public static final class RunHandle {
        private final ActorSystem<RunCoordinator.Command> coordinator;
        private final List<ActorSystem<?>> systems = new ArrayList<>();
        private final List<Process> processes = new ArrayList<>();
        private final CompletableFuture<RunResult> result;
        private final CompletableFuture<Void> allJoined;
        private final Options options;
        private final String listening;
        private final SenderCheck senders;
        private final Path freshKey;
        private boolean tornDown;

        private RunHandle(ActorSystem<RunCoordinator.Command> coordinator, CompletableFuture<RunResult> result,
                          CompletableFuture<Void> allJoined, Options options, String listening, SenderCheck senders,
                          Path freshKey) {
            this.coordinator = coordinator;
            this.listening = listening;
            this.senders = senders;
            this.freshKey = freshKey;
            // a fatal error (OutOfMemoryError) in an actor stops the system (jvm-exit-on-fatal-error = off)
            coordinator.getWhenTerminated().thenRun(() -> result.completeExceptionally(new RunFailedException(
                    "the launcher's actor system stopped on a fatal error, most often running out of memory;"
                    + " give the JVM more heap with -Xmx (KNETSIM_JAVA_OPTS=-Xmx8g ./knetsim run ...)")));
            this.result = result;
            this.allJoined = allJoined;
            this.options = options;
        }

        /** Where the coordinator waits for external members ({@code host:port}), or null when it forks them. */
        public String listening() {
            return listening;
        }

        /** Messages the launcher has refused so far because they came from outside the run. */
        public long refusedMessages() {
            return senders.refused();
        }

        /** Ends the run; {@link #await()} then fails with this reason. Safe from any thread, any time. */
        public void abort(String reason) {
            coordinator.tell(new RunCoordinator.AbortRun(reason));
        }

        /** The result, or the reason the run failed; stops every system and process of the run. */
        public RunResult await() throws RunFailedException {
            try {
                try {
                    allJoined.get(options.setupTimeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    coordinator.tell(new RunCoordinator.JoinTimedOut(options.setupTimeout().toSeconds(),
                            listening != null ? listening : coordinator.address().toString()));
                } catch (ExecutionException e) {
                    // the coordinator reports its own failure through the result
                }
                return result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abort("interrupted");
                throw new RunFailedException("interrupted");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RunFailedException failed) throw failed;
                throw new RunFailedException("run failed: " + e.getCause());
            } finally {
                options.onEnd().run();
                tearDown();
            }
        }

        // Every system and process is told to stop at once and all are given one deadline together: a run that
        // failed is over when its reason is known, and an ActorSystem whose remoting hangs in its shutdown (Artery
        // over TLS can) must not hold the launcher for the sum of one wait per system and per process.
        private synchronized void tearDown() {
            if (tornDown) return;
            tornDown = true;
            long deadline = System.nanoTime() + STOP_WITHIN.toNanos();
            for (ActorSystem<?> system : systems) system.terminate();
            coordinator.terminate();
            for (ActorSystem<?> system : systems) awaitStopped(system, deadline);
            awaitStopped(coordinator, deadline);
            // after the coordinator's Shutdown has had its chance: a member that reads end of file first says so
            for (Process process : processes) closeStdin(process);
            for (Process process : processes) stop(process, Math.max(deadline, System.nanoTime() + MEMBER_GRACE_NS));
            if (freshKey != null) RunKey.deletePrivate(freshKey);
        }
    }

    private static Process fork(int jvm, Options options, Address seed, String coordinatorPath) {
        StringBuilder partitions = new StringBuilder();
        for (int p = 1; p < options.partitions(); p++) {
            if (p % options.jvms() == jvm) partitions.append(partitions.length() == 0 ? "" : ",").append(p);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        for (Map.Entry<String, ConfigValue> e : options.overrides().entrySet()) {
            command.add("-D" + e.getKey() + "=" + e.getValue().unwrapped());
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MemberMain.class.getName(),
                "--join", seed.getHost().get() + ":" + seed.getPort().get(),
                "--coordinator", coordinatorPath, "--partitions", partitions.toString(), "--name", "jvm-" + jvm));
        try {
            return new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start member JVM: " + e.getMessage(), e);
        }
    }

    /**
     * How long a run's systems and member processes together get to stop once the run has its result or its
     * reason; a system still stopping then is left to the JVM's exit, a member process is killed.
     */
    static final Duration STOP_WITHIN = Duration.ofSeconds(5);
    /** A member process's time to exit after its stdin closes, however long the systems took. */
    private static final long MEMBER_GRACE_NS = TimeUnit.SECONDS.toNanos(1);

    private static void awaitStopped(ActorSystem<?> system, long deadline) {
        try {
            system.getWhenTerminated().toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            System.err.println("knetsim: the actor system at " + system.address() + " did not stop within "
                    + STOP_WITHIN.toSeconds() + " s; left to stop with this JVM");
        } catch (Exception e) {
            // a system that will not stop must not hide the run's own outcome
        }
    }

    /** Closing stdin tells the member to go (it halts at end of file). */
    private static void closeStdin(Process process) {
        try {
            process.getOutputStream().close();
        } catch (java.io.IOException e) {
            process.destroyForcibly();
        }
    }

    /** Waits for a member until {@code deadline}, then kills it: no member outlives its run. */
    private static void stop(Process process, long deadline) {
        try {
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                process.destroy();
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
