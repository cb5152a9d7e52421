package knetsim.link.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GilbertElliottLossTest {

    private static final int FRAMES = 2_000_000;

    /**
     * Tolerance for the loss rate over n frames. Write X_n = l(S_n) + e_n, with l(Good) = 1-k, l(Bad) = 1-h and S_n
     * the chain's state. The loss draw is separate from the transition draw, so the e_n are independent zero-mean
     * noise given the states, contributing E[l(1-l)] per frame. l(S_n) = l(Good) + (l(Bad) - l(Good)) * B_n with B_n
     * the Bad indicator of a two-state chain whose autocovariance is piB*piG*lambda^j, lambda = 1 - p - r; summed
     * over all lags that is piB*piG*(1+lambda)/(1-lambda) per frame. So the rate's variance is sigma2 / n with
     *   sigma2 = piG*lG*(1-lG) + piB*lB*(1-lB) + (lB-lG)^2 * piB*piG * (1+lambda)/(1-lambda),
     * several times a Bernoulli's for bursty parameters (7x for the first case below). We allow 5 standard deviations
     * plus the bias of starting in Good instead of the stationary mix, |lB-lG| * piB / ((p+r) * n), which is tiny.
     */
    private static double tolerance(double p, double r, double h, double k, int n) {
        double piB = p / (p + r);
        double piG = 1 - piB;
        double lG = 1 - k;
        double lB = 1 - h;
        double lambda = 1 - p - r;
        double sigma2 = piG * lG * (1 - lG) + piB * lB * (1 - lB)
                + (lB - lG) * (lB - lG) * piB * piG * (1 + lambda) / (1 - lambda);
        double bias = Math.abs(lB - lG) * piB / ((p + r) * n);
        return 5 * Math.sqrt(sigma2 / n) + bias;
    }

    @ParameterizedTest
    @CsvSource({
        // p, r, h, k: long bursts of heavy loss in a nearly clean channel
        "0.01, 0.2, 0.1, 0.995",
        // p + r > 1 (lambda < 0): states alternate more often than they persist
        "0.6, 0.7, 0.3, 0.8",
        // netem's defaults for "loss gemodel 2%": r = 1 - p, lose iff Bad
        "0.02, 0.98, 0.0, 1.0"})
    void longRunRateMatchesStationaryDistribution(double p, double r, double h, double k) {
        LossModel model = new GilbertElliottLoss(p, r, h, k);
        double piB = p / (p + r);
        double expected = (1 - piB) * (1 - k) + piB * (1 - h);
        assertEquals(expected, model.expectedLossRate(), 1e-15);

        SplittableRandom random = new SplittableRandom(2024);
        long lost = 0;
        for (int i = 0; i < FRAMES; i++) {
            if (model.lose(random)) lost++;
        }
        assertEquals(expected, lost / (double) FRAMES, tolerance(p, r, h, k, FRAMES));
    }

    @Test
    void burstsLastOneOverROnAverageWhenOnlyBadLoses() {
        double p = 0.01;
        double r = 0.25;
        LossModel model = new GilbertElliottLoss(p, r, 0.0, 1.0);
        SplittableRandom random = new SplittableRandom(99);
        long bursts = 0;
        long lostInBursts = 0;
        int run = 0;
        for (int i = 0; i < FRAMES; i++) {
            if (model.lose(random)) {
                run++;
            } else if (run > 0) {
                // Only completed bursts count, so the one cut off by the end of the loop cannot shorten the mean.
                bursts++;
                lostInBursts += run;
                run = 0;
            }
        }
        // With h = 0, k = 1 a burst is a stay in Bad: Geometric(r) on {1, 2, ...}, mean 1/r, variance (1-r)/r^2.
        // About n * piG * p = 19,000 bursts, so the mean's standard deviation is about 0.025 (0.6% of 4).
        double sd = Math.sqrt((1 - r) / (r * r) / bursts);
        assertTrue(bursts > 15_000, "bursts: " + bursts);
        assertEquals(1 / r, lostInBursts / (double) bursts, 5 * sd);
    }

    @Test
    void lossUsesTheStateBeforeThisFramesTransition() {
        // p = r = 1 flips the state on every frame. netem starts in Good and judges frame 1 by Good, so the pattern
        // is kept, lost, kept, ...; judging by the state after the transition would start with a loss.
        LossModel model = new GilbertElliottLoss(1.0, 1.0, 0.0, 1.0);
        SplittableRandom random = new SplittableRandom(0);
        for (int frame = 1; frame <= 1000; frame++) {
            assertEquals(frame % 2 == 0, model.lose(random), "frame " + frame);
        }
    }

    @Test
    void drawsTransitionThenLossLikeNetem() {
        double p = 0.3;
        double r = 0.4;
        double h = 0.2;
        double k = 0.9;
        LossModel model = new GilbertElliottLoss(p, r, h, k);
        SplittableRandom random = new SplittableRandom(11);
        // A transcription of loss_gilb_ell(): first draw moves the chain, second decides with the old state's odds.
        SplittableRandom reference = new SplittableRandom(11);
        boolean bad = false;
        for (int frame = 1; frame <= 100_000; frame++) {
            double transition = reference.nextDouble();
            double loss = reference.nextDouble();
            boolean expected = bad ? loss >= h : loss >= k;
            bad = bad ? transition >= r : transition < p;
            assertEquals(expected, model.lose(random), "frame " + frame);
        }
    }

    @Test
    void sameSeedSameSequenceOtherSeedOther() {
        LossModel model = new GilbertElliottLoss(0.05, 0.3, 0.2, 0.99);
        boolean[] a = BernoulliLossTest.sequence(model.copy(), 7);
        assertArrayEquals(a, BernoulliLossTest.sequence(model.copy(), 7));
        assertFalse(Arrays.equals(a, BernoulliLossTest.sequence(model.copy(), 8)));
    }

    @Test
    void copyStartsAgainInGood() {
        // p = 1, r = 0: frame 1 is judged in Good, every later frame in Bad.
        LossModel model = new GilbertElliottLoss(1.0, 0.0, 0.0, 1.0);
        SplittableRandom random = new SplittableRandom(0);
        assertFalse(model.lose(random));
        for (int i = 0; i < 10; i++) assertTrue(model.lose(random));
        LossModel fresh = model.copy();
        assertFalse(fresh.lose(random));
        assertTrue(fresh.lose(random));
    }

    @Test
    void netemDefaultsWhenOnlyPIsGiven() {
        GilbertElliottLoss ge = GilbertElliottLoss.netem(0.01);
        assertEquals(0.01, ge.p());
        assertEquals(0.99, ge.r());
        assertEquals(0.0, ge.h());
        assertEquals(1.0, ge.k());
        assertEquals("loss gemodel p 1% r 99% 1-h 100% 1-k 0%", ge.describe());
        assertEquals(0.01, ge.expectedLossRate(), 1e-15);
    }

    @Test
    void netemArgumentOrderTakesLossProbabilities() {
        GilbertElliottLoss ge = GilbertElliottLoss.netem(0.05, 0.4, 0.9, 0.02);
        assertEquals(0.1, ge.h(), 1e-15);
        assertEquals(0.98, ge.k(), 1e-15);
        assertEquals("loss gemodel p 5% r 40% 1-h 90% 1-k 2%", ge.describe());
    }

    @Test
    void rejectsParametersOutsideZeroOneNamingThem() {
        assertMessage("Gilbert-Elliott p (P(Good->Bad)) must be a probability in [0, 1], got -0.1",
                () -> new GilbertElliottLoss(-0.1, 0.5, 0, 1));
        assertMessage("Gilbert-Elliott r (P(Bad->Good)) must be a probability in [0, 1], got 1.5",
                () -> new GilbertElliottLoss(0.1, 1.5, 0, 1));
        assertMessage("Gilbert-Elliott h (P(delivery in Bad)) must be a probability in [0, 1], got NaN",
                () -> new GilbertElliottLoss(0.1, 0.5, Double.NaN, 1));
        assertMessage("Gilbert-Elliott k (P(delivery in Good)) must be a probability in [0, 1], got 2.0",
                () -> new GilbertElliottLoss(0.1, 0.5, 0, 2));
        assertMessage("Gilbert-Elliott 1-h (P(loss in Bad)) must be a probability in [0, 1], got 1.1",
                () -> GilbertElliottLoss.netem(0.1, 0.5, 1.1, 0));
        assertMessage("Gilbert-Elliott p (P(Good->Bad)) must be a probability in [0, 1], got 1.2",
                () -> GilbertElliottLoss.netem(1.2));
    }

    @Test
    void rejectsAChainThatNeverMoves() {
        assertMessage("Gilbert-Elliott p + r must be > 0, got p=0.0, r=0.0", () -> new GilbertElliottLoss(0, 0, 0, 1));
    }

    private static void assertMessage(String expected, Runnable construction) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, construction::run);
        assertEquals(expected, e.getMessage());
    }
}
