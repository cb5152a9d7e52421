package knetsim.node.app;

import java.util.Arrays;

/**
 * One flow's one-way delays as an exact multiset: its distinct values in order, how many times each came, and the
 * latest samples not yet merged into them. A CBR flow on a path that repeats itself sees a few distinct delays, so
 * it holds a few hundred bytes however long it runs, where one {@code long} per datagram grew with virtual time
 * (10 s of campus-100k: 125 million datagrams, 1-2 GB). Percentiles read from it are those of the sorted samples,
 * so flows.csv keeps its bytes. Worst case, every delay distinct: about 18 bytes per datagram (values, counts and
 * the unmerged quarter), against the 8-16 of a doubling {@code long[]}.
 */
final class DelaySamples {
    private static final int FIRST = 16;
    private static final long[] NONE = new long[0];

    private long[] fresh = new long[FIRST];
    private int freshCount;
    private long[] values = NONE; // distinct, ascending
    private long[] counts = NONE; // counts[i] samples equal to values[i]
    private long total;

    /** Counts one delay. */
    void add(long delayNs) {
        if (freshCount == fresh.length) merge();
        fresh[freshCount++] = delayNs;
        total++;
    }

    /** Samples counted. */
    long total() {
        return total;
    }

    /** The distinct delays, ascending (a copy). */
    long[] values() {
        merge();
        return values.clone();
    }

    /** How many samples had each of {@link #values()} (a copy). */
    long[] counts() {
        merge();
        return counts.clone();
    }

    // sorts the unmerged samples into the distinct values; the next batch may then be a quarter of them, so a
    // flow of many distinct delays merges every d/4 samples at O(d): a few steps per sample
    private void merge() {
        if (freshCount == 0) return;
        Arrays.sort(fresh, 0, freshCount);
        long[] v = new long[values.length + freshCount];
        long[] c = new long[v.length];
        int i = 0, j = 0, n = 0;
        while (i < values.length || j < freshCount) {
            long next = j == freshCount || (i < values.length && values[i] <= fresh[j]) ? values[i] : fresh[j];
            long count = 0;
            if (i < values.length && values[i] == next) count += counts[i++];
            while (j < freshCount && fresh[j] == next) { count++; j++; }
            v[n] = next;
            c[n++] = count;
        }
        values = Arrays.copyOf(v, n);
        counts = Arrays.copyOf(c, n);
        freshCount = 0;
        int room = Math.max(FIRST, n / 4);
        if (room != fresh.length) fresh = new long[room];
    }

    /**
     * The nearest-rank percentile {@code p} of the samples given as distinct ascending {@code values} with their
     * {@code counts}: the value a sorted array of them holds at index ceil(p / 100 * n) - 1 (clamped); NaN when empty.
     */
    static double percentile(long[] values, long[] counts, int p) {
        long n = 0;
        for (long c : counts) n += c;
        if (n == 0) return Double.NaN;
        long rank = (long) Math.ceil(p / 100.0 * n);
        long index = Math.max(0, Math.min(n - 1, rank - 1));
        long seen = 0;
        for (int i = 0; i < values.length; i++) {
            seen += counts[i];
            if (index < seen) return values[i];
        }
        return values[values.length - 1];
    }
}
