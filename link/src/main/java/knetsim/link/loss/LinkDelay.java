package knetsim.link.loss;

import java.util.SplittableRandom;
import knetsim.core.time.SimTime;

/**
 * Propagation delay of one Link direction: a fixed latency plus a uniform jitter in [0, jitter]. The latency is the
 * edge's minimum delay, i.e. the engine's lookahead, so it must be positive.
 *
 * <p>Without reordering the direction is FIFO like a cable or netem without {@code reorder}: a frame whose draw would
 * overtake the previous frame is delivered at the previous frame's time instead (equal times keep send order because
 * the engine breaks ties by origin sequence number). With reordering, jittered frames may overtake. Because of that
 * memory an instance belongs to one direction; give each direction its own {@link #copy()}.
 *
 * <p>Draws once per frame if jitter > 0 and never otherwise.
 */
public final class LinkDelay {

    private final long latencyNs;
    private final long jitterNs;
    private final boolean reorder;
    // Delivery time of the previous frame; only consulted without reorder.
    private long lastDelivery = Long.MIN_VALUE;

    /**
     * @param latencyNs fixed one-way delay, > 0
     * @param jitterNs  largest extra delay, >= 0; each frame adds a uniform draw from [0, jitterNs]
     * @param reorder   whether a jittered frame may arrive before one sent earlier
     */
    public LinkDelay(long latencyNs, long jitterNs, boolean reorder) {
        if (latencyNs <= 0) {
            throw new IllegalArgumentException("link latency must be > 0 ns (a zero-latency link would make the"
                    + " engine's lookahead zero), got " + latencyNs + " ns");
        }
        if (jitterNs < 0) {
            throw new IllegalArgumentException("link jitter must be >= 0 ns, got " + jitterNs + " ns");
        }
        this.latencyNs = latencyNs;
        this.jitterNs = jitterNs;
        this.reorder = reorder;
    }

    /** A link without jitter; never reorders. */
    public static LinkDelay fixed(long latencyNs) {
        return new LinkDelay(latencyNs, 0, false);
    }

    public long latencyNs() {
        return latencyNs;
    }

    public long jitterNs() {
        return jitterNs;
    }

    public boolean reorder() {
        return reorder;
    }

    /** The smallest {@code deliveryTime - sentAt} this link can produce: the edge minimum for the lookahead. */
    public long minimumDelay() {
        return latencyNs;
    }

    /**
     * When the frame the link takes at {@code sentAt} arrives at the far end. Call once per frame in transmission
     * order.
     *
     * @param sentAt virtual time in ns, >= 0
     * @return a time in [sentAt + latency, sentAt + latency + jitter], later still if FIFO holds the frame back
     *         behind its predecessor; {@link SimTime#NEVER} if that lies beyond representable time
     */
    public long deliveryTime(long sentAt, SplittableRandom random) {
        if (sentAt < 0) {
            throw new IllegalArgumentException("sentAt must be a virtual time >= 0 ns, got " + sentAt);
        }
        long extra = 0;
        if (jitterNs > 0) {
            // nextLong(bound) excludes the bound; for the one jitter where jitter + 1 overflows use the top 63 bits.
            extra = jitterNs == Long.MAX_VALUE ? random.nextLong() >>> 1 : random.nextLong(jitterNs + 1);
        }
        long at = SimTime.saturatingAdd(SimTime.saturatingAdd(sentAt, latencyNs), extra);
        if (!reorder) {
            at = Math.max(at, lastDelivery);
            lastDelivery = at;
        }
        return at;
    }

    /** The same parameters with no memory of earlier frames. */
    public LinkDelay copy() {
        return new LinkDelay(latencyNs, jitterNs, reorder);
    }

    /** E.g. {@code "delay 10ms + uniform [0, 2ms], fifo"}; not netem's wording, whose jitter is symmetric. */
    public String describe() {
        if (jitterNs == 0) return "delay " + SimTime.format(latencyNs);
        return "delay " + SimTime.format(latencyNs) + " + uniform [0, " + SimTime.format(jitterNs) + "], "
                + (reorder ? "may reorder" : "fifo");
    }

    @Override
    public String toString() {
        return describe();
    }
}
