package knetsim.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import knetsim.core.serial.CrossJvm;
import knetsim.core.time.SimTime;

/**
 * Base class of every model element (host, NIC queue, link, ...): its own pending events,
 * virtual clock, random stream, counters and trace digest. It is a plain object so protocol
 * logic can be unit-tested without actors; {@link UnitActor} runs it inside Akka (with the other LPs of its group of units) and
 * {@link SequentialEngine} runs it in a plain loop. Its sending side (edge look-up, outbox) is {@link LpSendSide}.
 */
public abstract class LogicalProcess extends LpSendSide {
    // The earliest pending event and its key and payload are fields of the LP itself, the later events in a queue
    // made when a second one is pending: most LPs (a NIC queue, a link, a process) hold one event at a time, and
    // then processing it reads no queue, no array and not the event object (the engine is bound by memory
    // latency: JFR on S4); the event itself is kept for peekNext and to be queued when an earlier one arrives.
    private Event head;
    private long headTime = SimTime.NEVER;
    private long headSeq;
    private int headLp;
    private Payload headPayload;
    private int pendingCount;
    private EventQueue later;
    private final Counters counters = new Counters();
    private int id = -1;
    private long runEnd = SimTime.NEVER;
    private SplittableRandom random;
    private RunDigest.LpTrace trace;
    // The trace's records and the last payload class with its kind: fields of the LP, which the engine touches
    // anyway, so that recording an event reaches no second object (RunDigest.LpTrace)
    private long[] traceRecords;
    private int traceCount;
    private Class<?> traceClass;
    private int traceKind;
    private long now;
    private long nextSeq;
    private long processed;
    // The key (time, originLp, originSeq) of the highest event processed and of the last one (its time is now),
    // as numbers: the causality guard compared each event to those old events, a cache miss per event on S4
    // (JFR). Every event's time is at least 0, so the first one is above the initial highest key.
    private long highTime = Long.MIN_VALUE;
    private int highLp;
    private long highSeq;
    private int lastLp;
    private long lastSeq;
    private int sender = -1; // the origin of the event being handled; this LP's id between events
    private Sampler sampler; // null unless recordSeries was called

    /** The self event of {@link #recordSeries}; it goes into the trace like any other event. */
    record SampleTick() implements Payload {
        @Override
        public long fingerprint() {
            return 0x5A3F1E;
        }
    }

    // ---- the model's side ----

    /** Called once at virtual time 0, before any event: schedule or send the first events. */
    protected abstract void onStart();

    /** Handles one event at {@link #now()}. */
    protected abstract void onEvent(Payload payload);

    /** Called once when the run is over, before the digest is taken: publish final counters here. */
    protected void onFinish() {}

    /**
     * What this LP hands back when the run is over (capture chunks...), gathered by the coordinator
     * from every partition. Keep each item well under 256 KiB, Artery's frame size: split big data.
     */
    protected List<? extends CrossJvm> reports() {
        return List.of();
    }

    final List<? extends CrossJvm> takeReports() {
        List<CrossJvm> all = new ArrayList<>(reports());
        if (sampler != null) all.addAll(sampler.chunks());
        return all;
    }

    /**
     * Samples counters every {@code intervalNs} from time 0 (each probe is {series name, counter
     * name}, read through {@link #sample}); the samples come back as {@link SeriesChunk} reports.
     * Call before the run starts; the ticks run until the run's end time, so use it with one.
     */
    public final void recordSeries(long intervalNs, List<String[]> seriesAndCounters) {
        sampler = new Sampler(intervalNs, seriesAndCounters);
    }

    /** The current value of a recorded counter; LPs whose counters are only published at the end override this. */
    protected double sample(String counter) {
        return counters.get(counter);
    }

    protected final long now() {
        return now;
    }

    protected final int id() {
        return id;
    }

    /**
     * The run's end: events before it are processed, so what a model counts at its finish (a frame still
     * on the wire) can be told from what had happened by then; {@link SimTime#NEVER} for a run to exhaustion.
     */
    protected final long runEnd() {
        return runEnd;
    }

    /** The LP that sent the event being handled (this LP for self-scheduled events). */
    protected final int sender() {
        return sender;
    }

    /** The LPs this one has edges to, sorted; pass an index to {@link #edgeMinDelay(int)}. */
    protected final int[] edgeTargets() {
        return rowTargets;
    }

    protected final long edgeMinDelay(int edgeIndex) {
        return rowDelays[edgeIndex];
    }

    /** This LP's own stream, seeded from (run seed, LP id): never shared, so draws are reproducible. */
    protected final SplittableRandom random() {
        return random;
    }

    public final Counters counters() {
        return counters;
    }

    /** Sends to another LP along a declared edge; a delay below the edge's minimum is refused. */
    protected final void send(int target, long delay, Payload payload) {
        long min = edgeDelay(target);
        if (min < 0 || delay < min) throw refused(target, delay, min);
        post(new Event(SimTime.saturatingAdd(now, delay), id, nextSeq++, target, payload));
    }

    private IllegalArgumentException refused(int target, long delay, long min) {
        if (min < 0) {
            return new IllegalArgumentException("LP " + id + " has no edge to LP " + target
                    + (target == id ? " (use schedule() for events to itself)" : ""));
        }
        return new IllegalArgumentException("LP " + id + " -> LP " + target + ": delay "
                + SimTime.format(delay) + " is below the edge minimum " + SimTime.format(min)
                + " (the lookahead promise)");
    }

