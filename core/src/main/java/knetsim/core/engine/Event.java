package knetsim.core.engine;

import java.util.Comparator;
import knetsim.core.serial.CrossJvm;

/**
 * One timestamped event for one LP. Events are totally ordered by
 * {@code (time, originLp, originSeq)}: the origin pair is unique per event and independent of
 * message arrival order, which is what makes every run reproducible.
 */
public record Event(long time, int originLp, long originSeq, int targetLp, Payload payload)
        implements CrossJvm {

    public static final Comparator<Event> ORDER = Event::compare;

    /** The order above as a static call, which the engine's queues use without a Comparator. */
    public static int compare(Event a, Event b) {
        if (a.time != b.time) return Long.compare(a.time, b.time);
        if (a.originLp != b.originLp) return Integer.compare(a.originLp, b.originLp);
        return Long.compare(a.originSeq, b.originSeq);
    }
}
