package knetsim.core.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import knetsim.core.run.RunCoordinator;
import knetsim.core.serial.CrossJvm;

/**
 * What a partition hands the coordinator at the end of the run: every LP's counters and report items, the
 * digests in chunks, then {@code PartitionFinished}, paced so that at most {@link #WINDOW} are on their way:
 * Artery queues 3,072 messages to a member ({@code outbound-message-queue-size}) and drops the rest, and a
 * partition of many LPs sends more than that (docs/architecture.md, "Results and dropped messages").
 */
final class PartitionResults {
    /** Result messages not yet taken by the coordinator, at most: a multiple of {@link RunCoordinator#RESULTS_TAKEN_EVERY}. */
    static final int WINDOW = 4 * RunCoordinator.RESULTS_TAKEN_EVERY;

    private final int partition;
    private final Consumer<RunCoordinator.Command> coordinator;
    private final List<UnitActor.LpResult> results = new ArrayList<>();
    private final ArrayDeque<RunCoordinator.Command> out = new ArrayDeque<>();
    private long sent;
    private long taken;
    private long processed;
    private long lastEventTime;

    PartitionResults(int partition, Consumer<RunCoordinator.Command> coordinator) {
        this.partition = partition;
        this.coordinator = coordinator;
    }

    /** One group's LPs at their finish. */
    void add(List<UnitActor.LpResult> lps) {
        for (UnitActor.LpResult r : lps) {
            results.add(r);
            processed += r.processed();
            lastEventTime = Math.max(lastEventTime, r.lastEventTime());
        }
    }

    /** Every group has finished: the messages, in LP order, and the first of them on their way. */
    void finish(long rounds, long windows) {
        results.sort(java.util.Comparator.comparingInt(UnitActor.LpResult::lpId));
        // Counters and reports first: the same channel delivers them before PartitionFinished.
        for (UnitActor.LpResult f : results) {
            if (f.counterNames().length > 0) {
                out.add(new RunCoordinator.LpCounters(f.lpId(), f.counterNames(), f.counterValues()));
            }
            int index = 0;
            for (CrossJvm report : f.reports()) {
                out.add(new RunCoordinator.LpReport(f.lpId(), index++, report));
            }
        }
        // Chunked so that a partition of many LPs never exceeds the transport's frame size.
        for (int from = 0; from < results.size(); from += PeerBatches.BATCH) {
            int to = Math.min(results.size(), from + PeerBatches.BATCH);
            int[] ids = new int[to - from];
            byte[][] chunk = new byte[to - from][];
            for (int i = from; i < to; i++) {
                ids[i - from] = results.get(i).lpId();
                chunk[i - from] = results.get(i).digest();
            }
            out.add(new RunCoordinator.LpDigests(partition, ids, chunk));
        }
        out.add(new RunCoordinator.PartitionFinished(partition, processed, lastEventTime, rounds, windows));
        sendMore();
    }

    /** The coordinator has taken {@code count} of them: more may go. */
    void taken(long count) {
        taken = Math.max(taken, count);
        sendMore();
    }

    private void sendMore() {
        while (!out.isEmpty() && sent - taken < WINDOW) {
            coordinator.accept(out.poll());
            sent++;
        }
    }
}
