package knetsim.link;

import java.util.Objects;
import knetsim.core.engine.Payload;

/**
 * One Ethernet frame on the wire: its bytes from the destination MAC to the end of the payload
 * (no preamble, no FCS; padding to 60 bytes is added on transmission) and whether its FCS is
 * good. Ownership passes with the message: nobody modifies {@code bytes} once a Frame exists.
 *
 * <p>A frame is fingerprinted for the run digest at every LP it passes (link, switch, NIC,
 * softirq), so the hash of its bytes is computed once here and kept. That is why this is a
 * class and not a record: a record cannot hold the extra field. It behaves as the record it was
 * ({@code bytes()}, {@code fcsGood()}, equality by array identity).
 */
public final class Frame implements Payload {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final byte[] bytes;
    private final boolean fcsGood;
    // FNV-1a of bytes; a function of them, so Kryo may copy it along with them.
    private final long bytesHash;

    public Frame(byte[] bytes, boolean fcsGood) {
        this(bytes, fcsGood, hashOf(bytes));
    }

    private Frame(byte[] bytes, boolean fcsGood, long bytesHash) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.fcsGood = fcsGood;
        this.bytesHash = bytesHash;
    }

    /**
     * A frame whose bytes the caller has already hashed with {@link #hashOf} (an skb's content hash is the same
     * FNV-1a), so they are not hashed twice. A wrong hash would corrupt the run digest silently, so with assertions
     * on (every test run) it is checked.
     */
    public static Frame withKnownHash(byte[] bytes, boolean fcsGood, long bytesHash) {
        assert bytesHash == hashOf(bytes) : "the known hash is not the bytes' FNV-1a";
        return new Frame(bytes, fcsGood, bytesHash);
    }

    /** For Kryo's FieldSerializer only, which then sets every field from the wire. */
    @SuppressWarnings("unused")
    private Frame() {
        this(new byte[0], true, FNV_OFFSET);
    }

    public byte[] bytes() {
        return bytes;
    }

    public boolean fcsGood() {
        return fcsGood;
    }

    /** FNV-1a of {@link #bytes()}, whatever the FCS: what an skb holding the same bytes hashes to. */
    public long bytesHash() {
        return bytesHash;
    }

    public int length() {
        return bytes.length;
    }

    /** What a corrupting channel delivers: the same bytes, a checksum that no longer matches. */
    public Frame withBadFcs() {
        return new Frame(bytes, false, bytesHash);
    }

    @Override
    public long fingerprint() {
        return fcsGood ? bytesHash : ~bytesHash;
    }

    /** FNV-1a over the bytes: cheap, platform-independent, and any changed bit changes it. */
    public static long hashOf(byte[] bytes) {
        long h = FNV_OFFSET;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= FNV_PRIME;
        }
        return h;
    }

    // Record semantics, as before: the array by identity.
    @Override
    public boolean equals(Object o) {
        return o instanceof Frame f && f.bytes == bytes && f.fcsGood == fcsGood;
    }

    @Override
    public int hashCode() {
        return 31 * System.identityHashCode(bytes) + Boolean.hashCode(fcsGood);
    }

    @Override
    public String toString() {
        return "Frame[bytes=" + bytes + ", fcsGood=" + fcsGood + "]";
    }
}
