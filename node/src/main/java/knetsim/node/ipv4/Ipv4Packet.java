package knetsim.node.ipv4;

import static knetsim.link.wire.NetworkBytes.readShort;
import static knetsim.link.wire.NetworkBytes.writeShort;

import java.util.Arrays;
import java.util.Objects;

import knetsim.link.wire.Parsed;
import knetsim.node.skb.SkbDropReason;

/**
 * A checked, read-only view of an IPv4 packet inside a byte array, so ip_rcv() can look at the header in place;
 * {@link #parse} makes the checks of ip_rcv_core() except the header checksum, which {@link #checksumValid()}
 * reports, because the kernel counts a bad checksum (IP_CSUM) apart from a bad header (IP_INHDR).
 */
public final class Ipv4Packet {
    public static final int HEADER_LEN = 20;      // sizeof(struct iphdr)
    public static final int MAX_HEADER_LEN = 60;  // IHL is 4 bits of 32-bit words
    public static final int MAX_OPTIONS_LEN = MAX_HEADER_LEN - HEADER_LEN;
    public static final int MAX_TOTAL_LEN = 0xffff; // IP_MAX_MTU
    public static final int VERSION = 4;
    public static final int MIN_IHL = 5;

    // The three flag bits of frag_off, named as include/net/ip.h names them; IP_CE is the reserved bit.
    public static final int IP_CE = 0x8000;
    public static final int IP_DF = 0x4000;
    public static final int IP_MF = 0x2000;
    public static final int IP_OFFSET = 0x1fff;

    public static final int INET_ECN_MASK = 0x03;

    public static final int IPPROTO_ICMP = 1;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;

    // Byte offsets of struct iphdr.
    private static final int TOS = 1;
    private static final int TOT_LEN = 2;
    private static final int ID = 4;
    private static final int FRAG_OFF = 6;
    static final int TTL = 8;
    private static final int PROTOCOL = 9;
    static final int CHECK = 10;
    private static final int SADDR = 12;
    private static final int DADDR = 16;

    // Prefixes dropReason() tells apart; everything else parse() refuses is a header error.
    private static final String BAD_CHECKSUM = "bad header checksum";
    private static final String TRUNCATED_DATAGRAM = "truncated: total length";

    private final byte[] buffer;
    private final int offset;
    private final int length;
    // Kept from parse(), so a later write to the buffer cannot make the view disagree with what was checked.
    private final int headerLength;
    private final int totalLength;
    private final boolean checksumValid;

