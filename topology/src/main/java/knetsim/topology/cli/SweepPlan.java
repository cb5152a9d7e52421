package knetsim.topology.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import knetsim.topology.config.ConfigProblem;
import knetsim.topology.config.Topology;
import knetsim.topology.config.TopologyException;
import knetsim.topology.config.TopologyLoader;

/**
 * The points of a sweep: the cross product of every --param's values (a --zip group varying as one) (the first --param outermost) with the
 * seeds innermost, each loaded and validated before anything runs. Overrides are layered in the order --set,
 * --param, --duration, seed.
 */
final class SweepPlan {
    /** One --param: a key of the file (as --set takes it) and the values it takes. */
    record Param(String path, List<String> values) {}

    /** One run: its folder name, the values of the params in --param order, its seed and its topology. */
    record Point(String name, List<String> values, long seed, Topology topology, List<String> overrides) {}

    /** Bad input: the message is one paragraph, possibly with indented problem lines after it. */
    static final class BadInput extends Exception {
        BadInput(String message) {
            super(message, null, false, false);
        }
    }

    private SweepPlan() {}

    /** Parses {@code PATH=V1,V2,...} options; a path may be given once, and never seed (that is --seed/--seeds). */
    static List<Param> parse(List<String> options, String duration) throws BadInput {
        List<Param> params = new ArrayList<>();
        for (String option : options) {
            int eq = option.indexOf('=');
            String path = eq < 0 ? "" : option.substring(0, eq).trim();
            if (path.isEmpty()) {
                throw new BadInput("--param " + option + ": expected PATH=V1,V2,... such as links[0].loss.p=0.001,0.01");
            }
            List<String> values = new ArrayList<>();
            for (String v : split(option, option.substring(eq + 1))) {
                String item = v.trim();
                if (item.isEmpty()) {
                    throw new BadInput("--param " + option + ": the value list has an empty value; expected "
                            + path + "=V1,V2,... with at least one value and no empty ones");
                }
                for (String value : SweepRange.expand("--param " + option, item)) {
                    if (values.contains(value)) {
                        throw new BadInput("--param " + option + ": the value " + value + " is listed twice");
                    }
                    values.add(value);
                }
            }
            if (path.equals("seed")) {
                throw new BadInput("--param " + option + ": vary the seed with --seeds N (and --seed for the first one)");
            }
            if (path.equals("duration") && duration != null) {
                throw new BadInput("--param " + option + ": duration is also set by --duration " + duration
                        + "; give one or the other");
            }
            for (Param p : params) {
                if (p.path().equals(path)) throw new BadInput("--param " + path + " is given twice");
            }
            params.add(new Param(path, values));
        }
        return params;
    }

