package knetsim.link.loss;

import java.util.SplittableRandom;

/**
 * Decides, frame by frame, whether one Link direction loses a frame; the counterpart of netem's {@code loss} option.
 *
 * <p>A model may keep state between frames (a Markov chain, a frame counter), so an instance belongs to exactly one
 * link direction and sees its frames in order. A topology keeps one configured instance as a prototype and gives each
 * direction its own {@link #copy()}; two directions sharing an instance would couple their loss processes and make
 * the result depend on the order in which the two directions happen to be simulated.
 */
public interface LossModel {

    /**
     * Called exactly once per frame, in transmission order. Draws only from {@code random}, the stream of this link
     * direction, so a run is reproducible from its seed whatever else runs in parallel.
     *
     * @return true if the frame is lost
     */
    boolean lose(SplittableRandom random);

    /** The analytic long-run fraction of frames lost; for tests and reports, never used to decide a loss. */
    double expectedLossRate();

    /** The model in the words of {@code tc qdisc ... netem}, e.g. {@code "loss 1%"}. */
    String describe();

    /**
     * An independent instance with the same parameters in the initial state (as netem after {@code tc qdisc add}),
     * regardless of how many frames this instance has seen. Immutable models may return themselves.
     */
    LossModel copy();
}
