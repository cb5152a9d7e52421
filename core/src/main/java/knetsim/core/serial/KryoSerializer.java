package knetsim.core.serial;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.event.Logging;
import akka.event.LoggingAdapter;
import akka.serialization.JSerializer;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import java.io.NotSerializableException;

/**
 * Akka serializer for {@link CrossJvm} messages: a 4-byte {@link KryoRegistry#fingerprint()} then Kryo's
 * class id and object. Bind it with {@code akka.actor.serializers.kryo} and a binding for CrossJvm.
 */
public final class KryoSerializer extends JSerializer {
    public static final int IDENTIFIER = 7_000_001;
    static final int MAX_MESSAGE_BYTES = 64 << 20;
    private static final int INITIAL_BUFFER = 4096;
    /** Pooled outputs above this are shrunk again so one big message does not pin 64 MiB per pool slot. */
    private static final int KEEP_BUFFER = 1 << 20;
    private static final int POOL_SIZE = 64;

    /** Refused messages logged one by one; the first with its stack trace. */
    static final int FULL_REFUSALS = 5;

    private final java.util.concurrent.atomic.AtomicLong refusals = new java.util.concurrent.atomic.AtomicLong();
    private final ExtendedActorSystem system;
    private final KryoRegistry registry;
    private final LoggingAdapter log;
    private final Pool<Kryo> kryos;
    private final Pool<Output> outputs;
    private final long frameLimit;

    /**
     * Published on the sending system's event stream when {@link #toBinary} refuses a message: Artery would
     * log and drop it, and the run would go on without it (a report) or fail later without saying why (a
     * batch of events). The coordinator and every member agent subscribe to this type (the event stream
     * delivers its implementations) and fail the run with {@link #reason()} at once.
     */
    public sealed interface Undeliverable permits Oversized, Unserialisable {
        String reason();
    }

    /** A message too big for Artery's frame (maximum-frame-size less {@link #ENVELOPE_RESERVE} for the envelope). */
    public record Oversized(String messageClass, long bytes, long limit) implements Undeliverable {
        @Override
        public String reason() {
            return "a " + simpleName(messageClass) + " message of " + bytes
                    + " bytes exceeds the transport's frame limit of " + limit
                    + " bytes (akka.remote.artery.advanced.maximum-frame-size less the envelope) and cannot be delivered";
        }
    }

    /** A message Kryo cannot write, typically one holding a class no KryoModule registers; {@code cause} says which. */
    public record Unserialisable(String messageClass, String cause) implements Undeliverable {
        @Override
        public String reason() {
            return "a " + simpleName(messageClass) + " message cannot be serialised and cannot be delivered: " + cause;
        }
    }

