package knetsim.node.nic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import knetsim.core.engine.LogicalProcess;
import knetsim.link.ethernet.MacAddress;
import knetsim.node.Host;
import knetsim.node.TestNet;
import knetsim.node.dev.PfifoFast;
import knetsim.node.dev.Qdisc;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.softirq.SoftirqWorker;

/**
 * Host A -> NIC A -> cable -> NIC B -> softirq B -> host B, and the way back: the driver path under
 * test, on {@link TestNet}. Both hosts are raw (no IP stack): A transmits {@link #planA}, B records
 * the time each frame of the experimental EtherType reaches it. With {@link #recordWire} A's cable
 * ends at a recorder ("wire") instead of B. LPs by name: "a", "a.eth0.tx0", "b.eth0.rx0", "b.cpu0".
 */
final class TwoHosts {
    static final long MAC_A = 0x0200_0000_000aL, MAC_B = 0x0200_0000_000bL;
    static final int EXPERIMENTAL = 0x88b5;
    static final long XMIT_COST = TestNet.XMIT_COST;

    long rate = 1_000_000_000L;
    long latency = 10_000;
    /** The probability a frame from A to B is corrupted. */
    double corruption;
    java.util.function.Supplier<Qdisc> qdiscA = () -> new PfifoFast(1000);
    NicTxQueue.Config txA = NicTxQueue.Config.linuxDefaults();
    NicRxQueue.Config rxB = NicRxQueue.Config.linuxDefaults();
    SoftirqWorker.Config cpuB = SoftirqWorker.Config.linuxDefaults();
    List<Host.PlannedFrame> planA = new ArrayList<>();
    boolean capture;
    /** When set, A's cable delivers to a recorder ({@link #wire}) and there is no B. */
    boolean recordWire;

    final List<Long> receivedAtB = new ArrayList<>();
    final TestNet.Recorder wire = new TestNet.Recorder();

    TestNet scenario;

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

    TwoHosts build() {
        TestNet.Builder t = TestNet.builder();
        t.host("a", eth(MAC_A, "10.0.0.1").qdisc(qdiscA).tx(txA)).raw(Map.of(), planA);
        if (recordWire) {
            t.recorder("wire", () -> wire);
            t.cable("a.eth0", "wire").rate(rate).latency(latency).corruptionAtoZ(corruption);
        } else {
            Host.ProtocolHandler recordAtB = (host, ifindex, skb) -> receivedAtB.add(host.time());
            t.host("b", eth(MAC_B, "10.0.0.2").rx(rxB)).cpu(cpuB).raw(Map.of(EXPERIMENTAL, recordAtB), List.of());
            t.cable("a.eth0", "b.eth0").rate(rate).latency(latency).corruptionAtoZ(corruption);
        }
        scenario = t.build();
        return this;
    }

    private TestNet.Iface eth(long mac, String address) {
        return TestNet.eth("eth0", MacAddress.of(mac), Ipv4Address.parse(address), 24).capture(capture);
    }

    /** The LP named {@code scope} ("a.eth0.tx0", "b.eth0.rx0", "b.cpu0", "a"). */
    <T extends LogicalProcess> T lp(String scope) {
        return scenario.lp(scope);
    }
}
