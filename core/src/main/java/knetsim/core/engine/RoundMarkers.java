package knetsim.core.engine;

import knetsim.core.time.SimTime;

/**
 * The end-of-round bookkeeping of one partition: markers from its peers and the events their
 * batches carried. A peer can be at most one round ahead (it needs our marker to move on), so two
 * slots indexed by round parity hold everything.
 */
final class RoundMarkers {
    private final int partitions;
    private final boolean[] ownSet = new boolean[2];
    private final int[] markerCount = new int[2];
    private final long[] lowerBound = {SimTime.NEVER, SimTime.NEVER};
    private final boolean[][] seen;
    private final long[][] announced;
    private final long[][] received;

    RoundMarkers(int partitions) {
        this.partitions = partitions;
        seen = new boolean[2][partitions];
        announced = new long[2][partitions];
        received = new long[2][partitions];
    }

    void own(long round, long nextEventTime, long minSentTime) {
        int r = (int) (round & 1);
        ownSet[r] = true;
        lowerBound[r] = Math.min(lowerBound[r], Math.min(nextEventTime, minSentTime));
    }

    void received(long round, int from, int events) {
        received[(int) (round & 1)][from] += events;
    }

    /**
     * Records a peer's marker for a round of {@code round} or the next (a peer is at most one round ahead);
     * returns an error text for any other round, or a duplicate.
     */
    String marker(PartitionScheduler.EndOfWindow m, long round) {
        if (m.round() != round && m.round() != round + 1) {
            return "partition " + m.fromPartition() + " sent an end-of-window marker for round " + m.round()
                    + " while this partition is in round " + round;
        }
        int r = (int) (m.round() & 1);
        if (seen[r][m.fromPartition()]) {
            return "partition " + m.fromPartition() + " sent two end-of-window markers for round " + m.round();
        }
        seen[r][m.fromPartition()] = true;
        markerCount[r]++;
        announced[r][m.fromPartition()] = m.count();
        lowerBound[r] = Math.min(lowerBound[r], Math.min(m.nextEventTime(), m.minSentTime()));
        return null;
    }

    boolean complete(long round) {
        int r = (int) (round & 1);
        return ownSet[r] && markerCount[r] == partitions - 1;
    }

    /** Akka keeps per-pair order, so a count that differs means frames were lost: fail loudly. */
    String countsMatch(long round) {
        int r = (int) (round & 1);
        for (int q = 0; q < partitions; q++) {
            if (seen[r][q] && announced[r][q] != received[r][q]) {
                return "round " + round + ": partition " + q + " announced " + announced[r][q]
                        + " events but " + received[r][q] + " arrived (a batch from it was lost in transit)";
            }
        }
        return null;
    }

    /** LBTS: no event anywhere can be earlier than this once the round is complete. */
    long lowerBound(long round) {
        return lowerBound[(int) (round & 1)];
    }

    void clear(long round) {
        int r = (int) (round & 1);
        ownSet[r] = false;
        markerCount[r] = 0;
        lowerBound[r] = SimTime.NEVER;
        for (int q = 0; q < partitions; q++) {
            seen[r][q] = false;
            announced[r][q] = 0;
            received[r][q] = 0;
        }
    }
}
