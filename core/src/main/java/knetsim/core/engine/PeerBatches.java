package knetsim.core.engine;

import java.util.ArrayList;
import knetsim.core.time.SimTime;

/**
 * The events a partition sends its peers in one round, batched per peer (DESIGN.md section 2, "Rounds"):
 * cut into messages of at most {@link #BATCH} events and about {@link #batchBytes} bytes each, so that no
 * message exceeds the transport's frame however busy a cut cable is, with the count per peer and the
 * earliest time sent that the round's markers announce. The scheduler hands it its events and a way to send.
 */
final class PeerBatches {
    /** Events per cross-partition message at most: big enough to amortise. */
    static final int BATCH = 2048;
    /**
     * Estimated bytes per cross-partition message at most: half of Artery's default frame (256 KiB), so
     * that an estimate short of what Kryo writes still fits the frame.
     */
    static final int BATCH_BYTES = 128 * 1024;
    /** What Kryo writes for an event besides its payload: class ids, time, origin, sequence and target as varints. */
    static final int EVENT_BYTES = 32;

    /** Sends one message of events to peer {@code q}. */
    interface Sender {
        void send(int q, Event[] events);
    }

    private final ArrayList<Event>[] out;
    private final long[] outBytes;      // estimated bytes of out[q]
    private final long batchBytes;      // flush a peer's batch at this estimate
    private final long[] sentThisRound;
    private long minSentThisRound = SimTime.NEVER;

    @SuppressWarnings("unchecked")
    PeerBatches(int partitions, long batchBytes) {
        this.out = new ArrayList[partitions];
        for (int q = 0; q < partitions; q++) out[q] = new ArrayList<>();
        this.outBytes = new long[partitions];
        this.sentThisRound = new long[partitions];
        this.batchBytes = batchBytes;
    }

    /** BATCH_BYTES, or half of the frame Artery is configured with (less the envelope) where that is smaller. */
    static long batchBytes(com.typesafe.config.Config config) {
        String key = "akka.remote.artery.advanced.maximum-frame-size";
        if (!config.hasPath(key)) return BATCH_BYTES;
        long frame = config.getBytes(key) - knetsim.core.serial.KryoSerializer.ENVELOPE_RESERVE;
        return Math.max(1, Math.min(BATCH_BYTES, frame / 2));
    }

    /** An event for peer {@code q}; its batch goes out when full, if {@code sender} is not null (before Begin it is). */
    void add(int q, Event e, Sender sender) {
        out[q].add(e);
        long bytes = outBytes[q] += EVENT_BYTES + e.payload().sizeHint();
        sentThisRound[q]++;
        minSentThisRound = Math.min(minSentThisRound, e.time());
        if (sender != null && (out[q].size() >= BATCH || bytes >= batchBytes)) flush(q, sender);
    }

    /**
     * Sends peer {@code q}'s batch, cut into messages of at most BATCH events and about batchBytes each: events
     * added before Begin named the peers (the start-up burst) are all still here.
     */
    void flush(int q, Sender sender) {
        ArrayList<Event> batch = out[q];
        int n = batch.size();
        if (n == 0) return;
        if (n <= BATCH && outBytes[q] <= batchBytes) {
            sender.send(q, batch.toArray(new Event[0]));
        } else {
            int from = 0;
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                bytes += EVENT_BYTES + batch.get(i).payload().sizeHint();
                if (i + 1 - from >= BATCH || bytes >= batchBytes || i == n - 1) {
                    sender.send(q, batch.subList(from, i + 1).toArray(new Event[0]));
                    from = i + 1;
                    bytes = 0;
                }
            }
        }
        batch.clear();
        outBytes[q] = 0;
    }

    /** The events sent to peer {@code q} this round, for its marker; then none. */
    long takeSentThisRound(int q) {
        long n = sentThisRound[q];
        sentThisRound[q] = 0;
        return n;
    }

    /** The earliest event sent to any peer this round, for the markers. */
    long minSentThisRound() {
        return minSentThisRound;
    }

    /** A new round: nothing sent yet. */
    void newRound() {
        minSentThisRound = SimTime.NEVER;
    }
}
