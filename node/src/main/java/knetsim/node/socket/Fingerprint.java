package knetsim.node.socket;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import knetsim.node.ipv4.Ipv4Address;

/**
 * A content hash of a system call or its result for the run digest: the same fields give the
 * same number in every JVM (record toString() would print byte arrays by identity).
 */
public final class Fingerprint {
    private Fingerprint() {}

    public static long of(Object value) {
        if (value == null) return 0;
        if (value instanceof byte[] b) return Arrays.hashCode(b);
        if (value instanceof int[] a) return Arrays.hashCode(a);
        if (value instanceof Number n) return n.longValue();
        if (value instanceof Boolean b) return b ? 1 : 2;
        if (value instanceof Enum<?> e) return e.ordinal() + 1;
        if (value instanceof Ipv4Address a) return a.bits();
        if (value instanceof String s) return s.hashCode();
        if (value instanceof Record r) {
            long h = r.getClass().getSimpleName().hashCode();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    h = h * 1_000_003L + of(c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return h;
        }
        throw new IllegalArgumentException("no fingerprint for " + value.getClass());
    }
}
