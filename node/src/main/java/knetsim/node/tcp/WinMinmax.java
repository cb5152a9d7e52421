package knetsim.node.tcp;

/**
 * lib/win_minmax.c: Kathleen Nichols' windowed min/max tracker. It keeps the best, second-best and third-best
 * samples of a time window (each at least as recent as the one before it, spread over the window), so the
 * running minimum or maximum over the window costs constant time and space, and is almost always what keeping
 * every sample would give.
 *
 * <p>Times and values are the kernel's u32 (held in longs, 0..2^32-1), and time differences wrap as u32
 * arithmetic does, so a jiffies or round counter that wraps keeps working. The unit of time is the caller's:
 * tcp_update_rtt_min() passes jiffies with a window of tcp_min_rtt_wlen (300 s) and RTTs in microseconds
 * ({@link TcpRtt} does that); BBR passes its round count with a window of 10 rounds and bandwidths.
 * One tracker follows either a minimum or a maximum, never both.
 */
public final class WinMinmax {
    private static final long U32 = 0xffffffffL;
    // struct minmax_sample s[3]: time and value of the 1st, 2nd and 3rd choice
    private long t0, t1, t2;
    private long v0, v1, v2;

    /** A tracker reset to {@code meas} at time {@code t} (minmax_reset()). */
    public WinMinmax(long t, long meas) {
        reset(t, meas);
    }

    /** minmax_get(): the current best value. */
    public long get() {
        return v0;
    }

    /** minmax_reset(): all three choices become (t, meas); returns meas. */
    public long reset(long t, long meas) {
        t0 = t1 = t2 = t & U32;
        v0 = v1 = v2 = meas & U32;
        return v0;
    }

    /** minmax_running_max(): takes the sample (t, meas) into a window of {@code win} and returns the maximum. */
    public long runningMax(long win, long t, long meas) {
        t &= U32;
        meas &= U32;
        // a new max, or nothing left in the window: forget the earlier samples
        if (meas >= v0 || dt(t, t2) > win) return reset(t, meas);
        if (meas >= v1) {
            t2 = t1 = t;
            v2 = v1 = meas;
        } else if (meas >= v2) {
            t2 = t;
            v2 = meas;
        }
        return subwinUpdate(win, t, meas);
    }

    /** minmax_running_min(): takes the sample (t, meas) into a window of {@code win} and returns the minimum. */
    public long runningMin(long win, long t, long meas) {
        t &= U32;
        meas &= U32;
        if (meas <= v0 || dt(t, t2) > win) return reset(t, meas);
        if (meas <= v1) {
            t2 = t1 = t;
            v2 = v1 = meas;
        } else if (meas <= v2) {
            t2 = t;
            v2 = meas;
        }
        return subwinUpdate(win, t, meas);
    }

    // minmax_subwin_update(): as time advances, move the 1st, 2nd and 3rd choices along.
    private long subwinUpdate(long win, long t, long meas) {
        long dt = dt(t, t0);
        if (dt > win) {
            // a whole window without a new best: the 2nd choice becomes the best, the 3rd the 2nd, the sample
            // the 3rd; twice if the 2nd choice is out of the window too (the 3rd was checked on entry)
            shift(t, meas);
            if (dt(t, t0) > win) shift(t, meas);
        } else if (t1 == t0 && dt > win / 4) {
            // a quarter of the window without a new value: take a 2nd choice from the 2nd quarter
            t2 = t1 = t;
            v2 = v1 = meas;
        } else if (t2 == t1 && dt > win / 2) {
            // half the window without one: take a 3rd choice from the last half
            t2 = t;
            v2 = meas;
        }
        return v0;
    }

    private void shift(long t, long meas) {
        t0 = t1;
        v0 = v1;
        t1 = t2;
        v1 = v2;
        t2 = t;
        v2 = meas;
    }

    /** u32 subtraction, as "val->t - m->s[i].t" in C. */
    private static long dt(long later, long earlier) {
        return (later - earlier) & U32;
    }

    @Override
    public String toString() {
        return "minmax[" + v0 + "@" + t0 + ", " + v1 + "@" + t1 + ", " + v2 + "@" + t2 + "]";
    }
}
