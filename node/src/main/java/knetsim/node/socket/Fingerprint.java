package knetsim.node.socket;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
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
 * (FingerprintTest compares with the reflective original).
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

    private static final int P1 = 31, P2 = P1 * P1, P3 = P2 * P1, P4 = P3 * P1, P5 = P4 * P1, P6 = P5 * P1,
            P7 = P6 * P1, P8 = P7 * P1; // powers of 31, wrapping like the int arithmetic of Arrays.hashCode

    /**
     * Exactly {@link Arrays#hashCode(byte[])} ({@code h = 31 * h + b} from 1), which every sendto() and recvfrom()
     * pays over its whole payload. Java 17 runs that as one chain of dependent multiplies; taking eight bytes per
     * step, {@code h * 31^8 + b0 * 31^7 + ... + b7}, gives the same int (arithmetic mod 2^32) with a chain 8x shorter.
     */
    static int hashBytes(byte[] a) {
        int h = 1;
        int i = 0;
        for (int n = a.length - 7; i < n; i += 8) {
            h = h * P8 + a[i] * P7 + a[i + 1] * P6 + a[i + 2] * P5 + a[i + 3] * P4 + a[i + 4] * P3 + a[i + 5] * P2
                    + a[i + 6] * P1 + a[i + 7];
        }
        for (; i < a.length; i++) h = 31 * h + a[i];
        return h;
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
