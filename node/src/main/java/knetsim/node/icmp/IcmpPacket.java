package knetsim.node.icmp;

import java.util.Objects;

import knetsim.link.wire.Parsed;
import knetsim.node.ipv4.InternetChecksum;

/**
 * A checked, read-only view of an ICMP message (the payload of an IPv4 packet) inside a byte array, so icmp_rcv()
 * can look at it in place. Only a missing header is refused; a bad checksum parses and {@link #checksumValid()}
 * says so, because icmp_rcv() counts it apart (SKB_DROP_REASON_ICMP_CSUM, ICMP_MIB_CSUMERRORS and INERRORS).
 */
public final class IcmpPacket {
    public static final int HEADER_LEN = 8; // sizeof(struct icmphdr)

    // Types and codes as include/uapi/linux/icmp.h names them.
    public static final int ICMP_ECHOREPLY = 0;
    public static final int ICMP_DEST_UNREACH = 3;
    public static final int ICMP_ECHO = 8;
    public static final int ICMP_TIME_EXCEEDED = 11;
    public static final int ICMP_NET_UNREACH = 0;
    public static final int ICMP_HOST_UNREACH = 1;
    public static final int ICMP_PROT_UNREACH = 2;
    public static final int ICMP_PORT_UNREACH = 3;
    public static final int ICMP_FRAG_NEEDED = 4;
    public static final int ICMP_EXC_TTL = 0;
    public static final int ICMP_EXC_FRAGTIME = 1;

    private static final int TYPE = 0;
    private static final int CODE = 1;
    private static final int CHECKSUM = 2;
    private static final int UN = 4; // the union after the checksum: echo id/sequence, gateway, frag.mtu

    private final byte[] buffer;
    private final int offset;
    private final int length;
    // Kept from parse(), so a later write to the buffer cannot make the view disagree with what was checked.
    private final boolean checksumValid;

    private IcmpPacket(byte[] buffer, int offset, int length, boolean checksumValid) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.checksumValid = checksumValid;
    }

    /**
     * Checks the message in {@code b[off..off+len-1]}, which must be exactly the IP payload (the checksum covers
     * all of it), and returns a view of it or why it is too short to be one.
     *
     * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not describe a range inside {@code b}
     */
    public static Parsed<IcmpPacket> parse(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        // icmp_rcv(): skb_checksum_simple_validate() over the whole message, then pskb_pull() of the header.
        if (len < HEADER_LEN) {
            return Parsed.malformed("truncated: " + len + " bytes, ICMP header needs " + HEADER_LEN);
        }
        return Parsed.ok(new IcmpPacket(b, off, len, InternetChecksum.isValid(b, off, len)));
    }

    /** The array holding the message; shared, not copied. */
    public byte[] buffer() {
        return buffer;
    }

    /** Index in {@link #buffer()} of the type byte. */
    public int offset() {
        return offset;
    }

    /** Bytes of the whole message, header included. */
    public int length() {
        return length;
    }

    public int type() {
        return buffer[offset + TYPE] & 0xff;
    }

    public int code() {
        return buffer[offset + CODE] & 0xff;
    }

    /** The checksum as it is on the wire. */
    public int checksum() {
        return readShort(offset + CHECKSUM);
    }

    /** Whether the whole message summed to all ones when parsed. */
    public boolean checksumValid() {
        return checksumValid;
    }

    /** The four bytes after the checksum as one number (icmph->un.gateway): what each type puts there differs. */
    public int restOfHeader() {
        return (readShort(offset + UN) << 16) | readShort(offset + UN + 2);
    }

    /** Echo request and reply: icmph->un.echo.id. */
    public int identifier() {
        return readShort(offset + UN);
    }

    /** Echo request and reply: icmph->un.echo.sequence. */
    public int sequence() {
        return readShort(offset + UN + 2);
    }

    /** Fragmentation needed: icmph->un.frag.mtu, the MTU of the next hop (RFC 1191). */
    public int nextHopMtu() {
        return readShort(offset + UN + 2);
    }

    /** Index in {@link #buffer()} of the data: echo data, or the quoted datagram of an error. */
    public int payloadOffset() {
        return offset + HEADER_LEN;
    }

    public int payloadLength() {
        return length - HEADER_LEN;
    }

    @Override
    public String toString() {
        return IcmpMessage.of(this) + (checksumValid ? "" : ", bad checksum");
    }

    private int readShort(int at) {
        return ((buffer[at] & 0xff) << 8) | (buffer[at + 1] & 0xff);
    }
}
