package knetsim.node.tcp;

/**
 * The fields of a TCP header (struct tcphdr plus its options), as a value: what {@link TcpSegment#emit}
 * writes and {@link TcpSegment#header()} reads. Sequence numbers are unsigned 32-bit values held in
 * longs; {@code window} is the raw 16-bit field (unscaled).
 */
public record TcpHeader(int sourcePort, int destinationPort, long seq, long ack, int flags, int window, int urgent,
                        TcpOptions options) {
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40,
            CWR = 0x80;
    /** IPPROTO_TCP. */
    public static final int PROTOCOL = 6;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
