package knetsim.core.run;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * How far the partitions in this JVM have got, for a progress display: the start of the latest
 * window and the events executed so far by every LP of every partition here (the same events the
 * run's summary counts; a member JVM's are not seen until the end). Written by the schedulers, read by the launcher; it only
 * watches the run and never feeds back into it, so it cannot change a result.
 */
public final class RunProgress {
    private static final AtomicLong virtualTime = new AtomicLong();
    private static final LongAdder events = new LongAdder();

    private RunProgress() {}

    /** A scheduler of partition {@code partition} starts a window at {@code windowStart}. */
    public static void window(int partition, long windowStart) {
        if (partition == 0) virtualTime.accumulateAndGet(windowStart, Math::max);
    }

    /** An LP executed {@code n} events in a window. */
    public static void executed(long n) {
        events.add(n);
    }

    public static long virtualTime() {
        return virtualTime.get();
    }

    public static long events() {
        return events.sum();
    }

    /** Before a run: start counting from zero. */
    public static void reset() {
        virtualTime.set(0);
        events.reset();
    }
}
