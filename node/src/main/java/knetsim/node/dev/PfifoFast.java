package knetsim.node.dev;

import java.util.ArrayDeque;
import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;

/**
 * pfifo_fast, Linux's default root qdisc of a tx queue: three FIFO bands picked by skb->priority through the fixed
 * priomap, band 0 always served first, so interactive and control traffic overtakes bulk traffic on a busy link.
 *
 * <p>The limit is per band, as in the current kernel (net/sched/sch_generic.c): pfifo_fast_init() gives each band its
 * own skb_array ring of tx_queue_len slots and pfifo_fast_enqueue() drops only when that band's ring is full, so up
 * to 3 x txqueuelen packets can be queued; qdisc->limit is not consulted. (Older kernels compared each band's list
 * length with tx_queue_len, the same bound.) The kernel's ptr_ring frees consumed slots in batches, so a band under
 * load can report full a few packets early; that artefact is not modelled. Requeued packets sit in gso_skb, outside
 * the bands, and do not count toward a band's limit.
 */
public final class PfifoFast extends AbstractQdisc {
    /** TC_PRIO_BESTEFFORT (include/uapi/linux/pkt_sched.h): the default priority, band 1. */
    public static final int TC_PRIO_BESTEFFORT = 0;
    /** TC_PRIO_FILLER: band 2. */
    public static final int TC_PRIO_FILLER = 1;
    /** TC_PRIO_BULK (IPTOS_THROUGHPUT): band 2. */
    public static final int TC_PRIO_BULK = 2;
    /** TC_PRIO_INTERACTIVE_BULK: band 1. */
    public static final int TC_PRIO_INTERACTIVE_BULK = 4;
    /** TC_PRIO_INTERACTIVE (IPTOS_LOWDELAY): band 0. */
    public static final int TC_PRIO_INTERACTIVE = 6;
    /** TC_PRIO_CONTROL: band 0. */
    public static final int TC_PRIO_CONTROL = 7;
    /** TC_PRIO_MAX: pfifo_fast looks only at the low 4 bits of skb->priority. */
    public static final int TC_PRIO_MAX = 15;
    /** PFIFO_FAST_BANDS. */
    public static final int PFIFO_FAST_BANDS = 3;

    // prio2band[] from sch_generic.c, the priomap `tc qdisc show` prints for pfifo_fast.
    private static final int[] PRIO2BAND = {1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};

    private final int txQueueLen;
    private final ArrayDeque<SkBuff>[] bands;

    /** @param txQueueLen the device's tx_queue_len (txqueuelen, default 1000): each band's capacity */
    @SuppressWarnings("unchecked")
    public PfifoFast(int txQueueLen) {
        // pfifo_fast_init() refuses a zero tx_queue_len with -EINVAL ("guard against zero length rings").
        if (txQueueLen <= 0) {
            throw new IllegalArgumentException("pfifo_fast: tx_queue_len must be > 0, got " + txQueueLen);
        }
        this.txQueueLen = txQueueLen;
        this.bands = new ArrayDeque[PFIFO_FAST_BANDS];
        for (int band = 0; band < PFIFO_FAST_BANDS; band++) bands[band] = new ArrayDeque<>();
    }

    /** The band prio2band[priority & TC_PRIO_MAX] chooses for a packet of this skb->priority. */
    public static int band(int priority) {
        return PRIO2BAND[priority & TC_PRIO_MAX];
    }

    public int txQueueLen() {
        return txQueueLen;
    }

    /** Packets in one band, not counting requeued packets. */
    public int bandLength(int band) {
        return bands[band].size();
    }

    // pfifo_fast_enqueue(): skb_array_produce() fails when the band's ring is full.
    @Override
    protected boolean opsEnqueue(SkBuff skb, long now) {
        ArrayDeque<SkBuff> queue = bands[band(skb.priority())];
        if (queue.size() >= txQueueLen) return false;
        queue.addLast(skb);
        return true;
    }

    // pfifo_fast_dequeue(): the first non-empty band, lowest number first.
    @Override
    protected SkBuff opsDequeue(long now) {
        for (ArrayDeque<SkBuff> queue : bands) {
            SkBuff skb = queue.pollFirst();
            if (skb != null) return skb;
        }
        return null;
    }

    @Override
    protected long opsNextDequeueTime(long now) {
        for (ArrayDeque<SkBuff> queue : bands) {
            if (!queue.isEmpty()) return now;
        }
        return SimTime.NEVER;
    }
}
