package knetsim.topology.config;

import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import knetsim.node.script.ScriptParser;

/** Reads a script app's steps: each a string, parsed now, so that validate names the file and line of a bad step. */
final class ScriptSteps {
    private ScriptSteps() {}

    static TrafficSpec read(Section t, String on, Long start, Problems problems) {
        List<ConfigValue> list = t.list("steps", "steps like \"fd = socket(AF_INET, SOCK_DGRAM, 0)\"");
        boolean strict = t.bool("strict", false);
        if (list == null) return null;
        if (list.isEmpty()) {
            if (t.has("steps")) t.bad("steps", "a script needs at least one step");
            else t.missing("steps", "a list of steps like [\"fd = socket(AF_INET, SOCK_DGRAM, 0)\", \"close(fd)\"]");
            return null;
        }
        List<String> texts = new ArrayList<>(), where = new ArrayList<>();
        List<ConfigOrigin> origins = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            ConfigValue v = list.get(i);
            origins.add(v.origin());
            where.add(where(v.origin(), t.origin()));
            if (v.valueType() != ConfigValueType.STRING) {
                problems.add(v.origin(), t.path + ".steps[" + i + "]", "expected a step as a string like \"close(fd)\", got "
                        + Section.describe(v));
                texts.add("");
                ok = false;
            } else {
                texts.add((String) v.unwrapped());
            }
        }
        ScriptParser.Parsed parsed = ScriptParser.parse(texts);
        for (ScriptParser.Problem p : parsed.problems()) {
            if (texts.get(p.step()).isEmpty() && list.get(p.step()).valueType() != ConfigValueType.STRING) continue;
            problems.add(origins.get(p.step()), t.path + ".steps[" + p.step() + "]", "step \"" + texts.get(p.step()) + "\": "
                    + (p.column() > 0 ? "column " + p.column() + ": " : "") + p.message());
            ok = false;
        }
        return ok && on != null && start != null ? new TrafficSpec.Script(on, texts, where, strict, start) : null;
    }

    // FILE:LINE of a step, as the run's messages name it
    private static String where(ConfigOrigin origin, ConfigOrigin fallback) {
        ConfigOrigin o = origin != null ? origin : fallback;
        if (o == null) return "";
        String file = o.filename() != null ? o.filename() : o.description();
        return o.lineNumber() > 0 ? file + ":" + o.lineNumber() : file;
    }
}
