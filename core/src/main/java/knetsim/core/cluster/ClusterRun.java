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

/**
 * Runs a scenario over {@code partitions} ActorSystems in {@code jvms} JVMs on loopback: this JVM
 * hosts the coordinator with partition 0 and the partitions {@code p % jvms == 0}; each forked
 * JVM {@code j} hosts {@code p % jvms == j}. Every system and process started here is stopped
 * before {@link #run} returns, on success and on failure alike.
 */
public final class ClusterRun {
    private ClusterRun() {}

    /**
     * @param overrides Akka settings for every system (e.g. dispatcher size), passed to forked JVMs as -D
     * @param onForked  sees each forked member process (tests use it to kill one)
     * @param onBegin   runs once every partition is built and the first round starts
     * @param onEnd     runs when the run has a result or has failed, before the tear-down
     */
    public record Options(int partitions, int jvms, Config overrides, Duration setupTimeout,
                          Consumer<ProcessHandle> onForked, Runnable onBegin, Runnable onEnd) {
        public Options(int partitions, int jvms) {
            this(partitions, jvms, ConfigFactory.empty(), Duration.ofSeconds(60), p -> {}, () -> {}, () -> {});
        }

        public Options withOverrides(Config config) {
            return new Options(partitions, jvms, config, setupTimeout, onForked, onBegin, onEnd);
        }

        public Options withOnForked(Consumer<ProcessHandle> observer) {
            return new Options(partitions, jvms, overrides, setupTimeout, observer, onBegin, onEnd);
        }

        public Options withOnBegin(Runnable action) {
            return new Options(partitions, jvms, overrides, setupTimeout, onForked, action, onEnd);
        }

        public Options withOnEnd(Runnable action) {
            return new Options(partitions, jvms, overrides, setupTimeout, onForked, onBegin, action);
        }
    }

    public static RunResult run(Scenario scenario, Options options) throws RunFailedException {
        int lps = scenario.graph().lpCount();
        if (options.partitions() < 1 || options.partitions() > lps) {
            throw new IllegalArgumentException("partitions must be between 1 and the number of LPs (" + lps
                    + "), got " + options.partitions());
        }
        if (options.jvms() < 1 || options.jvms() > options.partitions()) {
            throw new IllegalArgumentException("jvms must be between 1 and the number of partitions ("
                    + options.partitions() + "), got " + options.jvms());
        }
        CompletableFuture<RunResult> result = new CompletableFuture<>();
        CompletableFuture<Void> allJoined = new CompletableFuture<>();
        CompletableFuture<Void> begun = new CompletableFuture<>();
        begun.thenRunAsync(options.onBegin());
        var coordinatorBehavior = RunCoordinator.create(scenario, options.partitions(), options.jvms(), result,
                allJoined, begun);
        if (options.partitions() == 1) {
            ActorSystem<RunCoordinator.Command> system =
                    ActorSystem.create(coordinatorBehavior, AkkaConfig.SYSTEM_NAME, AkkaConfig.local(options.overrides()));
            try {
                return await(result, options.onEnd());
            } finally {
                terminate(system);
            }
        }
        List<ActorSystem<?>> systems = new ArrayList<>();
        List<Process> processes = new ArrayList<>();
        ActorSystem<RunCoordinator.Command> coordinator = ActorSystem.create(coordinatorBehavior,
                AkkaConfig.SYSTEM_NAME, AkkaConfig.clustered("127.0.0.1", 0, options.overrides()));
        try {
            Address seed = coordinator.address();
            Cluster.get(coordinator).manager().tell(Join.create(seed));
            String coordinatorPath = ActorRefResolver.get(coordinator).toSerializationFormat(coordinator);
            for (int p = 1; p < options.partitions(); p++) {
                if (p % options.jvms() == 0) {
                    systems.add(MemberMain.start(p, "in-process partition " + p, seed, coordinatorPath, options.overrides()));
                }
            }
            for (int j = 1; j < options.jvms(); j++) {
                Process process = fork(j, options, seed, coordinatorPath);
                processes.add(process);
                String name = "jvm-" + j + " (pid " + process.pid() + ")";
                process.onExit().thenAccept(p -> coordinator.tell(
                        new RunCoordinator.MemberLost(name, "exited with code " + p.exitValue() + " during the run")));
                options.onForked().accept(process.toHandle());
            }
            try {
                allJoined.get(options.setupTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                coordinator.tell(new RunCoordinator.AbortRun("members did not join within "
                        + options.setupTimeout().toSeconds() + "s"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                coordinator.tell(new RunCoordinator.AbortRun("interrupted"));
            } catch (ExecutionException e) {
                // the coordinator reports its own failure through the result
            }
            return await(result, options.onEnd());
        } finally {
            for (ActorSystem<?> system : systems) system.terminate();
            for (ActorSystem<?> system : systems) terminate(system);
            terminate(coordinator);
            for (Process process : processes) stop(process);
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

    private static RunResult await(CompletableFuture<RunResult> result, Runnable onEnd) throws RunFailedException {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailedException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RunFailedException failed) throw failed;
            throw new RunFailedException("run failed: " + e.getCause());
        } finally {
            onEnd.run();
        }
    }

    private static void terminate(ActorSystem<?> system) {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a system that will not stop must not hide the run's own outcome
        }
    }

    /** Closing stdin tells the member to go; the pid is killed if it does not. */
    private static void stop(Process process) {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (java.io.IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
