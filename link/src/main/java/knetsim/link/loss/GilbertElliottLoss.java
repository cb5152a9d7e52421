package knetsim.link.loss;

import java.util.SplittableRandom;

/**
 * Bursty loss from a two-state Markov chain, exactly as Linux netem's {@code loss gemodel p r 1-h 1-k}
 * ({@code loss_gilb_ell()} in net/sched/sch_netem.c), so a scenario tuned against a real netem behaves the same here.
 *
 * <p>Parameters, all probabilities in [0, 1]:
 * <ul>
 *   <li>{@code p}: P(Good → Bad) per frame;</li>
 *   <li>{@code r}: P(Bad → Good) per frame;</li>
 *   <li>{@code h}: probability that a frame is <em>delivered</em> in the Bad state (netem's {@code 1-h} is the loss
 *       probability there);</li>
 *   <li>{@code k}: probability that a frame is <em>delivered</em> in the Good state (netem's {@code 1-k} is the loss
 *       probability there).</li>
 * </ul>
 *
 * <p>Per frame, as netem does it: the chain starts in Good; first one draw decides the state transition, then a second
 * draw decides the loss using the loss probability of the state the chain was in <em>before</em> that transition
 * ({@code 1-k} in Good, {@code 1-h} in Bad). The new state only applies from the next frame on. Every frame
 * consumes exactly two draws. With h = 0, k = 1 (the netem defaults) a frame is lost iff the chain is in Bad, so
 * loss bursts are geometric with mean length 1/r.
 */
public final class GilbertElliottLoss implements LossModel {

    private final double p;
    private final double r;
    private final double h;
    private final double k;
    private boolean bad;

    /**
     * @param p P(Good → Bad)
     * @param r P(Bad → Good)
     * @param h probability of delivery in Bad
     * @param k probability of delivery in Good
     * @throws IllegalArgumentException if a parameter is outside [0, 1] or p + r = 0
     */
    public GilbertElliottLoss(double p, double r, double h, double k) {
        this.p = Probability.require("Gilbert-Elliott p (P(Good->Bad))", p);
        this.r = Probability.require("Gilbert-Elliott r (P(Bad->Good))", r);
        this.h = Probability.require("Gilbert-Elliott h (P(delivery in Bad))", h);
        this.k = Probability.require("Gilbert-Elliott k (P(delivery in Good))", k);
        if (p + r <= 0.0) {
            // With p = r = 0 the chain never leaves Good and has no unique long-run loss rate to report.
            throw new IllegalArgumentException("Gilbert-Elliott p + r must be > 0, got p=" + p + ", r=" + r);
        }
    }

    /**
     * {@code tc ... netem loss gemodel p}: netem's defaults for the omitted parameters, r = 1 - p, 1-h = 1 (Bad
     * always loses) and 1-k = 0 (Good never loses).
     */
    public static GilbertElliottLoss netem(double p) {
        Probability.require("Gilbert-Elliott p (P(Good->Bad))", p);
        return new GilbertElliottLoss(p, 1.0 - p, 0.0, 1.0);
    }

    /** {@code tc ... netem loss gemodel p r 1-h 1-k}, taking the loss probabilities in the order tc does. */
    public static GilbertElliottLoss netem(double p, double r, double oneMinusH, double oneMinusK) {
        Probability.require("Gilbert-Elliott 1-h (P(loss in Bad))", oneMinusH);
        Probability.require("Gilbert-Elliott 1-k (P(loss in Good))", oneMinusK);
        return new GilbertElliottLoss(p, r, 1.0 - oneMinusH, 1.0 - oneMinusK);
    }

    public double p() {
        return p;
    }

    public double r() {
        return r;
    }

    public double h() {
        return h;
    }

    public double k() {
        return k;
    }

    @Override
    public boolean lose(SplittableRandom random) {
        boolean wasBad = bad;
        // Draw order as in netem: transition first, then loss; the loss draw uses the state before the transition.
        // "Not delivered" is u >= h (netem: rnd > h), which loses with probability exactly 1 - h, with no rounding
        // from computing 1 - h in floating point; likewise for k.
        if (wasBad) {
            if (random.nextDouble() < r) bad = false;
            return random.nextDouble() >= h;
        }
        if (random.nextDouble() < p) bad = true;
        return random.nextDouble() >= k;
    }

    /** πG·(1-k) + πB·(1-h) with the stationary πB = p / (p + r). */
    @Override
    public double expectedLossRate() {
        double piBad = p / (p + r);
        return (1.0 - piBad) * (1.0 - k) + piBad * (1.0 - h);
    }

    @Override
    public String describe() {
        return "loss gemodel p " + Probability.percent(p) + " r " + Probability.percent(r)
                + " 1-h " + Probability.percent(1.0 - h) + " 1-k " + Probability.percent(1.0 - k);
    }

    @Override
    public LossModel copy() {
        return new GilbertElliottLoss(p, r, h, k);
    }

    @Override
    public String toString() {
        return describe();
    }
}
