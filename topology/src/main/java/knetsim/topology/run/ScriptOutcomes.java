package knetsim.topology.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import knetsim.node.script.ScriptReport;
import knetsim.topology.config.Topology;
import knetsim.topology.config.TrafficSpec;

/**
 * How each script went, for summary.json's {@code scripts} (the report shows it) and the terminal: steps that got
 * another result than they expected, each named by FILE:LINE and its text, and whether a strict script failed.
 */
public final class ScriptOutcomes {
    private ScriptOutcomes() {}

    /** One entry per script process, in process order. */
    public static List<Map<String, Object>> summarize(List<ScriptReport> reports, Topology topology) {
        List<ScriptReport> sorted = new ArrayList<>(reports);
        sorted.sort(java.util.Comparator.comparing(ScriptReport::process));
        List<Map<String, Object>> out = new ArrayList<>();
        for (ScriptReport r : sorted) {
            List<String> where = whereOf(r.process(), topology);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("process", r.process());
            m.put("steps", r.steps());
            m.put("completed", r.completed());
            m.put("finished", r.finished());
            m.put("strict", r.strict());
            m.put("failed", r.failed());
            List<Map<String, Object>> mismatches = new ArrayList<>();
            for (int i = 0; i < r.mismatchSteps().length; i++) {
                int step = r.mismatchSteps()[i];
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("step", step + 1);
                x.put("at", where != null && step < where.size() ? where.get(step) : r.where()[i]);
                x.put("text", r.text()[i]);
                x.put("expected", r.expected()[i]);
                x.put("got", r.got()[i]);
                mismatches.add(x);
            }
            m.put("mismatches", mismatches);
            if (!r.finished() && !r.stopped()) {
                m.put("blockedAt", r.completed() + 1); // the step it was in when the run ended
            }
            out.add(m);
        }
        return out;
    }

    // "h1/script-3" is traffic[3]: where its steps are written, as the launcher read the file
    private static List<String> whereOf(String process, Topology topology) {
        int dash = process.lastIndexOf('-');
        try {
            int index = Integer.parseInt(process.substring(dash + 1));
            if (index < topology.traffic().size() && topology.traffic().get(index) instanceof TrafficSpec.Script s) return s.where();
        } catch (NumberFormatException e) {
            // not a numbered process
        }
        return null;
    }

    /** Lines for the terminal: one per script, one per mismatch. */
    @SuppressWarnings("unchecked")
    public static List<String> lines(Object scripts) {
        List<String> lines = new ArrayList<>();
        if (!(scripts instanceof List<?> list)) return lines;
        for (Object o : list) {
            Map<String, Object> m = (Map<String, Object>) o;
            List<Map<String, Object>> mismatches = (List<Map<String, Object>>) m.get("mismatches");
            String state = Boolean.TRUE.equals(m.get("finished")) ? "ran " + m.get("steps") + " steps"
                    : m.containsKey("blockedAt") ? "was still in step " + m.get("blockedAt") + " of " + m.get("steps") + " when the run ended"
                    : "stopped after step " + m.get("completed") + " of " + m.get("steps");
            lines.add("script " + m.get("process") + ": " + state + ", " + (mismatches.isEmpty() ? "every result as expected"
                    : mismatches.size() + (mismatches.size() == 1 ? " step" : " steps") + " with another result")
                    + (Boolean.TRUE.equals(m.get("failed")) ? " (strict: FAILED)" : ""));
            for (Map<String, Object> x : mismatches) lines.add("  " + mismatch(x));
        }
        return lines;
    }

    private static String mismatch(Map<String, Object> x) {
        return x.get("at") + ": step " + x.get("step") + " \"" + x.get("text") + "\": expected " + x.get("expected")
                + ", got " + x.get("got");
    }

    /** Why a strict script fails the run (naming the file, line and step), or null when none does. */
    @SuppressWarnings("unchecked")
    public static String strictFailure(Object scripts) {
        if (!(scripts instanceof List<?> list)) return null;
        for (Object o : list) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (!Boolean.TRUE.equals(m.get("failed"))) continue;
            List<Map<String, Object>> mismatches = (List<Map<String, Object>>) m.get("mismatches");
            if (!mismatches.isEmpty()) return "strict script " + m.get("process") + " failed at " + mismatch(mismatches.get(0));
            return "strict script " + m.get("process") + " did not finish: it was still in step " + m.get("blockedAt")
                    + " of " + m.get("steps") + " when the run ended";
        }
        return null;
    }
}
