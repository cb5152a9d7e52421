package knetsim.topology.config;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects problems and turns Typesafe Config origins into file and line: generated values point at the
 * {@code generate} key, --set values at "--set" and the override's position, and it finds where a value came from
 * by its key, so later cross-checks can point at it.
 */
final class Problems {
    static final String GENERATED = "knetsim-generate";
    static final String RESOLVED = "resolved";
    private static final Pattern SET = Pattern.compile("--set#(\\d+)");

    private final List<ConfigProblem> list = new ArrayList<>();
    private ConfigObject root;
    private final String mainFile;
    private ConfigOrigin generateOrigin;

    Problems(String mainFile) {
        this.mainFile = mainFile;
    }

    void generatedAt(ConfigOrigin origin) {
        generateOrigin = origin;
    }

    /**
     * The tree that keys such as {@code links[2].delay} are found in: an origin is looked up when a problem needs
     * it, rather than remembered for every value read (ten million entries for a million generated hosts).
     */
    void root(ConfigObject root) {
        this.root = root;
    }

    /** Where {@code key} was read, or of its nearest ancestor that was. */
    ConfigOrigin originOf(String key) {
        if (root == null) return null;
        ConfigValue cur = root;
        String rest = key;
        while (!rest.isEmpty()) {
            ConfigValue next = null;
            int used = 0;
            if (rest.charAt(0) == '[' && cur.valueType() == ConfigValueType.LIST) {
                int close = rest.indexOf(']');
                ConfigList list = (ConfigList) cur;
                int index = close < 0 ? -1 : parseIndex(rest.substring(1, close));
                if (index >= 0 && index < list.size()) {
                    next = list.get(index);
                    used = close + 1;
                }
            } else if (cur.valueType() == ConfigValueType.OBJECT) {
                ConfigObject obj = (ConfigObject) cur;
                // names may hold dots (eth0.100): the longest prefix that is a key wins
                for (int end = rest.length(); end > 0 && next == null; end = lastCut(rest, end - 1)) {
                    ConfigValue v = obj.get(rest.substring(0, end));
                    if (v != null) {
                        next = v;
                        used = end;
                    }
                }
            }
            if (next == null) break;
            cur = next;
            rest = rest.substring(used);
            if (rest.startsWith(".")) rest = rest.substring(1);
        }
        return cur.origin();
    }

    private static int lastCut(String s, int before) {
        return Math.max(s.lastIndexOf('.', before), s.lastIndexOf('[', before));
    }

    private static int parseIndex(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    void add(ConfigOrigin origin, String key, String message) {
        list.add(locate(origin, key, message));
    }

    /** A problem (or warning) about a value read earlier, found by its key, without adding it. */
    ConfigProblem locate(String key, String message) {
        return locate(originOf(key), key, message);
    }

    private ConfigProblem locate(ConfigOrigin origin, String key, String message) {
        String file = mainFile;
        int line = 0;
        if (origin != null) {
            String description = origin.description();
            Matcher set = SET.matcher(description);
            if (origin.filename() != null) {
                file = origin.filename();
                line = Math.max(0, origin.lineNumber());
            } else if (description.contains(GENERATED) && generateOrigin != null) {
                String f = generateOrigin.filename() != null ? generateOrigin.filename() : mainFile;
                return new ConfigProblem(f, Math.max(0, generateOrigin.lineNumber()), key, message);
            } else if (set.find()) {
                file = "--set";
                line = Integer.parseInt(set.group(1));
            } else if (description.startsWith(RESOLVED)) {
                file = RESOLVED;
            } else {
                line = Math.max(0, origin.lineNumber());
            }
        }
        return new ConfigProblem(file, line, key, message);
    }

    /** A problem about a value read earlier, found by its key. */
    void at(String key, String message) {
        add(originOf(key), key, message);
    }

    void add(ConfigProblem problem) {
        list.add(problem);
    }

    String mainFile() {
        return mainFile;
    }

    boolean any() {
        return !list.isEmpty();
    }

    int count() {
        return list.size();
    }

    List<ConfigProblem> list() {
        return List.copyOf(list);
    }
}
