package knetsim.node;

import knetsim.core.time.SimTime;

/**
 * The host's one timer queue: each timer source (the IPv4 stack's neighbour and reassembly timers, epoll
 * timeouts, TCP's socket timers) keeps only its earliest deadline here, and the host keeps one self event for
 * the earliest of all. Re-arming a later deadline (an RTO pushed back by every ACK) creates no event: the
 * source is called at its old deadline, finds nothing due and asks again.
 */
final class HostTimers {
    /** The sources, in the order they run when due at the same instant. */
    static final int STACK = 0, SOCKETS = 1, TCP = 2, SOURCES = 3;

    private final long[] due = {SimTime.NEVER, SimTime.NEVER, SimTime.NEVER};
    private long armed = SimTime.NEVER;

    /** {@code source} wants to run at {@code deadline}; only its earliest request is kept. */
    void wakeAt(int source, long deadline) {
        if (deadline < due[source]) due[source] = deadline;
    }

    /** Whether {@code source} is due at {@code now}; if so its deadline is cleared (it asks again as needed). */
    boolean take(int source, long now) {
        if (due[source] > now) return false;
        due[source] = SimTime.NEVER;
        return true;
    }

    long earliest() {
        long e = SimTime.NEVER;
        for (long d : due) e = Math.min(e, d);
        return e;
    }

    /**
     * The deadline a new self event is needed for, or SimTime.NEVER when the one outstanding (if any) comes
     * early enough. {@code now} tells whether the outstanding one has already fired.
     */
    long toArm(long now) {
        long e = earliest();
        if (e == SimTime.NEVER) return SimTime.NEVER;
        if (armed != SimTime.NEVER && armed >= now && armed <= e) return SimTime.NEVER;
        armed = e;
        return e;
    }

    /** A self event for {@code deadline} came: whether it is the current one (else it is stale). */
    boolean fire(long deadline) {
        if (deadline != armed) return false;
        armed = SimTime.NEVER;
        return true;
    }
}
