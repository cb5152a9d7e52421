package knetsim.link.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import knetsim.core.engine.InMemoryScenario;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.core.engine.SequentialEngine;
import knetsim.link.Frame;
import org.junit.jupiter.api.Test;

/** A learning bridge as Linux's: flood the unknown once, then forward to the learned port only. */
class SwitchTest {
    static final long UPLINK = 1_000; // station -> switch: 1 us
    static final long GIGABIT = 1_000_000_000L;

    record Send(Frame frame) implements Payload {
        @Override
        public long fingerprint() {
            return frame.fingerprint();
        }
    }

    /** A station that sends planned frames and records what it receives, with arrival times. */
    static final class Station extends LogicalProcess {
        final int switchLp;
        final List<long[]> plan = new ArrayList<>(); // {time, dst, src, index into frames}
        final List<Frame> planned = new ArrayList<>();
        final List<Long> arrivals = new ArrayList<>();
        final List<Frame> received = new ArrayList<>();

        Station(int switchLp) {
            this.switchLp = switchLp;
        }

        Station at(long time, Frame frame) {
            plan.add(new long[] {time, planned.size()});
            planned.add(frame);
            return this;
        }

        @Override
        protected void onStart() {
            for (long[] p : plan) schedule(p[0], new Send(planned.get((int) p[1])));
        }

        @Override
        protected void onEvent(Payload payload) {
            if (payload instanceof Send s) {
                send(switchLp, UPLINK, s.frame());
            } else {
                arrivals.add(now());
                received.add((Frame) payload);
            }
        }
    }

