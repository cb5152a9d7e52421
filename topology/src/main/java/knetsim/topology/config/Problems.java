package knetsim.topology.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Collects problems and turns Typesafe Config origins into file and line: generated values point at the
 * {@code generate} key, --set values at "--set" and the override's position, and it remembers where every
 * value that was read came from so later cross-checks can point at it.
 */
final class Problems {
    static final String GENERATED = "knetsim-generate";
    static final String RESOLVED = "resolved";
    private static final Pattern SET = Pattern.compile("--set#(\\d+)");

    private final List<ConfigProblem> list = new ArrayList<>();
    private final Map<String, ConfigOrigin> origins = new HashMap<>();
    private final String mainFile;
    private ConfigOrigin generateOrigin;

    Problems(String mainFile) {
        this.mainFile = mainFile;
    }

    void generatedAt(ConfigOrigin origin) {
        generateOrigin = origin;
    }

    void remember(String key, ConfigOrigin origin) {
        origins.put(key, origin);
    }

    /** Where {@code key} was read, or of its nearest ancestor that was. */
    ConfigOrigin originOf(String key) {
        String k = key;
        while (true) {
            ConfigOrigin o = origins.get(k);
            if (o != null) return o;
            int cut = Math.max(k.lastIndexOf('.'), k.lastIndexOf('['));
            if (cut <= 0) return null;
            k = k.substring(0, cut);
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
