package knetsim.node.icmp;

import static knetsim.node.icmp.IcmpPacket.ICMP_DEST_UNREACH;
import static knetsim.node.icmp.IcmpPacket.ICMP_ECHO;
import static knetsim.node.icmp.IcmpPacket.ICMP_ECHOREPLY;
import static knetsim.node.icmp.IcmpPacket.ICMP_FRAG_NEEDED;
import static knetsim.node.icmp.IcmpPacket.ICMP_TIME_EXCEEDED;

import java.util.Arrays;
import java.util.Objects;

import knetsim.node.ipv4.InternetChecksum;
import knetsim.node.ipv4.Ipv4Packet;

/**
 * The meaning of an ICMP message apart from its bytes (smoltcp's {@code Icmpv4Repr}): the messages the simulator
 * sends and understands as records, anything else as {@link Other} so it still round-trips byte for byte.
 * {@link #emit} writes the checksum over the whole message.
 */
public sealed interface IcmpMessage {
    /**
     * icmp_send(): "RFC says return as much as we can without exceeding 576 bytes": room is min(route MTU, 576)
     * less the IP header, its options and the ICMP header (net/ipv4/icmp.c, __icmp_send()).
     */
    int MAX_ERROR_DATAGRAM_LEN = 576;
    /** The quote when the route MTU is at least 576 and the reply has no IP options: 576 - 20 - 8. */
    int MAX_QUOTE_LEN = MAX_ERROR_DATAGRAM_LEN - Ipv4Packet.HEADER_LEN - IcmpPacket.HEADER_LEN;

    int type();

    int code();

    /** The four bytes after the checksum, as one big-endian number. */
    int restOfHeader();

    /** A copy of what follows the header: echo data or the quoted datagram. */
    byte[] data();

    /** Bytes {@link #emit} writes: the header and the data. */
    default int length() {
        return IcmpPacket.HEADER_LEN + dataLength();
    }

    /** Writes exactly {@link #length()} bytes at {@code b[off]}, checksum included. */
    default void emit(byte[] b, int off) {
        Objects.checkFromIndexSize(off, length(), b.length);
        b[off] = (byte) type();
        b[off + 1] = (byte) code();
        b[off + 2] = 0;
        b[off + 3] = 0;
        int rest = restOfHeader();
        b[off + 4] = (byte) (rest >>> 24);
        b[off + 5] = (byte) (rest >>> 16);
        b[off + 6] = (byte) (rest >>> 8);
        b[off + 7] = (byte) rest;
        writeData(b, off + IcmpPacket.HEADER_LEN);
        int check = InternetChecksum.compute(b, off, length());
        b[off + 2] = (byte) (check >>> 8);
        b[off + 3] = (byte) check;
    }

    /** Data bytes, without the copy {@link #data()} makes. */
    private int dataLength() {
        return bytes(this).length;
    }

    private void writeData(byte[] b, int at) {
        byte[] data = bytes(this);
        System.arraycopy(data, 0, b, at, data.length);
    }

    /** The message a parsed packet carries: a specific record when one says exactly the same, else {@link Other}. */
    static IcmpMessage of(IcmpPacket packet) {
        byte[] data = Arrays.copyOfRange(packet.buffer(), packet.payloadOffset(),
                packet.payloadOffset() + packet.payloadLength());
        return decode(packet.type(), packet.code(), packet.restOfHeader(), data);
    }

    /**
     * How many bytes of an offending datagram icmp_send() quotes: all of it up to the room left in
     * min({@code routeMtu}, 576), or -1 when that room is no more than an IP header and the kernel sends nothing
     * (the "guard against tiny mtu" check added to __icmp_send() in 2023).
     */
    static int quoteLength(int datagramLength, int routeMtu, int replyOptionsLength) {
        int room = Math.min(routeMtu, MAX_ERROR_DATAGRAM_LEN);
        room -= Ipv4Packet.HEADER_LEN + replyOptionsLength;
        room -= IcmpPacket.HEADER_LEN;
        if (room <= Ipv4Packet.HEADER_LEN) return -1;
        return Math.min(datagramLength, room);
    }

