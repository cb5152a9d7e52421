package knetsim.topology.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import knetsim.topology.config.ConfigProblem;
import knetsim.topology.config.Topology;
import knetsim.topology.config.TopologyException;
import knetsim.topology.config.TopologyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code knetsim validate FILE}: every check a run makes before it starts, and nothing else. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check a topology file without running it. Every problem is listed with its file, line and key.",
                "Warnings (valid, but a run would not go well, such as an event storm) are shown and do not fail it.",
                "Exit 0 when the file is good, 2 when it is not."})
public final class ValidateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the topology file (HOCON)")
    Path file;

    @Option(names = "--members", defaultValue = "1", description = "check that the topology can be placed on this many members")
    int members;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a key of the file (repeatable)")
    List<String> sets = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Topology t = load(spec.commandLine().getErr(), file, sets, members, "validate");
        if (t == null) return Main.BAD_INPUT;
        out.printf("%s: ok (%s, %s, %s, %s)%n", file, count(t.nodes().size(), "host or router", "hosts and routers"),
                count(t.switches().size(), "switch", "switches"), count(t.links().size(), "link", "links"),
                count(t.traffic().size(), "application", "applications"));
        out.flush();
        return Main.OK;
    }

    static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** Loads a topology or prints every problem as one paragraph on stderr and returns null. */
    static Topology load(PrintWriter err, Path file, List<String> sets, int members, String command) {
        if (members < 1) {
            err.println("knetsim " + command + ": --members must be at least 1, got " + members);
            err.flush();
            return null;
        }
        // a missing or unreadable file: one line, no exception's name
        if (!java.nio.file.Files.isRegularFile(file) || !java.nio.file.Files.isReadable(file)) {
            err.println("knetsim " + command + ": " + file + ": " + (java.nio.file.Files.isDirectory(file) ? "is a folder, not a topology file"
                    : java.nio.file.Files.exists(file) ? "cannot be read (permissions)" : "no such file"));
            err.flush();
            return null;
        }
        try {
            Topology t = TopologyLoader.load(file, sets, members, !command.equals("validate"));
            for (ConfigProblem w : t.warnings()) err.println("knetsim " + command + ": warning: " + w);
            err.flush();
            return t;
        } catch (TopologyException e) {
            err.println("knetsim " + command + ": " + file + " has " + e.problems().size() + " problem"
                    + (e.problems().size() == 1 ? "" : "s") + "; nothing was run:");
            e.problems().forEach(p -> err.println("  " + p));
            err.flush();
            return null;
        }
    }
}
