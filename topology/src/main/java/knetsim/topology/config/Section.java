package knetsim.topology.config;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Typed reads from one HOCON object at a key path. A bad or missing value becomes a problem and the read
 * returns null (or the default), so reading goes on and every problem is found in one pass.
 */
final class Section {
    final ConfigObject obj;
    final String path;
    final Problems problems;

    Section(ConfigObject obj, String path, Problems problems) {
        this.obj = obj;
        this.path = path;
        this.problems = problems;
    }

    /** The section for {@code value}, or null (with a problem) when it is not an object. */
    static Section of(ConfigValue value, String path, Problems problems, String what) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            problems.add(value.origin(), path, "expected " + what + ", got " + describe(value));
            return null;
        }
        return new Section((ConfigObject) value, path, problems);
    }

    String key(String k) {
        return path.isEmpty() ? k : path + "." + k;
    }

    ConfigOrigin origin() {
        return obj.origin();
    }

    boolean has(String k) {
        ConfigValue v = obj.get(k);
        return v != null && v.valueType() != ConfigValueType.NULL;
    }

    ConfigValue raw(String k) {
        ConfigValue v = obj.get(k);
        return v == null || v.valueType() == ConfigValueType.NULL ? null : v;
    }

    /** Reports every key not in {@code known}, suggesting the nearest known one. */
    void checkKeys(Set<String> known) {
        List<String> unknown = null; // sorted only when there is something to report: most sections have none
        for (String k : obj.keySet()) {
            if (!known.contains(k)) {
                if (unknown == null) unknown = new ArrayList<>();
                unknown.add(k);
            }
        }
        if (unknown == null) return;
        java.util.Collections.sort(unknown);
        for (String k : unknown) problems.add(obj.get(k).origin(), key(k), Schema.unknownKey(k, known));
    }

    void missing(String k, String expected) {
        problems.add(origin(), key(k), "missing, expected " + expected);
    }

    void bad(String k, String message) {
        ConfigValue v = obj.get(k);
        problems.add(v == null ? origin() : v.origin(), key(k), message);
    }

    /** A scalar read through {@code parse}, which throws IllegalArgumentException with the message to report. */
    <T> T parsed(String k, T def, String expected, Function<String, T> parse) {
        ConfigValue v = raw(k);
        if (v == null) {
            if (def == null) missing(k, expected);
            return def;
        }
        if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
            bad(k, "expected " + expected + ", got " + describe(v));
            return null;
        }
        try {
            // a number as written: 1.0000000000000000001 must not become the double 1.0 and pass as a whole number
            return parse.apply(v.valueType() == ConfigValueType.NUMBER ? v.render().trim() : String.valueOf(v.unwrapped()));
        } catch (IllegalArgumentException e) {
            bad(k, e.getMessage());
            return null;
        }
    }

    String string(String k, String def, String expected) {
        ConfigValue v = raw(k);
        if (v == null) {
            if (def == null) missing(k, expected);
            return def;
        }
        if (v.valueType() != ConfigValueType.STRING && v.valueType() != ConfigValueType.NUMBER) {
            bad(k, "expected " + expected + ", got " + describe(v));
            return null;
        }
        return String.valueOf(v.unwrapped());
    }

    /** The longest duration a file may give (a year): sums of a few of them stay far from overflowing a long. */
    static final long MAX_DURATION_NS = 365L * 24 * 3600 * 1_000_000_000L;

    Long duration(String k, Long def) {
        Long ns = parsed(k, def, Units.DURATION_EXPECTED, Units::durationNs);
        if (ns != null && ns > MAX_DURATION_NS) {
            bad(k, "expected a duration of at most 8760h (a year), got \"" + obj.get(k).unwrapped() + "\"");
            return null;
        }
        return ns;
    }

    /** A duration that must be > 0 (intervals, per-packet costs, link delay). */
    Long positiveDuration(String k, Long def) {
        Long ns = duration(k, def);
        if (ns != null && ns <= 0) {
            bad(k, "expected a duration > 0 like 10ms, got \"" + obj.get(k).unwrapped() + "\"");
            return null;
        }
        return ns;
    }

    Long rate(String k, Long def) {
        Long bps = parsed(k, def, Units.RATE_EXPECTED, Units::rateBitsPerSecond);
        if (bps != null && bps <= 0) {
            bad(k, "expected a rate > 0 like 100Mbps, got \"" + obj.get(k).unwrapped() + "\"");
            return null;
        }
        return bps;
    }

    Long size(String k, Long def) {
        return parsed(k, def, Units.SIZE_EXPECTED, Units::sizeBytes);
    }

    Long integer(String k, Long def, long min, long max) {
        ConfigValue v = raw(k);
        String expected = "an integer " + range(min, max);
        if (v == null) {
            if (def == null) missing(k, expected);
            return def;
        }
        Object u = v.unwrapped();
        if (!(u instanceof Integer || u instanceof Long) || ((Number) u).longValue() < min
                || ((Number) u).longValue() > max) {
            bad(k, "expected " + expected + ", got " + describe(v));
            return null;
        }
        return ((Number) u).longValue();
    }

    /** An int between min and max; returns {@code def} (or 0 when required and bad) so callers can go on. */
    int intOr(String k, int def, int min, int max) {
        Long n = integer(k, (long) def, min, max);
        return n == null ? def : n.intValue();
    }

    Double number(String k, Double def, double min, double max) {
        ConfigValue v = raw(k);
        String expected = "a number " + min + ".." + max;
        if (v == null) {
            if (def == null) missing(k, expected);
            return def;
        }
        if (v.valueType() != ConfigValueType.NUMBER || ((Number) v.unwrapped()).doubleValue() < min
                || ((Number) v.unwrapped()).doubleValue() > max) {
            bad(k, "expected " + expected + ", got " + describe(v));
            return null;
        }
        return ((Number) v.unwrapped()).doubleValue();
    }

    boolean bool(String k, boolean def) {
        ConfigValue v = raw(k);
        if (v == null) return def;
        if (v.valueType() != ConfigValueType.BOOLEAN) {
            bad(k, "expected true or false, got " + describe(v));
            return def;
        }
        return (Boolean) v.unwrapped();
    }

    /** One of the names in {@code choices} (kebab-case words); the error lists them. */
    <E> E choice(String k, E def, Map<String, E> choices, String what) {
        String expected = what + ": one of " + String.join(", ", new TreeMap<>(choices).keySet());
        String s = string(k, def == null ? null : "\0", expected);
        if (s == null) return null;
        if (s.equals("\0")) return def;
        E e = choices.get(s.toLowerCase(Locale.ROOT));
        if (e == null) bad(k, "unknown " + expected + ", got \"" + s + "\"");
        return e;
    }

    /** The child object at {@code k}, or null (a problem if it is present but not an object). */
    Section section(String k, String what) {
        ConfigValue v = raw(k);
        return v == null ? null : of(v, key(k), problems, what);
    }

    /** The list at {@code k}: empty when absent, null with a problem when it is not a list. */
    List<ConfigValue> list(String k, String what) {
        ConfigValue v = raw(k);
        if (v == null) return List.of();
        if (v.valueType() != ConfigValueType.LIST) {
            bad(k, "expected a list of " + what + " [ ... ], got " + describe(v));
            return null;
        }
        return new ArrayList<>((com.typesafe.config.ConfigList) v);
    }

    static String describe(ConfigValue v) {
        return switch (v.valueType()) {
            case OBJECT -> "an object { ... }";
            case LIST -> "a list [ ... ]";
            case STRING -> "\"" + v.unwrapped() + "\"";
            default -> String.valueOf(v.unwrapped());
        };
    }

    private static String range(long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) return ">= " + min;
        return min + ".." + max;
    }
}
