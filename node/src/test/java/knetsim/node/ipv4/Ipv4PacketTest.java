package knetsim.node.ipv4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;

import knetsim.link.wire.Parsed;
import knetsim.node.skb.SkbDropReason;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class Ipv4PacketTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * An ICMP echo request to 127.0.0.1 captured with {@code tshark -i lo -x} on Linux 6.18: the kernel built this
     * IP header (raw ICMP socket, no IP_HDRINCL); the ICMP message was laid out as iputils ping lays it out.
     */
    static final String ECHO_REQUEST = "450000548515400040" + "01b7917f0000017f000001"
            + "0800350e1c2b00019298016b0000000046ef0d0000000000"
            + "101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    @Provide
    Arbitrary<Ipv4Header> headers() {
        return Ipv4Arbitraries.headers();
    }

    @Property
    void emitThenParseGivesItBack(@ForAll("headers") Ipv4Header header, @ForAll long seed,
                                  @ForAll @IntRange(max = 16) int offset, @ForAll @IntRange(max = 46) int padding) {
        byte[] payload = Ipv4Arbitraries.payload(header.payloadLength(), seed);
        // Padding stands for Ethernet padding after a short datagram: it must not become payload.
        byte[] b = Ipv4Arbitraries.packet(header, payload, offset, padding);
        Ipv4Packet packet = Ipv4Packet.parse(b, offset, b.length - offset).value();
        assertEquals(header, Ipv4Header.of(packet));
        assertTrue(packet.checksumValid());
        assertEquals(4, packet.version());
        assertEquals(header.length(), packet.headerLength());
        assertEquals(header.ihl(), packet.ihl());
        assertEquals(header.totalLength(), packet.totalLength());
        assertEquals(header.tos(), packet.tos());
        assertEquals(header.dscp(), packet.dscp());
        assertEquals(header.ecn(), packet.ecn());
        assertEquals(header.flags(), packet.flags());
        assertEquals(header.dontFragment(), packet.dontFragment());
        assertEquals(header.moreFragments(), packet.moreFragments());
        assertEquals(header.moreFragments() || header.fragmentOffset() != 0, packet.isFragment());
        assertEquals(header.fragmentOffset(), packet.fragmentOffset());
        assertEquals(header.ttl(), packet.ttl());
        assertEquals(header.protocol(), packet.protocol());
        assertEquals(header.source(), packet.source());
        assertEquals(header.destination(), packet.destination());
        assertArrayEquals(header.options(), packet.options());
        assertEquals(offset + header.length(), packet.payloadOffset());
        assertEquals(payload.length, packet.payloadLength());
        assertArrayEquals(payload, Arrays.copyOfRange(b, packet.payloadOffset(),
                packet.payloadOffset() + packet.payloadLength()));
        assertEquals(SkbDropReason.NOT_DROPPED_YET, Ipv4Packet.dropReason(Parsed.ok(packet)));
    }

    @Property
    void emitWritesExactlyLengthBytes(@ForAll("headers") Ipv4Header header, @ForAll @IntRange(max = 8) int offset) {
        byte[] zeros = new byte[offset + header.length() + 8];
        byte[] ones = new byte[zeros.length];
        Arrays.fill(ones, (byte) 0xff);
        header.emit(zeros, offset);
        header.emit(ones, offset);
        for (int i = 0; i < zeros.length; i++) {
            boolean inside = i >= offset && i < offset + header.length();
            if (inside) {
                assertEquals(zeros[i], ones[i], "byte " + i + " of the header was not written");
            } else {
                assertEquals(0, zeros[i], "byte " + i + " outside the header was written");
                assertEquals((byte) 0xff, ones[i], "byte " + i + " outside the header was written");
            }
        }
    }

    @Property
    void everyTruncationIsMalformedWithTheRightReason(@ForAll("headers") Ipv4Header header, @ForAll long seed) {
        Ipv4Header small = Ipv4Arbitraries.with(header, header.options(), header.payloadLength() % 24);
        byte[] b = Ipv4Arbitraries.packet(small, Ipv4Arbitraries.payload(small.payloadLength(), seed), 0, 0);
        for (int len = 0; len < b.length; len++) {
            Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(b, 0, len);
            String expected = len < 20 ? "truncated: " + len + " bytes, IPv4 header needs 20"
                    : len < small.length() ? "truncated: " + len + " bytes, IHL " + small.ihl() + " needs "
                    + small.length()
                    : "truncated: total length " + small.totalLength() + ", only " + len + " bytes";
            assertEquals(expected, parsed.reason());
            assertEquals(len < small.length() ? SkbDropReason.IP_INHDR : SkbDropReason.PKT_TOO_SMALL,
                    Ipv4Packet.dropReason(parsed));
        }
        assertTrue(Ipv4Packet.parse(b, 0, b.length).isOk());
    }

    /** Half the samples get version 4 and a small IHL, so the later checks meet random bytes too. */
    @Property
    void arbitraryBytesNeverThrowAndWhatParsesEmitsBackTheSameHeader(@ForAll @Size(max = 80) byte[] bytes,
                                                                     @ForAll boolean plausible) {
        if (plausible && bytes.length >= 4) {
            bytes[0] = (byte) (0x45 + (bytes[0] & 0x03));
            bytes[2] = 0;
            bytes[3] = (byte) Math.min(bytes.length, bytes[3] & 0x7f);
        }
        Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(bytes, 0, bytes.length);
        if (!parsed.isOk()) {
            assertFalse(parsed.reason().isBlank());
            assertFalse(Ipv4Packet.dropReason(parsed) == SkbDropReason.NOT_DROPPED_YET);
            return;
        }
        Ipv4Packet packet = parsed.value();
        assertTrue(packet.payloadOffset() + packet.payloadLength() <= bytes.length);
        Ipv4Header header = Ipv4Header.of(packet);
        byte[] again = new byte[header.length()];
        header.emit(again, 0);
        byte[] original = Arrays.copyOf(bytes, header.length());
        // Only the checksum may differ: emit() writes a correct one (0x0000 where a peer may have sent 0xffff).
        assertTrue(InternetChecksum.isValid(again, 0, again.length));
        if (Arrays.equals(original, again)) assertTrue(packet.checksumValid());
        original[10] = again[10];
        original[11] = again[11];
        assertArrayEquals(original, again);
    }

    @Test
    void capturedEchoRequest() {
        byte[] b = HEX.parseHex("000000000000" + "000000000000" + "0800" + ECHO_REQUEST);
        Ipv4Packet packet = Ipv4Packet.parse(b, 14, b.length - 14).value();
        assertTrue(packet.checksumValid());
        assertEquals(0xb791, packet.checksum());
        assertEquals(84, packet.totalLength());
        assertEquals(0x8515, packet.identification());
        assertTrue(packet.dontFragment());
        assertFalse(packet.isFragment());
        assertEquals(64, packet.ttl());
        assertEquals(Ipv4Packet.IPPROTO_ICMP, packet.protocol());
        assertEquals(Ipv4Address.parse("127.0.0.1"), packet.source());
        assertEquals(Ipv4Address.parse("127.0.0.1"), packet.destination());
        assertEquals(34, packet.payloadOffset());
        assertEquals(64, packet.payloadLength());
        assertEquals(0, packet.optionsLength());
        // Emitting the same fields gives the kernel's bytes, checksum included.
        byte[] again = new byte[20];
        Ipv4Header.of(packet).emit(again, 0);
        assertArrayEquals(Arrays.copyOfRange(b, 14, 34), again);
    }

    @Test
    void checksumComputedByHandMatches() {
        // By hand: the words of the captured header with check = 0 sum to 0x2486c, fold to 0x486e, and
        // complement to 0xb791, which is what Linux wrote.
        int[] words = {0x4500, 0x0054, 0x8515, 0x4000, 0x4001, 0x0000, 0x7f00, 0x0001, 0x7f00, 0x0001};
        int sum = 0;
        for (int w : words) sum += w;
        sum = (sum & 0xffff) + (sum >>> 16);
        assertEquals(0xb791, ~sum & 0xffff);
        Ipv4Header header = new Ipv4Header(0, 0x8515, Ipv4Packet.IP_DF, 0, 64, 1, Ipv4Address.parse("127.0.0.1"),
                Ipv4Address.parse("127.0.0.1"), new byte[0], 64);
        byte[] b = new byte[20];
        header.emit(b, 0);
        assertEquals(~sum & 0xffff, ((b[10] & 0xff) << 8) | (b[11] & 0xff));
    }

    @Test
    void aBadChecksumParsesButIsReported() {
        byte[] b = HEX.parseHex(ECHO_REQUEST);
        b[11] ^= 0x01;
        Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(b, 0, b.length);
        assertFalse(parsed.value().checksumValid());
        assertEquals(SkbDropReason.IP_CSUM, Ipv4Packet.dropReason(parsed));
        assertTrue(parsed.value().toString().endsWith(", bad checksum"));
    }

    @Test
    void aBadChecksumIsReportedBeforeABadTotalLength() {
        // ip_rcv_core() runs ip_fast_csum() before looking at tot_len.
        byte[] b = HEX.parseHex(ECHO_REQUEST);
        b[11] ^= 0x01;
        Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(b, 0, 60);
        assertEquals("bad header checksum 0xb790", parsed.reason());
        assertEquals(SkbDropReason.IP_CSUM, Ipv4Packet.dropReason(parsed));
    }

    @Test
    void boundaryReasons() {
        byte[] b = HEX.parseHex(ECHO_REQUEST);
        assertEquals("truncated: 19 bytes, IPv4 header needs 20", Ipv4Packet.parse(b, 0, 19).reason());
        assertEquals("truncated: total length 84, only 83 bytes", Ipv4Packet.parse(b, 0, 83).reason());
        assertTrue(Ipv4Packet.parse(b, 0, 84).isOk());

        byte[] v6 = b.clone();
        v6[0] = 0x65;
        assertEquals("version 6, not 4", Ipv4Packet.parse(v6, 0, v6.length).reason());
        assertEquals(SkbDropReason.IP_INHDR, Ipv4Packet.dropReason(Ipv4Packet.parse(v6, 0, v6.length)));

        byte[] ihl4 = b.clone();
        ihl4[0] = 0x44;
        assertEquals("IHL 4, below 5", Ipv4Packet.parse(ihl4, 0, ihl4.length).reason());

        byte[] ihl15 = b.clone();
        ihl15[0] = 0x4f;
        assertEquals("truncated: 59 bytes, IHL 15 needs 60", Ipv4Packet.parse(ihl15, 0, 59).reason());
    }

    @Test
    void aTotalLengthShorterThanTheHeaderIsAHeaderError() {
        Ipv4Header header = Ipv4Header.of(Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.2"), 17, 64, 1, 0);
        byte[] b = new byte[28];
        header.emit(b, 0);
        // Rewrite tot_len to 19 and fix the checksum, so only the length is wrong.
        b[3] = 19;
        b[10] = 0;
        b[11] = 0;
        int check = InternetChecksum.compute(b, 0, 20);
        b[10] = (byte) (check >>> 8);
        b[11] = (byte) check;
        Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(b, 0, b.length);
        assertEquals("total length 19, below header length 20", parsed.reason());
        assertEquals(SkbDropReason.IP_INHDR, Ipv4Packet.dropReason(parsed));
        b[3] = 20;
        b[11] -= 1;
        assertEquals(0, Ipv4Packet.parse(b, 0, b.length).value().payloadLength());
    }

    @Test
    void decreaseTtlKeepsTheChecksumValid() {
        byte[] b = HEX.parseHex(ECHO_REQUEST);
        assertEquals(63, Ipv4Packet.decreaseTtl(b, 0));
        Ipv4Packet packet = Ipv4Packet.parse(b, 0, b.length).value();
        assertEquals(63, packet.ttl());
        assertTrue(packet.checksumValid());
        assertEquals(0xb891, packet.checksum());
    }

    @Test
    void theViewKeepsWhatWasCheckedEvenIfTheBufferChangesLater() {
        byte[] b = HEX.parseHex(ECHO_REQUEST);
        Ipv4Packet packet = Ipv4Packet.parse(b, 0, b.length).value();
        b[0] = 0x4f;
        b[3] = 0x10;
        assertEquals(20, packet.headerLength());
        assertEquals(84, packet.totalLength());
    }

    @Test
    void headerConstructorRefusesWhatTheWireCannotCarry() {
        Ipv4Address a = Ipv4Address.parse("10.0.0.1");
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(0, 0, 0, 0, 64, 1, a, a, new byte[3], 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(0, 0, 0, 0, 64, 1, a, a, new byte[44], 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(0, 0, 0x1000, 0, 64, 1, a, a,
                new byte[0], 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(0, 0, 0, 0x2000, 64, 1, a, a,
                new byte[0], 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(256, 0, 0, 0, 64, 1, a, a, new byte[0], 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Header(0, 0, 0, 0, 64, 1, a, a, new byte[4],
                0xffff - 23));
        assertEquals(0xffff, new Ipv4Header(0, 0, 0, 0, 64, 1, a, a, new byte[4], 0xffff - 24).totalLength());
    }

    @Test
    void optionsAreCopiedNotShared() {
        Ipv4Address a = Ipv4Address.parse("10.0.0.1");
        byte[] options = {1, 1, 1, 0};
        Ipv4Header header = new Ipv4Header(0, 0, 0, 0, 64, 1, a, a, options, 0);
        options[0] = 7;
        header.options()[1] = 7;
        assertArrayEquals(new byte[] {1, 1, 1, 0}, header.options());
    }

    @Test
    void boundsOutsideTheArrayAreTheCallersBug() {
        assertThrows(IndexOutOfBoundsException.class, () -> Ipv4Packet.parse(new byte[20], 10, 20));
        assertThrows(IndexOutOfBoundsException.class, () -> Ipv4Packet.parse(new byte[20], -1, 20));
    }

    @Test
    void toStringReadsLikeTcpdump() {
        Ipv4Packet packet = Ipv4Packet.parse(HEX.parseHex(ECHO_REQUEST), 0, 84).value();
        assertEquals("127.0.0.1 > 127.0.0.1: tos 0x0, ttl 64, id 34069, offset 0, flags [DF], proto 1, length 84",
                packet.toString());
    }
}
