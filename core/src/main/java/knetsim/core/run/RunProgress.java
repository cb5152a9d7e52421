package knetsim.core.run;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the partitions in this JVM have got, for a progress display: the start of the latest
 * window and the events routed so far. Written by the schedulers, read by the launcher; it only
 * watches the run and never feeds back into it, so it cannot change a result.
 */
public final class RunProgress {
    private static final AtomicLong virtualTime = new AtomicLong();
    private static final AtomicLong events = new AtomicLong();

    private RunProgress() {}

    /** A scheduler of partition {@code partition} starts a window at {@code windowStart}. */
    public static void window(int partition, long windowStart, long routed) {
        if (partition == 0) virtualTime.accumulateAndGet(windowStart, Math::max);
        events.addAndGet(routed);
    }

    public static long virtualTime() {
        return virtualTime.get();
    }

    public static long events() {
        return events.get();
    }

    /** Before a run: start counting from zero. */
    public static void reset() {
        virtualTime.set(0);
        events.set(0);
    }
}
