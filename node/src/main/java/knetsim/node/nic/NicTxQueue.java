package knetsim.node.nic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import knetsim.core.engine.Counters;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.core.time.SimTime;
import knetsim.link.Frame;
import knetsim.link.LineRate;
import knetsim.link.pcap.CaptureChunk;
import knetsim.link.pcap.CaptureRecord;
import knetsim.link.pcap.PcapWriter;
import knetsim.node.dev.Qdisc;
import knetsim.node.dev.QdiscStats;
import knetsim.node.skb.SkBuff;
import knetsim.node.softirq.SoftirqWorker;

/**
 * One transmit queue of a NIC: its qdisc (netdev_queue + Qdisc), the driver's tx descriptor ring
 * and the transmitter that puts frames on the wire at line rate. A full ring stops the queue
 * (netif_stop_queue) so the qdisc holds packets instead of dropping them; the softirq's tx clean
 * frees slots and wakes it. Completions reach the CPU as coalesced interrupts (tx-usecs/tx-frames).
 */
public final class NicTxQueue extends LogicalProcess {
    public sealed interface Message extends Payload permits Xmit, TxCleaned, IrqTimer, Watchdog {}

    /** dev_queue_xmit(): the host hands over an skb holding a whole Ethernet frame. */
    public record Xmit(SkBuff skb) implements Message {
        @Override
        public long fingerprint() {
            return skb.contentHash();
        }
    }

    /** The driver's tx clean ran: this many completed descriptors are free again. */
    public record TxCleaned(int descriptors) implements Message {
        @Override
        public long fingerprint() {
            return descriptors;
        }
    }

    /**
     * The completion interrupt is due: tx-usecs after the first unreported completion, or at the
     * tx-frames-th one (if still of this generation: a later frame may have moved it earlier).
     */
    record IrqTimer(long generation) implements Message {
        @Override
        public long fingerprint() {
            return generation * 31 + 2;
        }
    }

    /** qdisc_watchdog: a throttled qdisc (tbf) may dequeue again. */
    record Watchdog() implements Message {
        @Override
        public long fingerprint() {
            return 3;
        }
    }

    /**
     * @param txUsecs    ethtool tx-usecs in ns: how long completions may wait for their interrupt
     * @param txFrames   ethtool tx-frames: completions that raise the interrupt at once (0: off)
     * @param irqLatency from the NIC to the CPU's softirq (DMA write-back, MSI-X, IRQ entry); > 0
     * @param maxFrame   the longest frame the NIC sends, without FCS (1518: MTU 1500 plus a VLAN tag)
     * @param bql        byte queue limits in front of the ring (CONFIG_BQL, on in every distribution kernel); off:
     *                   the qdisc is dequeued whenever the ring has a free descriptor
     */
    public record Config(int ringSize, long txUsecs, int txFrames, long irqLatency, int maxFrame, boolean bql) {
        public Config {
            if (ringSize < 1) throw new IllegalArgumentException("tx ring size must be >= 1, got " + ringSize);
            if (maxFrame < LineRate.MIN_FRAME) throw new IllegalArgumentException("max frame must be >= 60, got " + maxFrame);
            if (txUsecs < 0 || txFrames < 0) throw new IllegalArgumentException("tx coalescing must be >= 0");
            if (irqLatency <= 0) throw new IllegalArgumentException("IRQ latency must be > 0 (it bounds the lookahead)");
        }

        /** With BQL on, as Linux drivers that call netdev_tx_sent_queue() have it. */
        public Config(int ringSize, long txUsecs, int txFrames, long irqLatency, int maxFrame) {
            this(ringSize, txUsecs, txFrames, irqLatency, maxFrame, true);
        }

        public static Config linuxDefaults() {
            return new Config(256, 3 * SimTime.MICROSECOND, 0, SimTime.MICROSECOND, 1518);
        }

        public Config withBql(boolean on) {
            return new Config(ringSize, txUsecs, txFrames, irqLatency, maxFrame, on);
        }
    }

    private final Config config;
    private final Qdisc qdisc;
    private final LineRate.Transmitter transmitter;
    private final int linkLp;
    private final int softirqLp;
    private final String captureDevice;
    private final int captureSnaplen; // tcpdump -s: the most bytes the tap keeps of a frame
    private final int wakeThreshold;
    private final TxCompletions inFlight; // posted, not yet reported by a completion interrupt
    private final List<CaptureRecord> captured = new ArrayList<>();
    private final knetsim.link.drop.FlowDrops qdiscDrops = new knetsim.link.drop.FlowDrops();
    private final knetsim.link.drop.FlowDrops driverDrops = new knetsim.link.drop.FlowDrops();
    private ArrayList<SkBuff> freed = new ArrayList<>(); // dropped before the wire, still charged to a socket
    private int freeDescriptors;
    private boolean stopped; // __QUEUE_STATE_DRV_XOFF: the ring is full
    // BQL: null when off; stackXoff is __QUEUE_STATE_STACK_XOFF, set while the limit is exceeded
    private final DynamicQueueLimits dql;
    private boolean stackXoff;
    // skb->len of each posted descriptor not yet cleaned, oldest first: what netdev_tx_completed_queue() is told
    private final int[] postedLength;
    private int postedHead, postedCount;
    private long watchdogAt = SimTime.NEVER; // the earliest qdisc_watchdog pending
    private long captureSeq;
    private Counters.Counter txPackets, txBytes, txDropped, restartQueue, queueStopped;

