package knetsim.topology.cli;

import akka.actor.Address;
import com.typesafe.config.ConfigFactory;
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

    @Option(names = "--join-timeout", defaultValue = "60s", paramLabel = "DURATION", converter = Converters.PositiveDuration.class,
            description = "give up when not given a part of a run within it (default ${DEFAULT-VALUE})")
    Duration joinTimeout;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (port < 0 || port > 65535) {
            err.println("knetsim member: --port must be between 0 and 65535, got " + port);
            err.flush();
            return Main.BAD_INPUT;
        }
        String seed = Converters.hostPort(join);
        MemberMain.Running member;
        try {
            member = MemberMain.start(new MemberMain.Settings(MemberAgent.ANY_PARTITION, null, join, null, host, port,
                    joinTimeout, ConfigFactory.empty(), line -> {
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
