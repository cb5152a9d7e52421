package knetsim.node.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import knetsim.core.engine.SequentialEngine;
import knetsim.node.dev.Pfifo;
import knetsim.node.dev.QdiscStats;
import knetsim.node.softirq.SoftirqWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** From dev_queue_xmit() on host A to netif_receive_skb() on host B, in virtual time. */
class DriverPathTest {

    @ParameterizedTest(name = "{1}-byte frame at {0} bit/s reaches the far NIC at {2} ns")
    @CsvSource({
            // 200 ns dev_queue_xmit, the frame's time on the wire (rounded up), 10 us of cable
            "1000000000, 60, 10776",     // 576 ns
            "1000000000, 1514, 22408",   // 12,208 ns
            "10000000000, 60, 10258",    // 57.6 ns -> 58
            "10000000000, 1514, 11421"}) // 1,220.8 ns -> 1,221
    void serialisationAndLatencyAreExactToTheNanosecond(long rate, int length, long expected) {
        TwoHosts net = new TwoHosts();
        net.rate = rate;
        net.recordWire = true;
        net.send(1, length, 0).build();
        SequentialEngine.run(net.scenario);
        assertEquals(List.of(expected), net.wire.arrivals);
        assertEquals(Math.max(length, 60), net.wire.frames.get(0).length(), "the NIC pads to 60 bytes");
    }

    @Test
    void backToBackFramesLeaveAtLineRate() {
        TwoHosts net = new TwoHosts();
        net.rate = 10_000_000_000L;
        net.recordWire = true;
        // without BQL the whole burst goes to the ring at once; BqlTest covers the limit's warm-up gaps
        net.txA = NicTxQueue.Config.linuxDefaults().withBql(false);
        net.send(100, 1514, 0).build();
        SequentialEngine.run(net.scenario);
        List<Long> expected = new ArrayList<>();
        for (int k = 0; k < 100; k++) {
            long endPicos = 200_000L + k * 1_230_400L + 1_220_800L; // 1538 bytes per slot, 1526 of frame
            expected.add((endPicos + 999) / 1000 + 10_000);
        }
        assertEquals(expected, net.wire.arrivals);
    }

    @Test
    void theFullPathAddsCoalescingIrqLatencyAndProcessingCost() {
        TwoHosts net = new TwoHosts().send(1, 60, 0);
        net.build();
        SequentialEngine.run(net.scenario);
        // 10,776 ns at NIC B, rx-usecs 3 us, 1 us to the CPU, 500 ns of softirq work
        assertEquals(List.of(10_776L + 3_000 + 1_000 + 500), net.receivedAtB);

        TwoHosts immediate = new TwoHosts().send(1, 60, 0);
        immediate.rxB = new NicRxQueue.Config(256, 0, 0, false, 1_000);
        immediate.build();
        SequentialEngine.run(immediate.scenario);
        assertEquals(List.of(10_776L + 1_000 + 500), immediate.receivedAtB);
    }

    @Test
    void aQdiscOverflowDropsAndCounts() {
        TwoHosts net = new TwoHosts().send(100, 1514, 0);
        net.qdiscA = () -> new Pfifo(10);
        net.txA = new NicTxQueue.Config(4, 3_000, 0, 1_000, 1518, false); // the ring alone, no BQL
        net.build();
        SequentialEngine.run(net.scenario);
        QdiscStats stats = net.<NicTxQueue>lp("a.eth0.tx0").qdiscStats();
        // 4 go to the ring at once, 10 wait in the qdisc, 86 find it full
        assertEquals(86, stats.dropped());
        assertEquals(14, net.receivedAtB.size());
        assertEquals(0, stats.qlen());
    }

    @Test
    void aFullRingStopsTheQueueAndTheQdiscResumesWithoutLoss() {
        TwoHosts net = new TwoHosts().send(100, 1514, 0);
        net.qdiscA = () -> new Pfifo(1000);
        net.txA = new NicTxQueue.Config(4, 3_000, 0, 1_000, 1518, false); // the ring alone, no BQL
        net.build();
        SequentialEngine.run(net.scenario);
        NicTxQueue tx = net.lp("a.eth0.tx0");
        assertEquals(0, tx.qdiscStats().dropped());
        assertEquals(100, net.receivedAtB.size());
        assertEquals(100, tx.counters().get("tx_packets"));
        assertTrue(tx.counters().get("tx_queue_stopped") > 0, "the ring of 4 must have filled");
        assertEquals(tx.counters().get("tx_queue_stopped"), tx.counters().get("tx_restart_queue"));
        assertEquals(100, net.<knetsim.node.Host>lp("a").counters().get("tx_completed"));
    }

