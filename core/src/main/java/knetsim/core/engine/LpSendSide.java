package knetsim.core.engine;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The sending side of a {@link LogicalProcess}: its row of the graph, looked up by target on every send,
 * and the outbox of the events sent since the engine last drained it. A superclass and not a field of the
 * LP, so that its fields stay in the LP object itself: a send reaches no second object (the engine is bound
 * by memory latency, JFR on S4).
 */
abstract class LpSendSide {
    private static final Event[] NO_EVENTS = new Event[0];
    private static final int NO_LP = Integer.MIN_VALUE;
    // Events sent since the engine last drained them: an array the LP keeps (drained after every event).
    private Event[] outbox = NO_EVENTS;
    private int outboxSize;
    // This LP's row of the graph, and the edges send() checks without touching it. The engine is bound by
    // memory latency (JFR on S4: the stall is the first load of each LP's row arrays), so a row of up to
    // four edges (a host's, a queue's, a link's: most LPs) is copied into these fields of the LP itself;
    // a longer row (a router's host or softirq: few LPs, each sending to many) is spread into a table by
    // target (its ids are a machine's, close together; -1 where there is no edge), or searched when its ids
    // are too far apart for that, slot 0 then remembering the last edge found. An unused slot holds a target
    // no LP has and delay -1: no edge.
    int[] rowTargets;
    long[] rowDelays;
    private boolean rowInSlots;
    private int denseBase;
    private long[] dense;
    private int slot0 = NO_LP, slot1 = NO_LP, slot2 = NO_LP, slot3 = NO_LP;
    private long delay0 = -1, delay1 = -1, delay2 = -1, delay3 = -1;

    // takes the LP's row of the graph: into the slots when it is short, else into the table by target
    final void attachRow(LpGraph lpGraph, int lpId) {
        rowTargets = lpGraph.targets()[lpId];
        rowDelays = lpGraph.minDelays()[lpId];
        int n = rowTargets.length;
        rowInSlots = n <= 4;
        if (rowInSlots) {
            if (n > 0) { slot0 = rowTargets[0]; delay0 = rowDelays[0]; }
            if (n > 1) { slot1 = rowTargets[1]; delay1 = rowDelays[1]; }
            if (n > 2) { slot2 = rowTargets[2]; delay2 = rowDelays[2]; }
            if (n > 3) { slot3 = rowTargets[3]; delay3 = rowDelays[3]; }
        } else if (rowTargets[n - 1] - rowTargets[0] < 8 * n) { // at most 8 table entries per edge
            denseBase = rowTargets[0];
            dense = new long[rowTargets[n - 1] - denseBase + 1];
            Arrays.fill(dense, -1);
            for (int j = 0; j < n; j++) dense[rowTargets[j] - denseBase] = rowDelays[j];
        }
    }

    // the declared minimum delay of the edge to target, or -1 when there is none
    final long edgeDelay(int target) {
        if (target == slot0) return delay0;
        if (target == slot1) return delay1;
        if (target == slot2) return delay2;
        if (target == slot3) return delay3;
        if (rowInSlots) return -1;
        if (dense != null) {
            int offset = target - denseBase;
            return offset >= 0 && offset < dense.length ? dense[offset] : -1;
        }
        int j = Arrays.binarySearch(rowTargets, target);
        if (j < 0) return -1;
        slot0 = target;
        delay0 = rowDelays[j];
        return delay0;
    }

    // appends a sent event to the outbox, doubling its array when full
    final void post(Event e) {
        if (outboxSize == outbox.length) outbox = Arrays.copyOf(outbox, Math.max(4, outboxSize * 2));
        outbox[outboxSize++] = e;
    }

    final boolean hasOutput() {
        return outboxSize > 0;
    }

    /**
     * Hands each event sent since the last call to {@code to}, in the order sent; the LP keeps its array
     * (no allocation per drain) and forgets the events, so the receiver owns them.
     */
    final void drainOutbox(Consumer<Event> to) {
        Event[] out = outbox;
        for (int i = 0, n = outboxSize; i < n; i++) {
            to.accept(out[i]);
            out[i] = null;
        }
        outboxSize = 0;
    }
}
