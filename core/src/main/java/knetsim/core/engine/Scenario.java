package knetsim.core.engine;

import knetsim.core.serial.CrossJvm;

/**
 * Everything a partition needs to build its share of a run. It is shipped to every member, which
 * builds the same graph and LPs from it, so it must be a pure description (Kryo-registered).
 */
public interface Scenario extends CrossJvm {
    /** LPs and their edges; called once per partition, so it may be computed on demand. */
    LpGraph graph();

    /** Seeds every LP's random stream. */
    long seed();

    /** Events at or after this time are not processed; SimTime.NEVER runs until no event is left. */
    long endTime();

    /** A fresh, unattached LP for this id. */
    LogicalProcess createLp(int lpId);

    /**
     * The execution unit of every LP (DESIGN.md section 2): LPs of one unit run in one actor, in
     * timestamp order, and windows are bounded by the smallest edge delay between units. A unit
     * must not span partitions. It never changes a result, only the speed. The default makes each
     * LP its own unit; a network puts a machine and the link directions it transmits on together.
     */
    default int[] unitOf() {
        int[] of = new int[graph().lpCount()];
        for (int lp = 0; lp < of.length; lp++) of[lp] = lp;
        return of;
    }

    /**
     * The partition of every LP. Every member computes it itself, so it must be a pure function of
     * the scenario; the default cuts LP ids into contiguous blocks.
     */
    default int[] partitionOf(int partitions) {
        int n = graph().lpCount();
        int[] of = new int[n];
        for (int lp = 0; lp < n; lp++) of[lp] = (int) ((long) lp * partitions / n);
        return of;
    }
}
