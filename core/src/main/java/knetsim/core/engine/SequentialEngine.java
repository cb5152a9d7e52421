package knetsim.core.engine;

import java.util.List;
import java.util.SortedMap;
import knetsim.core.serial.CrossJvm;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The plain single-threaded event loop: always process the globally earliest event. It is the
 * reference the parallel engine must match digest for digest, and the baseline it is benchmarked
 * against. Per-LP queues under an indexed heap of LPs is the classic PDES loop structure.
 */
public final class SequentialEngine {
    private SequentialEngine() {}

    public record Result(String digest, long events, long lastEventTime,
                         SortedMap<Integer, SortedMap<String, Long>> counters,
                         SortedMap<Integer, List<CrossJvm>> reports) {}

    /** Sees each event just before its LP processes it (a bench tool's census); never part of a model run. */
    public interface Observer {
        void next(LogicalProcess lp, Event event);
    }

    public static Result run(Scenario scenario) {
        return run(scenario, null);
    }

    /** The plain loop, with {@code observer} (may be null) shown every event before it is processed. */
    public static Result run(Scenario scenario, Observer observer) {
        LpGraph graph = scenario.graph();
        int n = graph.lpCount();
        LogicalProcess[] lps = new LogicalProcess[n];
        TimeHeap heap = new TimeHeap(n);
        // One consumer for the whole run: a lambda written at each delivery would be allocated per event.
        Consumer<Event> toTarget = e -> {
            lps[e.targetLp()].enqueue(e);
            heap.lower(e.targetLp(), e.time());
        };
        for (int i = 0; i < n; i++) {
            lps[i] = scenario.createLp(i);
            lps[i].attach(i, graph, scenario.seed(), scenario.endTime());
        }
        for (int i = 0; i < n; i++) {
            lps[i].start();
            deliver(toTarget, lps[i]);
            heap.set(i, lps[i].nextEventTime());
        }
        long end = scenario.endTime();
        while (heap.minKey() < end) {
            int i = heap.minSlot();
            LogicalProcess lp = lps[i];
            if (observer != null) observer.next(lp, lp.peekNext());
            lp.processNext();
            deliver(toTarget, lp);
            heap.set(i, lp.nextEventTime());
        }
        SortedMap<Integer, byte[]> digests = new TreeMap<>();
        SortedMap<Integer, SortedMap<String, Long>> counters = new TreeMap<>();
        SortedMap<Integer, List<CrossJvm>> reports = new TreeMap<>();
        long events = 0;
        long last = 0;
        for (int i = 0; i < n; i++) {
            digests.put(i, lps[i].finish());
            if (!lps[i].counters().snapshot().isEmpty()) counters.put(i, new TreeMap<>(lps[i].counters().snapshot()));
            List<? extends CrossJvm> r = lps[i].takeReports();
            if (!r.isEmpty()) reports.put(i, List.copyOf(r));
            events += lps[i].processed();
            last = Math.max(last, lps[i].lastEventTime());
        }
        return new Result(RunDigest.combine(digests), events, last, counters, reports);
    }

    private static void deliver(Consumer<Event> toTarget, LogicalProcess from) {
        if (from.hasOutput()) from.drainOutbox(toTarget);
    }
}
