package knetsim.node.neigh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;

import knetsim.link.ethernet.EtherType;
import knetsim.link.ethernet.EthernetFrame;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.wire.Parsed;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ArpPacketTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * The first of three requests Linux 6.18.44 sent when a UDP datagram went to the unused 10.0.2.2: captured
     * with {@code tshark -i veth1 -f arp} on one end of a veth pair inside {@code unshare -n}, the other end
     * having 02:00:5e:10:00:01 and 10.0.2.1/24. veth does not pad, so the frame is 42 bytes.
     */
    private static final String LINUX_REQUEST = "ffffffffffff02005e1000010806" + "0001080006040001"
            + "02005e100001" + "0a000201" + "000000000000" + "0a000202";

    @Provide
    Arbitrary<ArpMessage> messages() {
        Arbitrary<MacAddress> macs = Arbitraries.longs().between(0, 0xffff_ffff_ffffL).map(MacAddress::of);
        Arbitrary<Integer> addresses = Arbitraries.integers();
        return Combinators.combine(Arbitraries.of(ArpMessage.REQUEST, ArpMessage.REPLY), macs, addresses, macs,
                addresses).as(ArpMessage::new);
    }

    @Test
    void aRequestCapturedFromLinuxParsesFieldByField() {
        byte[] b = HEX.parseHex(LINUX_REQUEST);
        EthernetFrame frame = EthernetFrame.parse(b, 0, b.length).value();
        assertEquals(EtherType.ARP, frame.etherType());
        ArpPacket arp = ArpPacket.parse(b, frame.payloadOffset(), frame.payloadLength()).value();
        assertEquals(ArpMessage.REQUEST, arp.operation());
        assertTrue(arp.isRequest());
        assertFalse(arp.isReply());
        assertEquals(MacAddress.parse("02:00:5e:10:00:01"), arp.senderHardwareAddress());
        assertEquals(0x0a000201, arp.senderProtocolAddress());
        assertEquals(MacAddress.ZERO, arp.targetHardwareAddress());
        assertEquals(0x0a000202, arp.targetProtocolAddress());
        assertFalse(arp.isGratuitous());
        assertEquals(14, arp.offset());
        assertEquals("Request who-has 10.0.2.2 tell 10.0.2.1", arp.toString());
        ArpMessage expected = ArpMessage.request(MacAddress.parse("02:00:5e:10:00:01"),
                ArpMessage.ipv4("10.0.2.1"), ArpMessage.ipv4("10.0.2.2"));
        assertEquals(expected, ArpMessage.of(arp));
        byte[] emitted = new byte[28];
        expected.emit(emitted, 0);
        assertArrayEquals(Arrays.copyOfRange(b, 14, 42), emitted);
    }

    @Test
    void ethernetPaddingAfterThe28BytesIsIgnored() {
        byte[] b = new byte[60];
        byte[] captured = HEX.parseHex(LINUX_REQUEST);
        System.arraycopy(captured, 0, b, 0, captured.length);
        Arrays.fill(b, 42, 60, (byte) 0xee);
        ArpPacket arp = ArpPacket.parse(b, 14, 46).value();
        assertEquals(0x0a000202, arp.targetProtocolAddress());
        assertEquals(MacAddress.ZERO, arp.targetHardwareAddress());
    }

    @Property
    void emitThenParseGivesItBack(@ForAll("messages") ArpMessage message, @ForAll @IntRange(max = 16) int offset,
                                  @ForAll @IntRange(max = 18) int padding) {
        byte[] b = new byte[offset + 28 + padding];
        Arrays.fill(b, (byte) 0xa5);
        message.emit(b, offset);
        ArpPacket packet = ArpPacket.parse(b, offset, 28 + padding).value();
        assertEquals(message, ArpMessage.of(packet));
        assertEquals(message.isGratuitous(), packet.isGratuitous());
        for (int i = 0; i < b.length; i++) {
            if (i < offset || i >= offset + 28) assertEquals((byte) 0xa5, b[i], "byte " + i + " was written");
        }
    }

    @Property
    void arbitraryBytesNeverThrowAndWhatParsesEmitsBackTheSameBytes(@ForAll @Size(max = 40) byte[] bytes,
                                                                    @ForAll boolean ethernetIpv4Header) {
        if (ethernetIpv4Header && bytes.length >= 6) {
            // Without this, nearly every sample would stop at the hardware type check.
            System.arraycopy(HEX.parseHex("000108000604"), 0, bytes, 0, 6);
        }
        Parsed<ArpPacket> parsed = ArpPacket.parse(bytes, 0, bytes.length);
        if (!parsed.isOk()) {
            assertFalse(parsed.reason().isBlank());
            return;
        }
        byte[] again = new byte[28];
        ArpMessage.of(parsed.value()).emit(again, 0);
        assertArrayEquals(Arrays.copyOf(bytes, 28), again);
    }

    @Test
    void whatIsNotEthernetIpv4RequestOrReplyIsMalformedWithItsReason() {
        assertEquals("truncated: 27 bytes, Ethernet/IPv4 ARP needs 28", parseWith(0, "", 27).reason());
        assertEquals("hardware type 6, only Ethernet is modelled", parseWith(0, "0006", 28).reason());
        assertEquals("protocol type 0x86dd, only IPv4 is modelled", parseWith(2, "86dd", 28).reason());
        assertEquals("hardware address length 8, Ethernet's is 6", parseWith(4, "08", 28).reason());
        assertEquals("protocol address length 16, IPv4's is 4", parseWith(5, "10", 28).reason());
        assertEquals("operation 3, only request (1) and reply (2) are modelled", parseWith(6, "0003", 28).reason());
        assertEquals("operation 0, only request (1) and reply (2) are modelled", parseWith(6, "0000", 28).reason());
        assertTrue(parseWith(6, "0002", 28).value().isReply());
    }

    private static Parsed<ArpPacket> parseWith(int at, String hex, int length) {
        byte[] b = Arrays.copyOfRange(HEX.parseHex(LINUX_REQUEST), 14, 42);
        byte[] patch = HEX.parseHex(hex);
        System.arraycopy(patch, 0, b, at, patch.length);
        return ArpPacket.parse(b, 0, length);
    }

    @Test
    void theOperationIsWhatWasParsedEvenIfTheBufferChangesLater() {
        byte[] b = Arrays.copyOfRange(HEX.parseHex(LINUX_REQUEST), 14, 42);
        ArpPacket packet = ArpPacket.parse(b, 0, 28).value();
        b[7] = 9;
        assertEquals(ArpMessage.REQUEST, packet.operation());
    }

    @Test
    void gratuitousArpAsksForItsOwnAddress() {
        MacAddress mac = MacAddress.parse("02:00:5e:10:00:01");
        int ip = ArpMessage.ipv4("10.0.2.1");
        ArpMessage announcement = ArpMessage.request(mac, ip, ip);
        assertTrue(announcement.isGratuitous());
        byte[] b = new byte[28];
        announcement.emit(b, 0);
        assertTrue(ArpPacket.parse(b, 0, 28).value().isGratuitous());
        assertFalse(ArpMessage.request(mac, ip, ip + 1).isGratuitous());
    }

    @Test
    void replyAnswersTheRequesterAboutTheAskedAddress() {
        ArpMessage request = ArpMessage.request(MacAddress.parse("02:00:5e:10:00:01"), ArpMessage.ipv4("10.0.2.1"),
                ArpMessage.ipv4("10.0.2.2"));
        ArpMessage reply = ArpMessage.replyTo(request, MacAddress.parse("02:00:5e:10:00:02"));
        assertEquals(new ArpMessage(ArpMessage.REPLY, MacAddress.parse("02:00:5e:10:00:02"),
                ArpMessage.ipv4("10.0.2.2"), MacAddress.parse("02:00:5e:10:00:01"), ArpMessage.ipv4("10.0.2.1")),
                reply);
        assertEquals("Reply 10.0.2.2 is-at 02:00:5e:10:00:02", reply.toString());
    }

    @Test
    void dottedQuadsReadAndPrintLikeInetPton() {
        assertEquals(0xc0a80001, ArpMessage.ipv4("192.168.0.1"));
        assertEquals("255.255.255.255", ArpMessage.dottedQuad(-1));
        assertEquals("0.0.0.0", ArpMessage.dottedQuad(0));
        assertEquals("10.0.2.1", ArpMessage.dottedQuad(0x0a000201));
        for (String bad : new String[] {"10.0.2", "10.0.2.256", "10.0.02.1", "10.0..1", "a.b.c.d", "1.2.3.4.5",
                "+1.2.3.4", "1.2.3.4 "}) {
            assertThrows(IllegalArgumentException.class, () -> ArpMessage.ipv4(bad), bad);
        }
    }

    @Test
    void constructorRefusesOperationsParseWouldRefuse() {
        assertThrows(IllegalArgumentException.class,
                () -> new ArpMessage(3, MacAddress.ZERO, 0, MacAddress.ZERO, 0));
    }

    @Test
    void boundsOutsideTheArrayAreTheCallersBug() {
        assertThrows(IndexOutOfBoundsException.class, () -> ArpPacket.parse(new byte[28], 1, 28));
        assertThrows(IndexOutOfBoundsException.class, () -> ArpMessage.request(MacAddress.ZERO, 0, 0)
                .emit(new byte[30], 3));
    }
}
