package knetsim.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import knetsim.core.engine.InMemoryScenario;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.core.engine.SequentialEngine;
import knetsim.link.loss.BernoulliLoss;
import knetsim.link.loss.Corruption;
import knetsim.link.loss.DropList;
import knetsim.link.loss.LinkDelay;
import knetsim.link.loss.LossModel;
import knetsim.link.loss.NoLoss;
import org.junit.jupiter.api.Test;

/** One direction of a cable: latency, loss and corruption from the link's own seeded stream. */
class LinkTest {
    static final long LATENCY = 5_000_000; // 5 ms

    record Tick(int n) implements Payload {
        @Override
        public long fingerprint() {
            return n;
        }
    }

    /** Hands a frame to the link every 10 us, as a transmitter would when the last bit leaves. */
    static final class Source extends LogicalProcess {
        final int link;
        final int count;

        Source(int link, int count) {
            this.link = link;
            this.count = count;
        }

        @Override
        protected void onStart() {
            for (int i = 0; i < count; i++) schedule(i * 10_000L, new Tick(i));
        }

        @Override
        protected void onEvent(Payload payload) {
            int n = ((Tick) payload).n();
            byte[] bytes = new byte[60];
            bytes[59] = (byte) n;
            bytes[58] = (byte) (n >> 8);
            send(link, 1, new Frame(bytes, true));
        }
    }

    static final class Sink extends LogicalProcess {
        final List<Long> arrivals = new ArrayList<>();
        final List<Frame> frames = new ArrayList<>();

        @Override
        protected void onStart() {}

        @Override
        protected void onEvent(Payload payload) {
            arrivals.add(now());
            frames.add((Frame) payload);
        }
    }

    record Run(InMemoryScenario scenario, Sink sink, String digest) {
        Link link() {
            return scenario.lp(1);
        }
    }

    static Run run(int frames, LinkDelay delay, LossModel loss, Corruption corruption, long seed) {
        Sink sink = new Sink();
        InMemoryScenario.Builder b = InMemoryScenario.builder().seed(seed);
        int source = b.reserve();
        int link = b.reserve();
        int sinkLp = b.add(() -> sink);
        b.define(source, () -> new Source(link, frames));
        b.define(link, () -> new Link(sinkLp, delay, loss, corruption));
        b.edge(source, link, 1).edge(link, sinkLp, delay.minimumDelay());
        InMemoryScenario scenario = b.build();
        String digest = SequentialEngine.run(scenario).digest();
        return new Run(scenario, sink, digest);
    }

    @Test
    void deliversAfterExactlyTheLatency() {
        Run r = run(3, LinkDelay.fixed(LATENCY), NoLoss.INSTANCE, Corruption.NONE, 1);
        assertEquals(List.of(1 + LATENCY, 10_001 + LATENCY, 20_001 + LATENCY), r.sink().arrivals);
        assertEquals(3, r.link().counters().get("frames"));
        assertEquals(180, r.link().counters().get("bytes"));
    }

    @Test
    void aDropListLosesExactlyThoseFrames() {
        Run r = run(5, LinkDelay.fixed(LATENCY), new DropList(2, 4), Corruption.NONE, 1);
        assertEquals(3, r.sink().frames.size());
        assertEquals(List.of(0, 2, 4), r.sink().frames.stream().map(f -> (int) f.bytes()[59]).toList());
        assertEquals(2, r.link().counters().get("lost"));
    }

    @Test
    void corruptionMarksTheFcsBadAndKeepsTheBytes() {
        Run r = run(10, LinkDelay.fixed(LATENCY), NoLoss.INSTANCE, new Corruption(1.0), 1);
        assertEquals(10, r.sink().frames.size());
        assertTrue(r.sink().frames.stream().noneMatch(Frame::fcsGood));
        assertEquals(10, r.link().counters().get("corrupted"));
        assertEquals(3, r.sink().frames.get(3).bytes()[59]);
    }

    @Test
    void randomLossIsReproducibleBySeedAndNearItsRate() {
        Run first = run(20_000, LinkDelay.fixed(LATENCY), new BernoulliLoss(0.3), Corruption.NONE, 7);
        Run again = run(20_000, LinkDelay.fixed(LATENCY), new BernoulliLoss(0.3), Corruption.NONE, 7);
        Run other = run(20_000, LinkDelay.fixed(LATENCY), new BernoulliLoss(0.3), Corruption.NONE, 8);
        assertEquals(first.digest(), again.digest());
        assertEquals(first.sink().frames.size(), again.sink().frames.size());
        assertNotEquals(first.digest(), other.digest());
        long lost = first.link().counters().get("lost");
        // 20,000 draws at p = 0.3: standard deviation about 65; allow 5 of them
        assertTrue(Math.abs(lost - 6_000) < 325, "lost " + lost);
        assertEquals(20_000 - lost, first.sink().frames.size());
    }

