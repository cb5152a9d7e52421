package knetsim.node.nic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import knetsim.core.engine.InMemoryScenario;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.link.Frame;
import knetsim.link.LineRate;
import knetsim.link.Link;
import knetsim.link.loss.Corruption;
import knetsim.link.loss.LinkDelay;
import knetsim.link.loss.NoLoss;
import knetsim.node.Host;
import knetsim.node.dev.PfifoFast;
import knetsim.node.dev.Qdisc;
import knetsim.node.softirq.SoftirqWorker;

/** Host A -> NIC A -> link -> NIC B -> softirq B -> host B, and the way back: the driver path under test. */
final class TwoHosts {
    static final long MAC_A = 0x0200_0000_000aL, MAC_B = 0x0200_0000_000bL;
    static final int EXPERIMENTAL = 0x88b5;
    static final long XMIT_COST = 200;

    long rate = 1_000_000_000L;
    long latency = 10_000;
    Corruption corruption = Corruption.NONE;
    java.util.function.Supplier<Qdisc> qdiscA = () -> new PfifoFast(1000);
    NicTxQueue.Config txA = NicTxQueue.Config.linuxDefaults();
    NicRxQueue.Config rxB = NicRxQueue.Config.linuxDefaults();
    SoftirqWorker.Config cpuB = SoftirqWorker.Config.linuxDefaults();
    List<Host.PlannedFrame> planA = new ArrayList<>();
    boolean capture;
    /** When set, A's link delivers to this recorder instead of NIC B. */
    boolean recordWire;

    final List<Long> receivedAtB = new ArrayList<>();
    final Recorder wire = new Recorder();

    int hostA, txQueueA, rxQueueA, cpuA, linkAB, hostB, txQueueB, rxQueueB, cpuB_, linkBA, wireLp;
    InMemoryScenario scenario;

    static byte[] frame(long dst, long src, int length, int sequence) {
        byte[] b = new byte[length];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (dst >>> (40 - 8 * i));
            b[6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        b[12] = (byte) (EXPERIMENTAL >> 8);
        b[13] = (byte) EXPERIMENTAL;
        b[14] = (byte) (sequence >> 8);
        b[15] = (byte) sequence;
        return b;
    }

    TwoHosts send(int count, int length, long at) {
        for (int i = 0; i < count; i++) planA.add(new Host.PlannedFrame(at, frame(MAC_B, MAC_A, length, planA.size()), 0));
        return this;
    }

    static class Recorder extends LogicalProcess {
        final List<Long> arrivals = new ArrayList<>();
        final List<Frame> frames = new ArrayList<>();

        @Override
        protected void onStart() {}

        @Override
        protected void onEvent(Payload payload) {
            arrivals.add(now());
            if (payload instanceof Frame frame) frames.add(frame);
        }
    }

    TwoHosts build() {
        InMemoryScenario.Builder b = InMemoryScenario.builder();
        hostA = b.reserve(); txQueueA = b.reserve(); rxQueueA = b.reserve(); cpuA = b.reserve(); linkAB = b.reserve();
        hostB = b.reserve(); txQueueB = b.reserve(); rxQueueB = b.reserve(); cpuB_ = b.reserve(); linkBA = b.reserve();
        wireLp = b.add(() -> wire);
        SoftirqWorker.Config cpuConfigA = SoftirqWorker.Config.linuxDefaults();
        NicRxQueue.Config rxA = NicRxQueue.Config.linuxDefaults();
        NicTxQueue.Config txB = NicTxQueue.Config.linuxDefaults();
        long minFrame = new LineRate(rate).minimumFrameNanos();
        int abReceiver = recordWire ? wireLp : rxQueueB;

        b.define(hostA, () -> new Host(txQueueA, XMIT_COST, Map.of(), planA, capture ? "a.eth0" : null));
        b.define(txQueueA, () -> new NicTxQueue(txA, qdiscA.get(), rate, linkAB, cpuA, capture ? "a.eth0" : null));
        b.define(rxQueueA, () -> new NicRxQueue(rxA, MAC_A, cpuA));
        b.define(cpuA, () -> new SoftirqWorker(cpuConfigA, hostA, List.of(new SoftirqWorker.Napi(rxQueueA, txQueueA, 1, "rx_queue_0"))));
        b.define(linkAB, () -> new Link(abReceiver, LinkDelay.fixed(latency), NoLoss.INSTANCE, corruption));
        Host.ProtocolHandler recordAtB = (host, ifindex, skb) -> receivedAtB.add(host.time());
        b.define(hostB, () -> new Host(txQueueB, XMIT_COST, Map.of(EXPERIMENTAL, recordAtB), List.of(),
                capture ? "b.eth0" : null));
        b.define(txQueueB, () -> new NicTxQueue(txB, new PfifoFast(1000), rate, linkBA, cpuB_, capture ? "b.eth0" : null));
        b.define(rxQueueB, () -> new NicRxQueue(rxB, MAC_B, cpuB_));
        b.define(cpuB_, () -> new SoftirqWorker(cpuB, hostB, List.of(new SoftirqWorker.Napi(rxQueueB, txQueueB, 1, "rx_queue_0"))));
        b.define(linkBA, () -> new Link(rxQueueA, LinkDelay.fixed(latency), NoLoss.INSTANCE, Corruption.NONE));

        wire(b, hostA, txQueueA, rxQueueA, cpuA, linkAB, txA.irqLatency(), rxA.irqLatency(), cpuConfigA, minFrame);
        wire(b, hostB, txQueueB, rxQueueB, cpuB_, linkBA, txB.irqLatency(), rxB.irqLatency(), cpuB, minFrame);
        b.edge(linkAB, abReceiver, latency).edge(linkBA, rxQueueA, latency);
        scenario = b.build();
        return this;
    }

    private static void wire(InMemoryScenario.Builder b, int host, int tx, int rx, int cpu, int link,
                             long txIrq, long rxIrq, SoftirqWorker.Config c, long minFrame) {
        b.edge(host, tx, XMIT_COST)
                .edge(tx, link, minFrame)
                .edge(tx, cpu, txIrq)
                .edge(rx, cpu, rxIrq)
                .edge(cpu, tx, c.doorbell())
                .edge(cpu, rx, c.doorbell())
                .edge(cpu, host, c.packetCost());
    }

    <T extends LogicalProcess> T lp(int id) {
        return scenario.lp(id);
    }
}