    /** @param captureDevice the device name its transmit tap records under, e.g. "h1.eth0"; null: no capture */
    public NicTxQueue(Config config, Qdisc qdisc, long rateBitsPerSecond, int linkLp, int softirqLp,
                      String captureDevice) {
        this(config, qdisc, rateBitsPerSecond, linkLp, softirqLp, captureDevice, PcapWriter.SNAPLEN);
    }

    /** As above; the tap keeps the first {@code captureSnaplen} bytes of each frame (tcpdump -s). */
    public NicTxQueue(Config config, Qdisc qdisc, long rateBitsPerSecond, int linkLp, int softirqLp,
                      String captureDevice, int captureSnaplen) {
        if (captureSnaplen < 1) throw new IllegalArgumentException("capture snaplen must be >= 1, got " + captureSnaplen);
        this.captureSnaplen = captureSnaplen;
        this.config = config;
        this.qdisc = qdisc;
        this.transmitter = new LineRate.Transmitter(new LineRate(rateBitsPerSecond));
        this.linkLp = linkLp;
        this.softirqLp = softirqLp;
        this.captureDevice = captureDevice;
        this.freeDescriptors = config.ringSize();
        this.inFlight = new TxCompletions(config.ringSize(), config.txUsecs(), config.txFrames());
        // Wake a stopped queue only once a batch of slots is free: e1000e's TX_WAKE_THRESHOLD is 32;
        // small test rings use a quarter of the ring.
        this.wakeThreshold = Math.max(1, Math.min(32, config.ringSize() / 4));
        this.dql = config.bql() ? new DynamicQueueLimits() : null;
        this.postedLength = new int[config.ringSize()];
    }

    @Override
    protected void onStart() {
        txPackets = counters().counter("tx_packets");
        txBytes = counters().counter("tx_bytes");
        txDropped = counters().counter("tx_dropped");
        restartQueue = counters().counter("tx_restart_queue");
        queueStopped = counters().counter("tx_queue_stopped"); // mlx5's name; ixgbe counts restarts only
        qdisc.attach(random());
    }

    @Override
    protected void onEvent(Payload payload) {
        if (payload instanceof Xmit x) {
            if (qdisc.isNoqueue()) {
                directXmit(x.skb());
                return;
            }
            // a drop is counted by the qdisc (QDISC_DROP); its socket gets the memory back with the next irq
            if (!qdisc.enqueue(x.skb(), now())) {
                qdiscDrops.frame("QDISC_DROP", x.skb().buffer(), x.skb().data(), x.skb().len());
                freeUnsent(x.skb());
            }
            freeDropped();
            qdiscRun();
        } else if (payload instanceof TxCleaned c) {
            cleaned(c.descriptors());
        } else if (payload instanceof IrqTimer t) {
            completionIrq(t.generation());
        } else if (payload instanceof Watchdog) {
            if (now() >= watchdogAt) watchdogAt = SimTime.NEVER;
            qdiscRun();
        } else {
            throw new IllegalArgumentException("NicTxQueue cannot handle " + payload.getClass().getSimpleName());
        }
    }

    // dev_queue_xmit() on a device without a queue (noqueue): straight to the driver, or dropped when it is busy
    // ("Virtual device asks to queue packet!"), counted in tx_dropped as dev_core_stats_tx_dropped_inc() does.
    private void directXmit(SkBuff skb) {
        if (stopped || stackXoff) {
            txDropped.increment();
            skb.setDropReason(knetsim.node.skb.SkbDropReason.NOT_SPECIFIED); // kfree_skb_list()
            freeUnsent(skb);
            return;
        }
        startXmit(skb);
    }

    // kfree_skb_list(to_free): what the qdisc dropped from inside (AQM, batch drops)
    private void freeDropped() {
        List<SkBuff> dropped = qdisc.takeDropped();
        for (int i = 0; i < dropped.size(); i++) {
            SkBuff skb = dropped.get(i);
            // an AQM drop (codel's control law, fq_codel's fattest flow) is a loss of that flow's too
            qdiscDrops.frame(skb.dropReason().name(), skb.buffer(), skb.data(), skb.len());
            freeUnsent(skb);
        }
    }

