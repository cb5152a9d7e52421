package knetsim.link.loss;

import java.util.Objects;
import java.util.SplittableRandom;

/** A perfect channel. Unlike {@code BernoulliLoss(0)} it draws nothing: an ideal link leaves its stream untouched. */
public final class NoLoss implements LossModel {

    public static final NoLoss INSTANCE = new NoLoss();

    private NoLoss() {
    }

    @Override
    public boolean lose(SplittableRandom random) {
        Objects.requireNonNull(random, "random");
        return false;
    }

    @Override
    public double expectedLossRate() {
        return 0.0;
    }

    @Override
    public String describe() {
        return "loss 0%";
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
