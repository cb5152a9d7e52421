package knetsim.link.loss;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Drops exactly the listed frames of one direction, counted from 1 in the order {@link #lose} is called: a
 * deterministic loss pattern for tests of retransmission, duplicate ACKs and the like. Draws nothing.
 */
public final class DropList implements LossModel {

    // Sorted and without duplicates, so lose() only ever compares against the next entry.
    private final long[] frames;
    private long frameNumber;
    private int next;

    /**
     * @param frameNumbers frames to drop, each >= 1; order and repetitions do not matter (the list is a set)
     */
    public DropList(long... frameNumbers) {
        Objects.requireNonNull(frameNumbers, "frameNumbers");
        for (long f : frameNumbers) {
            if (f < 1) {
                throw new IllegalArgumentException("frame number must be >= 1 (frames are counted from 1), got " + f);
            }
        }
        this.frames = Arrays.stream(frameNumbers).sorted().distinct().toArray();
    }

    @Override
    public boolean lose(SplittableRandom random) {
        Objects.requireNonNull(random, "random");
        frameNumber++;
        if (next < frames.length && frames[next] == frameNumber) {
            next++;
            return true;
        }
        return false;
    }

    /** Zero: a finite list loses nothing in the long run, however many frames it names. */
    @Override
    public double expectedLossRate() {
        return 0.0;
    }

    @Override
    public String describe() {
        if (frames.length == 0) return "drop no frames";
        return "drop frames " + Arrays.stream(frames).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    @Override
    public LossModel copy() {
        return new DropList(frames);
    }

    @Override
    public String toString() {
        return describe();
    }
}
