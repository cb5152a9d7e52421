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

    @Test
    void aFloodOfJunkIsLoggedAFewTimesAndThenCounted() {
        ActorTestKit own = SerialTestSupport.testKit("kryo-flood-test", "");
        TestProbe<Logging.Error> errors = own.createTestProbe();
        own.system().classicSystem().eventStream().subscribe(Adapter.toClassic(errors.ref()), Logging.Error.class);
        try {
            byte[] junk = {1, 2, 3, 4, 5, 6, 7, 8};
            for (int i = 0; i < 1000; i++) assertTrue(SerialTestSupport.deserialize(own, junk).isFailure());
            // 1..5 one by one, then the running count at 10, 100 and 1000
            List<Logging.Error> logged = errors.receiveSeveralMessages(8);
            errors.expectNoMessage(java.time.Duration.ofMillis(200));
            assertFalse(noCause(logged.get(0)), "the first has its stack trace");
            for (int i = 1; i < 8; i++) assertTrue(noCause(logged.get(i)), "no stack trace after the first");
            assertTrue(logged.get(7).message().toString().startsWith("Kryo has refused 1000 messages"),
                    logged.get(7).message().toString());
        } finally {
            own.shutdownTestKit();
        }
    }

    // Akka's Logging.Error.NoCause is a Scala object: no cause, so no stack trace in the log line
    private static boolean noCause(Logging.Error e) {
        return e.cause().getClass().getName().contains("NoCause");
    }

    @Test
    void powersOfTen() {
        for (long n : new long[] {1, 10, 100, 1_000_000}) assertTrue(KryoSerializer.isPowerOfTen(n), "" + n);
        for (long n : new long[] {0, 2, 11, 20, 101, 990}) assertFalse(KryoSerializer.isPowerOfTen(n), "" + n);
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
