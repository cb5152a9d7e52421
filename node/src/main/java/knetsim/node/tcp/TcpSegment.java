package knetsim.node.tcp;

import knetsim.link.wire.Parsed;

/**
 * A checked, read-only view of a TCP segment inside a byte array (the IPv4 payload): header with
 * options, payload, and the pseudo-header checksum. {@link #parse} is the only way to get one;
 * {@link #emit} writes one (checksum included). CONTRACT: implemented by the codec branch.
 */
public final class TcpSegment {
    /** The fixed header; options make it up to 60 bytes. */
    public static final int HEADER_LEN = 20;

    private TcpSegment() {}

    /** tcp_v4_rcv()'s header checks on {@code b[off..off+len-1]}: doff >= 5 and within len; never throws past bounds. */
    public static Parsed<TcpSegment> parse(byte[] b, int off, int len) {
        throw new UnsupportedOperationException("codec branch");
    }

    /** The header length {@code options} give (20 + options, padded to 4), as tcp_options_size. */
    public static int headerLength(TcpOptions options) {
        throw new UnsupportedOperationException("codec branch");
    }

    /**
     * tcp_options_write() and the header: writes {@code header} followed by {@code payload[pOff..pOff+pLen-1]}
     * at {@code b[off]}, with the checksum over the IPv4 pseudo header of {@code source} and {@code destination};
     * returns the bytes written (headerLength + pLen).
     */
    public static int emit(TcpHeader header, byte[] payload, int pOff, int pLen, byte[] b, int off, int source,
                           int destination) {
        throw new UnsupportedOperationException("codec branch");
    }

    /** The header and its options, decoded (tcp_parse_options()). */
    public TcpHeader header() {
        throw new UnsupportedOperationException("codec branch");
    }

    public byte[] buffer() {
        throw new UnsupportedOperationException("codec branch");
    }

    /** Index in {@link #buffer()} of the payload's first byte. */
    public int payloadOffset() {
        throw new UnsupportedOperationException("codec branch");
    }

    public int payloadLength() {
        throw new UnsupportedOperationException("codec branch");
    }

    /** Whether the checksum over the pseudo header and the segment is right (tcp_v4_checksum_init). */
    public boolean checksumValid(int source, int destination) {
        throw new UnsupportedOperationException("codec branch");
    }
}
