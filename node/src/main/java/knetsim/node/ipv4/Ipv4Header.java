package knetsim.node.ipv4;

import knetsim.link.wire.NetworkBytes;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The meaning of an IPv4 header apart from its bytes (smoltcp's {@code Ipv4Repr}): what ip_queue_xmit() and
 * icmp_send() fill in and {@link #emit} writes with a correct checksum, and what a parsed {@link Ipv4Packet} gives
 * back. The checksum is not a component: it follows from the rest.
 *
 * @param tos            the whole TOS byte, DSCP in the high 6 bits and ECN in the low 2
 * @param flags          a mask of {@link Ipv4Packet#IP_CE}, {@link Ipv4Packet#IP_DF} and {@link Ipv4Packet#IP_MF}
 * @param fragmentOffset in 8-byte units, 0..8191
 * @param options        option bytes, padding included, a multiple of 4 and at most 40; copied, never shared
 * @param payloadLength  bytes after the header; {@code length() + payloadLength} goes in the total length field
 */
public record Ipv4Header(int tos, int identification, int flags, int fragmentOffset, int ttl, int protocol,
                         Ipv4Address source, Ipv4Address destination, byte[] options, int payloadLength) {
    private static final byte[] NO_OPTIONS = new byte[0];

    public Ipv4Header {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(options, "options");
        checkRange("TOS", tos, 0xff);
        checkRange("identification", identification, 0xffff);
        if ((flags & ~(Ipv4Packet.IP_CE | Ipv4Packet.IP_DF | Ipv4Packet.IP_MF)) != 0) {
            throw new IllegalArgumentException(String.format("flags 0x%04x are not IP_CE, IP_DF, IP_MF bits", flags));
        }
        checkRange("fragment offset", fragmentOffset, Ipv4Packet.IP_OFFSET);
        checkRange("TTL", ttl, 0xff);
        checkRange("protocol", protocol, 0xff);
        // The IHL field counts 32-bit words, so options the header cannot describe exactly are refused.
        if (options.length % 4 != 0 || options.length > Ipv4Packet.MAX_OPTIONS_LEN) {
            throw new IllegalArgumentException("options of " + options.length
                    + " bytes are not a multiple of 4 up to " + Ipv4Packet.MAX_OPTIONS_LEN);
        }
        int headerLength = Ipv4Packet.HEADER_LEN + options.length;
        checkRange("payload length", payloadLength, Ipv4Packet.MAX_TOTAL_LEN - headerLength);
        options = options.clone();
    }

    /**
     * A header without options, DF set as Linux sets it on every datagram that path MTU discovery covers
     * (IP_PMTUDISC_WANT), not a fragment, ECN off.
     */
    public static Ipv4Header of(Ipv4Address source, Ipv4Address destination, int protocol, int ttl,
                                int identification, int payloadLength) {
        return new Ipv4Header(0, identification, Ipv4Packet.IP_DF, 0, ttl, protocol, source, destination,
                NO_OPTIONS, payloadLength);
    }

    /** The header of a packet that parsed; it cannot throw, since parse() accepts only what the constructor does. */
    public static Ipv4Header of(Ipv4Packet packet) {
        return new Ipv4Header(packet.tos(), packet.identification(), packet.flags(), packet.fragmentOffset(),
                packet.ttl(), packet.protocol(), packet.source(), packet.destination(), packet.options(),
                packet.payloadLength());
    }

    /** A copy: the header stays what it was made with whatever the caller does to the array. */
    @Override
    public byte[] options() {
        return options.clone();
    }

    public int dscp() {
        return tos >>> 2;
    }

    public int ecn() {
        return tos & Ipv4Packet.INET_ECN_MASK;
    }

    public boolean dontFragment() {
        return (flags & Ipv4Packet.IP_DF) != 0;
    }

    public boolean moreFragments() {
        return (flags & Ipv4Packet.IP_MF) != 0;
    }

    /** The IHL field: header length in 32-bit words. */
    public int ihl() {
        return length() / 4;
    }

    /** Bytes {@link #emit} writes: 20 plus the options. */
    public int length() {
        return Ipv4Packet.HEADER_LEN + options.length;
    }

    /** The total length field: header and payload. */
    public int totalLength() {
        return length() + payloadLength;
    }

    /**
     * Writes exactly {@link #length()} bytes at {@code b[off]}, checksum included, and nothing else; the payload
     * follows at {@code off + length()}.
     */
    public void emit(byte[] b, int off) {
        // ip_build_and_send_pkt()/__ip_make_skb() fill struct iphdr, then ip_send_check() sums it with check = 0.
        Objects.checkFromIndexSize(off, length(), b.length);
        b[off] = (byte) ((Ipv4Packet.VERSION << 4) | ihl());
        b[off + 1] = (byte) tos;
        NetworkBytes.writeShort(b, off + 2, totalLength());
        NetworkBytes.writeShort(b, off + 4, identification);
        NetworkBytes.writeShort(b, off + 6, flags | fragmentOffset);
        b[off + Ipv4Packet.TTL] = (byte) ttl;
        b[off + 9] = (byte) protocol;
        NetworkBytes.writeShort(b, off + Ipv4Packet.CHECK, 0);
        source.write(b, off + 12);
        destination.write(b, off + 16);
        System.arraycopy(options, 0, b, off + Ipv4Packet.HEADER_LEN, options.length);
        NetworkBytes.writeShort(b, off + Ipv4Packet.CHECK, InternetChecksum.compute(b, off, length()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipv4Header h && tos == h.tos && identification == h.identification && flags == h.flags
                && fragmentOffset == h.fragmentOffset && ttl == h.ttl && protocol == h.protocol
                && source.equals(h.source) && destination.equals(h.destination)
                && Arrays.equals(options, h.options) && payloadLength == h.payloadLength;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tos, identification, flags, fragmentOffset, ttl, protocol, source, destination,
                Arrays.hashCode(options), payloadLength);
    }

    /** Like {@code tcpdump -v}: addresses first, then the fields that tell datagrams apart. */
    @Override
    public String toString() {
        String flagText = (flags & Ipv4Packet.IP_CE) != 0 ? "+CE" : "";
        flagText += dontFragment() ? "+DF" : "";
        flagText += moreFragments() ? "+MF" : "";
        return source + " > " + destination + String.format(": tos 0x%x, ttl %d, id %d, offset %d, flags [%s],"
                        + " proto %d, length %d", tos, ttl, identification, fragmentOffset * 8,
                flagText.isEmpty() ? "none" : flagText.substring(1), protocol, totalLength())
                + (options.length == 0 ? "" : ", options " + HexFormat.of().formatHex(options));
    }

    private static void checkRange(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is not in 0.." + max);
        }
    }
}