    /** A message class as reasons name it: {@code PartitionScheduler.EventBatch}. */
    public static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1).replace('$', '.');
    }

    /** Bytes of a frame kept for Artery's envelope (header, sender and recipient paths, manifest). */
    public static final int ENVELOPE_RESERVE = 4096;

    /** Akka instantiates serializers reflectively through this constructor. */
    public KryoSerializer(ExtendedActorSystem system) {
        this.system = system;
        // The system's loader is the one Akka used to find this class, so it sees the same modules.
        this.registry = KryoRegistry.load(system.dynamicAccess().classLoader());
        this.log = Logging.getLogger(system, this);
        var config = system.settings().config();
        String frameKey = "akka.remote.artery.advanced.maximum-frame-size";
        boolean remote = !"local".equals(config.getString("akka.actor.provider"));
        this.frameLimit = remote && config.hasPath(frameKey) ? config.getBytes(frameKey) - ENVELOPE_RESERVE : Long.MAX_VALUE;
        this.kryos = new Pool<>(true, false, POOL_SIZE) {
            @Override
            protected Kryo create() {
                return registry.newKryo(resolver());
            }
        };
        this.outputs = new Pool<>(true, false, POOL_SIZE) {
            @Override
            protected Output create() {
                return new Output(INITIAL_BUFFER, MAX_MESSAGE_BYTES);
            }
        };
    }

    // Looked up lazily: serializers are built while the system starts, when extensions may not be usable yet.
    private ActorRefResolver resolver() {
        return ActorRefResolver.get(Adapter.toTyped(system));
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public boolean includeManifest() {
        return false;
    }

    /** The most bytes one message may take (Long.MAX_VALUE without remoting); bigger ones are refused. */
    public long frameLimit() {
        return frameLimit;
    }

    @Override
    public byte[] toBinary(Object o) {
        byte[] bytes;
        try {
            bytes = toBinaryUnbounded(o);
        } catch (RuntimeException e) {
            system.eventStream().publish(new Unserialisable(o.getClass().getName(), e.getMessage()));
            throw e;
        }
        if (bytes.length > frameLimit) {
            Oversized oversized = new Oversized(o.getClass().getName(), bytes.length, frameLimit);
            system.eventStream().publish(oversized);
            throw new IllegalArgumentException(oversized.reason());
        }
        return bytes;
    }

    /** The bytes of a message however big, for data shipped in chunks (see MemberAgent.ScenarioChunk). */
    public byte[] toBinaryUnbounded(Object o) {
        if (!(o instanceof CrossJvm)) {
            throw new IllegalArgumentException(o.getClass().getName() + " does not implement CrossJvm; Kryo only sends CrossJvm messages");
        }
        Kryo kryo = kryos.obtain();
        Output output = outputs.obtain();
        boolean ok = false;
        try {
            // Without the fingerprint, any byte string of the right length is a valid all-primitive record, and a peer
            // with other modules would decode our ids as its own classes; with it, both are refused.
            output.writeInt(registry.fingerprint());
            kryo.writeClassAndObject(output, o);
            ok = true;
            return output.toBytes();
        } catch (IllegalArgumentException e) {
            throw e; // top-level class not registered: the message already names it
        } catch (RuntimeException e) {
            // Nested failures (an unregistered field class, the 64 MiB cap) arrive wrapped with Kryo's field trace.
            throw new IllegalArgumentException("cannot serialise " + o.getClass().getName() + " with Kryo: " + e.getMessage(), e);
        } finally {
            release(kryo, ok);
            if (output.getBuffer().length > KEEP_BUFFER) output.setBuffer(new byte[INITIAL_BUFFER], MAX_MESSAGE_BYTES);
            output.reset();
            outputs.free(output);
        }
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        Kryo kryo = kryos.obtain();
        boolean ok = false;
        try {
            Input input = new Input(bytes);
            int fingerprint = input.readInt();
            if (fingerprint != registry.fingerprint()) {
                throw new IllegalStateException(String.format("Kryo registry fingerprint %08x differs from ours (%08x): the JVMs"
                        + " run different KryoModules or message versions, or the bytes are not ours", fingerprint, registry.fingerprint()));
            }
            Object o = kryo.readClassAndObject(input);
            if (input.position() != bytes.length) {
                throw new IllegalStateException((bytes.length - input.position()) + " trailing bytes after " + describe(o));
            }
            if (!(o instanceof CrossJvm)) throw new IllegalStateException("decoded " + describe(o) + ", not a CrossJvm message");
            ok = true;
            return o;
        } catch (RuntimeException e) {
            long n = refusals.incrementAndGet();
            // junk sent to a port must not flood the log: the first few in full, then a running count
            if (n == 1) {
                log.error(e, "Kryo refused a {}-byte message: {}", bytes.length, e.toString());
            } else if (n <= FULL_REFUSALS) {
                log.error("Kryo refused a {}-byte message: {}", bytes.length, e.toString());
            } else if (isPowerOfTen(n)) {
                log.error("Kryo has refused {} messages (the first {} are logged, then every power of ten); the latest:"
                        + " a {}-byte message: {}", n, FULL_REFUSALS, bytes.length, e.toString());
            }
            NotSerializableException refused = new NotSerializableException("Kryo could not deserialise a " + bytes.length
                    + "-byte message (" + e.getMessage() + "); it is dropped");
            refused.initCause(e);
            throw sneaky(refused);
        } finally {
            release(kryo, ok);
        }
    }

    static boolean isPowerOfTen(long n) {
        while (n >= 10 && n % 10 == 0) n /= 10;
        return n == 1;
    }

    // Kryo unwinds its depth in finally blocks and auto-resets at depth 0, so a failed Kryo is reusable; the extra
    // reset is cheap insurance. Reusing it matters: a fresh Kryo costs ~100x a small message, and junk can arrive in floods.
    private void release(Kryo kryo, boolean ok) {
        if (!ok) kryo.reset();
        kryos.free(kryo);
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }

    /** JSerializer.fromBinaryJava declares no exceptions, but Akka expects NotSerializableException for bad input. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
