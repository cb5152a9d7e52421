package knetsim.topology.config;

/**
 * One thing wrong with a topology: where (file and line; line 0 when there is none, as for --members) and
 * which key, as a full path such as {@code links[2].delay} (empty when the problem is about no key, as for an
 * include), and what was expected.
 */
public record ConfigProblem(String file, int line, String key, String message) {
    @Override
    public String toString() {
        return file + ":" + line + ": " + (key.isEmpty() ? "" : key + ": ") + message;
    }
}
