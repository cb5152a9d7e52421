package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import knetsim.core.run.MemberAgent;
import knetsim.core.run.RunCoordinator;
import knetsim.core.selftest.SelftestScenario;
import knetsim.core.selftest.Token;
import knetsim.core.serial.CrossJvm;
import knetsim.core.serial.KryoSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every message the engine registers for Kryo survives a trip through Akka's serialization. */
class CoreMessagesRoundTripTest {
    static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void everyRegisteredCoreMessageRoundTrips() throws Exception {
        ActorRef<PartitionScheduler.Command> scheduler = KIT.<PartitionScheduler.Command>createTestProbe().ref();
        ActorRef<RunCoordinator.Command> coordinator = KIT.<RunCoordinator.Command>createTestProbe().ref();
        ActorRef<MemberAgent.Command> agent = KIT.<MemberAgent.Command>createTestProbe().ref();
        Token token = new Token(7, 3, -99);
        Event event = new Event(1_500, 2, 30, 4, token);
        Event[] events = {event, new Event(Long.MAX_VALUE - 1, 0, 0, 1, new Token(0, 0, 0))};
        var peers = new PartitionScheduler.PeerRef[] {new PartitionScheduler.PeerRef(0, scheduler)};
        SelftestScenario scenario = SelftestScenario.withEvents(10, 1000, 5);
        List<Object> samples = List.of(
                event, events, peers[0], peers,
                new PartitionScheduler.Begin(peers), new PartitionScheduler.Abort("stop"),
                new PartitionScheduler.EventBatch(1, 9, events),
                new PartitionScheduler.EndOfWindow(1, 9, 2_000, 1_000, 2),
                new RunCoordinator.MemberJoined(1, "jvm-1 pid 4", agent),
                new RunCoordinator.PartitionReady(1, scheduler, 10_000, 50),
                new RunCoordinator.LpDigests(1, new int[] {3, 4}, new byte[][] {{1, 2}, {3}}),
                new RunCoordinator.PartitionFinished(1, 100, 2_000, 7, 9),
                new RunCoordinator.PartitionFailed(1, "causality violated"),
                new MemberAgent.CreatePartition(1, 2, 3, KryoSerializer.IDENTIFIER, "", coordinator),
                new MemberAgent.Shutdown("over", true),
                scenario.graph(), new int[][] {{1}, {}}, new long[][] {{5, 6}}, new byte[][] {{9}},
                scenario, token,
                new RunCoordinator.LpCounters(3, new String[] {"rx_packets", "tx_packets"}, new long[] {5, 7}),
                new RunCoordinator.LpReport(3, 0, token),
                new SeriesChunk("r1.eth0:qdisc:backlog", new long[] {0, 1_000_000}, new double[] {0, 17}),
                new MemberAgent.ScenarioChunk(0, 3, new byte[] {1, 2, 3}),
                new RunCoordinator.PartReceived(1, 300_000),
                new RunCoordinator.MessageUndeliverable(1, "a RunCoordinator.LpReport message cannot be serialised"),
                new RunCoordinator.Settled(1), new MemberAgent.Settle(1), new PartitionScheduler.ResultsTaken(320));

        Set<Class<?>> covered = new HashSet<>();
        samples.forEach(s -> covered.add(s.getClass()));
        assertEquals(new HashSet<>(new CoreKryoModule().classes()), covered,
                "every registered class needs a sample here, and every sample must be registered");

        Serialization serialization = SerializationExtension.get(KIT.system().classicSystem());
        for (Object sample : samples) {
            // Arrays travel only as fields (Begin, EventBatch, LpGraph, LpDigests carry them).
            if (!(sample instanceof CrossJvm)) continue;
            Serializer serializer = serialization.findSerializerFor(sample);
            assertEquals(KryoSerializer.IDENTIFIER, serializer.identifier(), sample.getClass().getName());
            byte[] bytes = serialization.serialize(sample).get();
            Object back = serialization.deserialize(bytes, serializer.identifier(), "").get();
            assertTrue(deepEquals(sample, back), sample.getClass().getName() + " changed in transit");
        }
    }

    /** Records compare their arrays by reference; compare contents instead. */
    static boolean deepEquals(Object a, Object b) {
        if (a == null || b == null) return a == b;
        if (a.getClass() != b.getClass()) return false;
        if (a.getClass().isArray()) {
            int n = Array.getLength(a);
            if (n != Array.getLength(b)) return false;
            for (int i = 0; i < n; i++) if (!deepEquals(Array.get(a, i), Array.get(b, i))) return false;
            return true;
        }
        if (a instanceof Record) {
            try {
                for (RecordComponent c : a.getClass().getRecordComponents()) {
                    if (!deepEquals(c.getAccessor().invoke(a), c.getAccessor().invoke(b))) return false;
                }
                return true;
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        return a.equals(b);
    }
}
