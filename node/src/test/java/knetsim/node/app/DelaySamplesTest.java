package knetsim.node.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DelaySamplesTest {
    // the nearest-rank percentile of a sorted array, as flows.csv computed it from every sample
    private static double nearestRank(long[] sorted, int p) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static void assertSameAsSorted(long[] samples) {
        DelaySamples d = new DelaySamples();
        for (long s : samples) d.add(s);
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        long[] values = d.values(), counts = d.counts();
        assertEquals(samples.length, d.total());
        assertEquals(samples.length, Arrays.stream(counts).sum(), "every sample counted once");
        assertArrayEquals(Arrays.stream(sorted).distinct().toArray(), values, "distinct values, ascending");
        for (int p : new int[] {0, 1, 50, 90, 99, 100}) {
            assertEquals(nearestRank(sorted, p), DelaySamples.percentile(values, counts, p), "p" + p + " of " + samples.length);
        }
    }

    @Test
    void percentilesEqualThoseOfTheSortedSamples() {
        SplittableRandom r = new SplittableRandom(7);
        assertSameAsSorted(new long[0]);
        assertSameAsSorted(new long[] {5});
        assertSameAsSorted(new long[] {9, 3});
        // a CBR flow: a few delays, repeated, across many merges
        assertSameAsSorted(r.longs(10_000, 1_200_000, 1_200_004).toArray());
        // every delay distinct, and a wide spread with some repeats, across lengths around the batch sizes
        for (int n : new int[] {15, 16, 17, 63, 64, 65, 1_000, 5_003}) {
            assertSameAsSorted(r.longs(n, 0, Long.MAX_VALUE / 2).toArray());
            assertSameAsSorted(r.longs(n, 100, 100 + n / 3 + 1).toArray());
        }
    }

    @Test
    void aRepeatingFlowHoldsAFewValuesHoweverLongItRuns() {
        DelaySamples d = new DelaySamples();
        for (int i = 0; i < 1_000_000; i++) d.add(250_000 + (i % 3) * 1_000);
        assertArrayEquals(new long[] {250_000, 251_000, 252_000}, d.values());
        assertArrayEquals(new long[] {333_334, 333_333, 333_333}, d.counts());
        assertEquals(251_000, DelaySamples.percentile(d.values(), d.counts(), 50));
        assertTrue(Double.isNaN(DelaySamples.percentile(new long[0], new long[0], 50)));
    }
}
