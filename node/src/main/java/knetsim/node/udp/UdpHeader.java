package knetsim.node.udp;

import static knetsim.link.wire.NetworkBytes.writeShort;

import java.util.Objects;

/**
 * The meaning of a UDP header apart from its bytes (smoltcp's {@code UdpRepr}): what udp_send_skb() fills in.
 * The checksum depends on the payload and the IP addresses, so {@link #emitChecksummed} computes it in place.
 *
 * @param datagramLength the length field: 8 plus the payload's length
 * @param checksum       the checksum field, 0 for "none"
 */
public record UdpHeader(int sourcePort, int destinationPort, int datagramLength, int checksum) {

    public UdpHeader {
        checkSixteenBits("source port", sourcePort);
        checkSixteenBits("destination port", destinationPort);
        checkSixteenBits("checksum", checksum);
        if (datagramLength < UdpDatagram.HEADER_LEN || datagramLength > 0xffff) {
            throw new IllegalArgumentException("UDP length " + datagramLength + " is not 8..65535");
        }
    }

    /** A header for {@code payloadLength} bytes of payload, its checksum still 0. */
    public static UdpHeader forPayload(int sourcePort, int destinationPort, int payloadLength) {
        return new UdpHeader(sourcePort, destinationPort, UdpDatagram.HEADER_LEN + payloadLength, 0);
    }

    /** The header of a datagram that parsed; it cannot throw, since parse() accepts only what the constructor does. */
    public static UdpHeader of(UdpDatagram datagram) {
        return new UdpHeader(datagram.sourcePort(), datagram.destinationPort(), datagram.datagramLength(),
                datagram.checksum());
    }

    /** Bytes {@link #emit} writes: always 8. */
    public int length() {
        return UdpDatagram.HEADER_LEN;
    }

    public int payloadLength() {
        return datagramLength - UdpDatagram.HEADER_LEN;
    }

    /** Writes exactly {@link #length()} bytes at {@code b[off]}, the checksum field as it is in this record. */
    public void emit(byte[] b, int off) {
        Objects.checkFromIndexSize(off, length(), b.length);
        writeShort(b, off + UdpDatagram.SOURCE_PORT, sourcePort);
        writeShort(b, off + UdpDatagram.DESTINATION_PORT, destinationPort);
        writeShort(b, off + UdpDatagram.LENGTH, datagramLength);
        writeShort(b, off + UdpDatagram.CHECKSUM, checksum);
    }

    /**
     * Writes the header at {@code b[off]} with the RFC 768 checksum of it and the payload that must already be at
     * {@code b[off+8..off+datagramLength-1]}, and returns the header as written.
     */
    public UdpHeader emitChecksummed(byte[] b, int off, int sourceAddress, int destinationAddress) {
        // udp_send_skb(): csum_tcpudp_magic() over the datagram with the field zeroed; a result of 0 would read as
        // "no checksum", so it goes out as its other one's complement form, 0xffff (CSUM_MANGLED_0).
        Objects.checkFromIndexSize(off, datagramLength, b.length);
        UdpHeader zeroed = new UdpHeader(sourcePort, destinationPort, datagramLength, 0);
        zeroed.emit(b, off);
        int computed = ~UdpDatagram.sum(b, off, datagramLength, sourceAddress, destinationAddress) & 0xffff;
        UdpHeader written = new UdpHeader(sourcePort, destinationPort, datagramLength,
                computed == 0 ? 0xffff : computed);
        writeShort(b, off + UdpDatagram.CHECKSUM, written.checksum);
        return written;
    }

    /** Like tcpdump's "UDP, length 7" line with the ports and the checksum field: "UDP 40000 > 9, length 7, ...". */
    @Override
    public String toString() {
        return String.format("UDP %d > %d, length %d, checksum 0x%04x", sourcePort, destinationPort, payloadLength(),
                checksum);
    }

    private static void checkSixteenBits(String name, int value) {
        if (value < 0 || value > 0xffff) throw new IllegalArgumentException(name + " " + value + " is not 16 bits");
    }

}
