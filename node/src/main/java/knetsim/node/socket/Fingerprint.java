package knetsim.node.socket;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import knetsim.node.ipv4.Ipv4Address;

/**
 * A content hash of a system call or its result for the run digest: the same fields give the
 * same number in every JVM (record toString() would print byte arrays by identity).
 *
 * <p>A record hashes as {@code h = simpleName.hashCode(); h = h * 1_000_003 + of(component)} for
 * each component in declaration order. Every system call and its return is fingerprinted, so the
 * per-class work (the name's hash, the accessors) is looked up once per class and kept, and int and
 * long components are read without boxing; the numbers are the same as computing it all afresh
 * (FingerprintTest compares with the reflective original). The records of every datagram's sendto() and
 * recvfrom() and their returns are written out by hand, giving the same numbers without the handles.
 */
public final class Fingerprint {
    private Fingerprint() {}

    private static final MethodType AS_LONG = MethodType.methodType(long.class, Object.class);
    private static final MethodType AS_OBJECT = MethodType.methodType(Object.class, Object.class);

    /**
     * A record class's name hash and, per component, either a reader of its value as a long (integral
     * primitives: what of(boxed value) gives, Number.longValue()) or a reader of its value to pass to of().
     */
    private record Shape(long nameHash, MethodHandle[] asLong, MethodHandle[] asObject) {}

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            MethodHandle[] asLong = new MethodHandle[components.length];
            MethodHandle[] asObject = new MethodHandle[components.length];
            try {
                for (int i = 0; i < components.length; i++) {
                    Method accessor = components[i].getAccessor();
                    accessor.setAccessible(true);
                    MethodHandle handle = MethodHandles.lookup().unreflect(accessor);
                    Class<?> t = components[i].getType();
                    if (t == int.class || t == long.class || t == short.class || t == byte.class) {
                        asLong[i] = handle.asType(AS_LONG); // widening, as Number.longValue() of the box
                    } else {
                        asObject[i] = handle.asType(AS_OBJECT); // boxed, as Method.invoke gave it
                    }
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalStateException("cannot read the components of " + type, e);
            }
            return new Shape(type.getSimpleName().hashCode(), asLong, asObject);
        }
    };

    public static long of(Object value) {
        if (value == null) return 0;
        // the calls and returns of every datagram, written out: what ofRecord() gives them
        if (value instanceof Syscall.SendTo s) return sendTo(s);
        if (value instanceof SyscallResult.Returned r) return r.value() + RETURNED;
        if (value instanceof Syscall.RecvFrom r) return (RECV_FROM + r.fd()) * M + (r.nonBlocking() ? 1 : 2);
        if (value instanceof SyscallResult.Received r) return received(r);
        if (value instanceof byte[] b) return hashBytes(b);
        if (value instanceof int[] a) return Arrays.hashCode(a);
        if (value instanceof Number n) return n.longValue();
        if (value instanceof Boolean b) return b ? 1 : 2;
        if (value instanceof Enum<?> e) return e.ordinal() + 1;
        if (value instanceof Ipv4Address a) return a.bits();
        if (value instanceof String s) return s.hashCode();
        if (value instanceof Record r) return ofRecord(r);
        throw new IllegalArgumentException("no fingerprint for " + value.getClass());
    }

    private static final long M = 1_000_003L; // the multiplier of ofRecord()
    // a record's name hash times M once per component before it, as ofRecord() starts: h = name; h = h * M + c ...
    private static final long RETURNED = "Returned".hashCode() * M;
    private static final long RECV_FROM = "RecvFrom".hashCode() * M;
    private static final long SEND_TO = "SendTo".hashCode();
    private static final long RECEIVED = "Received".hashCode();

    // sendto(fd, address, port, data, nonBlocking)
    private static long sendTo(Syscall.SendTo s) {
        long h = SEND_TO * M + s.fd();
        h = h * M + (s.address() == null ? 0 : s.address().bits());
        h = h * M + s.port();
        h = h * M + (s.data() == null ? 0 : hashBytes(s.data()));
        return h * M + (s.nonBlocking() ? 1 : 2);
    }

    // recvfrom()'s datagram (source, port, data, ttl, kernelTimeNs)
    private static long received(SyscallResult.Received r) {
        long h = RECEIVED * M + (r.source() == null ? 0 : r.source().bits());
        h = h * M + r.port();
        h = h * M + (r.data() == null ? 0 : hashBytes(r.data()));
        h = h * M + r.ttl();
        return h * M + r.kernelTimeNs();
    }

    private static final int P1 = 31, P2 = P1 * P1, P3 = P2 * P1, P4 = P3 * P1, P5 = P4 * P1, P6 = P5 * P1,
            P7 = P6 * P1, P8 = P7 * P1; // powers of 31, wrapping like the int arithmetic of Arrays.hashCode

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int P32 = power31(32);

    /** 31^n, wrapping like int arithmetic. */
    static int power31(int n) {
        int p = 1;
        for (int i = 0; i < n; i++) p *= 31;
        return p;
    }

    /**
     * Exactly {@link Arrays#hashCode(byte[])} ({@code h = 31 * h + b} from 1), which every sendto() and recvfrom()
     * pays over its whole payload. Java 17 runs that as one chain of dependent multiplies; taking eight bytes per
     * step, {@code h * 31^8 + b0 * 31^7 + ... + b7}, gives the same int (arithmetic mod 2^32) with a chain 8x shorter.
     * 32 zero bytes (most of a generated payload) only multiply h by 31^32: they are found by reading four longs.
     */
    static int hashBytes(byte[] a) {
        int h = 1;
        int i = 0;
        for (int n = a.length - 31; i < n; i += 32) {
            if (((long) LONGS.get(a, i) | (long) LONGS.get(a, i + 8) | (long) LONGS.get(a, i + 16)
                    | (long) LONGS.get(a, i + 24)) == 0) {
                h *= P32;
                continue;
            }
            for (int j = i, end = i + 32; j < end; j += 8) h = step8(h, a, j);
        }
        for (int n = a.length - 7; i < n; i += 8) h = step8(h, a, i);
        for (; i < a.length; i++) h = 31 * h + a[i];
        return h;
    }

    // h * 31^8 + a[i] * 31^7 + ... + a[i + 7]
    private static int step8(int h, byte[] a, int i) {
        return h * P8 + a[i] * P7 + a[i + 1] * P6 + a[i + 2] * P5 + a[i + 3] * P4 + a[i + 4] * P3 + a[i + 5] * P2
                + a[i + 6] * P1 + a[i + 7];
    }

    private static long ofRecord(Record r) {
        Shape shape = SHAPES.get(r.getClass());
        long h = shape.nameHash();
        MethodHandle[] asLong = shape.asLong();
        MethodHandle[] asObject = shape.asObject();
        try {
            for (int i = 0; i < asLong.length; i++) {
                long component = asLong[i] != null ? (long) asLong[i].invokeExact((Object) r)
                        : of((Object) asObject[i].invokeExact((Object) r));
                h = h * 1_000_003L + component;
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e); // accessors of records throw nothing checked
        }
        return h;
    }
}
