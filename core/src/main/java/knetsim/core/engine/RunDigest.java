package knetsim.core.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;

/**
 * SHA-256 over the ordered trace of processed events. Each LP hashes its own trace; the run
 * digest combines the LP digests in LP-id order, so it is the same however LPs are partitioned.
 */
public final class RunDigest {
    private RunDigest() {}

    /** A stable number per payload class (String.hashCode is specified), cached off the hot path. */
    private static final ClassValue<Integer> KIND = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            return type.getName().hashCode();
        }
    };

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 17 runtime has SHA-256", e);
        }
    }

    /** Combines per-LP digests (LP id -> SHA-256) in id order into the run's hex digest. */
    public static String combine(SortedMap<Integer, byte[]> lpDigests) {
        MessageDigest md = sha256();
        ByteBuffer id = ByteBuffer.allocate(4);
        for (Map.Entry<Integer, byte[]> e : lpDigests.entrySet()) {
            id.clear();
            md.update(id.putInt(e.getKey()).array());
            md.update(e.getValue());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * One LP's trace: per event, (time, origin lp, origin seq, payload kind, payload fingerprint) folded into
     * 8 bytes, which SHA-256 takes in order. The LP's id is not repeated: {@link #combine} hashes it with
     * the LP's digest. Folding with bijective steps means that any one field that differs changes the 8
     * bytes; hashing 8 bytes per event instead of the 36 of the fields is what made the trace cheap.
     */
    static final class LpTrace {
        private static final int RECORD = 8;
        private static final int FIRST = RECORD * 4;
        private static final int MOST = RECORD * 128;
        // Buffered because MessageDigest.update per 8-byte record costs more than the hashing; 128 records
        // (1 KB) per update already make that call's cost small next to hashing them. The buffer starts at 4
        // records and doubles as the LP proves busy, and the digest object is made at the first flush: a run of
        // 1,000,000 LPs does not hold a full buffer and a SHA-256 state per LP. SHA-256 is a stream, so when the
        // bytes are hashed does not change the digest.
        // A byte[] written through a big-endian long view: the same bytes as ByteBuffer.putLong, without its
        // per-call position and limit bookkeeping (the trace records every event of the run).
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
        private byte[] buffer = new byte[FIRST];
        private int position;
        private MessageDigest md;
        // the last two payload classes seen: a host alternates between a few, and the ClassValue lookup
        // cost 4% of S4's samples when only one was kept
        private Class<?> lastClass;
        private int lastKind;
        private Class<?> otherClass;
        private int otherKind;

        LpTrace(int lp) {} // the id is hashed by combine()

        void record(Event e) {
            record(e.time(), e.originLp(), e.originSeq(), e.payload());
        }

        /** Records an event from its fields, which the LP has already read. */
        void record(long time, int originLp, long originSeq, Payload p) {
            if (position == buffer.length) {
                if (buffer.length < MOST) buffer = Arrays.copyOf(buffer, buffer.length * 2);
                else flush();
            }
            Class<?> type = p.getClass();
            if (type != lastClass) kindOf(type); // most LPs see few payload classes: skip the ClassValue lookup
            long h = mix(originSeq);
            h = mix(h ^ ((long) originLp << 32 | (lastKind & 0xFFFFFFFFL)));
            h = mix(h ^ time);
            LONGS.set(buffer, position, mix(h ^ p.fingerprint()));
            position += RECORD;
        }

        // makes type the last class seen (and the last one the other), with its kind in lastKind
        private void kindOf(Class<?> type) {
            Class<?> was = lastClass;
            int wasKind = lastKind;
            lastKind = type == otherClass ? otherKind : KIND.get(type);
            lastClass = type;
            otherClass = was;
            otherKind = wasKind;
        }

        // SplitMix64's finaliser: a bijection of 64 bits that spreads every input bit over the output
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        private void flush() {
            if (md == null) md = sha256();
            md.update(buffer, 0, position);
            position = 0;
        }

        byte[] finish() {
            flush();
            buffer = null;
            return md.digest();
        }
    }
}
