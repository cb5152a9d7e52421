package knetsim.node.icmp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;

import knetsim.link.wire.Parsed;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Header;
import knetsim.node.ipv4.Ipv4Packet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IcmpMessageTest {
    private static final HexFormat HEX = HexFormat.of();

    /*
     * Captured with tshark -i lo -x on Linux 6.18: an echo request to 127.0.0.1 laid out as iputils ping lays it out
     * (8-byte header, 16-byte timeval, then bytes 0x10..0x37), sent on a raw socket, and the echo reply the kernel's
     * icmp_echo() built for it. Linux computed the IP checksums (0xb791, 0xf790) and the reply's ICMP checksum.
     */
    private static final String REQUEST_IP = "4500005485154000400" + "1b7917f0000017f000001";
    private static final String REPLY_IP = "45000054851600004001f7907f0000017f000001";
    private static final String DATA = "9298016b0000000046ef0d0000000000"
            + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
    private static final String REQUEST_ICMP = "0800350e1c2b0001" + DATA;
    private static final String REPLY_ICMP = "00003d0e1c2b0001" + DATA;

    @Provide
    Arbitrary<IcmpMessage> messages() {
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<Integer> shorts = Arbitraries.integers().between(0, 0xffff);
        return Arbitraries.oneOf(
                Combinators.combine(shorts, shorts, data).as(IcmpMessage.EchoRequest::new),
                Combinators.combine(shorts, shorts, data).as(IcmpMessage.EchoReply::new),
                Combinators.combine(Arbitraries.integers().between(0, 3), data)
                        .as((code, quote) -> new IcmpMessage.DestinationUnreachable(code, 0, quote)),
                Combinators.combine(shorts, data).as((mtu, quote) -> new IcmpMessage.DestinationUnreachable(
                        IcmpPacket.ICMP_FRAG_NEEDED, mtu, quote)),
                Combinators.combine(Arbitraries.integers().between(0, 1), data).as(IcmpMessage.TimeExceeded::new),
                Combinators.combine(Arbitraries.integers().between(0, 0xff), Arbitraries.integers().between(0, 0xff),
                                Arbitraries.integers(), data)
                        .filter((type, code, rest, bytes) -> type != 0 && type != 3 && type != 8 && type != 11)
                        .as(IcmpMessage.Other::new));
    }

    @Property
    void emitThenParseGivesItBack(@ForAll("messages") IcmpMessage message, @ForAll @IntRange(max = 16) int offset) {
        byte[] b = new byte[offset + message.length() + 4];
        Arrays.fill(b, (byte) 0xa5);
        message.emit(b, offset);
        IcmpPacket packet = IcmpPacket.parse(b, offset, message.length()).value();
        assertTrue(packet.checksumValid());
        assertEquals(message, IcmpMessage.of(packet));
        assertEquals(message.type(), packet.type());
        assertEquals(message.code(), packet.code());
        assertEquals(message.restOfHeader(), packet.restOfHeader());
        assertEquals(message.length() - 8, packet.payloadLength());
        assertArrayEquals(message.data(), Arrays.copyOfRange(b, packet.payloadOffset(),
                packet.payloadOffset() + packet.payloadLength()));
        assertEquals((byte) 0xa5, b[offset + message.length()], "emit wrote past length()");
        if (offset > 0) assertEquals((byte) 0xa5, b[offset - 1], "emit wrote before its offset");
    }

    @Property
    void arbitraryBytesNeverThrowAndEmitBackTheSameBytes(@ForAll @Size(max = 80) byte[] bytes,
                                                         @ForAll @IntRange(min = 0, max = 12) int type) {
        // Most samples get a type knetsim has a record for, so the records' checks meet random bytes.
        if (bytes.length > 0 && type < 12) bytes[0] = (byte) type;
        Parsed<IcmpPacket> parsed = IcmpPacket.parse(bytes, 0, bytes.length);
        if (bytes.length < 8) {
            assertEquals("truncated: " + bytes.length + " bytes, ICMP header needs 8", parsed.reason());
            return;
        }
        IcmpMessage message = IcmpMessage.of(parsed.value());
        byte[] again = new byte[message.length()];
        message.emit(again, 0);
        byte[] original = bytes.clone();
        original[2] = again[2];
        original[3] = again[3];
        assertArrayEquals(original, again);
    }

    @Test
    void capturedEchoRequestAndTheKernelsReply() {
        byte[] request = HEX.parseHex(REQUEST_IP + REQUEST_ICMP);
        Ipv4Packet ip = Ipv4Packet.parse(request, 0, request.length).value();
        IcmpPacket packet = IcmpPacket.parse(request, ip.payloadOffset(), ip.payloadLength()).value();
        assertTrue(packet.checksumValid());
        assertEquals(0x350e, packet.checksum());
        assertEquals(IcmpPacket.ICMP_ECHO, packet.type());
        assertEquals(0x1c2b, packet.identifier());
        assertEquals(1, packet.sequence());
        IcmpMessage.EchoRequest echo = assertInstanceOf(IcmpMessage.EchoRequest.class, IcmpMessage.of(packet));
        assertArrayEquals(HEX.parseHex(DATA), echo.data());
        assertEquals("ICMP echo request, id 7211, seq 1, length 64", packet.toString());

        // What icmp_echo() sent back is what reply() emits, checksum included.
        byte[] reply = new byte[64];
        echo.reply().emit(reply, 0);
        assertEquals(REPLY_ICMP, HEX.formatHex(reply));
        byte[] kernelReply = HEX.parseHex(REPLY_IP + REPLY_ICMP);
        assertTrue(IcmpPacket.parse(kernelReply, 20, 64).value().checksumValid());
    }

    @Test
    void checksumComputedByHandMatchesTheKernel() {
        // The reply differs from the request only in its type byte (0x08 -> 0x00): the first word drops by 0x0800,
        // so its checksum rises by 0x0800: 0x350e + 0x0800 = 0x3d0e, the value Linux sent.
        assertEquals(0x3d0e, 0x350e + 0x0800);
        byte[] b = new byte[64];
        new IcmpMessage.EchoReply(0x1c2b, 1, HEX.parseHex(DATA)).emit(b, 0);
        assertEquals(0x3d0e, ((b[2] & 0xff) << 8) | (b[3] & 0xff));
    }

    @Test
    void aBadChecksumParsesButIsReported() {
        byte[] b = HEX.parseHex(REQUEST_ICMP);
        b[63] ^= 0x40;
        IcmpPacket packet = IcmpPacket.parse(b, 0, b.length).value();
        assertFalse(packet.checksumValid());
        assertTrue(packet.toString().endsWith(", bad checksum"));
    }

    @Test
    void theChecksumCoversAnOddLengthMessage() {
        byte[] b = new byte[13];
        new IcmpMessage.EchoRequest(1, 2, new byte[] {1, 2, 3, 4, 5}).emit(b, 0);
        assertTrue(IcmpPacket.parse(b, 0, 13).value().checksumValid());
        b[12] ^= 1;
        assertFalse(IcmpPacket.parse(b, 0, 13).value().checksumValid());
    }

    @Test
    void errorsQuoteAsMuchOfTheDatagramAsFitsIn576Bytes() {
        assertEquals(548, IcmpMessage.MAX_QUOTE_LEN);
        Ipv4Address a = Ipv4Address.parse("10.0.0.1");
        Ipv4Address b = Ipv4Address.parse("10.0.0.2");
        byte[] big = new byte[1500 + 10];
        Ipv4Header.of(a, b, Ipv4Packet.IPPROTO_UDP, 1, 7, 1480).emit(big, 0);
        Ipv4Packet offending = Ipv4Packet.parse(big, 0, big.length).value();
        IcmpMessage.TimeExceeded error = IcmpMessage.timeExceeded(IcmpPacket.ICMP_EXC_TTL, offending);
        assertEquals(548, error.quote().length);
        assertEquals(556, error.length());
        assertEquals(20 + 556, 576);
        assertArrayEquals(Arrays.copyOf(big, 548), error.quote());

        // A short datagram is quoted whole, without the Ethernet padding after it.
        byte[] small = new byte[46];
        Ipv4Header.of(a, b, Ipv4Packet.IPPROTO_UDP, 64, 8, 8).emit(small, 0);
        IcmpMessage.DestinationUnreachable port = IcmpMessage.destinationUnreachable(IcmpPacket.ICMP_PORT_UNREACH,
                Ipv4Packet.parse(small, 0, small.length).value());
        assertArrayEquals(Arrays.copyOf(small, 28), port.quote());
        assertEquals("ICMP port unreachable, length 36", port.toString());

        IcmpMessage.DestinationUnreachable tooBig = IcmpMessage.fragmentationNeeded(1400, offending);
        assertEquals(1400, tooBig.restOfHeader());
        assertEquals("ICMP fragmentation needed unreachable, mtu 1400, length 556", tooBig.toString());
    }

    @Test
    void quoteLengthFollowsIcmpSendsRoom() {
        assertEquals(548, IcmpMessage.quoteLength(1500, 1500, 0));
        assertEquals(100, IcmpMessage.quoteLength(100, 1500, 0));
        assertEquals(508, IcmpMessage.quoteLength(1500, 1500, 40));
        assertEquals(272, IcmpMessage.quoteLength(1500, 300, 0));
        // Room of 21 bytes still quotes; room of 20 (no more than an IP header) sends nothing.
        assertEquals(21, IcmpMessage.quoteLength(1500, 49, 0));
        assertEquals(-1, IcmpMessage.quoteLength(1500, 48, 0));
    }

    @Test
    void messagesTheRecordsCannotSayExactlyAreOther() {
        // Destination unreachable (port) with non-zero unused bits.
        byte[] b = HEX.parseHex("0303000000000001");
        IcmpMessage message = IcmpMessage.of(IcmpPacket.parse(b, 0, b.length).value());
        assertInstanceOf(IcmpMessage.Other.class, message);
        // Echo request with code 1, time exceeded code 2, and a timestamp request (type 13).
        for (String hex : new String[] {"0801000000000000", "0b02000000000000", "0d00000000000000"}) {
            byte[] bytes = HEX.parseHex(hex);
            assertInstanceOf(IcmpMessage.Other.class, IcmpMessage.of(IcmpPacket.parse(bytes, 0, 8).value()), hex);
        }
        assertThrows(IllegalArgumentException.class, () -> new IcmpMessage.Other(8, 0, 0, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new IcmpMessage.Other(256, 0, 0, new byte[0]));
    }

    @Test
    void constructorsRefuseWhatTheWireCannotCarry() {
        assertThrows(IllegalArgumentException.class, () -> new IcmpMessage.DestinationUnreachable(5, 0, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new IcmpMessage.DestinationUnreachable(3, 1500,
                new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new IcmpMessage.DestinationUnreachable(4, 0x10000,
                new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new IcmpMessage.TimeExceeded(2, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new IcmpMessage.EchoRequest(0x10000, 0, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new IcmpMessage.EchoReply(0, -1, new byte[0]));
    }

    @Test
    void equalMessagesAreEqualWhateverArrayHoldsTheirBytes() {
        byte[] data = {1, 2, 3};
        IcmpMessage.EchoRequest a = new IcmpMessage.EchoRequest(1, 2, data);
        data[0] = 9;
        assertEquals(new IcmpMessage.EchoRequest(1, 2, new byte[] {1, 2, 3}), a);
        assertEquals(new IcmpMessage.EchoRequest(1, 2, new byte[] {1, 2, 3}).hashCode(), a.hashCode());
        a.data()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, a.data());
        assertNotEquals(new IcmpMessage.EchoReply(1, 2, new byte[] {1, 2, 3}), a);
    }

    @Test
    void shortMessagesAreMalformedAndBoundsAreTheCallersBug() {
        assertEquals("truncated: 7 bytes, ICMP header needs 8", IcmpPacket.parse(new byte[8], 0, 7).reason());
        assertTrue(IcmpPacket.parse(new byte[8], 0, 8).isOk());
        assertThrows(IndexOutOfBoundsException.class, () -> IcmpPacket.parse(new byte[8], 1, 8));
    }
}
