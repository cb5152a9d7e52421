package knetsim.node.tcp;

import static knetsim.link.wire.NetworkBytes.readInt;
import static knetsim.link.wire.NetworkBytes.readShort;
import static knetsim.link.wire.NetworkBytes.writeInt;
import static knetsim.link.wire.NetworkBytes.writeShort;

import java.util.Objects;
import knetsim.link.wire.Parsed;
import knetsim.node.ipv4.InternetChecksum;

/**
 * A checked, read-only view of a TCP segment inside a byte array (the IPv4 payload): header with
 * options, payload, and the pseudo-header checksum. {@link #parse} is the only way to get one;
 * {@link #emit} writes one (checksum included).
 *
 * <p>How the protocol uses it: tcp_v4_rcv() calls {@link #parse} on the IP payload (a {@link Parsed.Malformed}
 * is dropped; {@link #countsAsInErr} says whether TCP_MIB_INERRS counts it), then {@link #checksumValid}
 * (false: SKB_DROP_REASON_TCP_CSUM, InCsumErrors and InErrs), then {@link #header()} once, and reads the payload
 * through {@link #buffer()}, {@link #payloadOffset()}, {@link #payloadLength()}. __tcp_transmit_skb() sizes the
 * buffer with {@link #headerLength} and writes the segment with {@link #emit}.
 */
public final class TcpSegment {
    /** The fixed header; options make it up to 60 bytes. */
    public static final int HEADER_LEN = 20;
    /** The most a data offset can describe: 15 words. */
    public static final int MAX_HEADER_LEN = 60;

    static final int SOURCE_PORT = 0, DESTINATION_PORT = 2, SEQ = 4, ACK_SEQ = 8, DOFF_FLAGS = 12, WINDOW = 14,
            CHECKSUM = 16, URGENT = 18;
    private static final String BAD_DOFF = "bad data offset";

    private final byte[] buffer;
    private final int offset;
    // Validated at parse time, so the bounds do not move if the buffer is written later.
    private final int length;
    private final int headerLength;

