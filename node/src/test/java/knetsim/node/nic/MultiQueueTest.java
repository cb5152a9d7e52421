package knetsim.node.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import knetsim.core.engine.SequentialEngine;
import knetsim.link.Frame;
import knetsim.link.ethernet.MacAddress;
import knetsim.node.Host;
import knetsim.node.TestNet;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.softirq.SoftirqWorker;
import org.junit.jupiter.api.Test;

/** A NIC with two rx queues bound to two CPUs: RSS decides which CPU processes which flow. */
class MultiQueueTest {
    static final int FLOWS = 16, PER_FLOW = 10;

    @Test
    void eachCpuProcessesTheFlowsRssSteersToItsQueue() {
        // A puts UDP frames of 16 flows (source ports 4000..4015) on the wire, one every 2 us; B has two rx
        // queues, queue q on CPU q
        List<Host.PlannedFrame> plan = new ArrayList<>();
        for (int n = 0; n < FLOWS * PER_FLOW; n++) {
            byte[] padded = java.util.Arrays.copyOf(RssTest.udpFrame("10.0.0.1", 4000 + n % FLOWS, "10.0.0.2", 5001), 60);
            for (int i = 0; i < 6; i++) padded[i] = (byte) (TwoHosts.MAC_B >>> (40 - 8 * i));
            plan.add(new Host.PlannedFrame(n * 2_000L, padded, 0));
        }
        int[] received = new int[1];
        TestNet.Builder t = TestNet.builder();
        t.host("a", TestNet.eth("eth0", MacAddress.of(TwoHosts.MAC_A), Ipv4Address.parse("10.0.0.1"), 24).capture(false))
                .raw(Map.of(), plan);
        t.host("b", TestNet.eth("eth0", MacAddress.of(TwoHosts.MAC_B), Ipv4Address.parse("10.0.0.2"), 24).rxQueues(2)
                .capture(false)).cpus(2).raw(Map.of(0x0800, (h, ifindex, skb) -> received[0]++), List.of());
        t.cable("a.eth0", "b.eth0").latency(10_000);
        TestNet net = t.build();
        SequentialEngine.run(net);

        int[] expected = new int[2];
        for (int flow = 0; flow < FLOWS; flow++) {
            byte[] f = java.util.Arrays.copyOf(RssTest.udpFrame("10.0.0.1", 4000 + flow, "10.0.0.2", 5001), 60);
            expected[Rss.DEFAULT.queueFor(new Frame(f, true), 2)] += PER_FLOW;
        }
        assertTrue(expected[0] > 0 && expected[1] > 0, "the 16 flows should use both queues");
        SoftirqWorker c0 = net.lp("b.cpu0");
        SoftirqWorker c1 = net.lp("b.cpu1");
        // the builder names a NAPI after its device and queue (eth0_rx_queue_0): a CPU may poll several NICs
        assertEquals(expected[0], c0.counters().get("eth0_rx_queue_0_packets"));
        assertEquals(expected[1], c1.counters().get("eth0_rx_queue_1_packets"));
        assertEquals(0, c0.counters().get("eth0_rx_queue_1_packets"), "CPU 0 polls queue 0 only");
        assertEquals(expected[0], c0.counters().get("softnet_processed"));
        assertEquals(expected[1], c1.counters().get("softnet_processed"));
        assertEquals(FLOWS * PER_FLOW, received[0]);
    }
}
