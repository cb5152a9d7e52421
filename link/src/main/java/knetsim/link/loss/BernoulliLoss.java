package knetsim.link.loss;

import java.util.SplittableRandom;

/**
 * Independent loss with a fixed probability, netem's {@code loss PERCENT} without correlation.
 *
 * <p>Every frame consumes exactly one draw, even for p = 0 or 1: changing p then changes only the loss decisions and
 * leaves every later draw of the direction's stream (jitter, corruption) where it was, so runs that differ only in
 * p are directly comparable.
 */
public final class BernoulliLoss implements LossModel {

    private final double p;

    /** @param p probability that a frame is lost, in [0, 1] */
    public BernoulliLoss(double p) {
        this.p = Probability.require("loss probability p", p);
    }

    public double p() {
        return p;
    }

    @Override
    public boolean lose(SplittableRandom random) {
        // nextDouble() is in [0, 1), so p = 0 never and p = 1 always loses.
        return random.nextDouble() < p;
    }

    @Override
    public double expectedLossRate() {
        return p;
    }

    @Override
    public String describe() {
        return "loss " + Probability.percent(p);
    }

    @Override
    public LossModel copy() {
        return this;
    }

    @Override
    public String toString() {
        return describe();
    }
}
