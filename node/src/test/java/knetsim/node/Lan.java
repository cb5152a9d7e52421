package knetsim.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import knetsim.core.engine.InMemoryScenario;
import knetsim.link.LineRate;
import knetsim.link.Link;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.loss.Corruption;
import knetsim.link.loss.LinkDelay;
import knetsim.link.loss.LossModel;
import knetsim.link.loss.NoLoss;
import knetsim.node.dev.PfifoFast;
import knetsim.node.inet.Config;
import knetsim.node.inet.Interface;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.nic.NicRxQueue;
import knetsim.node.nic.NicTxQueue;
import knetsim.node.process.Application;
import knetsim.node.process.Process;
import knetsim.node.softirq.SoftirqWorker;

/**
 * Two hosts on one Ethernet segment, A 10.0.0.1 and B 10.0.0.2: A at LPs 0-4 (host, tx, rx, cpu,
 * link to B), B at 5-9, LP 10 an injector that puts raw frames into B's rx queue, then one
 * {@link Process} LP per application, A's first ({@link #processA}), then B's ({@link #processB}).
 */
final class Lan {
    static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:0a");
    static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:00:0b");
    static final Ipv4Address IP_A = Ipv4Address.parse("10.0.0.1"), IP_B = Ipv4Address.parse("10.0.0.2");
    static final long XMIT_COST = 200;
    /** What entering a system call costs a process: the delay of its edge to the host. */
    static final long SYSCALL_COST = 1_000;
    static final long SYSCALL_RETURN = Host.DEFAULT_SYSCALL_RETURN;
    static final long LATENCY = 50_000;

    final List<Application> appsA = new ArrayList<>(), appsB = new ArrayList<>();
    List<byte[]> injectIntoB = List.of();
    LossModel lossAtoB = NoLoss.INSTANCE;
    long rate = 1_000_000_000L;
    /** The cable's one-way delay. */
    long latency = LATENCY;
    boolean arpNotifyA, arpNotifyB;
    /** Capture lo too, as "a.lo" and "b.lo". */
    boolean captureLo;
    long seed = 1;

    Lan a(Application... apps) {
        appsA.addAll(List.of(apps));
        return this;
    }

    Lan b(Application... apps) {
        appsB.addAll(List.of(apps));
        return this;
    }

    int processA(int i) {
        return 11 + i;
    }

    int processB(int i) {
        return 11 + appsA.size() + i;
    }

    InMemoryScenario build() {
        InMemoryScenario.Builder b = InMemoryScenario.builder().seed(seed);
        SoftirqWorker.Config cpu = SoftirqWorker.Config.linuxDefaults();
        for (int side = 0; side < 2; side++) {
            int base = b.reserve();
            for (int i = 1; i < 5; i++) b.reserve();
            boolean a = side == 0;
            var iface = new Interface(1, "eth0", a ? MAC_A : MAC_B, a ? IP_A : IP_B, 24, 1500);
            String device = a ? "a.eth0" : "b.eth0";
            int peerRx = a ? 7 : 2;
            var config = new Config(List.of(iface), List.of(), false, List.of(), a ? arpNotifyA : arpNotifyB);
            Map<Integer, String> captures = captureLo
                    ? Map.of(1, device, knetsim.node.dev.Loopback.IFINDEX, a ? "a.lo" : "b.lo") : Map.of(1, device);
            b.define(base, () -> new Host(new int[] {base + 1}, XMIT_COST, SYSCALL_RETURN, config, captures));
            long lineRate = rate;
            b.define(base + 1, () -> new NicTxQueue(NicTxQueue.Config.linuxDefaults(), new PfifoFast(1000), lineRate,
                    base + 4, base + 3, device));
            b.define(base + 2, () -> new NicRxQueue(NicRxQueue.Config.linuxDefaults(), iface.mac().toLong(), base + 3));
            b.define(base + 3, () -> new SoftirqWorker(cpu, base,
                    List.of(new SoftirqWorker.Napi(base + 2, base + 1, 1, "rx_queue_0"))));
            LossModel loss = a ? lossAtoB : NoLoss.INSTANCE;
            long delay = latency;
            b.define(base + 4, () -> new Link(peerRx, LinkDelay.fixed(delay), loss, Corruption.NONE));
            b.edge(base, base + 1, XMIT_COST).edge(base + 1, base + 4, new LineRate(rate).minimumFrameNanos())
                    .edge(base + 1, base + 3, 1_000).edge(base + 2, base + 3, 1_000)
                    .edge(base + 3, base + 1, cpu.doorbell()).edge(base + 3, base + 2, cpu.doorbell())
                    .edge(base + 3, base, cpu.packetCost()).edge(base + 4, peerRx, delay);
        }
        List<byte[]> frames = injectIntoB;
        b.add(() -> new PingTest.Injector(7, frames));
        b.edge(10, 7, 1_000);
        for (int i = 0; i < appsA.size(); i++) process(b, 0, "a/app-" + i, appsA.get(i));
        for (int i = 0; i < appsB.size(); i++) process(b, 5, "b/app-" + i, appsB.get(i));
        return b.build();
    }

    /** A process on {@code host}: system calls cost SYSCALL_COST on the way in, the host's return on the way back. */
    static int process(InMemoryScenario.Builder b, int host, String name, Application app) {
        int id = b.add(() -> new Process(host, SYSCALL_COST, name, app));
        b.edge(id, host, SYSCALL_COST).edge(host, id, SYSCALL_RETURN);
        return id;
    }
}
