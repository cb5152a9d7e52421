package knetsim.core.engine;

import java.util.Arrays;
import knetsim.core.serial.CrossJvm;
import knetsim.core.time.SimTime;

/**
 * The LPs of a run and the edges between them, each with the minimum delay the model promises
 * for it (propagation latency, IRQ latency, a CPU cost...). Lookaheads are derived from these
 * minimums, so a zero minimum would stall the windows; it is refused here.
 * Edges are stored per origin as sorted arrays: {@code send} looks its edge up on every event.
 */
public record LpGraph(int lpCount, int[][] targets, long[][] minDelays) implements CrossJvm {

    public LpGraph {
        if (lpCount <= 0) throw new IllegalArgumentException("a run needs at least one LP");
        if (targets.length != lpCount || minDelays.length != lpCount) {
            throw new IllegalArgumentException("edge tables must have one row per LP");
        }
        for (int from = 0; from < lpCount; from++) {
            if (targets[from] == null || minDelays[from] == null || targets[from].length != minDelays[from].length) {
                throw new IllegalArgumentException("LP " + from + ": edge targets and delays must be rows of equal length");
            }
            for (int j = 0; j < targets[from].length; j++) {
                int to = targets[from][j];
                if (to == from) {
                    throw new IllegalArgumentException("edge LP " + from + " -> LP " + from
                            + ": an LP reaches itself with schedule(), not through an edge");
                }
                if (to < 0 || to >= lpCount) {
                    throw new IllegalArgumentException("edge LP " + from + " -> LP " + to + ": no such LP");
                }
                if (j > 0 && targets[from][j - 1] >= to) {
                    throw new IllegalArgumentException("edges of LP " + from + " must be sorted and unique");
                }
                if (minDelays[from][j] <= 0) {
                    throw new IllegalArgumentException("edge LP " + from + " -> LP " + to
                            + " has minimum delay " + minDelays[from][j]
                            + "ns: every edge needs a positive minimum delay (a zero lookahead would stall the run)");
                }
            }
        }
    }

    /** The declared minimum delay from one LP to another, or -1 when there is no such edge. */
    public long minDelay(int from, int to) {
        int j = Arrays.binarySearch(targets[from], to);
        return j < 0 ? -1 : minDelays[from][j];
    }

    /** Smallest minimum delay of edges with both ends in {@code partition}; NEVER if none. */
    public long localLookahead(int[] partitionOf, int partition) {
        long min = SimTime.NEVER;
        for (int from = 0; from < lpCount; from++) {
            if (partitionOf[from] != partition) continue;
            for (int j = 0; j < targets[from].length; j++) {
                int to = targets[from][j];
                if (partitionOf[to] == partition) min = Math.min(min, minDelays[from][j]);
            }
        }
        return min;
    }

    /**
     * Smallest minimum delay of edges with both ends in {@code partition} but with different
     * labels in {@code unitOf}: execution units, or the groups of units that each run their own
     * events in time order (the window bound, {@code Grouping.groupOf}); NEVER if none.
     */
    public long localLookahead(int[] partitionOf, int partition, int[] unitOf) {
        long min = SimTime.NEVER;
        for (int from = 0; from < lpCount; from++) {
            if (partitionOf[from] != partition) continue;
            for (int j = 0; j < targets[from].length; j++) {
                int to = targets[from][j];
                if (partitionOf[to] == partition && unitOf[to] != unitOf[from]) min = Math.min(min, minDelays[from][j]);
            }
        }
        return min;
    }

    /** Smallest minimum delay of edges that cross partitions; NEVER if none do. */
    public long globalLookahead(int[] partitionOf) {
        long min = SimTime.NEVER;
        for (int from = 0; from < lpCount; from++) {
            for (int j = 0; j < targets[from].length; j++) {
                if (partitionOf[targets[from][j]] != partitionOf[from]) min = Math.min(min, minDelays[from][j]);
            }
        }
        return min;
    }

    /** A builder that accepts edges in any order; a repeated edge keeps its smallest minimum. */
    public static final class Builder {
        private final int lpCount;
        private final java.util.TreeMap<Long, Long> edges = new java.util.TreeMap<>();

        public Builder(int lpCount) {
            this.lpCount = lpCount;
        }

        public Builder edge(int from, int to, long minDelay) {
            if (from < 0 || from >= lpCount || to < 0 || to >= lpCount) {
                throw new IllegalArgumentException("edge LP " + from + " -> LP " + to + ": no such LP (of " + lpCount + ")");
            }
            if (from == to) {
                throw new IllegalArgumentException("edge LP " + from + " -> LP " + from
                        + ": an LP reaches itself with schedule(), not through an edge");
            }
            edges.merge(((long) from << 32) | to, minDelay, Math::min);
            return this;
        }

        public LpGraph build() {
            int[] degree = new int[lpCount];
            for (long k : edges.keySet()) degree[(int) (k >>> 32)]++;
            int[][] targets = new int[lpCount][];
            long[][] delays = new long[lpCount][];
            for (int i = 0; i < lpCount; i++) {
                targets[i] = new int[degree[i]];
                delays[i] = new long[degree[i]];
            }
            int[] fill = new int[lpCount];
            for (var e : edges.entrySet()) {
                int from = (int) (e.getKey() >>> 32);
                int j = fill[from]++;
                targets[from][j] = (int) (long) e.getKey();
                delays[from][j] = e.getValue();
            }
            return new LpGraph(lpCount, targets, delays);
        }
    }
}
