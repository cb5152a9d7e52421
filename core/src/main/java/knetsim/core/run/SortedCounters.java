package knetsim.core.run;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BiConsumer;
import java.util.function.ObjLongConsumer;

/**
 * One LP's counters at the end of a run, as it handed them over: names sorted, values beside them.
 * A read-only sorted map over the two arrays: a run of a million LPs reports about 16 million
 * counters, which as a tree entry each held about 640 MB at its end. Readers that walk every
 * counter use {@link #forEachCounter} (no boxing); the map view is for lookups and comparisons.
 */
public final class SortedCounters extends AbstractMap<String, Long> implements SortedMap<String, Long> {
    private static final SortedCounters EMPTY = new SortedCounters(new String[0], new long[0], 0, 0);

    private final String[] names;
    private final long[] values;
    private final int from;
    private final int to;

    private SortedCounters(String[] names, long[] values, int from, int to) {
        this.names = names;
        this.values = values;
        this.from = from;
        this.to = to;
    }

    /**
     * Takes the arrays as they are (not copied; the caller hands them over). {@code names} must be
     * sorted in String order without repeats and as long as {@code values}.
     */
    public static SortedCounters of(String[] names, long[] values) {
        if (names.length != values.length) {
            throw new IllegalArgumentException(names.length + " counter names but " + values.length + " values");
        }
        for (int i = 1; i < names.length; i++) {
            if (names[i - 1].compareTo(names[i]) >= 0) {
                throw new IllegalArgumentException("counter names out of order: " + names[i - 1] + ", " + names[i]);
            }
        }
        return new SortedCounters(names, values, 0, names.length);
    }

    /** The i-th name in order, 0 ≤ i < size(). */
    public String name(int i) {
        return names[from + i];
    }

    /** The i-th value, beside {@link #name(int)}. */
    public long value(int i) {
        return values[from + i];
    }

    /** Every counter in name order, without boxing its value. */
    public void forEachCounter(ObjLongConsumer<String> action) {
        for (int i = from; i < to; i++) action.accept(names[i], values[i]);
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Long> action) {
        for (int i = from; i < to; i++) action.accept(names[i], values[i]);
    }

    private int indexOf(Object key) {
        if (!(key instanceof String s)) return -1;
        int at = Arrays.binarySearch(names, from, to, s);
        return at < 0 ? -1 : at;
    }

    // where key would go in this range: the first index whose name is not below it
    private int lowerBound(String key) {
        int at = Arrays.binarySearch(names, from, to, key);
        return at >= 0 ? at : -at - 1;
    }

    @Override
    public int size() {
        return to - from;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Long get(Object key) {
        int at = indexOf(key);
        return at < 0 ? null : values[at];
    }

    @Override
    public Comparator<? super String> comparator() {
        return null; // natural order, as a TreeMap of the same names
    }

    @Override
    public SortedMap<String, Long> subMap(String fromKey, String toKey) {
        if (fromKey.compareTo(toKey) > 0) throw new IllegalArgumentException("fromKey > toKey");
        return range(lowerBound(fromKey), lowerBound(toKey));
    }

    @Override
    public SortedMap<String, Long> headMap(String toKey) {
        return range(from, lowerBound(toKey));
    }

    @Override
    public SortedMap<String, Long> tailMap(String fromKey) {
        return range(lowerBound(fromKey), to);
    }

    private SortedCounters range(int a, int b) {
        return a >= b ? EMPTY : new SortedCounters(names, values, a, b);
    }

    @Override
    public String firstKey() {
        if (from == to) throw new NoSuchElementException();
        return names[from];
    }

    @Override
    public String lastKey() {
        if (from == to) throw new NoSuchElementException();
        return names[to - 1];
    }

    @Override
    public Set<Entry<String, Long>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Long>> iterator() {
                return new Iterator<>() {
                    private int next = from;

                    @Override
                    public boolean hasNext() {
                        return next < to;
                    }

                    @Override
                    public Entry<String, Long> next() {
                        if (next >= to) throw new NoSuchElementException();
                        int i = next++;
                        return new SimpleImmutableEntry<>(names[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return to - from;
            }
        };
    }
}
