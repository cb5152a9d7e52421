package knetsim.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.LpGraph;
import knetsim.core.engine.Scenario;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.loss.BernoulliLoss;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.skb.SkBuff;

/**
 * Two hosts on a lossy, jittery cable, host B echoing every frame back: a shippable description
 * (Kryo-registered for the tests) so the same run can be split over partitions and JVMs. Every
 * member builds the same {@link TestNet} from these fields; LPs are named as there ("a",
 * "a.eth0.tx0", "link.a.eth0-b.eth0", ...), and each host with its links is one partition's.
 */
public record WireScenario(long rate, long latency, long jitter, double loss, int frames, int length, long seed)
        implements Scenario {
    static final int EXPERIMENTAL = 0x88b5;
    static final long MAC_A = 0x0200_0000_000aL, MAC_B = 0x0200_0000_000bL;

    /** The network these fields describe (raw hosts: A sends the plan, B echoes). */
    TestNet net() {
        TestNet.Builder t = TestNet.builder().seed(seed);
        t.host("a", TestNet.eth("eth0", MacAddress.of(MAC_A), Ipv4Address.parse("10.0.0.1"), 24)).raw(Map.of(), plan());
        t.host("b", TestNet.eth("eth0", MacAddress.of(MAC_B), Ipv4Address.parse("10.0.0.2"), 24))
                .raw(Map.of(EXPERIMENTAL, WireScenario::echo), List.of());
        t.cable("a.eth0", "b.eth0").rate(rate).latency(latency).jitter(jitter).loss(() -> new BernoulliLoss(loss));
        return t.build();
    }

    /** The LP id of {@code scope}. */
    int id(String scope) {
        return net().id(scope);
    }

    @Override
    public LpGraph graph() {
        return net().graph();
    }

    @Override
    public long endTime() {
        return knetsim.core.time.SimTime.NEVER;
    }

    @Override
    public LogicalProcess createLp(int lpId) {
        return net().createLp(lpId);
    }

    @Override
    public int[] partitionOf(int partitions) {
        return net().partitionOf(partitions);
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
