package knetsim.core.engine;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named counters of one LP, under the kernel's names (rx_missed_errors, IpForwDatagrams...).
 * Models keep the {@link Counter} handle so the hot path is a field increment, not a map lookup.
 * The names are kept sorted in an array (binary search): two slots per counter instead of a tree node,
 * which at a million LPs of about ten counters each is a few hundred MB less heap.
 */
public final class Counters {
    private static final String[] NO_NAMES = new String[0];
    private static final Counter[] NO_COUNTERS = new Counter[0];

    private String[] names = NO_NAMES;
    private Counter[] handles = NO_COUNTERS;
    private int size;

    public Counter counter(String name) {
        int at = Arrays.binarySearch(names, 0, size, name);
        if (at >= 0) return handles[at];
        int pos = -at - 1;
        if (size == names.length) {
            int capacity = Math.max(4, size * 2);
            names = Arrays.copyOf(names, capacity);
            handles = Arrays.copyOf(handles, capacity);
        }
        System.arraycopy(names, pos, names, pos + 1, size - pos);
        System.arraycopy(handles, pos, handles, pos + 1, size - pos);
        Counter c = new Counter();
        names[pos] = name;
        handles[pos] = c;
        size++;
        return c;
    }

    public long get(String name) {
        int at = Arrays.binarySearch(names, 0, size, name);
        return at < 0 ? 0 : handles[at].value;
    }

    /** The names, sorted: with {@link #values()}, what a run reports without a map entry per counter. */
    public String[] names() {
        return Arrays.copyOf(names, size);
    }

    /** The values, in the order of {@link #names()}. */
    public long[] values() {
        long[] v = new long[size];
        for (int i = 0; i < size; i++) v[i] = handles[i].value;
        return v;
    }

    /** A copy, sorted by name. */
    public Map<String, Long> snapshot() {
        TreeMap<String, Long> copy = new TreeMap<>();
        for (int i = 0; i < size; i++) copy.put(names[i], handles[i].value);
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