    static Frame frame(long dst, long src, boolean fcsGood) {
        byte[] b = new byte[60];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (dst >>> (40 - 8 * i));
            b[6 + i] = (byte) (src >>> (40 - 8 * i));
        }
        b[12] = (byte) 0x88;
        b[13] = (byte) 0xb5; // IEEE local experimental EtherType
        return new Frame(b, fcsGood);
    }

    static final long A = 0x0200_0000_000aL, B = 0x0200_0000_000bL, C = 0x0200_0000_000cL;

    /** Three stations on ports 0, 1, 2; each station both feeds and receives its own port. */
    private static InMemoryScenario network(Station a, Station b, Station c, int queueLimit, long rate, long ageing) {
        InMemoryScenario.Builder s = InMemoryScenario.builder();
        int sw = s.reserve();
        int[] stations = {s.add(() -> a), s.add(() -> b), s.add(() -> c)};
        List<Switch.Port> ports = new ArrayList<>();
        for (int st : stations) {
            ports.add(new Switch.Port(st, st, rate, queueLimit));
            s.edge(st, sw, UPLINK).edge(sw, st, new knetsim.link.LineRate(rate).minimumFrameNanos());
        }
        s.define(sw, () -> new Switch(ports, ageing));
        return s.build();
    }

    @Test
    void floodsTheUnknownOnceThenForwardsOnlyToTheLearnedPort() {
        Station a = new Station(0).at(0, frame(B, A, true)).at(100_000, frame(B, A, true));
        Station b = new Station(0).at(50_000, frame(A, B, true));
        Station c = new Station(0);
        InMemoryScenario net = network(a, b, c, 100, GIGABIT, ForwardingDatabase.DEFAULT_AGEING_TIME);
        SequentialEngine.run(net);
        // A -> B at 0: B unknown, flooded to B and C; B -> A: A learned, to A only; A -> B again: B learned.
        assertEquals(2, b.received.size());
        assertEquals(1, c.received.size(), "C saw only the first, flooded frame");
        assertEquals(1, a.received.size());
        Switch sw = net.lp(0);
        assertEquals(1, sw.counters().get("flooded"));
        assertEquals(2, sw.fdbSize());
        // store and forward: 1 us uplink, then 576 ns for a minimum frame at 1 Gbit/s
        assertEquals(List.of(1_000L + 576, 101_000L + 576), b.arrivals);
        assertEquals(List.of(51_000L + 576), a.arrivals);
    }

    @Test
    void broadcastIsFloodedAndNeverLearnedAsADestination() {
        long broadcast = 0xffff_ffff_ffffL;
        Station a = new Station(0).at(0, frame(broadcast, A, true));
        Station b = new Station(0);
        Station c = new Station(0);
        SequentialEngine.run(network(a, b, c, 100, GIGABIT, ForwardingDatabase.DEFAULT_AGEING_TIME));
        assertEquals(1, b.received.size());
        assertEquals(1, c.received.size());
        assertEquals(0, a.received.size(), "never sent back out of its ingress port");
    }

    @Test
    void aFullEgressQueueDropsAndCounts() {
        // B is learned first; then A sends 5 frames at once towards B over a slow 1 Mbit/s port.
        Station a = new Station(0);
        for (int i = 0; i < 5; i++) a.at(1_000_000, frame(B, A, true));
        Station b = new Station(0).at(0, frame(A, B, true));
        Station c = new Station(0);
        InMemoryScenario net = network(a, b, c, 2, 1_000_000L, ForwardingDatabase.DEFAULT_AGEING_TIME);
        SequentialEngine.run(net);
        Switch sw = net.lp(0);
        // the first goes on the wire at once, two wait in the queue, two find it full
        assertEquals(3, b.received.size());
        assertEquals(2, sw.counters().get("port1.tx_dropped"));
        assertEquals(3, sw.counters().get("port1.tx_packets"));
        // back to back at 1 Mbit/s: each frame 576 us, each slot 672 us
        assertEquals(List.of(1_001_000L + 576_000, 1_001_000L + 672_000 + 576_000, 1_001_000L + 2 * 672_000 + 576_000),
                b.arrivals);
    }

    @Test
    void aBadFcsIsDroppedAtIngressAndCounted() {
        Station a = new Station(0).at(0, frame(B, A, false));
        Station b = new Station(0);
        Station c = new Station(0);
        InMemoryScenario net = network(a, b, c, 100, GIGABIT, ForwardingDatabase.DEFAULT_AGEING_TIME);
        SequentialEngine.run(net);
        Switch sw = net.lp(0);
        assertEquals(0, b.received.size() + c.received.size());
        assertEquals(1, sw.counters().get("port0.rx_crc_errors"));
        assertEquals(1, sw.counters().get("port0.rx_errors"));
        assertEquals(0, sw.counters().get("port0.rx_packets"), "rx_packets counts good packets only");
        assertEquals(0, sw.fdbSize(), "nothing is learned from a corrupted frame");
    }

    @Test
    void invalidSourcesAndLinkLocalGroupsAreNotForwarded() {
        Station a = new Station(0)
                .at(0, frame(B, 0x0100_5e00_0001L, true))          // a multicast source
                .at(10_000, frame(B, 0, true))                     // an all-zero source
                .at(20_000, frame(0x0180_c200_000eL, A, true));    // LLDP's link-local group
        Station b = new Station(0);
        Station c = new Station(0);
        InMemoryScenario net = network(a, b, c, 100, GIGABIT, ForwardingDatabase.DEFAULT_AGEING_TIME);
        SequentialEngine.run(net);
        assertEquals(0, b.received.size() + c.received.size());
        Switch sw = net.lp(0);
        assertEquals(3, sw.counters().get("port0.rx_dropped"));
        assertEquals(0, sw.fdbSize(), "nothing learned from invalid sources; A's LLDP frame is not learned either");
    }

    @Test
    void aDestinationBehindTheIngressPortIsNeitherFloodedNorSentBack() {
        // A and "A2" both sit behind port 0 (A2 is learned there from a frame A sends on its behalf).
        long a2 = 0x0200_0000_00a2L;
        Station a = new Station(0).at(0, frame(B, a2, true)).at(10_000, frame(a2, A, true));
        Station b = new Station(0);
        Station c = new Station(0);
        InMemoryScenario net = network(a, b, c, 100, GIGABIT, ForwardingDatabase.DEFAULT_AGEING_TIME);
        SequentialEngine.run(net);
        assertEquals(0, a.received.size());
        assertEquals(1, b.received.size(), "only the first, flooded frame");
        assertEquals(1, c.received.size());
        assertEquals(1, net.<Switch>lp(0).counters().get("flooded"));
    }

    @Test
    void anAgedOutStationIsFloodedAgain() {
        long ageing = 1_000_000; // 1 ms for the test
        Station a = new Station(0).at(10_000, frame(B, A, true)).at(5_000_000, frame(B, A, true));
        Station b = new Station(0).at(0, frame(A, B, true));
        Station c = new Station(0);
        InMemoryScenario net = network(a, b, c, 100, GIGABIT, ageing);
        SequentialEngine.run(net);
        // B's entry from t=0 has aged out by 5 ms: the second frame is flooded and C sees it
        assertEquals(List.of(1_000L + 576, 5_001_000L + 576), c.arrivals);
        Switch sw = net.lp(0);
        assertEquals(2, sw.counters().get("flooded"), "B's first frame, then A's frame after B aged out");
    }
}
