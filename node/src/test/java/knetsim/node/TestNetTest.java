package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import knetsim.core.engine.SequentialEngine;
import knetsim.link.Link;
import knetsim.node.app.Ping;
import knetsim.node.nic.NicRxQueue;
import knetsim.node.nic.NicTxQueue;
import knetsim.node.process.Process;
import knetsim.node.softirq.SoftirqWorker;
import org.junit.jupiter.api.Test;

/** The harness itself: names, one-way loss, raw hosts, the injector and the wire recorder do what they say. */
class TestNetTest {
    static final int EXPERIMENTAL = 0x88b5;

    /** An Ethernet frame of the experimental EtherType from {@code src} to {@code dst}, carrying {@code seq}. */
    static byte[] frame(long dst, long src, int seq) {
        byte[] b = new byte[60];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (dst >>> (40 - 8 * i));
            b[6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        b[12] = (byte) (EXPERIMENTAL >> 8);
        b[13] = (byte) EXPERIMENTAL;
        b[15] = (byte) seq;
        return b;
    }

    static List<Host.PlannedFrame> plan(long dst, long src, int count) {
        List<Host.PlannedFrame> plan = new ArrayList<>();
        for (int i = 0; i < count; i++) plan.add(new Host.PlannedFrame(i * 20_000L, frame(dst, src, i + 1), 0));
        return plan;
    }

    @Test
    void everyLpIsFoundByTheBuildersScopeName() {
        Ping ping = PingTest.ping(TestNet.IP_B, 1, knetsim.core.time.SimTime.SECOND, 56);
        TestNet net = TestNet.lan().a(ping).inject("b.eth0", List.of(new byte[60])).build();
        SequentialEngine.run(net);
        assertInstanceOf(Host.class, net.lp("a"));
        assertInstanceOf(SoftirqWorker.class, net.lp("b.cpu0"));
        assertInstanceOf(NicTxQueue.class, net.lp("a.eth0.tx0"));
        assertInstanceOf(NicRxQueue.class, net.lp("b.eth0.rx0"));
        assertInstanceOf(Link.class, net.lp("link.a.eth0-b.eth0"));
        assertInstanceOf(Link.class, net.lp("link.b.eth0-a.eth0"));
        assertInstanceOf(TestNet.Injector.class, net.lp("inject.b.eth0"));
        assertInstanceOf(Process.class, net.lp("a.app-0"));
        assertEquals(ping, net.app("a", "app-0"));
        assertEquals(net.network().scopes().size(), net.graph().lpCount(), "every LP has a name");
        assertEquals(1, ping.received());
        assertThrows(IllegalArgumentException.class, () -> net.id("c"));
    }

    @Test
    void aDropListLosesExactlyThoseFramesOfOneDirection() {
        List<Integer> atA = new ArrayList<>(), atB = new ArrayList<>();
        long macA = TestNet.MAC_A.toLong(), macB = TestNet.MAC_B.toLong();
        TestNet.Builder t = TestNet.lan();
        t.spec("a").raw(Map.of(EXPERIMENTAL, (h, i, skb) -> atA.add((int) skb.copyBytes()[15])), plan(macB, macA, 4));
        t.spec("b").raw(Map.of(EXPERIMENTAL, (h, i, skb) -> atB.add((int) skb.copyBytes()[15])), plan(macA, macB, 4));
        t.cableOf("a.eth0").dropAtoZ(2, 4);
        TestNet net = t.build();
        SequentialEngine.run(net);
        assertEquals(List.of(1, 3), atB, "frames 2 and 4 from a are lost");
        assertEquals(List.of(1, 2, 3, 4), atA, "b to a is lossless");
        assertEquals(2, net.<Link>lp("link.a.eth0-b.eth0").counters().get("lost"));
        assertEquals(0, net.<Link>lp("link.b.eth0-a.eth0").counters().get("lost"));
    }

    @Test
    void injectedFramesEnterTheRxQueueAtTheirPlannedTimes() {
        List<Long> at = new ArrayList<>();
        long macB = TestNet.MAC_B.toLong();
        TestNet.Builder t = TestNet.lan().inject("b.eth0", List.of(frame(macB, 0x0200_0000_00ccL, 1), frame(macB, 0x0200_0000_00ccL, 2)));
        t.spec("b").raw(Map.of(EXPERIMENTAL, (h, i, skb) -> at.add(h.time())), List.of());
        SequentialEngine.run(t.build());
        // into the rx queue 1 us after the injector sends; rx-usecs 3 us, 1 us of IRQ latency, 500 ns of softirq work
        long path = TestNet.INJECT_DELAY + 3_000 + 1_000 + 500;
        assertEquals(List.of(TestNet.INJECT_AT + path, TestNet.INJECT_AT + TestNet.INJECT_GAP + path), at);
    }

    @Test
    void aRecorderAtTheEndOfACableSeesEachFrameAfterSerialisationAndLatency() {
        TestNet.Recorder wire = new TestNet.Recorder();
        TestNet.Builder t = TestNet.builder();
        t.host("a", TestNet.eth("eth0", TestNet.MAC_A, TestNet.IP_A, 24))
                .raw(Map.of(), plan(TestNet.MAC_B.toLong(), TestNet.MAC_A.toLong(), 1));
        t.recorder("wire", () -> wire);
        t.cable("a.eth0", "wire").latency(10_000);
        TestNet net = t.build();
        SequentialEngine.run(net);
        // 200 ns dev_queue_xmit, 576 ns for 60 bytes (+ preamble, FCS, gap) at 1 Gbit/s, 10 us of cable
        assertEquals(List.of(10_776L), wire.arrivals);
        assertEquals(6, net.graph().lpCount(), "a's host, CPU, tx and rx queue, its link and the recorder; no link out of the recorder");
    }
}