    // __qdisc_run(): move packets from the qdisc to the driver while the queue is neither stopped by the driver nor
    // held back by BQL (netif_xmit_frozen_or_stopped(); TCQ_F_ONETXQUEUE, so nothing is dequeued meanwhile).
    private void qdiscRun() {
        while (!stopped && !stackXoff) {
            SkBuff skb = qdisc.dequeue(now());
            freeDropped();
            if (skb == null) {
                long next = qdisc.nextDequeueTime(now());
                // qdisc_watchdog_schedule_ns(): re-armed when an earlier time is needed (fq: a new flow's
                // departure time before the throttled ones'); a stale expiry only runs the qdisc once more
                if (next < watchdogAt) {
                    watchdogAt = next;
                    schedule(Math.max(0, next - now()), new Watchdog());
                }
                return;
            }
            startXmit(skb);
        }
    }

    // ndo_start_xmit(): post a descriptor; stop the queue when the ring has no slot left.
    private void startXmit(SkBuff skb) {
        if (skb.len() > config.maxFrame()) {
            txDropped.increment(); // the driver frees what the hardware cannot send
            driverDrops.frame("PKT_TOO_BIG", skb.buffer(), skb.data(), skb.len());
            freeUnsent(skb);
            return;
        }
        freeDescriptors--; // never negative: the queue stops when the last slot is taken
        byte[] bytes = skb.immutableBytes(); // the frame's array, shared by the wire and a capture: nobody writes it
        // dev_queue_xmit_nit(): where tcpdump sees outgoing packets, before the NIC pads them.
        if (captureDevice != null) captured.add(CaptureRecord.snap(now(), id(), captureSeq++, bytes, captureSnaplen));
        long leaves = transmitter.transmit(now(), skb.len());
        // The skb was hashed for its Xmit event; unpadded, the frame has the same bytes and so the same hash.
        Frame frame = bytes.length >= LineRate.MIN_FRAME ? Frame.withKnownHash(bytes, true, skb.contentHash())
                : new Frame(padded(bytes), true);
        send(linkLp, leaves - now(), frame);
        armCompletionIrq(inFlight.posted(skb, leaves));
        postedLength[(postedHead + postedCount++) % postedLength.length] = skb.len();
        if (freeDescriptors == 0) {
            stopped = true; // netif_stop_queue()
            queueStopped.increment();
        }
        sentQueue(skb.len());
    }

    // netdev_tx_sent_queue(): account the bytes; over the limit, the stack stops feeding the queue.
    private void sentQueue(int bytes) {
        if (dql == null) return;
        dql.queued(bytes);
        if (dql.avail() < 0) stackXoff = true;
    }

    // netdev_tx_completed_queue(): the tx clean completed these bytes; back under the limit, schedule the qdisc.
    private boolean completedQueue(long bytes) {
        if (dql == null || bytes == 0) return false;
        dql.completed(bytes, now());
        if (dql.avail() < 0 || !stackXoff) return false;
        stackXoff = false;
        return true;
    }

    /** The NIC pads short frames with zeros to the 60-byte minimum; receivers see the padding. */
    private static byte[] padded(byte[] bytes) {
        return bytes.length >= LineRate.MIN_FRAME ? bytes : java.util.Arrays.copyOf(bytes, LineRate.MIN_FRAME);
    }

    // Interrupt moderation of completions (ethtool tx-usecs, tx-frames), timed by TxCompletions when frames
    // are posted: one timer per interrupt, where an event per completed descriptor would only count and wait.
    private void armCompletionIrq(long at) {
        if (at != SimTime.NEVER) schedule(at - now(), new IrqTimer(inFlight.generation()));
    }

    // The completion interrupt: every descriptor whose frame has left by now is done (tx_packets and
    // tx_bytes count it), reported to the CPU with the skbs freed before the wire.
    private void completionIrq(long generation) {
        SkBuff[] completed = inFlight.fire(generation, now());
        if (completed == null) return; // re-armed for an earlier instant, which already fired
        for (SkBuff skb : completed) {
            txPackets.increment();
            txBytes.add(skb.len());
        }
        send(softirqLp, config.irqLatency(), new SoftirqWorker.TxIrq(completed, freed.toArray(new SkBuff[0])));
        freed = new ArrayList<>();
        armCompletionIrq(inFlight.arm());
    }

    // kfree_skb() of an skb that never reached the wire: its socket's send memory comes back with the
    // next tx interrupt, or at once when none is coming.
    private void freeUnsent(SkBuff skb) {
        if (skb.ownerSocket() < 0) return;
        freed.add(skb);
        if (inFlight.isEmpty()) {
            send(softirqLp, config.irqLatency(), new SoftirqWorker.TxIrq(new SkBuff[0], freed.toArray(new SkBuff[0])));
            freed = new ArrayList<>();
        }
    }

