package knetsim.topology.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code knetsim}: the command line. Exit codes: 0 success, 1 run failure, 2 bad input. */
@Command(name = "knetsim", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Deterministic, actor-based simulator of the Linux packet path.",
        subcommands = {RunCommand.class, ValidateCommand.class, SweepCommand.class, MemberCommand.class,
                SelftestCommand.class})
public final class Main implements Runnable {
    public static final int OK = 0;
    public static final int RUN_FAILED = 1;
    public static final int BAD_INPUT = 2;

    /** Set by a shutdown hook: System.exit would then block forever, so main just returns. */
    static volatile boolean shuttingDown;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        // Initialise logging before Akka's threads race to it (SLF4J would print a replay notice).
        org.slf4j.LoggerFactory.getILoggerFactory();
        int code = execute(args);
        if (!shuttingDown) System.exit(code);
    }

    /** Runs the CLI without exiting, so tests can call it. {@code --debug} anywhere prints stack traces of failures. */
    public static int execute(String... args) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        args = java.util.Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        CommandLine cli = new CommandLine(new Main());
        // an unexpected failure: one clear paragraph, the stack trace only with --debug
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("knetsim " + commandLine.getCommandName() + ": " + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + (debug ? "" : " (run again with --debug for the stack trace)"));
            if (debug) e.printStackTrace(commandLine.getErr());
            commandLine.getErr().flush();
            return RUN_FAILED;
        });
        // picocli's usage errors are bad input: exit 2, one clear paragraph, no stack trace.
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("knetsim: " + e.getMessage());
            e.getCommandLine().getErr().println("Try 'knetsim " + e.getCommandLine().getCommandName() + " --help'.");
            return BAD_INPUT;
        });
        return cli.execute(args);
    }
}
