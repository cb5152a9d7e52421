package knetsim.core.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import knetsim.core.serial.CrossJvm;

/**
 * What the partitions hand the coordinator at the end of a run: every LP's digest, counters and report
 * items, checked as they come in, and the pacing of each partition's result messages: every
 * {@link RunCoordinator#RESULTS_TAKEN_EVERY} taken from a partition, it may send more
 * (docs/architecture.md, "Results and dropped messages").
 */
final class RunResults {
    /** Tells a partition's scheduler that {@code count} of its result messages have been taken. */
    interface Taken {
        void taken(int partition, long count);
    }

    private final TreeMap<Integer, byte[]> digests = new TreeMap<>();
    private final TreeMap<Integer, SortedCounters> counters = new TreeMap<>();
    /** One array per distinct list of counter names: LPs of one kind report the same names. */
    private final Map<List<String>, String[]> counterNames = new HashMap<>();
    private final TreeMap<Integer, List<CrossJvm>> reports = new TreeMap<>();
    private final long[] takenFrom;             // result messages taken, by partition
    private final Supplier<int[]> placement;    // the partition of each LP, asked for when the first result comes in
    private final Taken taken;
    private int[] partitionOf;

    RunResults(int partitions, Supplier<int[]> placement, Taken taken) {
        this.takenFrom = new long[partitions];
        this.placement = placement;
        this.taken = taken;
    }

    /** A chunk of a partition's digests; an error text if it is malformed. */
    String digests(RunCoordinator.LpDigests m) {
        if (m.lpIds().length != m.digests().length) {
            return "partition " + m.partition() + " sent " + m.lpIds().length + " LP ids with " + m.digests().length + " digests";
        }
        for (int i = 0; i < m.lpIds().length; i++) digests.put(m.lpIds()[i], m.digests()[i]);
        took(m.partition());
        return null;
    }

    /** An LP's counters, kept as the two arrays it handed over (no map per LP); an error text if malformed. */
    String counters(RunCoordinator.LpCounters m) {
        String[] names = counterNames.computeIfAbsent(Arrays.asList(m.names()), k -> m.names());
        try {
            counters.put(m.lpId(), SortedCounters.of(names, m.values()));
        } catch (IllegalArgumentException e) {
            return "the counters of LP " + m.lpId() + " are malformed: " + e.getMessage();
        }
        took(partitionOf(m.lpId()));
        return null;
    }

    /** One of an LP's report items, in order; an error text if one is missing. */
    String report(RunCoordinator.LpReport m) {
        List<CrossJvm> list = reports.computeIfAbsent(m.lpId(), k -> new ArrayList<>());
        if (m.index() != list.size()) return "report " + m.index() + " of LP " + m.lpId() + " arrived out of order";
        list.add(m.report());
        took(partitionOf(m.lpId()));
        return null;
    }

    TreeMap<Integer, byte[]> digests() {
        return digests;
    }

    TreeMap<Integer, SortedCounters> counters() {
        return counters;
    }

    TreeMap<Integer, List<CrossJvm>> reports() {
        return reports;
    }

    private int partitionOf(int lpId) {
        if (partitionOf == null) partitionOf = placement.get();
        return lpId >= 0 && lpId < partitionOf.length ? partitionOf[lpId] : -1;
    }

    private void took(int partition) {
        if (partition < 0 || partition >= takenFrom.length) return;
        if (++takenFrom[partition] % RunCoordinator.RESULTS_TAKEN_EVERY == 0) taken.taken(partition, takenFrom[partition]);
    }
}
