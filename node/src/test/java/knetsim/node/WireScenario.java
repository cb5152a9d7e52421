package knetsim.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.LpGraph;
import knetsim.core.engine.Scenario;
import knetsim.link.LineRate;
import knetsim.link.Link;
import knetsim.link.loss.BernoulliLoss;
import knetsim.link.loss.Corruption;
import knetsim.link.loss.LinkDelay;
import knetsim.node.dev.PfifoFast;
import knetsim.node.nic.NicRxQueue;
import knetsim.node.nic.NicTxQueue;
import knetsim.node.skb.SkBuff;
import knetsim.node.softirq.SoftirqWorker;

/**
 * Two hosts on a lossy, jittery cable, host B echoing every frame back: a shippable description
 * (Kryo-registered for the tests) so the same run can be split over partitions and JVMs.
 * LPs 0-4 are host A's (host, tx, rx, cpu, link A->B), 5-9 host B's.
 */
public record WireScenario(long rate, long latency, long jitter, double loss, int frames, int length, long seed)
        implements Scenario {
    static final int EXPERIMENTAL = 0x88b5;
    static final long MAC_A = 0x0200_0000_000aL, MAC_B = 0x0200_0000_000bL;
    static final long XMIT_COST = 200;
    static final String[] DEVICES = {"a.eth0", "b.eth0"};

    @Override
    public LpGraph graph() {
        LpGraph.Builder g = new LpGraph.Builder(10);
        long minFrame = new LineRate(rate).minimumFrameNanos();
        SoftirqWorker.Config cpu = SoftirqWorker.Config.linuxDefaults();
        for (int side = 0; side < 2; side++) {
            int base = side * 5;
            g.edge(base, base + 1, XMIT_COST).edge(base + 1, base + 4, minFrame)
                    .edge(base + 1, base + 3, NicTxQueue.Config.linuxDefaults().irqLatency())
                    .edge(base + 2, base + 3, NicRxQueue.Config.linuxDefaults().irqLatency())
                    .edge(base + 3, base + 1, cpu.doorbell()).edge(base + 3, base + 2, cpu.doorbell())
                    .edge(base + 3, base, cpu.packetCost())
                    .edge(base + 4, (base + 7) % 10, latency); // the cable to the other side's rx queue
        }
        return g.build();
    }

    @Override
    public long endTime() {
        return knetsim.core.time.SimTime.NEVER;
    }

    @Override
    public LogicalProcess createLp(int lpId) {
        int side = lpId / 5;
        int base = side * 5;
        long mac = side == 0 ? MAC_A : MAC_B;
        String device = DEVICES[side];
        return switch (lpId % 5) {
            case 0 -> side == 0
                    ? new Host(base + 1, XMIT_COST, Map.of(), plan(), device)
                    : new Host(base + 1, XMIT_COST, Map.of(EXPERIMENTAL, WireScenario::echo), List.of(), device);
            case 1 -> new NicTxQueue(NicTxQueue.Config.linuxDefaults(), new PfifoFast(1000), rate, base + 4, base + 3, device);
            case 2 -> new NicRxQueue(NicRxQueue.Config.linuxDefaults(), mac, base + 3);
            case 3 -> new SoftirqWorker(SoftirqWorker.Config.linuxDefaults(), base,
                    List.of(new SoftirqWorker.Napi(base + 2, base + 1, 1, "rx_queue_0")));
            default -> new Link((base + 7) % 10, new LinkDelay(latency, jitter, false), new BernoulliLoss(loss), Corruption.NONE);
        };
    }

    private List<Host.PlannedFrame> plan() {
        List<Host.PlannedFrame> plan = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            byte[] b = new byte[length];
            for (int k = 0; k < 6; k++) {
                b[k] = (byte) (MAC_B >>> (40 - 8 * k));
                b[6 + k] = (byte) (MAC_A >>> (40 - 8 * k));
            }
            b[12] = (byte) (EXPERIMENTAL >> 8);
            b[13] = (byte) EXPERIMENTAL;
            b[14] = (byte) (i >> 8);
            b[15] = (byte) i;
            plan.add(new Host.PlannedFrame(i * 7_000L, b, 0));
        }
        return plan;
    }

    /** Host B answers every frame: the same bytes with the addresses swapped. */
    private static void echo(Host host, int ifindex, SkBuff skb) {
        byte[] in = skb.copyBytes();
        byte[] out = in.clone();
        System.arraycopy(in, 6, out, 0, 6);
        System.arraycopy(in, 0, out, 6, 6);
        SkBuff reply = SkBuff.allocate(SkBuff.NET_SKB_PAD, out.length);
        System.arraycopy(out, 0, reply.buffer(), reply.put(out.length), out.length);
        host.devQueueXmit(reply);
    }
}
