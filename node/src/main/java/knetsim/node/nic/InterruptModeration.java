package knetsim.node.nic;

/**
 * ethtool coalescing of one queue's interrupt (rx-usecs/rx-frames or tx-usecs/tx-frames): raise
 * it when {@code frames} events are pending or {@code usecs} after the first one, whichever comes
 * first. Timers carry a generation, so a timer armed before the interrupt was raised is ignored,
 * and the delay counts from the first unsignalled event, also across a masked period.
 * Every method answers the same way: -1 nothing to do, 0 raise now, n > 0 arm a timer for n ns.
 */
final class InterruptModeration {
    private final long usecs;
    private final int frames;
    private boolean enabled = true;
    private int pending;
    private long firstPendingAt;
    private long generation;
    private long timerFor = -1;

    InterruptModeration(long usecs, int frames) {
        this.usecs = usecs;
        this.frames = frames;
    }

    /** A packet was written to memory or a descriptor completed. */
    long onEvent(long now) {
        if (pending++ == 0) firstPendingAt = now;
        return decide(now);
    }

    /** The interrupt is unmasked again (napi_complete_done). */
    long onEnable(long now) {
        enabled = true;
        return decide(now);
    }

    /** A timer armed in {@code timerGeneration} expired. */
    long onTimer(long timerGeneration, long now) {
        if (timerGeneration != generation) return -1;
        timerFor = -1;
        return decide(now);
    }

    /** The caller raised the interrupt; {@code mask} keeps it off until {@link #onEnable}. */
    void raised(boolean mask) {
        if (mask) enabled = false;
        pending = 0;
        generation++;
        timerFor = -1;
    }

    long generation() {
        return generation;
    }

    private long decide(long now) {
        if (!enabled || pending == 0) return -1;
        if (frames > 0 && pending >= frames) return 0;
        long due = firstPendingAt + usecs;
        if (due <= now) return 0;
        if (timerFor == generation) return -1; // one timer per generation is enough
        timerFor = generation;
        return due - now;
    }
}
