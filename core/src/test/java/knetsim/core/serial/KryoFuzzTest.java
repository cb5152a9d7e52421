package knetsim.core.serial;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import com.esotericsoftware.kryo.io.Output;
import java.io.NotSerializableException;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import knetsim.core.serial.TestMessages.Blob;
import knetsim.core.serial.TestMessages.Colour;
import knetsim.core.serial.TestMessages.Path;
import knetsim.core.serial.TestMessages.Point;
import knetsim.core.serial.TestMessages.Reply;
import knetsim.core.serial.TestMessages.Segment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.util.Try;

/** Hostile and corrupt payloads must end as NotSerializableException, never as an object, OOM or stack overflow. */
class KryoFuzzTest {
    private static final int HEADER = 4;
    private static ActorTestKit kit;
    private static List<byte[]> samples;

    @BeforeAll
    static void start() {
        // Every refusal logs at ERROR with a stack trace; silence it here (KryoSerializerTest checks the logging).
        kit = SerialTestSupport.testKit("kryo-fuzz-test", "akka.loglevel = OFF\nakka.stdout-loglevel = OFF");
        samples = List.of(
                SerialTestSupport.serialize(kit, new Point(1, -2, 3.5, true)),
                SerialTestSupport.serialize(kit, new Segment("seg", new Point(1, 2, 3, false), null, Colour.GREEN)),
                SerialTestSupport.serialize(kit, new Blob(new long[] {1, 1L << 50}, new byte[] {1, 2, 3},
                        new String[] {"a", "\u00e9\u00e9"}, new int[] {7}, new double[] {0.5}, new boolean[] {true})),
                SerialTestSupport.serialize(kit, new Path(new Point[] {new Point(0, 0, 0, true)}, new Object[] {"x", 1L})),
                SerialTestSupport.serialize(kit, new Reply(kit.createTestProbe(String.class).ref(), "hi")));
    }

    @AfterAll
    static void stop() {
        kit.shutdownTestKit();
    }

