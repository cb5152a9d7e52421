package knetsim.core.serial;

import static knetsim.core.serial.SerialTestSupport.roundTrip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.javadsl.Adapter;
import akka.event.Logging;
import akka.serialization.Serialization;
import java.io.NotSerializableException;
import java.util.List;
import knetsim.core.serial.TestMessages.Blob;
import knetsim.core.serial.TestMessages.Colour;
import knetsim.core.serial.TestMessages.Path;
import knetsim.core.serial.TestMessages.PlainSerializable;
import knetsim.core.serial.TestMessages.Point;
import knetsim.core.serial.TestMessages.Reply;
import knetsim.core.serial.TestMessages.Segment;
import knetsim.core.serial.TestMessages.Unregistered;
import knetsim.core.serial.TestMessages.WithList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.util.Try;

/** Round trips and refusals through SerializationExtension with the documented Akka binding. */
class KryoSerializerTest {
    private static ActorTestKit kit;

    @BeforeAll
    static void start() {
        kit = SerialTestSupport.testKit("kryo-serializer-test", "");
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void crossJvmBindingSelectsKryo() {
        var serializer = SerialTestSupport.serialization(kit).findSerializerFor(new Point(1, 2, 3, true));
        assertInstanceOf(KryoSerializer.class, serializer);
        assertEquals(7_000_001, serializer.identifier());
        assertFalse(serializer.includeManifest());
    }

    @Test
    void nestedRecordsAndEnumsRoundTrip() {
        Point a = new Point(-1, Long.MAX_VALUE, Double.NaN, true);
        Point b = new Point(Integer.MIN_VALUE, 0, -0.0, false);
        assertEquals(a, roundTrip(kit, a));
        for (Colour c : Colour.values()) {
            assertSame(c, roundTrip(kit, c));
            Segment s = new Segment("s-\u00e9\u4e2d", a, b, c);
            assertEquals(s, roundTrip(kit, s));
        }
        Segment withNulls = new Segment(null, a, null, null);
        assertEquals(withNulls, roundTrip(kit, withNulls));
    }

    @Test
    void arraysRoundTrip() {
        Blob blob = new Blob(new long[] {Long.MIN_VALUE, -1, 0, 1L << 40}, new byte[] {-128, 0, 127},
                new String[] {"ascii", "", null, "\u00fcnicode \ud83d\ude00"}, new int[] {-5, 7}, new double[] {1.5, -2e300},
                new boolean[] {true, false, true});
        assertBlobEquals(blob, roundTrip(kit, blob));
        Blob empty = new Blob(new long[0], new byte[0], new String[0], new int[0], new double[0], new boolean[0]);
        assertBlobEquals(empty, roundTrip(kit, empty));
        Blob nulls = new Blob(null, null, null, null, null, null);
        assertBlobEquals(nulls, roundTrip(kit, nulls));
    }

    @Test
    void recordArraysAndObjectArraysRoundTrip() {
        Path path = new Path(new Point[] {new Point(1, 2, 3, true), null},
                new Object[] {42, "x", Colour.GREEN, new long[] {9}, new Point(0, 0, 0, false), null});
        Path back = roundTrip(kit, path);
        assertArrayEquals(path.points(), back.points());
        assertTrue(java.util.Arrays.deepEquals(path.mixed(), back.mixed()));
    }

    @Test
    void actorRefRoundTripsToAWorkingRef() {
        TestProbe<String> probe = kit.createTestProbe();
        Reply reply = new Reply(probe.ref(), "ping");
        Reply back = roundTrip(kit, reply);
        assertEquals(reply, back);
        back.replyTo().tell("pong");
        probe.expectMessage("pong");
    }

    @Test
    void unregisteredRecordIsRefusedByName() {
        Try<byte[]> result = SerialTestSupport.serialization(kit).serialize(new Unregistered(1));
        assertTrue(result.isFailure());
        Throwable e = result.failed().get();
        assertInstanceOf(IllegalArgumentException.class, e);
        assertTrue(e.getMessage().contains(Unregistered.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("add it to a KryoModule"), e.getMessage());
    }

    @Test
    void jdkCollectionInsideARecordIsRefusedByName() {
        Try<byte[]> result = SerialTestSupport.serialization(kit).serialize(new WithList(List.of("a", "b")));
        assertTrue(result.isFailure());
        String message = result.failed().get().getMessage();
        assertTrue(message.contains("java.util.ImmutableCollections$List12"), message);
        assertTrue(message.contains(WithList.class.getName()), message);
    }

    @Test
    void javaSerializationIsRefused() {
        Serialization serialization = SerialTestSupport.serialization(kit);
        assertTrue(serialization.serialize(new PlainSerializable(3)).isFailure());
    }

    @Test
    void refusedBytesAreLoggedAtError() {
        TestProbe<Logging.Error> errors = kit.createTestProbe();
        kit.system().classicSystem().eventStream().subscribe(Adapter.toClassic(errors.ref()), Logging.Error.class);
        try {
            byte[] valid = SerialTestSupport.serialize(kit, new Point(1, 2, 3, true));
            byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 1);
            Try<Object> result = SerialTestSupport.deserialize(kit, truncated);
            assertInstanceOf(NotSerializableException.class, result.failed().get());
            Logging.Error logged = errors.receiveMessage();
            assertTrue(logged.message().toString().contains(truncated.length + "-byte"), logged.message().toString());
            assertEquals(KryoSerializer.class, logged.logClass());
        } finally {
            kit.system().classicSystem().eventStream().unsubscribe(Adapter.toClassic(errors.ref()));
        }
    }

    private static void assertBlobEquals(Blob expected, Blob actual) {
        assertArrayEquals(expected.longs(), actual.longs());
        assertArrayEquals(expected.bytes(), actual.bytes());
        assertArrayEquals(expected.names(), actual.names());
        assertArrayEquals(expected.ints(), actual.ints());
        assertArrayEquals(expected.doubles(), actual.doubles());
        assertArrayEquals(expected.flags(), actual.flags());
    }
}
