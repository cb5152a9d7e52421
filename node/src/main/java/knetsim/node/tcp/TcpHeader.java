package knetsim.node.tcp;

import java.util.Objects;

/**
 * The fields of a TCP header (struct tcphdr plus its options), as a value: what {@link TcpSegment#emit}
 * writes and {@link TcpSegment#header()} reads. Sequence numbers are unsigned 32-bit values held in
 * longs; {@code window} is the raw 16-bit field (unscaled). {@code flags} holds the eight flag bits of byte 13
 * and {@link #AE} (RFC 9768's AccECN bit, bit 8 of tcp_flag_word); the three other reserved bits are not kept.
 * The checksum and data offset are not components: they follow from the rest.
 *
 * <p>How the protocol uses it: __tcp_transmit_skb() makes one per (re)transmission and hands it to
 * {@link TcpSegment#emit}; tcp_v4_rcv() reads one with {@link TcpSegment#header()}. The constructor refuses
 * values that do not fit their fields, so a bug shows where the header is made, not as a wrong byte on the wire.
 */
public record TcpHeader(int sourcePort, int destinationPort, long seq, long ack, int flags, int window, int urgent,
                        TcpOptions options) {
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40,
            CWR = 0x80;
    /** TCPHDR_AE: the AccECN bit (formerly NS), the lowest bit beside the data offset. */
    public static final int AE = 0x100;
    /** IPPROTO_TCP. */
    public static final int PROTOCOL = 6;

    public TcpHeader {
        Objects.requireNonNull(options, "options");
        sixteenBits("source port", sourcePort);
        sixteenBits("destination port", destinationPort);
        sixteenBits("window", window);
        sixteenBits("urgent pointer", urgent);
        if (seq < 0 || seq > 0xffffffffL) throw new IllegalArgumentException("seq " + seq + " is not 32 bits");
        if (ack < 0 || ack > 0xffffffffL) throw new IllegalArgumentException("ack " + ack + " is not 32 bits");
        if ((flags & ~0x1ff) != 0) {
            throw new IllegalArgumentException(String.format("flags 0x%x are not 9 bits", flags));
        }
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The header length on the wire: 20 plus the options (tcp_options_size()). */
    public int length() {
        return TcpSegment.HEADER_LEN + options.size();
    }

    /** Like tcpdump: "40000 > 5201: Flags [S], seq 1, win 64240, options [mss 1460,...]". */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(sourcePort).append(" > ").append(destinationPort)
                .append(": Flags [").append(flagString(flags)).append("], seq ").append(seq);
        if (has(ACK)) s.append(", ack ").append(ack);
        s.append(", win ").append(window);
        if (has(URG)) s.append(", urg ").append(urgent);
        if (!options.equals(TcpOptions.NONE)) s.append(", options ").append(options);
        return s.toString();
    }

    /** tcpdump's letters in its order: F S R P . U E W e; "none" for no flags. */
    public static String flagString(int flags) {
        StringBuilder s = new StringBuilder();
        if ((flags & FIN) != 0) s.append('F');
        if ((flags & SYN) != 0) s.append('S');
        if ((flags & RST) != 0) s.append('R');
        if ((flags & PSH) != 0) s.append('P');
        if ((flags & ACK) != 0) s.append('.');
        if ((flags & URG) != 0) s.append('U');
        if ((flags & ECE) != 0) s.append('E');
        if ((flags & CWR) != 0) s.append('W');
        if ((flags & AE) != 0) s.append('e');
        return s.isEmpty() ? "none" : s.toString();
    }

    private static void sixteenBits(String name, int value) {
        if (value < 0 || value > 0xffff) throw new IllegalArgumentException(name + " " + value + " is not 16 bits");
    }
}
