package knetsim.node.udp;

import static knetsim.link.wire.NetworkBytes.readShort;

import knetsim.node.ipv4.InternetChecksum;

import java.util.Objects;

import knetsim.link.wire.Parsed;

/**
 * A checked, read-only view of a UDP datagram inside a byte array (the IPv4 payload), bounded by its own length
 * field as __udp4_lib_rcv() trims it; {@link #parse} is the only way to get one.
 */
public final class UdpDatagram {
    public static final int HEADER_LEN = 8;
    /** IPPROTO_UDP, the protocol number in the pseudo header. */
    public static final int PROTOCOL = 17;

    static final int SOURCE_PORT = 0;
    static final int DESTINATION_PORT = 2;
    static final int LENGTH = 4;
    static final int CHECKSUM = 6;

    private final byte[] buffer;
    private final int offset;
    // Validated at parse time: the payload bounds must not move if the buffer is written later.
    private final int datagramLength;

    private UdpDatagram(byte[] buffer, int offset, int datagramLength) {
        this.buffer = buffer;
        this.offset = offset;
        this.datagramLength = datagramLength;
    }

    /**
     * Checks the datagram at {@code b[off..off+len-1]}; bytes after its length field (link padding) are not part
     * of it. Only bounds outside {@code b} throw.
     *
     * @throws IndexOutOfBoundsException if {@code off} and {@code len} do not describe a range inside {@code b}
     */
    public static Parsed<UdpDatagram> parse(byte[] b, int off, int len) {
        // __udp4_lib_rcv(): the header must be there, and the length field must cover the header and fit in what
        // IP delivered; otherwise "short_packet" (SKB_DROP_REASON_PKT_TOO_SMALL, UDP_MIB_INERRORS).
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < HEADER_LEN) {
            return Parsed.malformed("truncated: " + len + " bytes, UDP header needs " + HEADER_LEN);
        }
        int datagramLength = readShort(b, off + LENGTH);
        if (datagramLength < HEADER_LEN) {
            return Parsed.malformed("UDP length " + datagramLength + " is shorter than the 8-byte header");
        }
        if (datagramLength > len) {
            return Parsed.malformed("truncated: UDP length " + datagramLength + ", only " + len + " bytes");
        }
        return Parsed.ok(new UdpDatagram(b, off, datagramLength));
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    public int sourcePort() {
        return readShort(buffer, offset + SOURCE_PORT);
    }

    public int destinationPort() {
        return readShort(buffer, offset + DESTINATION_PORT);
    }

    /** The length field: header and payload, in bytes. */
    public int datagramLength() {
        return datagramLength;
    }

    /** The checksum field as sent; 0 means the sender computed none. */
    public int checksum() {
        return readShort(buffer, offset + CHECKSUM);
    }

    /** Index in {@link #buffer()} of the payload's first byte. */
    public int payloadOffset() {
        return offset + HEADER_LEN;
    }

    public int payloadLength() {
        return datagramLength - HEADER_LEN;
    }

    /**
     * Whether the checksum over the pseudo header and the datagram is right. A checksum field of 0 means "none"
     * and is accepted, as udp4_csum_init() does (IPv4 only; IPv6 requires one).
     */
    public boolean checksumValid(int sourceAddress, int destinationAddress) {
        if (checksum() == 0) return true;
        // The sum over everything, checksum field included, is all ones for an intact datagram.
        return sum(buffer, offset, datagramLength, sourceAddress, destinationAddress) == 0xffff;
    }

    @Override
    public String toString() {
        return UdpHeader.of(this).toString();
    }

    /** The folded one's complement sum of the pseudo header and {@code b[off..off+datagramLength-1]}. */
    static int sum(byte[] b, int off, int datagramLength, int sourceAddress, int destinationAddress) {
        // csum_tcpudp_nofold(): source, destination, zero and protocol, then the UDP length again.
        long sum = (sourceAddress >>> 16) + (sourceAddress & 0xffff)
                + (destinationAddress >>> 16) + (destinationAddress & 0xffff)
                + PROTOCOL + datagramLength
                + InternetChecksum.partial(b, off, datagramLength);
        return ~InternetChecksum.fold(sum) & 0xffff; // fold() complements; the sum itself is wanted here
    }

}
