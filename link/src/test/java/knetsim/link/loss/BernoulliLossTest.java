package knetsim.link.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BernoulliLossTest {

    private static final int FRAMES = 2_000_000;

    @Test
    void longRunRateMatchesP() {
        double p = 0.05;
        LossModel model = new BernoulliLoss(p);
        SplittableRandom random = new SplittableRandom(42);
        long lost = 0;
        for (int i = 0; i < FRAMES; i++) {
            if (model.lose(random)) lost++;
        }
        // The count is Binomial(n, p): the rate's standard deviation is sqrt(p(1-p)/n) = 1.54e-4 here; 5 of them
        // (7.7e-4, 1.5% of p) fail by chance about once in 1.7 million runs, and the seed is fixed anyway.
        double sd = Math.sqrt(p * (1 - p) / FRAMES);
        assertEquals(p, model.expectedLossRate());
        assertEquals(p, lost / (double) FRAMES, 5 * sd);
    }

    @Test
    void extremesAreExact() {
        SplittableRandom random = new SplittableRandom(1);
        LossModel never = new BernoulliLoss(0.0);
        LossModel always = new BernoulliLoss(1.0);
        for (int i = 0; i < 10_000; i++) {
            assertFalse(never.lose(random));
            assertTrue(always.lose(random));
        }
    }

    @Test
    void sameSeedSameSequenceOtherSeedOther() {
        LossModel model = new BernoulliLoss(0.1);
        boolean[] a = sequence(model.copy(), 7);
        assertArrayEquals(a, sequence(model.copy(), 7));
        assertFalse(Arrays.equals(a, sequence(model.copy(), 8)));
    }

    @Test
    void drawsOncePerFrameWhateverP() {
        // Lets runs that differ only in p share every other draw of the direction's stream.
        for (double p : new double[] {0.0, 0.3, 1.0}) {
            SplittableRandom used = new SplittableRandom(5);
            SplittableRandom reference = new SplittableRandom(5);
            new BernoulliLoss(p).lose(used);
            reference.nextDouble();
            assertEquals(reference.nextLong(), used.nextLong(), "p=" + p);
        }
    }

    @Test
    void noLossNeverLosesAndDrawsNothing() {
        SplittableRandom used = new SplittableRandom(3);
        for (int i = 0; i < 1000; i++) assertFalse(NoLoss.INSTANCE.lose(used));
        assertEquals(new SplittableRandom(3).nextLong(), used.nextLong());
        assertSame(NoLoss.INSTANCE, NoLoss.INSTANCE.copy());
        assertEquals(0.0, NoLoss.INSTANCE.expectedLossRate());
        assertEquals("loss 0%", NoLoss.INSTANCE.describe());
    }

    @Test
    void describesLikeNetem() {
        assertEquals("loss 1%", new BernoulliLoss(0.01).describe());
        assertEquals("loss 7%", new BernoulliLoss(0.07).describe());
        assertEquals("loss 0.25%", new BernoulliLoss(0.0025).describe());
        assertEquals("loss 100%", new BernoulliLoss(1).describe());
    }

    @Test
    void rejectsProbabilitiesOutsideZeroOne() {
        for (double bad : new double[] {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BernoulliLoss(bad));
            assertEquals("loss probability p must be a probability in [0, 1], got " + bad, e.getMessage());
        }
    }

    static boolean[] sequence(LossModel model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean[] lost = new boolean[10_000];
        for (int i = 0; i < lost.length; i++) lost[i] = model.lose(random);
        return lost;
    }
}