    /**
     * The start of the offending datagram, from its IP header on, as icmp_send() quotes it on a route whose MTU is
     * at least 576: at most {@link #MAX_QUOTE_LEN} bytes. Link padding is not quoted: ip_rcv_core() trimmed it.
     */
    static byte[] quote(Ipv4Packet offending) {
        int length = quoteLength(offending.totalLength(), MAX_ERROR_DATAGRAM_LEN, 0);
        return Arrays.copyOfRange(offending.buffer(), offending.offset(), offending.offset() + length);
    }

    static DestinationUnreachable destinationUnreachable(int code, Ipv4Packet offending) {
        return new DestinationUnreachable(code, 0, quote(offending));
    }

    /** ip_fragment()/ip_forward(): DF set and the datagram is longer than the next hop's MTU. */
    public static DestinationUnreachable fragmentationNeeded(int nextHopMtu, Ipv4Packet offending) {
        return new DestinationUnreachable(ICMP_FRAG_NEEDED, nextHopMtu, quote(offending));
    }

    static TimeExceeded timeExceeded(int code, Ipv4Packet offending) {
        return new TimeExceeded(code, quote(offending));
    }

    /** Echo request (type 8), as ping sends it; the reply must carry the same identifier, sequence and data. */
    record EchoRequest(int identifier, int sequence, byte[] data) implements IcmpMessage {
        public EchoRequest {
            checkShort("identifier", identifier);
            checkShort("sequence", sequence);
            data = data.clone();
        }

        /** icmp_echo(): the reply repeats identifier, sequence and data. */
        public EchoReply reply() {
            return new EchoReply(identifier, sequence, data);
        }

        public int type() { return ICMP_ECHO; }
        public int code() { return 0; }
        public int restOfHeader() { return (identifier << 16) | sequence; }
        @Override public byte[] data() { return data.clone(); }
        @Override public boolean equals(Object o) { return same(this, o); }
        @Override public int hashCode() { return hash(this); }
        @Override public String toString() { return "ICMP echo request, " + echoText(identifier, sequence, this); }
    }

    /** Echo reply (type 0). */
    record EchoReply(int identifier, int sequence, byte[] data) implements IcmpMessage {
        public EchoReply {
            checkShort("identifier", identifier);
            checkShort("sequence", sequence);
            data = data.clone();
        }

        public int type() { return ICMP_ECHOREPLY; }
        public int code() { return 0; }
        public int restOfHeader() { return (identifier << 16) | sequence; }
        @Override public byte[] data() { return data.clone(); }
        @Override public boolean equals(Object o) { return same(this, o); }
        @Override public int hashCode() { return hash(this); }
        @Override public String toString() { return "ICMP echo reply, " + echoText(identifier, sequence, this); }
    }

    /**
     * Destination unreachable (type 3), codes 0..4 (IcmpPacket.ICMP_NET_UNREACH .. ICMP_FRAG_NEEDED).
     *
     * @param nextHopMtu for ICMP_FRAG_NEEDED the MTU of the next hop (RFC 1191), otherwise 0
     * @param quote      the start of the offending datagram, from its IP header on
     */
    record DestinationUnreachable(int code, int nextHopMtu, byte[] quote) implements IcmpMessage {
        public DestinationUnreachable {
            if (code < 0 || code > ICMP_FRAG_NEEDED) {
                throw new IllegalArgumentException("destination unreachable code " + code + " is not in 0..4");
            }
            if (code == ICMP_FRAG_NEEDED) checkShort("next-hop MTU", nextHopMtu);
            else if (nextHopMtu != 0) throw new IllegalArgumentException("only code 4 carries a next-hop MTU");
            quote = quote.clone();
        }

        public int type() { return ICMP_DEST_UNREACH; }
        public int restOfHeader() { return nextHopMtu; }
        @Override public byte[] quote() { return quote.clone(); }
        @Override public byte[] data() { return quote.clone(); }
        @Override public boolean equals(Object o) { return same(this, o); }
        @Override public int hashCode() { return hash(this); }

        @Override
        public String toString() {
            String[] what = {"net", "host", "protocol", "port", "fragmentation needed"};
            return "ICMP " + what[code] + " unreachable" + (code == ICMP_FRAG_NEEDED ? ", mtu " + nextHopMtu : "")
                    + ", length " + length();
        }
    }

