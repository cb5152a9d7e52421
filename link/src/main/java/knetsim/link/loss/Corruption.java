package knetsim.link.loss;

import java.util.SplittableRandom;

/**
 * Random bit errors on the wire, netem's {@code corrupt PERCENT}. A corrupted frame keeps its bytes (so a capture
 * still shows what was sent) but its FCS is marked bad: the receiving NIC discards it and counts
 * {@code rx_crc_errors}, as a real NIC does with a frame whose CRC does not match.
 *
 * <p>Stateless and immutable, so one instance may serve both directions. Every frame consumes exactly one draw,
 * even for probability 0 or 1, so changing the probability moves no other draw of the direction's stream.
 */
public final class Corruption {

    /** A clean channel; it still draws once per frame, like any other probability. */
    public static final Corruption NONE = new Corruption(0.0);

    private final double probability;

    /** @param probability probability that a frame's FCS is bad, in [0, 1] */
    public Corruption(double probability) {
        this.probability = Probability.require("corruption probability", probability);
    }

    public double probability() {
        return probability;
    }

    /** @return true if this frame arrives with a bad FCS */
    public boolean corrupt(SplittableRandom random) {
        return random.nextDouble() < probability;
    }

    public String describe() {
        return "corrupt " + Probability.percent(probability);
    }

    @Override
    public String toString() {
        return describe();
    }
}
