package knetsim.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import knetsim.core.engine.Counters;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.link.pcap.CaptureChunk;
import knetsim.link.pcap.CaptureRecord;
import knetsim.node.nic.NicTxQueue;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;

/**
 * The kernel of one machine, for now only its edge to the driver: netif_receive_skb() with the
 * receive tap and dispatch to protocol handlers by EtherType (packet_type), and dev_queue_xmit()
 * towards a NIC tx queue. The IP stack, ARP and sockets plug in here as handlers (issue 4).
 */
public final class Host extends LogicalProcess {
    /** NET_SKB_PAD: headroom drivers reserve in front of received frames. */
    public static final int NET_SKB_PAD = 64;

    public sealed interface Message extends Payload permits Receive, TxCompleted, Transmit {}

    /** netif_receive_skb(): a frame that came in on interface {@code ifindex}; data is at its Ethernet header. */
    public record Receive(int ifindex, SkBuff skb) implements Message {
        @Override
        public long fingerprint() {
            return skb.contentHash() * 31 + ifindex;
        }
    }

    /** The driver freed these transmitted skbs (the point where socket write memory is released). */
    public record TxCompleted(int ifindex, int packets, long bytes) implements Message {
        @Override
        public long fingerprint() {
            return (ifindex * 31L + packets) * 31 + bytes;
        }
    }

    /** Self event: send a planned frame now. */
    record Transmit(byte[] frame, int priority) implements Message {
        @Override
        public long fingerprint() {
            return new knetsim.link.Frame(frame, true).fingerprint() * 31 + priority;
        }
    }

    /** A protocol's receive function (packet_type.func): ip_rcv, arp_rcv... */
    public interface ProtocolHandler {
        void receive(Host host, SkBuff skb);
    }

    /** A frame the host sends at a given time (until applications exist). */
    public record PlannedFrame(long time, byte[] frame, int priority) {}

    private final int txQueueLp;
    private final long xmitCost;
    private final Map<Integer, ProtocolHandler> handlers;
    private final List<PlannedFrame> plan;
    private final String captureDevice;
    private final List<CaptureRecord> captured = new ArrayList<>();
    private long captureSeq;
    private Counters.Counter rxPackets, rxBytes, rxDropped, txCompleted;

    /**
     * @param xmitCost      CPU time of dev_queue_xmit() up to the driver; the minimum delay to the tx queue
     * @param captureDevice the device name its receive tap records under; null: no capture
     */
    public Host(int txQueueLp, long xmitCost, Map<Integer, ProtocolHandler> handlers, List<PlannedFrame> plan,
                String captureDevice) {
        if (xmitCost <= 0) throw new IllegalArgumentException("xmit cost must be > 0 (it bounds the lookahead)");
        this.txQueueLp = txQueueLp;
        this.xmitCost = xmitCost;
        this.handlers = new TreeMap<>(handlers);
        this.plan = List.copyOf(plan);
        this.captureDevice = captureDevice;
    }

    @Override
    protected void onStart() {
        rxPackets = counters().counter("rx_packets");
        rxBytes = counters().counter("rx_bytes");
        rxDropped = counters().counter("rx_dropped");
        txCompleted = counters().counter("tx_completed");
        for (PlannedFrame p : plan) schedule(p.time(), new Transmit(p.frame(), p.priority()));
    }

    @Override
    protected void onEvent(Payload payload) {
        if (payload instanceof Receive r) {
            netifReceiveSkb(r.skb());
        } else if (payload instanceof Transmit t) {
            SkBuff skb = SkBuff.allocate(NET_SKB_PAD, t.frame().length);
            System.arraycopy(t.frame(), 0, skb.buffer(), skb.put(t.frame().length), t.frame().length);
            skb.setPriority(t.priority());
            devQueueXmit(skb);
        } else if (payload instanceof TxCompleted c) {
            txCompleted.add(c.packets());
        } else {
            throw new IllegalArgumentException("Host cannot handle " + payload.getClass().getSimpleName());
        }
    }

    // __netif_receive_skb_core(): taps see every frame, then the handler of its EtherType.
    private void netifReceiveSkb(SkBuff skb) {
        rxPackets.increment();
        rxBytes.add(skb.len());
        if (captureDevice != null) {
            byte[] bytes = skb.copyBytes();
            captured.add(new CaptureRecord(now(), id(), captureSeq++, bytes, bytes.length));
        }
        int etherType = skb.len() >= 14
                ? ((skb.buffer()[skb.data() + 12] & 0xff) << 8) | (skb.buffer()[skb.data() + 13] & 0xff) : -1;
        ProtocolHandler handler = handlers.get(etherType);
        if (handler == null) {
            rxDropped.increment(); // no packet_type for this protocol
            skb.setDropReason(SkbDropReason.UNHANDLED_PROTO);
            return;
        }
        handler.receive(this, skb);
    }

    /** dev_queue_xmit(): hand a whole Ethernet frame to the tx queue. */
    public void devQueueXmit(SkBuff skb) {
        send(txQueueLp, xmitCost, new NicTxQueue.Xmit(skb));
    }

    public long time() {
        return now();
    }

    /** Frames seen by the receive tap, in order. */
    public List<CaptureRecord> captured() {
        return captured;
    }

    @Override
    protected List<CaptureChunk> reports() {
        return captureDevice == null ? List.of() : CaptureChunk.split(captureDevice, captured);
    }
}