    /** Time exceeded (type 11): code 0 (ICMP_EXC_TTL) in transit, 1 (ICMP_EXC_FRAGTIME) in reassembly. */
    record TimeExceeded(int code, byte[] quote) implements IcmpMessage {
        public TimeExceeded {
            if (code != IcmpPacket.ICMP_EXC_TTL && code != IcmpPacket.ICMP_EXC_FRAGTIME) {
                throw new IllegalArgumentException("time exceeded code " + code + " is not 0 or 1");
            }
            quote = quote.clone();
        }

        public int type() { return ICMP_TIME_EXCEEDED; }
        public int restOfHeader() { return 0; }
        @Override public byte[] quote() { return quote.clone(); }
        @Override public byte[] data() { return quote.clone(); }
        @Override public boolean equals(Object o) { return same(this, o); }
        @Override public int hashCode() { return hash(this); }

        @Override
        public String toString() {
            return "ICMP time exceeded " + (code == 0 ? "in-transit" : "in reassembly") + ", length " + length();
        }
    }

    /** Any message no record above says exactly: another type, another code, or non-zero unused bits. */
    record Other(int type, int code, int restOfHeader, byte[] data) implements IcmpMessage {
        public Other {
            if (type < 0 || type > 0xff || code < 0 || code > 0xff) {
                throw new IllegalArgumentException("type " + type + " and code " + code + " must be bytes");
            }
            data = data.clone();
            // Otherwise emit-then-parse would give a different record, and equal messages could differ.
            if (specific(type, code, restOfHeader, data) != null) {
                throw new IllegalArgumentException("type " + type + " code " + code + " has its own record");
            }
        }

        @Override public byte[] data() { return data.clone(); }
        @Override public boolean equals(Object o) { return same(this, o); }
        @Override public int hashCode() { return hash(this); }

        @Override
        public String toString() {
            return "ICMP type " + type + ", code " + code + ", length " + length();
        }
    }

    private static IcmpMessage decode(int type, int code, int rest, byte[] data) {
        IcmpMessage message = specific(type, code, rest, data);
        return message != null ? message : new Other(type, code, rest, data);
    }

    /** The record that says exactly these fields, or null when only {@link Other} can. */
    private static IcmpMessage specific(int type, int code, int rest, byte[] data) {
        int high = rest >>> 16;
        int low = rest & 0xffff;
        if (type == ICMP_ECHO && code == 0) return new EchoRequest(high, low, data);
        if (type == ICMP_ECHOREPLY && code == 0) return new EchoReply(high, low, data);
        if (type == ICMP_DEST_UNREACH && code <= ICMP_FRAG_NEEDED && high == 0
                && (code == ICMP_FRAG_NEEDED || low == 0)) {
            return new DestinationUnreachable(code, low, data);
        }
        if (type == ICMP_TIME_EXCEEDED && code <= IcmpPacket.ICMP_EXC_FRAGTIME && rest == 0) {
            return new TimeExceeded(code, data);
        }
        return null;
    }

    // Records compare arrays by reference; these make equal messages equal whatever array holds their bytes.
    private static byte[] bytes(IcmpMessage m) {
        if (m instanceof EchoRequest e) return e.data;
        if (m instanceof EchoReply e) return e.data;
        if (m instanceof DestinationUnreachable d) return d.quote;
        if (m instanceof TimeExceeded t) return t.quote;
        return ((Other) m).data;
    }

    private static boolean same(IcmpMessage a, Object o) {
        return o instanceof IcmpMessage b && a.getClass() == b.getClass() && a.type() == b.type()
                && a.code() == b.code() && a.restOfHeader() == b.restOfHeader() && Arrays.equals(bytes(a), bytes(b));
    }

    private static int hash(IcmpMessage m) {
        return Objects.hash(m.type(), m.code(), m.restOfHeader(), Arrays.hashCode(bytes(m)));
    }

    private static String echoText(int identifier, int sequence, IcmpMessage m) {
        return "id " + identifier + ", seq " + sequence + ", length " + m.length();
    }

    private static void checkShort(String name, int value) {
        if (value < 0 || value > 0xffff) throw new IllegalArgumentException(name + " " + value + " is not 16 bits");
    }
}
