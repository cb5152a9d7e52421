package knetsim.core.engine;

import java.util.Map;
import java.util.TreeMap;

/**
 * Named counters of one LP, under the kernel's names (rx_missed_errors, IpForwDatagrams...).
 * Models keep the {@link Counter} handle so the hot path is a field increment, not a map lookup.
 */
public final class Counters {
    private final TreeMap<String, Counter> byName = new TreeMap<>();

    public Counter counter(String name) {
        return byName.computeIfAbsent(name, n -> new Counter());
    }

    public long get(String name) {
        Counter c = byName.get(name);
        return c == null ? 0 : c.value;
    }

    /** A copy, sorted by name. */
    public Map<String, Long> snapshot() {
        TreeMap<String, Long> copy = new TreeMap<>();
        byName.forEach((name, c) -> copy.put(name, c.value));
        return copy;
    }

    public static final class Counter {
        private long value;

        public void increment() {
            value++;
        }

        public void add(long delta) {
            value += delta;
        }

        public long value() {
            return value;
        }
    }
}
