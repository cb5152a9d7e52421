package knetsim.link.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CorruptionTest {

    @Test
    void corruptsAtItsProbability() {
        double p = 0.001;
        int frames = 2_000_000;
        Corruption corruption = new Corruption(p);
        SplittableRandom random = new SplittableRandom(17);
        long bad = 0;
        for (int i = 0; i < frames; i++) {
            if (corruption.corrupt(random)) bad++;
        }
        // Binomial: 5 standard deviations of the rate, sqrt(p(1-p)/n) = 2.2e-5 here.
        assertEquals(p, bad / (double) frames, 5 * Math.sqrt(p * (1 - p) / frames));
    }

    @Test
    void noneNeverCorruptsButStillDrawsOnce() {
        SplittableRandom used = new SplittableRandom(8);
        SplittableRandom reference = new SplittableRandom(8);
        for (int i = 0; i < 1000; i++) {
            assertFalse(Corruption.NONE.corrupt(used));
            reference.nextDouble();
        }
        assertEquals(reference.nextLong(), used.nextLong());
    }

    @Test
    void describesLikeNetem() {
        assertEquals("corrupt 0.1%", new Corruption(0.001).describe());
    }

    @Test
    void rejectsProbabilitiesOutsideZeroOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Corruption(-1));
        assertEquals("corruption probability must be a probability in [0, 1], got -1.0", e.getMessage());
    }
}