    // The driver's tx clean (e1000_clean_tx_irq): BQL completion first, then the ring's wake threshold.
    private void cleaned(int descriptors) {
        long bytes = 0;
        for (int i = 0; i < descriptors; i++) {
            bytes += postedLength[postedHead];
            postedHead = (postedHead + 1) % postedLength.length;
        }
        postedCount -= descriptors;
        freeDescriptors += descriptors;
        boolean run = completedQueue(bytes);
        if (stopped && freeDescriptors >= wakeThreshold) {
            stopped = false; // netif_wake_queue()
            restartQueue.increment();
            run = true;
        }
        if (run) qdiscRun();
    }

    @Override
    protected void onFinish() {
        // completed before the run's end, not yet reported by an interrupt: counted as at the instant their last
        // bit left (a run to exhaustion has fired every interrupt, so nothing is left then)
        int left = inFlight.leftBy(runEnd(), false);
        txPackets.add(left);
        txBytes.add(inFlight.bytesOfFirst(left));
        QdiscStats s = qdisc.stats();
        counters().counter("qdisc_sent_bytes").add(s.sentBytes());
        counters().counter("qdisc_sent_packets").add(s.sentPackets());
        counters().counter("qdisc_dropped").add(s.dropped());
        counters().counter("qdisc_overlimits").add(s.overlimits());
        counters().counter("qdisc_requeues").add(s.requeues());
        counters().counter("qdisc_backlog_bytes").add(s.backlogBytes());
        counters().counter("qdisc_backlog_packets").add(s.qlen());
        counters().counter("qdisc_sojourn_ns").add(qdisc.lastSojourn());
        counters().counter("qdisc_sojourn_sum_ns").add(qdisc.sojournSum());
        for (Map.Entry<String, Long> x : qdisc.xstats().entrySet()) counters().counter("qdisc_" + x.getKey()).add(x.getValue());
        if (dql != null) {
            for (String name : BQL_COUNTERS) counters().counter(name).add((long) sample(name));
        }
    }

    /** /sys/class/net/DEV/queues/tx-0/byte_queue_limits/{limit, inflight, limit_min, limit_max, hold_time}. */
    private static final String[] BQL_COUNTERS = {"bql_limit", "bql_inflight", "bql_limit_min", "bql_limit_max",
            "bql_hold_time"};

    // the qdisc's statistics are published at the end; a recorded series reads them live
    @Override
    protected double sample(String counter) {
        QdiscStats s = qdisc.stats();
        return switch (counter) {
            case "tx_packets" -> txPackets.value() + inFlight.leftBy(now(), true);
            case "tx_bytes" -> txBytes.value() + inFlight.bytesOfFirst(inFlight.leftBy(now(), true));
            case "qdisc_sent_bytes" -> s.sentBytes();
            case "qdisc_sent_packets" -> s.sentPackets();
            case "qdisc_dropped" -> s.dropped();
            case "qdisc_overlimits" -> s.overlimits();
            case "qdisc_requeues" -> s.requeues();
            case "qdisc_backlog_bytes" -> s.backlogBytes();
            case "qdisc_backlog_packets" -> s.qlen();
            case "bql_limit" -> dql == null ? 0 : dql.limit();
            case "bql_inflight" -> dql == null ? 0 : dql.inflight();
            case "bql_limit_min" -> dql == null ? 0 : dql.limitMin();
            case "bql_limit_max" -> dql == null ? 0 : dql.limitMax();
            case "bql_hold_time" -> dql == null ? 0 : dql.holdTime() / SimTime.MILLISECOND;
            case "qdisc_sojourn_ns" -> qdisc.lastSojourn();
            case "qdisc_sojourn_sum_ns" -> qdisc.sojournSum();
            default -> {
                Long x = counter.startsWith("qdisc_") ? qdisc.xstats().get(counter.substring(6)) : null;
                yield x != null ? x : super.sample(counter);
            }
        };
    }

    public QdiscStats qdiscStats() {
        return qdisc.stats();
    }

    /** The queue's byte queue limits, or null when BQL is off. */
    public DynamicQueueLimits bql() {
        return dql;
    }

    /** Frames seen by the transmit tap, in order; the run merges them into pcap files. */
    public List<CaptureRecord> captured() {
        return captured;
    }

    @Override
    protected List<? extends knetsim.core.serial.CrossJvm> reports() {
        List<knetsim.core.serial.CrossJvm> all = new ArrayList<>();
        if (captureDevice != null) all.addAll(CaptureChunk.split(captureDevice, captured));
        var q = qdiscDrops.report("qdisc");
        if (q != null) all.add(q);
        var d = driverDrops.report("driver");
        if (d != null) all.add(d);
        return all;
    }
}
