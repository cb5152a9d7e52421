package knetsim.topology.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code knetsim}: the command line. Exit codes: 0 success, 1 run failure, 2 bad input. */
@Command(name = "knetsim", mixinStandardHelpOptions = true, versionProvider = Versions.class,
        description = "Deterministic, actor-based simulator of the Linux packet path.",
        footer = {"", "--debug anywhere on the command line prints the stack trace of a failure.",
                "Exit codes: 0 success; 1 the run failed (summary marked incomplete);",
                "2 bad input; 130 interrupted by Ctrl-C (results written, marked incomplete)."},
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

    // edit distance, with a swap of two neighbours counted once ("rnu" is one step from "run")
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
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
            CommandLine where = e.getCommandLine();
            java.io.PrintWriter err = where.getErr();
            err.println("knetsim: " + e.getMessage());
            // "knetsim rnu": did you mean run?  "--sed": did you mean --seed?
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            boolean root = where.getCommandSpec().parent() == null;
            if (root && e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
                String typed = u.getUnmatched().get(0), best = null;
                int bestDistance = 3;
                for (String name : where.getSubcommands().keySet()) {
                    int d = distance(typed, name);
                    if (d < bestDistance) {
                        bestDistance = d;
                        best = name;
                    }
                }
                if (best != null) err.println("Did you mean: knetsim " + best + "?");
            }
            err.println("Try 'knetsim" + (root ? "" : " " + where.getCommandName()) + " --help'.");
            err.flush();
            return BAD_INPUT;
        });
        return cli.execute(args);
    }
}
