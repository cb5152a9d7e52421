package knetsim.core.engine;

import knetsim.core.time.SimTime;

/**
 * An LP's pending events after its earliest one (which the LP holds in its own fields, and makes this queue
 * only when a second event is pending): a binary min-heap in {@link Event#compare} order, i.e.
 * {@code (time, originLp, originSeq)}. Written by hand only because speed needs it: on S4 the
 * {@code PriorityQueue<Event>} it replaces was the engine's largest cost (JFR, bench/README.md
 * "The engine's own per-event cost"), its sifts calling a {@code Comparator} and reading each
 * event's fields through a pointer. Here the times sit in a {@code long[]} beside the events, so a
 * sift compares longs in one array and reads an event only when two times are equal. Because the
 * key is unique per event (an origin never reuses a sequence number), any correct heap yields the
 * same sequence as the {@code PriorityQueue} did, and every digest stays the same.
 * The arrays are made at the first event and only grow: an idle LP holds no array.
 */
final class EventQueue {
    private static final Event[] NO_EVENTS = new Event[0];
    private static final long[] NO_TIMES = new long[0];
    private static final int FIRST = 8;

    private Event[] events = NO_EVENTS;
    private long[] times = NO_TIMES;
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The earliest event, or null when empty. */
    Event peek() {
        return size == 0 ? null : events[0];
    }

    /** The earliest event's time, or {@link SimTime#NEVER} when empty. */
    long peekTime() {
        return size == 0 ? SimTime.NEVER : times[0];
    }

    void add(Event e) {
        add(e, e.time());
    }

    /** Adds an event whose time the caller has already read. */
    void add(Event e, long time) {
        if (size == events.length) grow();
        up(size++, e, time);
    }

    /** Removes and returns the earliest event, or null when empty. */
    Event poll() {
        if (size == 0) return null;
        Event head = events[0];
        int n = --size;
        Event last = events[n];
        long lastTime = times[n];
        events[n] = null; // the queue must not keep a processed event's payload alive
        if (n > 0) down(0, last, lastTime);
        return head;
    }

    private void grow() {
        int capacity = events.length == 0 ? FIRST : events.length * 2;
        events = java.util.Arrays.copyOf(events, capacity);
        times = java.util.Arrays.copyOf(times, capacity);
    }

    // does (a, at) come strictly before (b, bt)? The events are read only when the times are equal.
    private static boolean precedes(Event a, long at, Event b, long bt) {
        return at < bt || (at == bt && Event.compare(a, b) < 0);
    }

    private void up(int pos, Event e, long t) {
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (!precedes(e, t, events[parent], times[parent])) break;
            events[pos] = events[parent];
            times[pos] = times[parent];
            pos = parent;
        }
        events[pos] = e;
        times[pos] = t;
    }

    private void down(int pos, Event e, long t) {
        int n = size;
        int half = n >>> 1; // positions below half have a child
        while (pos < half) {
            int child = 2 * pos + 1;
            int right = child + 1;
            if (right < n && precedes(events[right], times[right], events[child], times[child])) child = right;
            if (!precedes(events[child], times[child], e, t)) break;
            events[pos] = events[child];
            times[pos] = times[child];
            pos = child;
        }
        events[pos] = e;
        times[pos] = t;
    }
}
