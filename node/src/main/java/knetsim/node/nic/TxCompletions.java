package knetsim.node.nic;

import java.util.ArrayDeque;
import java.util.Iterator;
import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;

/**
 * The posted frames of a tx ring that no completion interrupt has reported yet, oldest first, with
 * when each one's last bit leaves, and the timing of that interrupt (ethtool tx-usecs, tx-frames):
 * it is raised tx-usecs after the first completion it reports, or at the tx-frames-th one. The
 * transmitter is serial, so every completion time is known when its frame is posted, and one timer
 * per interrupt replaces an event per completed descriptor. Interrupts carry a generation: a timer
 * moved earlier leaves a stale one behind, which {@link #fire} ignores.
 */
final class TxCompletions {
    private final long usecs;
    private final int frames;
    private final ArrayDeque<SkBuff> inFlight = new ArrayDeque<>();
    private final long[] leavesAt;
    private int head;
    private long irqAt = SimTime.NEVER;
    private long generation;

    TxCompletions(int ringSize, long usecs, int frames) {
        this.leavesAt = new long[ringSize];
        this.usecs = usecs;
        this.frames = frames;
    }

    boolean isEmpty() {
        return inFlight.isEmpty();
    }

    long generation() {
        return generation;
    }

    // the driver posted a descriptor: at most ring-size frames are in flight, since a slot is freed only after its report
    /** A frame leaving at {@code leaves} was posted; the time of a newly armed interrupt, or NEVER when the armed one stands. */
    long posted(SkBuff skb, long leaves) {
        inFlight.add(skb);
        leavesAt[(head + inFlight.size() - 1) % leavesAt.length] = leaves;
        return arm();
    }

    /**
     * The interrupt of {@code irqGeneration} fires at {@code now}: the skbs whose last bit has left by
     * now (null when a later arming made it stale). Call {@link #arm} afterwards for the next one.
     */
    SkBuff[] fire(long irqGeneration, long now) {
        if (irqGeneration != generation) return null;
        int n = leftBy(now, true);
        SkBuff[] completed = new SkBuff[n];
        for (int i = 0; i < n; i++) completed[i] = inFlight.poll();
        head = (head + n) % leavesAt.length;
        irqAt = SimTime.NEVER;
        return completed;
    }

    /** The interrupt the frames in flight need: its time when newly armed (a new generation), else NEVER. */
    long arm() {
        if (inFlight.isEmpty()) {
            irqAt = SimTime.NEVER;
            return SimTime.NEVER;
        }
        long at = leaveAt(0) + usecs;
        if (frames > 0 && inFlight.size() >= frames) at = Math.min(at, leaveAt(frames - 1));
        if (at == irqAt) return SimTime.NEVER;
        irqAt = at;
        generation++;
        return at;
    }

    /** How many of the oldest frames in flight left before {@code time} (or at it, with {@code atToo}). */
    int leftBy(long time, boolean atToo) {
        int n = 0;
        while (n < inFlight.size() && (leaveAt(n) < time || atToo && leaveAt(n) == time)) n++;
        return n;
    }

    /** skb->len summed over the {@code n} oldest frames in flight. */
    long bytesOfFirst(int n) {
        long bytes = 0;
        Iterator<SkBuff> it = inFlight.iterator();
        for (int i = 0; i < n; i++) bytes += it.next().len();
        return bytes;
    }

    private long leaveAt(int i) {
        return leavesAt[(head + i) % leavesAt.length];
    }
}