    /** Schedules an event for this LP itself; any delay >= 0 is allowed. */
    protected final void schedule(long delay, Payload payload) {
        if (delay < 0) {
            throw new IllegalArgumentException("LP " + id + ": negative self-delay " + delay + "ns");
        }
        long time = SimTime.saturatingAdd(now, delay);
        add(new Event(time, id, nextSeq++, id, payload), time);
    }

    /** Bypasses the edge check; exists only so tests can prove the causality guard works. */
    final void sendUnchecked(int target, long absoluteTime, Payload payload) {
        post(new Event(absoluteTime, id, nextSeq++, target, payload));
    }

    // ---- the engine's side ----

    final void attach(int lpId, LpGraph lpGraph, long runSeed, long runEndTime) {
        if (id >= 0) throw new IllegalStateException("LP " + id + " is already attached");
        id = lpId;
        sender = lpId;
        runEnd = runEndTime;
        attachRow(lpGraph, lpId);
        random = new SplittableRandom(seedFor(runSeed, lpId));
        trace = new RunDigest.LpTrace();
        traceRecords = new long[RunDigest.LpTrace.FIRST];
    }

    static long seedFor(long runSeed, int lpId) {
        // SplitMix64 finaliser: neighbouring LP ids get unrelated streams.
        long z = runSeed + 0x9E3779B97F4A7C15L * (lpId + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    final void start() {
        onStart();
        if (sampler != null && sampler.hasProbes()) schedule(0, new SampleTick());
    }

    final void enqueue(Event event) {
        long time = event.time();
        if (time < now) throw causality(time, event.originLp(), event.originSeq());
        add(event, time);
    }

    // queues an event: the new head if it sorts first (the old head then waits in the queue), else the queue
    private void add(Event event, long time) {
        if (pendingCount++ == 0) {
            toHead(event, time);
            return;
        }
        if (later == null) later = new EventQueue();
        if (time < headTime || (time == headTime
                && Event.compare(time, event.originLp(), event.originSeq(), headTime, headLp, headSeq) < 0)) {
            later.add(head, headTime);
            toHead(event, time);
        } else {
            later.add(event, time);
        }
    }

    // makes the event (at time) the head: its key and payload copied into the LP while the event is at hand
    private void toHead(Event event, long time) {
        head = event;
        headTime = time;
        headLp = event.originLp();
        headSeq = event.originSeq();
        headPayload = event.payload();
    }

    /** The event {@link #processNext} would process, or null (for a census of a run, not for models). */
    final Event peekNext() {
        return head;
    }

    final long nextEventTime() {
        return headTime;
    }

    /** Processes every pending event earlier than {@code horizon}, in (time, origin) order. */
    final void runUntil(long horizon) {
        while (headTime < horizon) processNext();
    }

    /** Processes exactly the earliest pending event (the head; the queue's earliest becomes the head). */
    final void processNext() {
        long time = headTime;
        int origin = headLp;
        long seq = headSeq;
        Payload payload = headPayload;
        if (--pendingCount == 0) {
            head = null;
            headTime = SimTime.NEVER;
            headPayload = null;
        } else {
            Event next = later.poll();
            toHead(next, next.time());
        }
        process(time, origin, seq, payload);
    }

    private void process(long time, int origin, long seq, Payload payload) {
        // Another LP's event must not sort before anything already processed (the whole key, not
        // only time). A self-event scheduled with delay 0 may sort before the foreign event that
        // created it when this LP's id is lower: legal, so for self-events only time counts.
        int againstHighest = Event.compare(time, origin, seq, highTime, highLp, highSeq);
        if (origin != id ? againstHighest < 0 : time < now) throw causality(time, origin, seq);
        if (againstHighest > 0) {
            highTime = time;
            highLp = origin;
            highSeq = seq;
        }
        now = time;
        lastLp = origin;
        lastSeq = seq;
        sender = origin;
        record(time, origin, seq, payload);
        processed++;
        if (payload instanceof SampleTick && origin == id) {
            sampler.take(this, now);
            schedule(sampler.interval(), new SampleTick());
        } else {
            onEvent(payload);
        }
        sender = id;
    }

    // appends the event to the trace; most LPs see few payload classes: the ClassValue lookup is skipped
    private void record(long time, int origin, long seq, Payload payload) {
        Class<?> type = payload.getClass();
        if (type != traceClass) {
            traceKind = trace.kindOf(type, traceClass, traceKind);
            traceClass = type;
        }
        if (traceCount == traceRecords.length) {
            if (traceCount < RunDigest.LpTrace.MOST) {
                traceRecords = java.util.Arrays.copyOf(traceRecords, traceCount * 2);
            } else {
                trace.hash(traceRecords, traceCount);
                traceCount = 0;
            }
        }
        traceRecords[traceCount++] = RunDigest.LpTrace.record(time, origin, seq, traceKind, payload.fingerprint());
    }

    private CausalityViolation causality(long time, int originLp, long originSeq) {
        String after = SimTime.format(now) + (processed == 0 ? "" : " (from LP " + lastLp + ", seq " + lastSeq + ")");
        return new CausalityViolation("causality violated: LP " + id + " would process an event at "
                + SimTime.format(time) + " (from LP " + originLp + ", seq " + originSeq + ") after one at " + after);
    }

    final long processed() {
        return processed;
    }

    final long lastEventTime() {
        return now;
    }

    /** Ends the LP: its last counters, then the digest of its trace. Call once. */
    final byte[] finish() {
        onFinish();
        byte[] digest = trace.finish(traceRecords, traceCount);
        traceRecords = null;
        trace = null; // its SHA-256 state is spent
        return digest;
    }
}
