package knetsim.node.app;

import java.util.ArrayList;
import java.util.List;
import knetsim.core.serial.CrossJvm;
import knetsim.node.process.Application;
import knetsim.node.process.ProcessContext;
import knetsim.node.script.ScriptParser;
import knetsim.node.script.ScriptReport;
import knetsim.node.script.ScriptRunner;
import knetsim.node.script.SyscallTrace;

/**
 * The {@code script} app: system calls written in the topology file, run in order (see {@link ScriptRunner}),
 * every call logged for syscalls.csv; its report says which steps got another result than they expected.
 */
public final class Script implements Application {
    /** The steps as written, where each is written (FILE:LINE, for messages), and strict: stop at the first mismatch. */
    public record Options(List<String> steps, List<String> where, boolean strict) {}

    private final Options options;
    private ScriptRunner runner;
    private SyscallTrace trace;
    private String process = "";

    public Script(Options options) {
        this.options = options;
    }

    @Override
    public void start(ProcessContext context) {
        ScriptParser.Parsed parsed = ScriptParser.parse(options.steps());
        if (!parsed.problems().isEmpty()) {
            var p = parsed.problems().get(0);
            throw new IllegalArgumentException("script step " + (p.step() + 1) + " \"" + options.steps().get(p.step())
                    + "\": " + p.message());
        }
        process = context.name();
        trace = new SyscallTrace(process);
        runner = new ScriptRunner(parsed.steps(), options.strict(), trace);
        runner.start(context);
    }

    @Override
    public List<? extends CrossJvm> report(long now) {
        List<CrossJvm> out = new ArrayList<>();
        if (runner == null) return out; // started after the run ended
        out.addAll(trace.chunks());
        var m = runner.mismatches();
        int[] steps = new int[m.size()];
        String[] where = new String[m.size()], text = new String[m.size()], expected = new String[m.size()], got = new String[m.size()];
        for (int i = 0; i < m.size(); i++) {
            int s = m.get(i).step();
            steps[i] = s;
            where[i] = s < options.where().size() ? options.where().get(s) : "";
            text[i] = options.steps().get(s);
            expected[i] = m.get(i).expected();
            got[i] = m.get(i).got();
        }
        out.add(new ScriptReport(process, options.steps().size(), runner.completed(), runner.finished(), options.strict(),
                runner.stopped(), steps, where, text, expected, got));
        return out;
    }
}