    @Test
    void everyRegisteredLinkMessageRoundTripsThroughKryo() throws Exception {
        var kit = akka.actor.testkit.typed.javadsl.ActorTestKit.create();
        try {
            var serialization = akka.serialization.SerializationExtension.get(kit.system().classicSystem());
            Frame frame = new Frame(new byte[] {1, 2, 3, (byte) 0xff}, false);
            var serializer = serialization.findSerializerFor(frame);
            Frame back = (Frame) serialization.deserialize(serialization.serialize(frame).get(),
                    serializer.identifier(), "").get();
            assertEquals(java.util.Arrays.toString(frame.bytes()), java.util.Arrays.toString(back.bytes()));
            assertEquals(frame.fcsGood(), back.fcsGood());
            assertEquals(frame.fingerprint(), back.fingerprint());
            // every class LinkKryoModule registers: CaptureRecord and its array travel inside a chunk
            var record = new knetsim.link.pcap.CaptureRecord(1_500, 3, 9, new byte[] {5, 6}, 60);
            var chunk = new knetsim.link.pcap.CaptureChunk("h1.eth0", new knetsim.link.pcap.CaptureRecord[] {record});
            var chunkBack = (knetsim.link.pcap.CaptureChunk) serialization.deserialize(
                    serialization.serialize(chunk).get(), serializer.identifier(), "").get();
            assertEquals("h1.eth0", chunkBack.device());
            assertEquals(record, chunkBack.records()[0]);
            var drops = new knetsim.link.drop.FlowDropReport("qdisc", new String[] {"QDISC_DROP"},
                    new int[] {17, 1, 2, 3, 4}, new long[] {5}, new long[] {6});
            var dropsBack = (knetsim.link.drop.FlowDropReport) serialization.deserialize(
                    serialization.serialize(drops).get(), serializer.identifier(), "").get();
            assertEquals("qdisc", dropsBack.place());
            assertEquals("[17, 1, 2, 3, 4]", java.util.Arrays.toString(dropsBack.tuples()));
            assertEquals(6, dropsBack.bytes()[0]);
            assertEquals(java.util.Set.of(Frame.class, knetsim.link.pcap.CaptureRecord.class,
                    knetsim.link.pcap.CaptureRecord[].class, knetsim.link.pcap.CaptureChunk.class,
                    knetsim.link.drop.FlowDropReport.class),
                    java.util.Set.copyOf(new LinkKryoModule().classes()), "a new registration needs a round trip here");
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void changingTheLossProbabilityDoesNotChangeWhichSurvivingFramesAreCorrupted() {
        Run none = run(200, LinkDelay.fixed(LATENCY), new BernoulliLoss(0.0), new Corruption(0.5), 5);
        Run some = run(200, LinkDelay.fixed(LATENCY), new BernoulliLoss(0.3), new Corruption(0.5), 5);
        List<Integer> survivors = some.sink().frames.stream().map(LinkTest::number).toList();
        List<Integer> badInNone = none.sink().frames.stream()
                .filter(f -> !f.fcsGood() && survivors.contains(number(f))).map(LinkTest::number).toList();
        List<Integer> badInSome = some.sink().frames.stream().filter(f -> !f.fcsGood()).map(LinkTest::number).toList();
        assertTrue(survivors.size() < 200 && !badInSome.isEmpty());
        assertEquals(badInNone, badInSome);
    }

    private static int number(Frame f) {
        return ((f.bytes()[58] & 0xff) << 8) | (f.bytes()[59] & 0xff);
    }

    @Test
    void jitterWithoutReorderKeepsTheOrder() {
        Run r = run(2_000, new LinkDelay(LATENCY, 50_000, false), NoLoss.INSTANCE, Corruption.NONE, 3);
        List<Integer> order = r.sink().frames.stream().map(f -> ((f.bytes()[58] & 0xff) << 8) | (f.bytes()[59] & 0xff)).toList();
        for (int i = 1; i < order.size(); i++) assertTrue(order.get(i) > order.get(i - 1), "reordered at " + i);
        boolean jittered = false;
        for (int i = 1; i < r.sink().arrivals.size(); i++) {
            long gap = r.sink().arrivals.get(i) - r.sink().arrivals.get(i - 1);
            assertTrue(gap >= 0, "delivered out of time order");
            jittered |= gap != 10_000;
        }
        assertTrue(jittered, "jitter had no effect");
    }
}
