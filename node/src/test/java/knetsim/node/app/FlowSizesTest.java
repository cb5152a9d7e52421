package knetsim.node.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The empirical CDFs of the DCTCP/pFabric studies: linear interpolation between points, files checked line by line. */
class FlowSizesTest {
    @Test
    void webSearchInterpolatesBetweenTheDctcpPoints() {
        FlowSizes w = FlowSizes.WEB_SEARCH;
        assertEquals(10_000, w.quantile(0.15)); // a point of DCTCP_CDF
        assertEquals(15_000, w.quantile(0.175)); // half way from (10 kB, 0.15) to (20 kB, 0.2)
        assertEquals(1_500_000, w.quantile(0.75));
        assertEquals(30_000_000, w.quantile(0.999999999), 1);
        assertEquals(1, w.quantile(0)); // never a 0-byte flow
        // the mean of the interpolated CDF: each segment's midpoint times its probability (worked out by hand:
        // 5k x 0.15 + 15k x 0.05 + ... + 7.5M x 0.07 + 20M x 0.03), about 1.7 MB
        assertEquals(1_711_250, w.mean(), 1);
    }

    @Test
    void dataMiningIsMostlyTinyWithAHeavyTail() {
        FlowSizes d = FlowSizes.DATA_MINING;
        assertEquals(1_100, d.quantile(0.5));
        assertTrue(d.quantile(0.99) > 100_000_000L);
        // by hand: the last segment alone, 100 MB..1 GB with probability 0.02, gives 11 MB of the 12.66 MB
        assertEquals(12_658_198.6, d.mean(), 1);
    }

    @Test
    void samplesFollowTheCdf() {
        SplittableRandom random = new SplittableRandom(42);
        int n = 200_000, below100k = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            long s = FlowSizes.WEB_SEARCH.sample(random);
            if (s < 100_000) below100k++;
            sum += s;
        }
        // P(size < 100 kB) = 0.53 + (0.6 - 0.53) * 20/120 = 0.5417
        assertEquals(0.5417, below100k / (double) n, 0.005);
        assertEquals(FlowSizes.WEB_SEARCH.mean(), sum / n, FlowSizes.WEB_SEARCH.mean() * 0.03);
    }

    @Test
    void readsAFileInFractionsOrPercentWithComments() {
        FlowSizes.Parsed p = FlowSizes.parse("a.cdf", "# size cdf\n100 0\n1000 0.5\n\n10000 1  # the largest\n");
        assertNull(p.problem());
        assertEquals(550, p.sizes().quantile(0.25));
        FlowSizes.Parsed percent = FlowSizes.parse("b.cdf", "0 0\n10000 15\n30000000 100\n");
        assertNull(percent.problem());
        assertEquals(10_000, percent.sizes().quantile(0.15));
    }

    @Test
    void aBadFileNamesItsLine() {
        assertProblem("100 0\n50 0.5\n200 1\n", 2, "sizes must not decrease");
        assertProblem("100 0\n200 0.7\n300 0.6\n400 1\n", 3, "probabilities must not decrease");
        assertProblem("100 0\n200 0.5\n", 2, "the last probability must be 1");
        assertProblem("100 0\n200 abc\n", 2, "two numbers");
        assertProblem("100 0 7\n", 1, "SIZE PROBABILITY");
        assertProblem("100.5 0\n200 1\n", 1, "whole number of bytes");
        assertProblem("# nothing\n", 0, "at least two points");
    }

    private static void assertProblem(String text, int line, String words) {
        FlowSizes.Parsed p = FlowSizes.parse("x.cdf", text);
        assertNotNull(p.problem(), text);
        assertEquals(line, p.problem().line(), p.problem().message());
        assertTrue(p.problem().message().contains(words), p.problem().message());
    }
}
