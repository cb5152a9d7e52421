package knetsim.link;

import knetsim.core.engine.Payload;

/**
 * One Ethernet frame on the wire: its bytes from the destination MAC to the end of the payload
 * (no preamble, no FCS; padding to 60 bytes is added on transmission) and whether its FCS is
 * good. Ownership passes with the message: nobody modifies {@code bytes} once a Frame exists.
 */
public record Frame(byte[] bytes, boolean fcsGood) implements Payload {

    public int length() {
        return bytes.length;
    }

    /** What a corrupting channel delivers: the same bytes, a checksum that no longer matches. */
    public Frame withBadFcs() {
        return new Frame(bytes, false);
    }

    @Override
    public long fingerprint() {
        // FNV-1a over the bytes: cheap, platform-independent, and any changed bit changes it.
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return fcsGood ? h : ~h;
    }
}