    @Test
    void randomBytesAreRefused() {
        SplittableRandom random = new SplittableRandom(20240611L);
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] bytes = new byte[random.nextInt(0, 96)];
            random.nextBytes(bytes);
            assertRefused(bytes, "trial " + trial);
        }
    }

    @Test
    void randomBodiesAfterAValidHeaderDecodeOrAreRefused() {
        // Past the fingerprint and class id, random bytes can form a valid record (any 8 bytes are a double), so the
        // guarantee here is only: a CrossJvm object or NotSerializableException, never another throwable.
        SplittableRandom random = new SplittableRandom(7L);
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] sample = samples.get(random.nextInt(samples.size()));
            int keep = HEADER + (sample[HEADER] < 0 ? 2 : 1); // ids >= 128 take two varint bytes
            byte[] bytes = Arrays.copyOf(sample, keep + random.nextInt(0, 64));
            for (int i = keep; i < bytes.length; i++) bytes[i] = (byte) random.nextInt(256);
            assertDecodesOrIsRefused(bytes, "trial " + trial);
        }
    }

    @Test
    void everyTruncationOfAValidEncodingIsRefused() {
        for (byte[] sample : samples) {
            for (int length = 0; length < sample.length; length++) {
                assertRefused(Arrays.copyOf(sample, length), "prefix " + length + " of " + sample.length);
            }
        }
    }

    @Test
    void trailingBytesAreRefused() {
        for (byte[] sample : samples) assertRefused(Arrays.copyOf(sample, sample.length + 1), "one trailing zero");
    }

    @Test
    void bitFlipsAfterTheHeaderDecodeOrAreRefused() {
        SplittableRandom random = new SplittableRandom(99L);
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] bytes = samples.get(random.nextInt(samples.size())).clone();
            for (int flips = random.nextInt(1, 4); flips > 0; flips--) {
                bytes[random.nextInt(HEADER, bytes.length)] ^= (byte) (1 << random.nextInt(8));
            }
            assertDecodesOrIsRefused(bytes, "trial " + trial);
        }
    }

    @Test
    void aForeignFingerprintIsRefused() {
        for (byte[] sample : samples) {
            byte[] bytes = sample.clone();
            bytes[0] ^= 1;
            assertRefused(bytes, "foreign fingerprint", "fingerprint");
        }
    }

    @Test
    void hugeDeclaredLengthsAreRefusedBeforeAllocating() {
        for (int id : new int[] {KryoRegistry.BYTE_ARRAY_ID, KryoRegistry.LONG_ARRAY_ID, KryoRegistry.DOUBLE_ARRAY_ID,
                KryoRegistry.STRING_ARRAY_ID, KryoRegistry.OBJECT_ARRAY_ID}) {
            Output out = withHeader();
            out.writeVarInt(id + 2, true); // Kryo writes class ids shifted by 2 (0 = null, 1 = by name)
            out.writeVarInt(Integer.MAX_VALUE, true);
            assertRefused(out.toBytes(), "array id " + id, "exceeds");
        }
        // Inside a record too: RecordSerializer writes components by name, so Blob starts with its byte[] "bytes".
        Output nested = withHeader();
        nested.writeVarInt(9003 + 2, true);
        nested.writeVarInt(Integer.MAX_VALUE, true);
        assertRefused(nested.toBytes(), "Blob.bytes", "exceeds");
    }

    @Test
    void hugeUtf8StringLengthIsRefused() {
        Output out = withHeader();
        out.writeVarInt(KryoRegistry.STRING_ARRAY_ID + 2, true);
        out.writeVarInt(2, true); // one element
        out.writeVarIntFlag(true, Integer.MAX_VALUE - 1, true); // UTF-8 flag with a 2^31 char count
        assertRefused(out.toBytes(), "huge string", "exceeds");
    }

    @Test
    void deepNestingIsRefusedWithoutStackOverflow() {
        Output out = withHeader();
        for (int depth = 0; depth < 100_000; depth++) {
            out.writeVarInt(KryoRegistry.OBJECT_ARRAY_ID + 2, true);
            out.writeVarInt(2, true); // an Object[1] whose element is the next Object[1]
        }
        out.writeVarInt(0, true);
        assertRefused(out.toBytes(), "deep nesting", "Max depth");
    }

    @Test
    void classNamesOnTheWireAreRefused() {
        Output out = withHeader();
        out.writeVarInt(1, true); // NAME marker
        out.writeVarInt(0, true); // name id
        out.writeString(Point.class.getName());
        assertRefused(out.toBytes(), "class by name", "by name");
    }

    /** Our fingerprint, so crafted payloads reach the Kryo readers. */
    private static Output withHeader() {
        Output out = new Output(64, -1);
        out.writeBytes(samples.get(0), 0, HEADER);
        return out;
    }

    private static void assertDecodesOrIsRefused(byte[] bytes, String what) {
        Try<Object> result = SerialTestSupport.deserialize(kit, bytes);
        if (result.isSuccess()) {
            assertInstanceOf(CrossJvm.class, result.get(), what);
        } else {
            assertInstanceOf(NotSerializableException.class, result.failed().get(), what);
        }
    }

    private static void assertRefused(byte[] bytes, String what, String reason) {
        String message = assertRefused(bytes, what).getMessage();
        assertTrue(message.contains(reason), what + ": " + message);
    }

    private static Throwable assertRefused(byte[] bytes, String what) {
        Try<Object> result = SerialTestSupport.deserialize(kit, bytes);
        if (result.isSuccess()) fail(what + ": " + bytes.length + " bytes decoded to " + result.get());
        Throwable e = result.failed().get();
        assertInstanceOf(NotSerializableException.class, e, what);
        assertTrue(e.getMessage().contains(bytes.length + "-byte"), e.getMessage());
        return e;
    }
}
