package knetsim.core.engine;

import java.util.Arrays;
import knetsim.core.time.SimTime;

/**
 * Which groups of a partition may run now, and how far (docs/architecture.md, "Each group its own
 * horizon"): the state a {@link PartitionScheduler} keeps about its groups, without the actors. Each
 * group has a next event time (its earliest pending event, the scheduler's inbox for it included)
 * and is idle or running an {@code Advance}. With channel clocks a group may run every event before
 * its {@link GroupClocks} bound; with one window for all ({@code knetsim.sync = windows}) every group
 * runs to the earliest event anywhere plus the smallest delay between groups, and only once all have
 * reported. Either way an {@code Advance} ends at the round's horizon and at most {@code span} after
 * the group's first event, where each group's span adapts to how many events its Advances hold
 * ({@code knetsim.advance-events}): shorter for a hub that others wait on, the whole span for light groups.
 */
final class GroupHorizons {
    /** The shortest span {@code knetsim.advance-events} gives a group (unless {@code knetsim.advance-span} is shorter). */
    static final long MIN_SPAN = 10 * SimTime.MICROSECOND;
    private final int groups;
    private final GroupClocks clocks;
    private final long localLookahead;
    private final long span;
    private final long advanceEvents;     // the events an Advance should hold; 0: every span is span
    private final long[] spanOf;          // each group's span, between MIN_SPAN (or span, if shorter) and span
    private final boolean windowsForAll;
    private final TimeHeap next;          // idle groups' next event times; a running group's inbox only
    private final boolean[] running;
    private final long[] runFrom;         // the first event of the Advance a group is running
    private final long[] own;
    private final long[] bound;
    private int outstanding;

    GroupHorizons(GroupClocks clocks, int groups, long localLookahead, long span, boolean windowsForAll) {
        this(clocks, groups, localLookahead, span, windowsForAll, 0);
    }

    GroupHorizons(GroupClocks clocks, int groups, long localLookahead, long span, boolean windowsForAll,
                  long advanceEvents) {
        this.groups = groups;
        this.advanceEvents = advanceEvents;
        this.spanOf = new long[groups];
        Arrays.fill(spanOf, span);
        this.clocks = clocks;
        this.localLookahead = localLookahead;
        this.span = span;
        this.windowsForAll = windowsForAll;
        this.next = new TimeHeap(groups);
        this.running = new boolean[groups];
        this.runFrom = new long[groups];
        this.own = new long[groups];
        this.bound = new long[groups];
    }

    /**
     * From the run's settings: {@code knetsim.sync} ({@code channels}, the default, or {@code windows}),
     * {@code knetsim.advance-span} ({@link PartitionScheduler#MAX_WINDOW} if unset) and
     * {@code knetsim.advance-events} (0, fixed spans, if unset; also on one thread, where no group runs
     * beside another and shorter spans would only cost messages).
     */
    static GroupHorizons fromSettings(com.typesafe.config.Config config, GroupClocks clocks, int groups,
                                      long localLookahead, int threads) {
        String sync = config.hasPath("knetsim.sync") ? config.getString("knetsim.sync") : "channels";
        boolean windowsForAll = switch (sync) {
            case "channels" -> false;
            case "windows" -> true;
            default -> throw new IllegalArgumentException("knetsim.sync must be channels or windows, got \"" + sync + "\"");
        };
        long span = config.hasPath("knetsim.advance-span")
                ? Math.max(1, config.getDuration("knetsim.advance-span").toNanos()) : PartitionScheduler.MAX_WINDOW;
        long advanceEvents = config.hasPath("knetsim.advance-events") ? config.getLong("knetsim.advance-events") : 0;
        if (advanceEvents < 0) throw new IllegalArgumentException("knetsim.advance-events must be 0 or more, got " + advanceEvents);
        return new GroupHorizons(clocks, groups, localLookahead, span, windowsForAll, threads > 1 ? advanceEvents : 0);
    }

    /** An event for group {@code g} at {@code time} waits in the scheduler's inbox. */
    void arrived(int g, long time) {
        next.lower(g, time);
    }

    /** Group {@code g} reported, not after an Advance (its start-up). */
    void reported(int g, long nextEventTime) {
        reported(g, nextEventTime, -1);
    }

    /**
     * Group {@code g} reported: its earliest pending event is now {@code nextEventTime} (or its inbox's),
     * after an Advance of {@code events} events (-1: its start-up), which sets its next span.
     */
    void reported(int g, long nextEventTime, long events) {
        next.set(g, Math.min(nextEventTime, next.key(g)));
        if (advanceEvents > 0 && events >= 0) {
            // more than twice / fewer than half the events, written so that no value of either overflows
            if (events - advanceEvents > advanceEvents) spanOf[g] = Math.max(Math.min(MIN_SPAN, span), spanOf[g] / 2);
            else if (events < advanceEvents - events) spanOf[g] = spanOf[g] > span / 2 ? span : spanOf[g] * 2;
        }
        if (running[g]) {
            running[g] = false;
            outstanding--;
        }
    }

    /** The earliest next event of the idle groups: where the partition is when no group is running. */
    long nextEventTime() {
        return next.minKey();
    }

    /** Each group's earliest time to act, from the last {@link #plan} (for the window profile). */
    long[] ownTimes() {
        return own;
    }

    GroupClocks clocks() {
        return clocks;
    }

    /** Advances out. */
    int running() {
        return outstanding;
    }

    /**
     * Works out every group's horizon for {@link #horizon}; returns the earliest time any group may act,
     * or {@code NEVER}. With one window for all, nothing may start while a group is running.
     */
    long plan() {
        long earliest = SimTime.NEVER;
        for (int g = 0; g < groups; g++) {
            own[g] = running[g] ? Math.min(runFrom[g], next.key(g)) : next.key(g);
            earliest = Math.min(earliest, own[g]);
        }
        if (windowsForAll) {
            Arrays.fill(bound, outstanding > 0 ? 0 : SimTime.saturatingAdd(earliest, Math.min(localLookahead, span)));
        } else {
            clocks.bounds(own, bound);
        }
        return earliest;
    }

    /** How far idle group {@code g} may run now, from {@link #plan}, in a round ending at {@code roundHorizon}; NEVER if not at all. */
    long horizon(int g, long roundHorizon) {
        long from = next.key(g);
        if (running[g] || from >= roundHorizon || from >= bound[g]) return SimTime.NEVER;
        return Math.min(Math.min(bound[g], roundHorizon), SimTime.saturatingAdd(from, spanOf[g]));
    }

    /** Group {@code g} is given its Advance: returns its first event. */
    long start(int g) {
        long from = next.key(g);
        next.set(g, SimTime.NEVER);
        running[g] = true;
        runFrom[g] = from;
        outstanding++;
        return from;
    }
}