    /**
     * Splits a value list at its commas, except commas inside double quotes (a HOCON string, kept with its quotes so
     * the file reads it as a string) or inside [...] or {...} (a HOCON list or object). A backslash escapes the next
     * character inside quotes.
     */
    static List<String> split(String option, String list) throws BadInput {
        List<String> items = new ArrayList<>();
        StringBuilder item = new StringBuilder();
        boolean quoted = false;
        int depth = 0;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (quoted && c == '\\' && i + 1 < list.length()) {
                item.append(c).append(list.charAt(++i));
                continue;
            }
            if (c == '"') quoted = !quoted;
            else if (!quoted && (c == '[' || c == '{')) depth++;
            else if (!quoted && (c == ']' || c == '}')) depth--;
            if (c == ',' && !quoted && depth == 0) {
                items.add(item.toString());
                item.setLength(0);
            } else {
                item.append(c);
            }
            if (depth < 0) throw new BadInput("--param " + option + ": a " + c + " closes nothing");
        }
        if (quoted) throw new BadInput("--param " + option + ": a double quote is not closed");
        if (depth != 0) throw new BadInput("--param " + option + ": a [ or { is not closed");
        items.add(item.toString());
        return items;
    }

    /**
     * Loads every point. Seeds are {@code firstSeed} (or the file's seed under this point's overrides) plus 0..seeds-1.
     * Throws with every problem of every bad point, grouped by the --param values that cause them.
     */
    static List<Point> points(Path file, List<Param> params, List<String> sets, String duration, Long firstSeed,
                              int seeds) throws BadInput {
        return points(file, params, List.of(), sets, duration, firstSeed, seeds);
    }

    /** As above, with the --zip groups of params varying together (see {@link #combinations}). */
    static List<Point> points(Path file, List<Param> params, List<List<String>> zips, List<String> sets,
                              String duration, Long firstSeed, int seeds) throws BadInput {
        List<List<String>> combos = combinations(params, zips);
        List<Point> points = new ArrayList<>();
        Map<List<String>, List<String>> problemsToCombos = new LinkedHashMap<>();
        Map<String, String> names = new HashMap<>();
        for (List<String> combo : combos) {
            List<String> overrides = new ArrayList<>(sets);
            for (int i = 0; i < params.size(); i++) overrides.add(params.get(i).path() + "=" + combo.get(i));
            if (duration != null) overrides.add("duration=" + duration);
            Long base = firstSeed;
            try {
                if (base == null) base = TopologyLoader.load(file, overrides, 1).seed();
                if (seeds > 1 && base > Long.MAX_VALUE - (seeds - 1)) {
                    throw new BadInput("--seeds " + seeds + " from seed " + base + " goes past the largest seed");
                }
                for (int s = 0; s < seeds; s++) {
                    long seed = base + s;
                    List<String> withSeed = new ArrayList<>(overrides);
                    withSeed.add("seed=" + seed);
                    Topology topology = TopologyLoader.load(file, withSeed, 1);
                    String name = name(params, combo, seed);
                    String clash = names.put(name, describe(params, combo) + " seed " + seed);
                    if (clash != null) {
                        throw new BadInput("two points get the same folder name " + name + " (" + clash + " and "
                                + describe(params, combo) + " seed " + seed + "); give values that differ in"
                                + " letters, digits or . _ = + -");
                    }
                    points.add(new Point(name, combo, seed, topology, List.copyOf(withSeed)));
                }
            } catch (TopologyException e) {
                List<String> lines = new ArrayList<>();
                for (ConfigProblem p : e.problems()) lines.add(explain(p, sets, params, combo, duration));
                problemsToCombos.computeIfAbsent(lines, k -> new ArrayList<>()).add(describe(params, combo));
            }
        }
        if (problemsToCombos.isEmpty()) return points;
        int bad = problemsToCombos.values().stream().mapToInt(List::size).sum();
        StringBuilder m = new StringBuilder(file + ": " + bad + " of " + combos.size() + " parameter combination"
                + (combos.size() == 1 ? "" : "s") + (bad == 1 ? " is" : " are") + " bad; nothing was run:");
        problemsToCombos.forEach((lines, which) -> {
            boolean every = which.size() == combos.size();
            m.append("\n  ").append(every ? (params.isEmpty() ? "the file" : "with every --param value") : "with "
                    + String.join(" / ", which)).append(':');
            lines.forEach(l -> m.append("\n    ").append(l));
        });
        throw new BadInput(m.toString());
    }

    /** Parses --zip options, {@code PATH,PATH,...}: every path a --param, in one group at most, all with one count. */
    static List<List<String>> zips(List<String> options, List<Param> params) throws BadInput {
        List<List<String>> groups = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String option : options) {
            List<String> group = new ArrayList<>();
            for (String raw : option.split(",", -1)) {
                String path = raw.trim();
                Param p = params.stream().filter(q -> q.path().equals(path)).findFirst().orElse(null);
                if (p == null) {
                    throw new BadInput("--zip " + option + ": " + (path.isEmpty() ? "an empty path" : path
                            + " is not a --param") + "; expected --zip PATH,PATH,... naming --param paths");
                }
                if (!seen.add(path)) throw new BadInput("--zip " + option + ": " + path + " is zipped twice");
                if (!group.isEmpty()) {
                    Param first = params.stream().filter(q -> q.path().equals(group.get(0))).findFirst().orElseThrow();
                    if (first.values().size() != p.values().size()) {
                        throw new BadInput("--zip " + option + ": zipped params need the same number of values, but "
                                + first.path() + " has " + first.values().size() + " and " + path + " has "
                                + p.values().size());
                    }
                }
                group.add(path);
            }
            if (group.size() < 2) throw new BadInput("--zip " + option + ": name at least two --param paths");
            groups.add(group);
        }
        return groups;
    }

    /**
     * Every combination of values, the first param varying slowest; the params of a --zip group take their i-th
     * values together, as one dimension at the place of the group's first param.
     */
    static List<List<String>> combinations(List<Param> params, List<List<String>> zips) {
        List<List<Integer>> dims = new ArrayList<>();
        java.util.Set<Integer> placed = new java.util.HashSet<>();
        for (int i = 0; i < params.size(); i++) {
            if (placed.contains(i)) continue;
            String path = params.get(i).path();
            List<Integer> dim = new ArrayList<>(List.of(i));
            for (List<String> group : zips) {
                if (!group.contains(path)) continue;
                for (String other : group) {
                    for (int j = i + 1; j < params.size(); j++) if (params.get(j).path().equals(other)) dim.add(j);
                }
            }
            placed.addAll(dim);
            dims.add(dim);
        }
        List<String[]> combos = new ArrayList<>();
        combos.add(new String[params.size()]);
        for (List<Integer> dim : dims) {
            List<String[]> next = new ArrayList<>();
            for (String[] combo : combos) {
                for (int v = 0; v < params.get(dim.get(0)).values().size(); v++) {
                    String[] longer = combo.clone();
                    for (int k : dim) longer[k] = params.get(k).values().get(v);
                    next.add(longer);
                }
            }
            combos = next;
        }
        return combos.stream().map(List::of).toList();
    }

    /** The folder name: links[1].loss.p=0.01 and seed 43 give {@code links.1.loss.p=0.01_seed=43}. */
    static String name(List<Param> params, List<String> combo, long seed) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < params.size(); i++) {
            b.append(sanitise(params.get(i).path())).append('=').append(sanitise(combo.get(i))).append('_');
        }
        return b.append("seed=").append(seed).toString();
    }

    static String sanitise(String s) {
        String dotted = s.replace("[", ".").replace("]", "");
        StringBuilder b = new StringBuilder();
        for (char c : dotted.toCharArray()) {
            boolean plain = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '+' || c == '=');
            b.append(plain ? c : '_');
        }
        return b.toString();
    }

    private static String describe(List<Param> params, List<String> combo) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) parts.add("--param " + params.get(i).path() + "=" + combo.get(i));
        return parts.isEmpty() ? "the file" : String.join(" ", parts);
    }

    /** A problem, with an override's position turned back into the option that gave it. */
    private static String explain(ConfigProblem p, List<String> sets, List<Param> params, List<String> combo,
                                  String duration) {
        if (!p.file().equals("--set")) return p.toString();
        int i = p.line() - 1;
        String option;
        if (i >= 0 && i < sets.size()) {
            option = "--set " + sets.get(i);
        } else if (i >= sets.size() && i < sets.size() + params.size()) {
            int k = i - sets.size();
            option = "--param " + params.get(k).path() + "=" + combo.get(k);
        } else if (duration != null && i == sets.size() + params.size()) {
            option = "--duration " + duration;
        } else {
            option = "--seed";
        }
        return option + ": " + p.key() + ": " + p.message();
    }
}