    private TcpSegment(byte[] buffer, int offset, int length, int headerLength) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        this.headerLength = headerLength;
    }

    /**
     * tcp_v4_rcv()'s header checks on {@code b[off..off+len-1]} (the whole segment, as IP trimmed it): 20 bytes
     * present, doff >= 5 and doff * 4 within len. Options are not checked here: tcp_parse_options() ends at a
     * malformed option and keeps the segment, and so does {@link #header()}.
     *
     * @throws IndexOutOfBoundsException only if {@code off} and {@code len} do not describe a range inside {@code b}
     */
    public static Parsed<TcpSegment> parse(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len < HEADER_LEN) {
            return Parsed.malformed("truncated: " + len + " bytes, TCP header needs " + HEADER_LEN);
        }
        int headerLength = ((b[off + DOFF_FLAGS] & 0xff) >>> 4) * 4;
        if (headerLength < HEADER_LEN) {
            return Parsed.malformed(BAD_DOFF + " " + headerLength / 4 + ", at least 5 words");
        }
        if (headerLength > len) {
            return Parsed.malformed("truncated: data offset " + headerLength + " bytes, only " + len);
        }
        return Parsed.ok(new TcpSegment(b, off, len, headerLength));
    }

    /**
     * Whether tcp_v4_rcv() counts a segment {@link #parse} refused with {@code reason} in TCP_MIB_INERRS
     * ("bad_packet": a data offset below 5, SKB_DROP_REASON_PKT_TOO_SMALL) rather than discarding it silently
     * (a header cut short: pskb_may_pull() fails, "discard_it").
     */
    public static boolean countsAsInErr(String reason) {
        return reason.startsWith(BAD_DOFF);
    }

    /** The header length {@code options} give (20 + options, padded to 4), as tcp_options_size. */
    public static int headerLength(TcpOptions options) {
        return HEADER_LEN + options.size();
    }

    /**
     * tcp_options_write() and the header: writes {@code header} followed by {@code payload[pOff..pOff+pLen-1]}
     * at {@code b[off]}, with the checksum over the IPv4 pseudo header of {@code source} and {@code destination};
     * returns the bytes written (headerLength + pLen). The payload may already lie in {@code b} (even in place,
     * at {@code off + headerLength}); it is copied before the header is written. {@code payload} may be null when
     * {@code pLen} is 0.
     *
     * @throws IllegalArgumentException if the options need more than 40 bytes
     * @throws IndexOutOfBoundsException if the segment does not fit {@code b} or the payload range is not inside
     *                                   {@code payload}
     */
    public static int emit(TcpHeader header, byte[] payload, int pOff, int pLen, byte[] b, int off, int source,
                           int destination) {
        TcpOptions options = header.options();
        int headerLength = headerLength(options);
        if (headerLength > MAX_HEADER_LEN) {
            throw new IllegalArgumentException("options of " + options.size() + " bytes do not fit 40: " + options);
        }
        int total = headerLength + pLen;
        if (total > 0xffff) throw new IllegalArgumentException("segment of " + total + " bytes");
        Objects.checkFromIndexSize(off, total, b.length);
        if (pLen > 0) {
            Objects.checkFromIndexSize(pOff, pLen, payload.length);
            System.arraycopy(payload, pOff, b, off + headerLength, pLen);
        }
        // __tcp_transmit_skb(): struct tcphdr, then tcp_options_write(), then tcp_v4_send_check()
        writeShort(b, off + SOURCE_PORT, header.sourcePort());
        writeShort(b, off + DESTINATION_PORT, header.destinationPort());
        writeInt(b, off + SEQ, (int) header.seq());
        writeInt(b, off + ACK_SEQ, (int) header.ack());
        writeShort(b, off + DOFF_FLAGS, (headerLength / 4) << 12 | header.flags());
        writeShort(b, off + WINDOW, header.window());
        writeShort(b, off + CHECKSUM, 0);
        writeShort(b, off + URGENT, header.urgent());
        options.write(b, off + HEADER_LEN);
        writeShort(b, off + CHECKSUM, InternetChecksum.fold(sum(b, off, total, source, destination)));
        return total;
    }

    /** The header and its options, decoded (tcp_parse_options()); decodes on each call. */
    public TcpHeader header() {
        return new TcpHeader(sourcePort(), destinationPort(), seq(), ack(), flags(), window(), urgent(), options());
    }

    /** tcp_parse_options() over the option bytes. */
    public TcpOptions options() {
        return TcpOptions.read(buffer, offset + HEADER_LEN, headerLength - HEADER_LEN);
    }

    public int sourcePort() {
        return readShort(buffer, offset + SOURCE_PORT);
    }

    public int destinationPort() {
        return readShort(buffer, offset + DESTINATION_PORT);
    }

    public long seq() {
        return readInt(buffer, offset + SEQ) & 0xffffffffL;
    }

    public long ack() {
        return readInt(buffer, offset + ACK_SEQ) & 0xffffffffL;
    }

    /** The flag bits with {@link TcpHeader#AE} (tcp_flag_word() without the data offset and reserved bits). */
    public int flags() {
        return readShort(buffer, offset + DOFF_FLAGS) & 0x1ff;
    }

    public int window() {
        return readShort(buffer, offset + WINDOW);
    }

    public int checksum() {
        return readShort(buffer, offset + CHECKSUM);
    }

    public int urgent() {
        return readShort(buffer, offset + URGENT);
    }

    public byte[] buffer() {
        return buffer;
    }

    public int offset() {
        return offset;
    }

    /** Header and payload: the length that went into the pseudo header. */
    public int length() {
        return length;
    }

    /** doff * 4. */
    public int headerLength() {
        return headerLength;
    }

    /** Index in {@link #buffer()} of the payload's first byte. */
    public int payloadOffset() {
        return offset + headerLength;
    }

    public int payloadLength() {
        return length - headerLength;
    }

    /** Whether the checksum over the pseudo header and the segment is right (tcp_v4_checksum_init). */
    public boolean checksumValid(int source, int destination) {
        // The sum over everything, checksum field included, folds to zero for an intact segment.
        return InternetChecksum.fold(sum(buffer, offset, length, source, destination)) == 0;
    }

    /** "40000 > 5201: Flags [S], seq 1, win 64240, options [...], length 0", as tcpdump prints it. */
    @Override
    public String toString() {
        return header() + ", length " + payloadLength();
    }

    // csum_tcpudp_nofold(): source, destination, zero and IPPROTO_TCP, the TCP length; then the segment.
    private static long sum(byte[] b, int off, int len, int source, int destination) {
        return (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff)
                + TcpHeader.PROTOCOL + len + InternetChecksum.partial(b, off, len);
    }
}
