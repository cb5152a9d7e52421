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
        return compare(a.time, a.originLp, a.originSeq, b.time, b.originLp, b.originSeq);
    }

    /** The same order on keys held as numbers (an LP keeps the highest key it processed so). */
    static int compare(long time, int originLp, long originSeq, long bTime, int bOriginLp, long bOriginSeq) {
        if (time != bTime) return Long.compare(time, bTime);
        if (originLp != bOriginLp) return Integer.compare(originLp, bOriginLp);
        return Long.compare(originSeq, bOriginSeq);
    }
}
