package knetsim.node.nic;

import knetsim.core.engine.Counters;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.core.time.SimTime;
import knetsim.link.Frame;
import knetsim.link.ethernet.MacAddress;
import knetsim.node.softirq.SoftirqWorker;

/**
 * One receive queue of a NIC, the hardware side: the destination MAC filter, the FCS check, DMA
 * into a free rx descriptor (none free: rx_missed_errors) and interrupt moderation (rx-usecs,
 * rx-frames). Its interrupt stays masked while NAPI polls and is re-armed by napi_complete. The
 * driver returns descriptors by writing the ring's tail ({@link Refill}).
 */
public final class NicRxQueue extends LogicalProcess {
    public sealed interface Message extends Payload permits Refill, IrqEnable, CoalesceTimer {}

    /**
     * The driver gave this many buffers back to the ring (the tail register write); with
     * {@code irqEnable}, napi_complete_done() re-enabled the interrupt in the same poll, whose register
     * write reaches the NIC at the same instant, so both travel as one event.
     */
    public record Refill(int descriptors, boolean irqEnable) implements Message {
        @Override
        public long fingerprint() {
            return descriptors * 2L + (irqEnable ? 1 : 0);
        }
    }

    /** napi_complete_done(): polling is over, the interrupt is enabled again. */
    public record IrqEnable() implements Message {
        @Override
        public long fingerprint() {
            return 1;
        }
    }

    /** rx-usecs have passed since the first packet not yet signalled (if still of this generation). */
    record CoalesceTimer(long generation) implements Message {
        @Override
        public long fingerprint() {
            return generation * 31 + 2;
        }
    }

    /**
     * @param rxUsecs    ethtool rx-usecs in ns: how long a packet may wait for its interrupt (0: at once)
     * @param rxFrames   ethtool rx-frames: packets that raise the interrupt at once (0: off)
     * @param irqLatency from the NIC to the CPU's softirq (DMA, MSI-X, IRQ entry); > 0
     */
    public record Config(int ringSize, long rxUsecs, int rxFrames, boolean promiscuous, long irqLatency) {
        public Config {
            if (ringSize < 1) throw new IllegalArgumentException("rx ring size must be >= 1, got " + ringSize);
            if (rxUsecs < 0 || rxFrames < 0) throw new IllegalArgumentException("rx coalescing must be >= 0");
            if (irqLatency <= 0) throw new IllegalArgumentException("IRQ latency must be > 0 (it bounds the lookahead)");
        }

        /** 256 descriptors, rx-usecs 3, rx-frames 0, as DESIGN.md's Linux defaults. */
        public static Config linuxDefaults() {
            return new Config(256, 3 * SimTime.MICROSECOND, 0, false, SimTime.MICROSECOND);
        }
    }

    private final Config config;
    private final long mac;
    private final int softirqLp;
    private final InterruptModeration moderation;
    private int freeDescriptors;
    private long raiseAt = SimTime.NEVER; // an interrupt already sent takes effect (masks) then
    private final knetsim.link.drop.FlowDrops drops = new knetsim.link.drop.FlowDrops();
    private Counters.Counter crcErrors, missedErrors, lengthErrors, filtered, rxPackets, rxBytes;

    public NicRxQueue(Config config, long mac, int softirqLp) {
        this.config = config;
        this.mac = mac;
        this.softirqLp = softirqLp;
        this.freeDescriptors = config.ringSize();
        this.moderation = new InterruptModeration(config.rxUsecs(), config.rxFrames());
    }

    @Override
    protected void onStart() {
        crcErrors = counters().counter("rx_crc_errors");
        missedErrors = counters().counter("rx_missed_errors");
        lengthErrors = counters().counter("rx_length_errors");
        filtered = counters().counter("rx_filtered");
        rxPackets = counters().counter("rx_packets");
        rxBytes = counters().counter("rx_bytes");
    }

    @Override
    protected void onEvent(Payload payload) {
        if (now() >= raiseAt) raiseSent();
        if (payload instanceof Frame frame) {
            receive(frame);
        } else if (payload instanceof Refill r) {
            freeDescriptors += r.descriptors();
            if (freeDescriptors > config.ringSize()) {
                throw new IllegalStateException("refill of " + r.descriptors() + " overfills the ring of " + config.ringSize());
            }
            if (r.irqEnable()) act(moderation.onEnable(now()));
        } else if (payload instanceof IrqEnable) {
            act(moderation.onEnable(now())); // packets that came in while masked still need their interrupt
        } else if (payload instanceof CoalesceTimer t) {
            act(moderation.onTimer(t.generation(), now()));
        } else {
            throw new IllegalArgumentException("NicRxQueue cannot handle " + payload.getClass().getSimpleName());
        }
    }

    private void receive(Frame frame) {
        if (!frame.fcsGood()) {
            crcErrors.increment();
            return;
        }
        if (frame.length() < knetsim.link.LineRate.MIN_FRAME) {
            lengthErrors.increment(); // a runt: shorter than 64 bytes with its FCS
            drops.frame("PKT_TOO_SMALL", frame.bytes(), 0, frame.length());
            return;
        }
        long destination = MacAddress.bitsAt(frame.bytes(), 0);
        if (!config.promiscuous() && destination != mac && !MacAddress.isGroup(destination)) {
            filtered.increment(); // the hardware filter: not for us, never reaches the host
            return;
        }
        if (freeDescriptors == 0) {
            missedErrors.increment(); // the ring is full: the NIC's FIFO overflows
            drops.frame("FULL_RING", frame.bytes(), 0, frame.length());
            return;
        }
        freeDescriptors--;
        rxPackets.increment(); // the queue's hardware counters (ethtool -S rx_queue_N_*), summed by ip -s link
        rxBytes.add(frame.bytes().length);
        // DMA and interrupt share one edge, so the packet is in memory before its interrupt arrives.
        send(softirqLp, config.irqLatency(), new SoftirqWorker.RxDma(frame));
        act(moderation.onEvent(now()));
    }

    private void act(long decision) {
        if (decision == 0) {
            moderation.raised(true); // masked until napi_complete
            send(softirqLp, config.irqLatency(), new SoftirqWorker.HardIrq());
        } else if (decision > 0 && config.rxFrames() == 0) {
            // Without rx-frames nothing can raise the interrupt before rx-usecs are over, and nothing
            // cancels it (the queue stays unmasked until then): send it now, due at the timer's instant,
            // rather than a timer event that would only send it. The queue masks itself lazily then.
            send(softirqLp, decision + config.irqLatency(), new SoftirqWorker.HardIrq());
            raiseAt = now() + decision;
        } else if (decision > 0) {
            schedule(decision, new CoalesceTimer(moderation.generation()));
        }
    }

    // The interrupt sent ahead is raised now: masked, and packets from here on wait for the next one.
    // A packet at the very instant counts as after it (its DMA may reach the CPU after the poll began).
    private void raiseSent() {
        moderation.raised(true);
        raiseAt = SimTime.NEVER;
    }

    @Override
    protected java.util.List<? extends knetsim.core.serial.CrossJvm> reports() {
        var report = drops.report("ring");
        return report == null ? java.util.List.of() : java.util.List.of(report);
    }
}
