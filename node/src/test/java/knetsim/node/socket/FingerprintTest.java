package knetsim.node.socket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import knetsim.node.ipv4.Ipv4Address;
import org.junit.jupiter.api.Test;

/**
 * Fingerprint feeds the run digest, so its numbers must never change: the kept per-class accessors must give
 * exactly what the original reflective walk (kept here as the reference) gave, for every system call and result.
 */
class FingerprintTest {

    @Test
    void everySystemCallAndResultHashesAsTheReflectiveOriginal() throws Exception {
        List<Class<?>> records = new ArrayList<>();
        for (Class<?> sealed : List.of(Syscall.class, SyscallResult.class)) {
            for (Class<?> c : sealed.getPermittedSubclasses()) if (c.isRecord()) records.add(c);
        }
        assertTrue(records.size() >= 18, "all the records: " + records);
        SplittableRandom random = new SplittableRandom(20240611);
        int samples = 0;
        for (Class<?> type : records) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            for (int n = 0; n < 2_000; n++) {
                // the written-out records (SendTo, RecvFrom, Returned, Received) meet the same samples
                Object[] args = new Object[types.length];
                for (int i = 0; i < types.length; i++) args[i] = sample(types[i], random);
                Object value = canonical.newInstance(args);
                assertEquals(reference(value), Fingerprint.of(value), () -> "differs for " + value);
                samples++;
            }
        }
        assertEquals(records.size() * 2_000, samples);
    }

    @Test
    void bytesHashAsArraysHashCode() {
        SplittableRandom random = new SplittableRandom(5);
        for (int length = 0; length < 3_000; length++) {
            byte[] b = new byte[length];
            for (int i = 0; i < length; i++) b[i] = (byte) random.nextInt();
            assertEquals(Arrays.hashCode(b), Fingerprint.hashBytes(b), "length " + length);
            Arrays.fill(b, (byte) -1);
            assertEquals(Arrays.hashCode(b), Fingerprint.hashBytes(b), "all 0xff, length " + length);
            // a generated payload: a header, then zeros (the skipped 32-byte blocks), then maybe a byte again
            Arrays.fill(b, (byte) 0);
            for (int i = 0; i < Math.min(16, length); i++) b[i] = (byte) random.nextInt();
            assertEquals(Arrays.hashCode(b), Fingerprint.hashBytes(b), "header and zeros, length " + length);
            if (length > 0) b[random.nextInt(length)] = (byte) (1 + random.nextInt(255));
            assertEquals(Arrays.hashCode(b), Fingerprint.hashBytes(b), "zeros and one byte, length " + length);
            // zero runs of random lengths at random places, across block boundaries
            for (int i = 0; i < length; i++) b[i] = (byte) random.nextInt();
            for (int run = 0; run < 4 && length > 0; run++) {
                int from = random.nextInt(length);
                Arrays.fill(b, from, Math.min(length, from + random.nextInt(100)), (byte) 0);
            }
            assertEquals(Arrays.hashCode(b), Fingerprint.hashBytes(b), "zero runs, length " + length);
        }
    }

    @Test
    void powersOf31WrapAsInts() {
        int p = 1;
        for (int n = 0; n < 100; n++) {
            assertEquals(p, Fingerprint.power31(n), "31^" + n);
            p *= 31;
        }
        assertEquals(0x94446F01, Fingerprint.power31(8)); // 31^8 = 852891037441 = 0xC6_94446F01
    }

    // Edge values as often as random ones: sign extension and overflow are where a rewrite goes wrong.
    private static Object sample(Class<?> t, SplittableRandom random) {
        boolean edge = random.nextInt(4) == 0;
        if (t == int.class) return edge ? new int[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}[random.nextInt(4)] : random.nextInt();
        if (t == long.class) return edge ? new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}[random.nextInt(4)] : random.nextLong();
        if (t == boolean.class) return random.nextBoolean();
        if (t == byte[].class) {
            if (edge) return random.nextBoolean() ? null : new byte[0];
            byte[] b = new byte[random.nextInt(1, 1500)];
            // random bytes, or a UdpSender's payload: 16 bytes of header and zeros
            int filled = random.nextBoolean() ? b.length : Math.min(16, b.length);
            for (int i = 0; i < filled; i++) b[i] = (byte) random.nextInt();
            return b;
        }
        if (t == int[].class) {
            if (edge) return random.nextBoolean() ? null : new int[0];
            return random.ints(random.nextInt(1, 20)).toArray();
        }
        if (t == Ipv4Address.class) return edge ? (random.nextBoolean() ? null : Ipv4Address.BROADCAST) : Ipv4Address.of(random.nextInt());
        if (t == double.class) return edge ? Double.NaN : random.nextDouble() * 1e6;
        if (t == String.class) return edge ? (random.nextBoolean() ? null : "") : new String[] {"cubic", "reno", "bbr"}[random.nextInt(3)];
        if (t == Record.class) {
            // TCP_INFO's struct: every component sampled in turn
            if (edge) return null;
            try {
                RecordComponent[] components = knetsim.node.tcp.TcpInfo.class.getRecordComponents();
                Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
                Object[] args = new Object[types.length];
                for (int i = 0; i < types.length; i++) args[i] = sample(types[i], random);
                return knetsim.node.tcp.TcpInfo.class.getDeclaredConstructor(types).newInstance(args);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
        if (t.isEnum()) {
            Object[] constants = t.getEnumConstants();
            return constants[random.nextInt(constants.length)];
        }
        throw new AssertionError("no sample for component type " + t + ": extend this test");
    }

    /** Fingerprint.of as it was before the accessors were kept: reflection on every call. */
    private static long reference(Object value) {
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
                    h = h * 1_000_003L + reference(c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return h;
        }
        throw new IllegalArgumentException("no fingerprint for " + value.getClass());
    }
}