    private Ipv4Packet(byte[] buffer, int offset, int length, int headerLength, int totalLength,
                       boolean checksumValid) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.headerLength = headerLength;
        this.totalLength = totalLength;
        this.checksumValid = checksumValid;
    }

    /**
     * Checks the packet in {@code b[off..off+len-1]} in ip_rcv_core()'s order and returns a view of it, or why the
     * kernel would drop it; {@code len} may include link-layer padding after the datagram, which the view ignores.
     * A bad checksum alone parses (see {@link #checksumValid()}); with a bad length too, the checksum is reported,
     * since the kernel checks it first.
     *
     * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not describe a range inside {@code b}
     */
    public static Parsed<Ipv4Packet> parse(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        // ip_rcv_core(): pskb_may_pull(sizeof(struct iphdr)), then ihl < 5 || version != 4 -> inhdr_error.
        if (len < HEADER_LEN) {
            return Parsed.malformed("truncated: " + len + " bytes, IPv4 header needs " + HEADER_LEN);
        }
        int version = (b[off] & 0xff) >>> 4;
        if (version != VERSION) {
            return Parsed.malformed("version " + version + ", not 4");
        }
        int ihl = b[off] & 0x0f;
        if (ihl < MIN_IHL) {
            return Parsed.malformed("IHL " + ihl + ", below 5");
        }
        int headerLength = ihl * 4;
        if (len < headerLength) {
            return Parsed.malformed("truncated: " + len + " bytes, IHL " + ihl + " needs " + headerLength);
        }
        // ip_fast_csum() comes before the length checks, so a packet failing both is a checksum error.
        boolean checksumValid = InternetChecksum.isValid(b, off, headerLength);
        int totalLength = readShort(b, off + TOT_LEN);
        if (totalLength > len || totalLength < headerLength) {
            if (!checksumValid) {
                return Parsed.malformed(String.format("%s 0x%04x", BAD_CHECKSUM, readShort(b, off + CHECK)));
            }
            if (totalLength > len) {
                // skb->len < len: SKB_DROP_REASON_PKT_TOO_SMALL and IPSTATS_MIB_INTRUNCATEDPKTS.
                return Parsed.malformed(TRUNCATED_DATAGRAM + " " + totalLength + ", only " + len + " bytes");
            }
            return Parsed.malformed("total length " + totalLength + ", below header length " + headerLength);
        }
        return Parsed.ok(new Ipv4Packet(b, off, len, headerLength, totalLength, checksumValid));
    }

    /**
     * The drop reason ip_rcv_core() gives for what {@link #parse} returned: IP_CSUM for a bad checksum (it also
     * counts IPSTATS_MIB_CSUMERRORS, then falls through to IPSTATS_MIB_INHDRERRORS), PKT_TOO_SMALL for a datagram
     * longer than the buffer, IP_INHDR for any other header error, NOT_DROPPED_YET for a good packet.
     * Names checked against enum skb_drop_reason in include/net/dropreason-core.h and ip_rcv_core() in
     * net/ipv4/ip_input.c.
     */
    public static SkbDropReason dropReason(Parsed<Ipv4Packet> parsed) {
        if (parsed.isOk()) {
            return parsed.value().checksumValid() ? SkbDropReason.NOT_DROPPED_YET : SkbDropReason.IP_CSUM;
        }
        String reason = parsed.reason();
        if (reason.startsWith(BAD_CHECKSUM)) return SkbDropReason.IP_CSUM;
        if (reason.startsWith(TRUNCATED_DATAGRAM)) return SkbDropReason.PKT_TOO_SMALL;
        return SkbDropReason.IP_INHDR;
    }

    /**
     * ip_decrease_ttl(): decrements the TTL of the header at {@code b[off]} and patches its checksum incrementally
     * (RFC 1624), as ip_forward() does, and returns the new TTL. The caller has checked that the TTL is above 1.
     */
    public static int decreaseTtl(byte[] b, int off) {
        Objects.checkFromIndexSize(off, HEADER_LEN, b.length);
        int oldWord = readShort(b, off + TTL);
        int newWord = oldWord - 0x0100;
        b[off + TTL] = (byte) (newWord >>> 8);
        int check = InternetChecksum.update(readShort(b, off + CHECK), oldWord, newWord);
        writeShort(b, off + CHECK, check);
        return b[off + TTL] & 0xff;
    }

    /**
     * The view of this datagram (without any padding) copied to {@code b[off]}, as ip_forward()'s skb_cow() copy:
     * what {@link #parse} checked holds for the copy, so it is not checked again. The caller keeps the copy's header
     * checksum right (as {@link #decreaseTtl} does).
     */
    public Ipv4Packet copiedTo(byte[] b, int off) {
        Objects.checkFromIndexSize(off, totalLength, b.length);
        return new Ipv4Packet(b, off, totalLength, headerLength, totalLength, checksumValid);
    }

    /** The array holding the packet; shared, not copied. */
    public byte[] buffer() {
        return buffer;
    }

    /** Index in {@link #buffer()} of the first header byte. */
    public int offset() {
        return offset;
    }

    /** Bytes handed to {@link #parse}: the datagram and any link-layer padding after it. */
    public int length() {
        return length;
    }

    public int version() {
        return VERSION;
    }

    /** The header length in 32-bit words, 5..15. */
    public int ihl() {
        return headerLength / 4;
    }

    /** {@code ihl() * 4}: 20..60 bytes, options included. */
    public int headerLength() {
        return headerLength;
    }

    /** The whole TOS byte, as iph->tos keeps it. */
    public int tos() {
        return buffer[offset + TOS] & 0xff;
    }

    /** The 6-bit differentiated services code point, the high bits of {@link #tos()}. */
    public int dscp() {
        return tos() >>> 2;
    }

    /** The 2-bit ECN field: 0 Not-ECT, 1 ECT(1), 2 ECT(0), 3 CE. */
    public int ecn() {
        return tos() & INET_ECN_MASK;
    }

    /** Bytes of the datagram, header included; at most {@link #length()}. */
    public int totalLength() {
        return totalLength;
    }

    public int identification() {
        return readShort(buffer, offset + ID);
    }

    /** The flag bits of frag_off in place: a mask of {@link #IP_CE}, {@link #IP_DF} and {@link #IP_MF}. */
    public int flags() {
        return readShort(buffer, offset + FRAG_OFF) & (IP_CE | IP_DF | IP_MF);
    }

    public boolean dontFragment() {
        return (flags() & IP_DF) != 0;
    }

    public boolean moreFragments() {
        return (flags() & IP_MF) != 0;
    }

    /** The fragment's position in 8-byte units, as on the wire; multiply by 8 for bytes. */
    public int fragmentOffset() {
        return readShort(buffer, offset + FRAG_OFF) & IP_OFFSET;
    }

    /** ip_is_fragment(): MF set or a non-zero offset, so the datagram needs ip_defrag() before delivery. */
    public boolean isFragment() {
        return (readShort(buffer, offset + FRAG_OFF) & (IP_MF | IP_OFFSET)) != 0;
    }

    public int ttl() {
        return buffer[offset + TTL] & 0xff;
    }

    public int protocol() {
        return buffer[offset + PROTOCOL] & 0xff;
    }

    /** The header checksum as it is on the wire. */
    public int checksum() {
        return readShort(buffer, offset + CHECK);
    }

    /** Whether the header summed to all ones when parsed; false means ip_rcv_core() drops it as IP_CSUM. */
    public boolean checksumValid() {
        return checksumValid;
    }

    public Ipv4Address source() {
        return Ipv4Address.read(buffer, offset + SADDR);
    }

    public Ipv4Address destination() {
        return Ipv4Address.read(buffer, offset + DADDR);
    }

    /** Index in {@link #buffer()} of the first option byte; options run to {@link #payloadOffset()}. */
    public int optionsOffset() {
        return offset + HEADER_LEN;
    }

    public int optionsLength() {
        return headerLength - HEADER_LEN;
    }

    /** A copy of the option bytes, padding included, uninterpreted. */
    public byte[] options() {
        return Arrays.copyOfRange(buffer, optionsOffset(), optionsOffset() + optionsLength());
    }

    /** Index in {@link #buffer()} (not in the packet) of the payload's first byte. */
    public int payloadOffset() {
        return offset + headerLength;
    }

    /**
     * {@code totalLength() - headerLength()}: what pskb_trim_rcsum() leaves, so Ethernet padding after the
     * datagram is never taken for payload.
     */
    public int payloadLength() {
        return totalLength - headerLength;
    }

    @Override
    public String toString() {
        return Ipv4Header.of(this) + (checksumValid ? "" : ", bad checksum");
    }


}
