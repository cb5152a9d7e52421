package knetsim.link;

import java.util.SplittableRandom;
import knetsim.core.engine.Counters;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.core.serial.CrossJvm;
import knetsim.link.drop.FlowDrops;
import knetsim.link.loss.Corruption;
import knetsim.link.loss.LinkDelay;
import knetsim.link.loss.LossModel;

/**
 * One direction of a cable. It takes each frame at the moment its last bit leaves the
 * transmitter, decides with its own random stream whether the channel loses or corrupts it, and
 * delivers it to the receiver after the propagation latency (plus jitter). Placed with its
 * transmitter, so frames cross partitions only on the link-to-receiver edge.
 */
public final class Link extends LogicalProcess {
    /**
     * Picks which of the receiving NIC's rx queues gets a frame (RSS in the NIC's hardware). It
     * runs in the link, at delivery, so the frame needs no extra hop; it must be deterministic.
     */
    public interface Steering {
        int queueFor(Frame frame, int queues);
    }

    private final int[] receiverLps;
    private final Steering steering;
    private final LinkDelay delay;
    private final LossModel loss;
    private final Corruption corruption;
    private SplittableRandom lossRandom;
    private SplittableRandom corruptionRandom;
    private SplittableRandom delayRandom;
    private Counters.Counter frames;
    private Counters.Counter bytes;
    private Counters.Counter lost;
    private Counters.Counter corrupted;
    private final FlowDrops drops = new FlowDrops();

    /** {@code delay.minimumDelay()} must be the declared minimum of the edge to {@code receiverLp}. */
    public Link(int receiverLp, LinkDelay delay, LossModel loss, Corruption corruption) {
        this(new int[] {receiverLp}, (frame, queues) -> 0, delay, loss, corruption);
    }

    /** A link to a NIC with several rx queues; there must be an edge to each of them. */
    public Link(int[] receiverLps, Steering steering, LinkDelay delay, LossModel loss, Corruption corruption) {
        if (receiverLps.length == 0) throw new IllegalArgumentException("a link needs a receiver");
        this.receiverLps = receiverLps.clone();
        this.steering = steering;
        // Loss and delay models carry per-direction state: each direction starts from its own copy.
        this.delay = delay.copy();
        this.loss = loss.copy();
        this.corruption = corruption;
    }

    @Override
    protected void onStart() {
        // One stream per model, so one model's draws never shift another's.
        lossRandom = random().split();
        corruptionRandom = random().split();
        delayRandom = random().split();
        frames = counters().counter("frames");
        bytes = counters().counter("bytes");
        lost = counters().counter("lost");
        corrupted = counters().counter("corrupted");
    }

    @Override
    protected void onEvent(Payload payload) {
        Frame frame = (Frame) payload;
        frames.increment();
        bytes.add(frame.length());
        // Both decisions are drawn for every frame, so the loss probability never shifts which
        // frames are corrupted. Jitter is drawn only for delivered frames: a lost frame must not
        // move the FIFO delivery time.
        boolean isLost = loss.lose(lossRandom);
        boolean isCorrupted = corruption.corrupt(corruptionRandom);
        if (isLost) {
            lost.increment();
            drops.frame("LINK_LOSS", frame.bytes(), 0, frame.length());
            return;
        }
        if (isCorrupted) {
            corrupted.increment();
            // the receiver discards it for its bad FCS (rx_crc_errors); counted here, where it happened
            drops.frame("LINK_CORRUPTED", frame.bytes(), 0, frame.length());
            frame = frame.withBadFcs();
        }
        int queue = receiverLps.length == 1 ? 0 : steering.queueFor(frame, receiverLps.length);
        send(receiverLps[queue], delay.deliveryTime(now(), delayRandom) - now(), frame);
    }

    @Override
    protected java.util.List<? extends CrossJvm> reports() {
        var report = drops.report("");
        return report == null ? java.util.List.of() : java.util.List.of(report);
    }
}
