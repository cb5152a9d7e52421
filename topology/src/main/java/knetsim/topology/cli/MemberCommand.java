package knetsim.topology.cli;

import akka.actor.Address;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import knetsim.core.cluster.AkkaConfig;
import knetsim.core.cluster.RunKey;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import knetsim.core.cluster.MemberMain;
import knetsim.core.run.MemberAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code knetsim member --join HOST:PORT}: a cluster member started by hand that serves one run. */
@Command(name = "member", mixinStandardHelpOptions = true,
        description = {"Join the run of a launcher started with 'knetsim run FILE --members N --listen HOST:PORT'",
                "(on another machine, or on this one) and host the part of the network it is given.",
                "A member serves ONE run, then exits: 0 when the run finished, 1 when it could not join in",
                "time, was not wanted, lost the launcher or the run failed. Start one per extra member, from",
                "the same knetsim version as the launcher."})
public final class MemberCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--join", required = true, paramLabel = "HOST:PORT", converter = Converters.HostPort.class,
            description = "where the launcher listens (its --listen address)")
    Address join;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "the address of this machine that the launcher and the other members reach it at; remoting binds to it (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "0", description = "the port to listen on; 0 picks a free one (default ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--secret", paramLabel = "FILE",
            description = {"the run's key: the file the launcher's 'waiting for' line names (or its --secret FILE),",
                    "copied here readable only by you. Every connection of the run is TLS, mutually authenticated with it"})
    Path secret;

    @Option(names = "--insecure", description = "plain TCP, for a launcher started with --insecure")
    boolean insecure;

    @Option(names = "--join-timeout", defaultValue = "60s", paramLabel = "DURATION", converter = Converters.PositiveDuration.class,
            description = "give up when not given a part of a run within it (default ${DEFAULT-VALUE})")
    Duration joinTimeout;

    /**
     * Why {@code file} cannot serve as a run's key, or null when it can; with {@code create}, a missing file is
     * made with a fresh key (readable only by its owner) and that is said on {@code out}.
     */
    static String secretProblem(Path file, boolean create, PrintWriter out) {
        try {
            if (create && !Files.exists(file)) {
                RunKey.generate().write(file);
                out.println("knetsim: made a new run key in " + file + " (readable only by you); give it to each member"
                        + " with --secret");
                out.flush();
            }
            RunKey.read(file);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        } catch (java.io.IOException e) {
            return "cannot write " + file + ": " + e;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            err.println("knetsim member: --port must be between 0 and 65535, got " + port);
            err.flush();
            return Main.BAD_INPUT;
        }
        if ((secret == null) == !insecure) {
            err.println("knetsim member: " + (insecure ? "--secret and --insecure exclude each other"
                    : "give the launcher's key with --secret FILE (its 'waiting for' line names the file), or --insecure"
                    + " when the launcher runs with --insecure"));
            err.flush();
            return Main.BAD_INPUT;
        }
        if (secret != null) {
            String problem = secretProblem(secret, false, out);
            if (problem != null) {
                err.println("knetsim member: --secret: " + problem);
                err.flush();
                return Main.BAD_INPUT;
            }
        }
        Config overrides = secret != null ? AkkaConfig.tls(secret) : ConfigFactory.empty();
        String seed = Converters.hostPort(join);
        MemberMain.Running member;
        try {
            member = MemberMain.start(new MemberMain.Settings(MemberAgent.ANY_PARTITION, null, join, null, host, port,
                    joinTimeout, overrides, line -> {
                        out.println("knetsim member: " + line);
                        out.flush();
                    }));
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
            err.println("knetsim member: cannot listen at " + host + ":" + port + ": " + cause.getMessage());
            err.flush();
            return Main.RUN_FAILED;
        }
        out.println("knetsim member: listening at " + member.address() + ", joining the launcher at " + seed);
        out.flush();
        MemberMain.Ending ending;
        try {
            ending = member.ending().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ending = new MemberMain.Ending(false, "interrupted");
        } catch (ExecutionException e) {
            ending = new MemberMain.Ending(false, String.valueOf(e.getCause()));
        }
        member.system().terminate();
        try {
            member.system().getWhenTerminated().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // exiting anyway
        }
        if (ending.completed()) {
            out.println("knetsim member: the run finished; exiting");
            out.flush();
            return Main.OK;
        }
        err.println("knetsim member: " + ending.message() + "; exiting");
        err.flush();
        return Main.RUN_FAILED;
    }
}