    @Test
    void anRxBurstLargerThanTheRingOverruns() {
        TwoHosts net = new TwoHosts().send(200, 1514, 0);
        net.rate = 10_000_000_000L;
        net.rxB = new NicRxQueue.Config(16, 0, 0, false, 1_000);
        net.cpuB = new SoftirqWorker.Config(300, 2_000_000, 64, 10_000, 50, 200);
        net.build();
        SequentialEngine.run(net.scenario);
        long missed = net.<NicRxQueue>lp("b.eth0.rx0").counters().get("rx_missed_errors");
        // 1.23 us between frames, 10 us per packet: the ring of 16 fills almost at once
        assertTrue(missed > 150, "missed " + missed);
        assertEquals(200, missed + net.receivedAtB.size());
        assertEquals(net.receivedAtB.size(), net.<SoftirqWorker>lp("b.cpu0").counters().get("softnet_processed"));
    }

    @Test
    void aCpuSlowerThanTheArrivalsSqueezesAndDropsAtTheRing() {
        // 40 us per packet: one poll of 64 packets takes 2.56 ms, past the 2 ms limit
        TwoHosts slow = overload(40_000);
        assertTrue(slow.<SoftirqWorker>lp("b.cpu0").counters().get("softnet_time_squeeze") > 0);
        long missed = slow.<NicRxQueue>lp("b.eth0.rx0").counters().get("rx_missed_errors");
        assertTrue(missed > 0, "the ring must overflow while the CPU lags");
        assertEquals(3000, missed + slow.receivedAtB.size());
    }

    @Test
    void oneBusyQueueNeverSpendsTheBudgetOf300() {
        // As Linux's net_rx_action: a NAPI that used its weight is polled again only in the next
        // call, so one queue takes at most 64 of the 300; 2 us x 64 stays far below 2 ms.
        TwoHosts busy = overload(2_000);
        assertEquals(0, busy.<SoftirqWorker>lp("b.cpu0").counters().get("softnet_time_squeeze"));
        assertTrue(busy.<NicRxQueue>lp("b.eth0.rx0").counters().get("rx_missed_errors") > 0,
                "2 us per packet still cannot keep up with 1.23 us arrivals");
    }

    @Test
    void aFastCpuKeepsUpWithoutSqueezeOrDrops() {
        TwoHosts fast = overload(200); // 200 ns per packet keeps up with 1.23 us arrivals
        assertEquals(0, fast.<SoftirqWorker>lp("b.cpu0").counters().get("softnet_time_squeeze"));
        assertEquals(0, fast.<NicRxQueue>lp("b.eth0.rx0").counters().get("rx_missed_errors"));
        assertEquals(3000, fast.receivedAtB.size());
    }

    private static TwoHosts overload(long packetCost) {
        TwoHosts net = new TwoHosts().send(3000, 1514, 0);
        net.rate = 10_000_000_000L;
        net.qdiscA = () -> new Pfifo(5000);
        net.cpuB = new SoftirqWorker.Config(300, 2_000_000, 64, packetCost, 50, 200);
        net.build();
        SequentialEngine.run(net.scenario);
        return net;
    }

    @Test
    void aFrameLongerThanTheNicSendsIsDroppedByTheDriver() {
        TwoHosts net = new TwoHosts().send(2, 1514, 0).send(1, 1600, 0);
        net.build();
        SequentialEngine.run(net.scenario);
        NicTxQueue tx = net.lp("a.eth0.tx0");
        assertEquals(1, tx.counters().get("tx_dropped"));
        assertEquals(2, tx.counters().get("tx_packets"));
        assertEquals(2, net.receivedAtB.size());
    }

    @Test
    void corruptionShowsAsCrcErrorsNotAsDeliveredFrames() {
        TwoHosts net = new TwoHosts().send(10, 100, 0);
        net.corruption = 1.0;
        net.build();
        SequentialEngine.run(net.scenario);
        assertEquals(10, net.<NicRxQueue>lp("b.eth0.rx0").counters().get("rx_crc_errors"));
        assertEquals(0, net.receivedAtB.size());
    }
}
