package knetsim.node.dev;

import java.math.BigInteger;
import java.util.ArrayDeque;
import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;

/**
 * tbf (net/sched/sch_tbf.c), a shaper: after an initial burst, packets leave no faster than the configured rate.
 * Like the kernel, tokens are kept as time (nanoseconds of sending at the rate) rather than bytes, and the bucket
 * holds at most {@code buffer}, the time to send one burst. No peakrate; the inner queue is the default bfifo.
 *
 * <p>Arithmetic is exact integer nanoseconds: the time to send {@code len} bytes is floor(len x 8 x 10^9 / rate).
 * The kernel's psched_l2t_ns() computes the same quotient with a reciprocal multiply and shift (a multiplier of at
 * least 31 bits), so it can come out 1 ns lower, relatively less than 2^-31; both round down. The ATM link layer and
 * per-packet overhead options of tc's rate table are not modelled.
 */
public final class TokenBucketFilter extends AbstractQdisc {
    private static final long BITS_PER_BYTE = 8;
    // Above this many bytes, bytes x 8 x 10^9 no longer fits in a long.
    private static final long MAX_EXACT_LONG_BYTES = Long.MAX_VALUE / (BITS_PER_BYTE * SimTime.SECOND);

    private final long rateBitsPerSecond;
    private final long maxSize;
    private final long limit;
    private final long buffer;
    // q->tokens, in nanoseconds of sending time.
    private long tokens;
    // q->t_c, the "time check-point": when tokens was last brought up to date.
    private long timeCheckpoint;
    // The default inner bfifo and its own backlog, which its limit is checked against.
    private final ArrayDeque<SkBuff> queue = new ArrayDeque<>();
    private long queueBacklog;

    /**
     * {@code tc qdisc add ... tbf rate R burst B limit L}.
     *
     * @param rateBitsPerSecond the shaping rate R; tc hands the kernel whole bytes per second (R / 8), so the rate is
     *                          the kernel's exactly when R is a multiple of 8
     * @param burstBytes the bucket size B: as with TCA_TBF_BURST, max_size = B and buffer = psched_l2t_ns(B); a packet
     *                   longer than B can never earn enough tokens and is dropped on enqueue
     * @param limitBytes the inner bfifo's byte limit L; 0 drops everything, as the kernel's noop child would
     */
    public TokenBucketFilter(long rateBitsPerSecond, long burstBytes, long limitBytes) {
        if (rateBitsPerSecond <= 0) {
            throw new IllegalArgumentException("tbf: rate must be > 0, got " + rateBitsPerSecond);
        }
        // tbf_change() returns -EINVAL when max_size comes out 0.
        if (burstBytes <= 0) throw new IllegalArgumentException("tbf: burst must be > 0, got " + burstBytes);
        if (limitBytes < 0) throw new IllegalArgumentException("tbf: limit must be >= 0, got " + limitBytes);
        this.rateBitsPerSecond = rateBitsPerSecond;
        this.maxSize = burstBytes;
        this.limit = limitBytes;
        this.buffer = lengthToTime(burstBytes);
        // Tokens are added to elapsed time; a bucket this deep (decades) could overflow that sum.
        if (buffer > Long.MAX_VALUE / 4) {
            throw new IllegalArgumentException("tbf: burst " + burstBytes + " bytes at " + rateBitsPerSecond
                    + " bit/s gives a bucket of " + buffer + " ns, too deep");
        }
        // tbf_change(): the bucket starts full; tbf_init() sets t_c to the creation time, virtual 0 here.
        this.tokens = buffer;
    }

    // psched_l2t_ns(): nanoseconds to send this many bytes at the rate.
    public long lengthToTime(long bytes) {
        if (bytes <= MAX_EXACT_LONG_BYTES) return bytes * BITS_PER_BYTE * SimTime.SECOND / rateBitsPerSecond;
        BigInteger bits = BigInteger.valueOf(bytes).multiply(BigInteger.valueOf(BITS_PER_BYTE * SimTime.SECOND));
        BigInteger nanos = bits.divide(BigInteger.valueOf(rateBitsPerSecond));
        return nanos.bitLength() < Long.SIZE ? nanos.longValue() : SimTime.NEVER;
    }

    public long rateBitsPerSecond() {
        return rateBitsPerSecond;
    }

    /** q->max_size: the largest packet accepted, the burst in bytes. */
    public long maxSize() {
        return maxSize;
    }

    public long limit() {
        return limit;
    }

    /** q->buffer: the bucket depth as time, in nanoseconds. */
    public long buffer() {
        return buffer;
    }

    // tbf_enqueue(): oversize packets are dropped (qdisc_drop), then bfifo_enqueue() into the inner queue.
    @Override
    protected boolean opsEnqueue(SkBuff skb, long now) {
        int length = skb.len();
        if (length > maxSize) return false;
        // The inner bfifo sees only its own backlog, not a packet requeued at the tbf root.
        if (queueBacklog + length > limit) return false;
        queue.addLast(skb);
        queueBacklog += length;
        return true;
    }

    // tbf_dequeue(): the head packet leaves only if the bucket, refilled since t_c, covers its sending time.
    @Override
    protected SkBuff opsDequeue(long now) {
        SkBuff skb = queue.peekFirst();
        if (skb == null) return null;
        long toks = tokensAt(now) - lengthToTime(skb.len());
        if (toks < 0) {
            // The kernel arms qdisc_watchdog here; nextDequeueTime() tells the caller the same instant.
            countOverlimit();
            return null;
        }
        queue.pollFirst();
        queueBacklog -= skb.len();
        timeCheckpoint = now;
        tokens = toks;
        return skb;
    }

    // qdisc_watchdog_schedule_ns(now + -toks): the instant the bucket has refilled enough for the head packet.
    @Override
    protected long opsNextDequeueTime(long now) {
        SkBuff skb = queue.peekFirst();
        if (skb == null) return SimTime.NEVER;
        long toks = tokensAt(now) - lengthToTime(skb.len());
        return toks >= 0 ? now : SimTime.saturatingAdd(now, -toks);
    }

    // Tokens earned since t_c, capped at buffer both before and after adding the saved tokens, as tbf_dequeue() does.
    private long tokensAt(long now) {
        if (now < timeCheckpoint) {
            throw new IllegalArgumentException("tbf: time went backwards, now " + now + " < t_c " + timeCheckpoint);
        }
        long toks = Math.min(now - timeCheckpoint, buffer) + tokens;
        return Math.min(toks, buffer);
    }
}
