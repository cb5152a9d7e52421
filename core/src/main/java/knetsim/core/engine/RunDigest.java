package knetsim.core.engine;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
     * 8 bytes ({@link #record}), which SHA-256 takes in order. The LP's id is not repeated: {@link #combine}
     * hashes it with the LP's digest. Folding with bijective steps means that any one field that differs changes
     * the 8 bytes; hashing 8 bytes per event instead of the 36 of the fields is what made the trace cheap.
     * The LP keeps the records (a {@code long[]}) and the last payload class in its own fields, which the
     * engine touches at every event anyway; this object, a second one per LP, is reached only when the buffer
     * is full and when the payload class changes (JFR on S4: its first load per event was a cache miss).
     */
    static final class LpTrace {
        /** The first buffer's length, in records; it doubles as the LP proves busy, up to {@link #MOST}. */
        static final int FIRST = 4;
        // Buffered because MessageDigest.update per 8-byte record costs more than the hashing; an update per 16
        // records (128 bytes, two SHA-256 blocks) costs about 2 ns per record more than one per 128 did.
        // The buffer starts at 4 records and the digest object is made at the first hashing. Every LP that was
        // busy for a while holds a full buffer to the end: 128 records (1 KB) did, 1 GB over campus-100k's
        // million LPs (bench/README.md, "Heap over virtual time"); 16 hold 144 bytes. SHA-256 is a stream, so
        // when the bytes are hashed does not change the digest.
        static final int MOST = 16;
        // the records as big-endian bytes, as ByteBuffer.putLong writes them: one scratch buffer per dispatcher
        // thread, not one per LP (kept per LP it held 1 KB for each of campus-100k's million LPs at the run's end)
        private static final ThreadLocal<ByteBuffer> BYTES = ThreadLocal.withInitial(() -> ByteBuffer.allocate(MOST * 8));
        private MessageDigest md;
        // the payload class seen before the LP's last one: a host alternates between a few, and the ClassValue
        // lookup cost 4% of S4's samples when only one was kept
        private Class<?> otherClass;
        private int otherKind;

        /** One event's record. */
        static long record(long time, int originLp, long originSeq, int kind, long fingerprint) {
            long h = mix(originSeq);
            h = mix(h ^ ((long) originLp << 32 | (kind & 0xFFFFFFFFL)));
            h = mix(h ^ time);
            return mix(h ^ fingerprint);
        }

        /** The kind of {@code type}, the LP's new last payload class; {@code was} (of kind {@code wasKind}) was the last one. */
        int kindOf(Class<?> type, Class<?> was, int wasKind) {
            int kind = type == otherClass ? otherKind : KIND.get(type);
            otherClass = was;
            otherKind = wasKind;
            return kind;
        }

        /** Hashes the first {@code count} records; the LP then fills its buffer again from the start. */
        void hash(long[] records, int count) {
            if (md == null) md = sha256();
            ByteBuffer bytes = BYTES.get();
            for (int at = 0; at < count; at += MOST) {
                int n = Math.min(MOST, count - at);
                bytes.clear();
                bytes.asLongBuffer().put(records, at, n);
                md.update(bytes.array(), 0, n * 8);
            }
        }

        /** The digest, after the last {@code count} records. */
        byte[] finish(long[] records, int count) {
            hash(records, count);
            return md.digest();
        }

        // SplitMix64's finaliser: a bijection of 64 bits that spreads every input bit over the output
        private static long mix(long z) {
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }
    }
}
