package knetsim.node.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import knetsim.core.engine.InMemoryScenario;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.core.engine.SequentialEngine;
import knetsim.link.Frame;
import knetsim.link.Link;
import knetsim.link.loss.Corruption;
import knetsim.link.loss.LinkDelay;
import knetsim.link.loss.NoLoss;
import knetsim.node.Host;
import knetsim.node.dev.PfifoFast;
import knetsim.node.softirq.SoftirqWorker;
import org.junit.jupiter.api.Test;

/** A NIC with two rx queues bound to two CPUs: RSS decides which CPU processes which flow. */
class MultiQueueTest {
    static final int FLOWS = 16, PER_FLOW = 10;

    record Send(int n) implements Payload {
        @Override
        public long fingerprint() {
            return n;
        }
    }

    /** Puts UDP frames of 16 flows (source ports 4000..4015) on the wire, one every 2 us. */
    static final class Blaster extends LogicalProcess {
        final int link;

        Blaster(int link) {
            this.link = link;
        }

        @Override
        protected void onStart() {
            for (int i = 0; i < FLOWS * PER_FLOW; i++) schedule(i * 2_000L, new Send(i));
        }

        @Override
        protected void onEvent(Payload payload) {
            int n = ((Send) payload).n();
            byte[] f = RssTest.udpFrame("10.0.0.1", 4000 + n % FLOWS, "10.0.0.2", 5001);
            byte[] padded = java.util.Arrays.copyOf(f, 60);
            for (int i = 0; i < 6; i++) padded[i] = (byte) (TwoHosts.MAC_B >>> (40 - 8 * i));
            send(link, 1, new Frame(padded, true));
        }
    }

    @Test
    void eachCpuProcessesTheFlowsRssSteersToItsQueue() {
        InMemoryScenario.Builder b = InMemoryScenario.builder();
        int blaster = b.reserve(), link = b.reserve(), host = b.reserve(), tx = b.reserve();
        int rx0 = b.reserve(), rx1 = b.reserve(), cpu0 = b.reserve(), cpu1 = b.reserve(), sink = b.reserve();
        int[] rxQueues = {rx0, rx1};
        var cpuConfig = SoftirqWorker.Config.linuxDefaults();
        var rxConfig = NicRxQueue.Config.linuxDefaults();
        int[] received = new int[1];
        b.define(blaster, () -> new Blaster(link));
        b.define(link, () -> new Link(rxQueues, Rss.DEFAULT, LinkDelay.fixed(10_000), NoLoss.INSTANCE, Corruption.NONE));
        b.define(host, () -> new Host(tx, 200, Map.of(0x0800, (h, ifindex, skb) -> received[0]++), List.of(), null));
        b.define(tx, () -> new NicTxQueue(NicTxQueue.Config.linuxDefaults(), new PfifoFast(1000), 1_000_000_000L,
                sink, cpu0, null));
        b.define(rx0, () -> new NicRxQueue(rxConfig, TwoHosts.MAC_B, cpu0));
        b.define(rx1, () -> new NicRxQueue(rxConfig, TwoHosts.MAC_B, cpu1));
        b.define(cpu0, () -> new SoftirqWorker(cpuConfig, host, List.of(new SoftirqWorker.Napi(rx0, tx, 1, "rx_queue_0"))));
        b.define(cpu1, () -> new SoftirqWorker(cpuConfig, host, List.of(new SoftirqWorker.Napi(rx1, -1, 1, "rx_queue_1"))));
        b.define(sink, TwoHosts.Recorder::new);
        b.edge(blaster, link, 1).edge(link, rx0, 10_000).edge(link, rx1, 10_000)
                .edge(rx0, cpu0, rxConfig.irqLatency()).edge(rx1, cpu1, rxConfig.irqLatency())
                .edge(cpu0, rx0, cpuConfig.doorbell()).edge(cpu1, rx1, cpuConfig.doorbell())
                .edge(cpu0, host, cpuConfig.packetCost()).edge(cpu1, host, cpuConfig.packetCost())
                .edge(host, tx, 200).edge(tx, sink, 576).edge(tx, cpu0, 1_000).edge(cpu0, tx, cpuConfig.doorbell());
        InMemoryScenario net = b.build();
        SequentialEngine.run(net);

        int[] expected = new int[2];
        for (int flow = 0; flow < FLOWS; flow++) {
            byte[] f = java.util.Arrays.copyOf(RssTest.udpFrame("10.0.0.1", 4000 + flow, "10.0.0.2", 5001), 60);
            expected[Rss.DEFAULT.queueFor(new Frame(f, true), 2)] += PER_FLOW;
        }
        assertTrue(expected[0] > 0 && expected[1] > 0, "the 16 flows should use both queues");
        SoftirqWorker c0 = net.lp(cpu0);
        SoftirqWorker c1 = net.lp(cpu1);
        assertEquals(expected[0], c0.counters().get("rx_queue_0_packets"));
        assertEquals(expected[1], c1.counters().get("rx_queue_1_packets"));
        assertEquals(0, c0.counters().get("rx_queue_1_packets"), "CPU 0 polls queue 0 only");
        assertEquals(expected[0], c0.counters().get("softnet_processed"));
        assertEquals(expected[1], c1.counters().get("softnet_processed"));
        assertEquals(FLOWS * PER_FLOW, received[0]);
    }
}
