package knetsim.link.ethernet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;

import knetsim.link.wire.Parsed;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EthernetFrameTest {
    private static final HexFormat HEX = HexFormat.of();

    @Provide
    Arbitrary<EthernetHeader> untagged() {
        return EthernetArbitraries.untaggedHeaders();
    }

    @Provide
    Arbitrary<EthernetHeader> tagged() {
        return EthernetArbitraries.taggedHeaders();
    }

    @Provide
    Arbitrary<EthernetHeader> headers() {
        return EthernetArbitraries.headers();
    }

    @Property
    void untaggedEmitThenParseGivesItBack(@ForAll("untagged") EthernetHeader header,
                                          @ForAll @Size(max = 1600) byte[] payload,
                                          @ForAll @IntRange(max = 16) int offset,
                                          @ForAll @IntRange(max = 16) int slack) {
        assertRoundTrip(header, payload, offset, slack);
    }

    @Property
    void taggedEmitThenParseGivesItBack(@ForAll("tagged") EthernetHeader header,
                                        @ForAll @Size(max = 1600) byte[] payload,
                                        @ForAll @IntRange(max = 16) int offset,
                                        @ForAll @IntRange(max = 16) int slack) {
        assertRoundTrip(header, payload, offset, slack);
    }

    private static void assertRoundTrip(EthernetHeader header, byte[] payload, int offset, int slack) {
        byte[] b = EthernetArbitraries.frame(header, payload, offset, slack);
        EthernetFrame frame = EthernetFrame.parse(b, offset, header.length() + payload.length).value();
        assertEquals(header, EthernetHeader.of(frame));
        assertEquals(header.destination(), frame.destination());
        assertEquals(header.source(), frame.source());
        assertEquals(header.etherType(), frame.etherType());
        assertEquals(header.hasVlanTag(), frame.hasVlanTag());
        assertEquals(header.vlanTci(), frame.vlanTci());
        assertEquals(header.vlanId(), frame.vlanId());
        assertEquals(header.vlanPriority(), frame.vlanPriority());
        assertEquals(header.hasVlanTag() ? 18 : 14, frame.headerLength());
        assertEquals(offset + frame.headerLength(), frame.payloadOffset());
        assertEquals(payload.length, frame.payloadLength());
        assertArrayEquals(payload, Arrays.copyOfRange(b, frame.payloadOffset(),
                frame.payloadOffset() + frame.payloadLength()));
    }

    @Property
    void everyTruncationParsesOrIsMalformedNeverThrows(@ForAll("headers") EthernetHeader header,
                                                       @ForAll @Size(max = 40) byte[] payload,
                                                       @ForAll @IntRange(max = 4) int offset) {
        byte[] b = EthernetArbitraries.frame(header, payload, offset, 0);
        for (int len = 0; len <= header.length() + payload.length; len++) {
            Parsed<EthernetFrame> parsed = EthernetFrame.parse(b, offset, len);
            if (len < 14) {
                assertEquals("truncated: " + len + " bytes, Ethernet header needs 14", parsed.reason());
            } else if (len < header.length()) {
                assertEquals("truncated: " + len + " bytes, 802.1Q tagged Ethernet header needs 18",
                        parsed.reason());
            } else {
                assertEquals(header, EthernetHeader.of(parsed.value()));
                assertEquals(len - header.length(), parsed.value().payloadLength());
            }
        }
    }

    /** Half the samples get an 802.1Q TPID, so the tagged checks meet random bytes too. */
    @Property
    void arbitraryBytesNeverThrowAndWhatParsesEmitsBackTheSameHeader(@ForAll @Size(max = 40) byte[] bytes,
                                                                     @ForAll boolean vlanTpid) {
        if (vlanTpid && bytes.length >= 14) {
            bytes[12] = (byte) 0x81;
            bytes[13] = 0x00;
        }
        Parsed<EthernetFrame> parsed = EthernetFrame.parse(bytes, 0, bytes.length);
        if (!parsed.isOk()) {
            assertFalse(parsed.reason().isBlank());
            return;
        }
        EthernetFrame frame = parsed.value();
        assertTrue(frame.headerLength() == 14 || frame.headerLength() == 18, "header " + frame.headerLength());
        assertEquals(bytes.length, frame.payloadOffset() + frame.payloadLength());
        EthernetHeader header = EthernetHeader.of(frame);
        byte[] again = new byte[header.length()];
        header.emit(again, 0);
        assertArrayEquals(Arrays.copyOf(bytes, header.length()), again);
    }

    @Test
    void knownUntaggedFrame() {
        // An ARP request from a QEMU NIC, as tcpdump -xx shows it.
        byte[] b = HEX.parseHex("ffffffffffff525400123456080600010800060400015254001234560a000201000000000000"
                + "0a000202");
        EthernetFrame frame = EthernetFrame.parse(b, 0, b.length).value();
        assertEquals(MacAddress.BROADCAST, frame.destination());
        assertEquals(MacAddress.parse("52:54:00:12:34:56"), frame.source());
        assertEquals(EtherType.ARP, frame.etherType());
        assertFalse(frame.hasVlanTag());
        assertEquals(-1, frame.vlanTci());
        assertEquals(-1, frame.vlanId());
        assertEquals(-1, frame.vlanPriority());
        assertEquals(14, frame.headerLength());
        assertEquals(14, frame.payloadOffset());
        assertEquals(28, frame.payloadLength());
        assertEquals(b, frame.buffer());
    }

    @Test
    void knownTaggedFrameAtAnOffset() {
        // Two bytes of something else, then mDNS multicast in VLAN 10 with priority 5 (TCI 0xa00a).
        byte[] b = HEX.parseHex("eeee01005e0000fb02005e100001" + "8100a00a" + "0800" + "45000014");
        EthernetFrame frame = EthernetFrame.parse(b, 2, b.length - 2).value();
        assertEquals(MacAddress.parse("01:00:5e:00:00:fb"), frame.destination());
        assertEquals(MacAddress.parse("02:00:5e:10:00:01"), frame.source());
        assertTrue(frame.hasVlanTag());
        assertEquals(0xa00a, frame.vlanTci());
        assertEquals(10, frame.vlanId());
        assertEquals(5, frame.vlanPriority());
        assertEquals(EtherType.IPV4, frame.etherType());
        assertEquals(2, frame.offset());
        assertEquals(18, frame.headerLength());
        assertEquals(20, frame.payloadOffset());
        assertEquals(4, frame.payloadLength());
        assertEquals("02:00:5e:10:00:01 > 01:00:5e:00:00:fb, vlan 10, p 5, ethertype IPv4 (0x0800), length 22",
                frame.toString());
    }

    @Test
    void headerOnlyFramesParseWithAnEmptyPayload() {
        byte[] untagged = HEX.parseHex("02005e10000102005e1000020800");
        assertEquals(0, EthernetFrame.parse(untagged, 0, 14).value().payloadLength());
        byte[] tagged = HEX.parseHex("02005e10000102005e100002810000010800");
        EthernetFrame frame = EthernetFrame.parse(tagged, 0, 18).value();
        assertEquals(0, frame.payloadLength());
        assertEquals(1, frame.vlanId());
        assertEquals(0, frame.vlanPriority());
    }

    @Test
    void thirteenBytesAreTooShort() {
        byte[] b = HEX.parseHex("02005e10000102005e1000020800");
        assertEquals("truncated: 13 bytes, Ethernet header needs 14", EthernetFrame.parse(b, 0, 13).reason());
        assertEquals("truncated: 0 bytes, Ethernet header needs 14", EthernetFrame.parse(b, 0, 0).reason());
    }

    @Test
    void seventeenBytesWithAVlanTpidAreTooShort() {
        byte[] b = HEX.parseHex("02005e10000102005e100002810000010800");
        assertEquals("truncated: 17 bytes, 802.1Q tagged Ethernet header needs 18",
                EthernetFrame.parse(b, 0, 17).reason());
        assertEquals("truncated: 14 bytes, 802.1Q tagged Ethernet header needs 18",
                EthernetFrame.parse(b, 0, 14).reason());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0000, 0x002e, 0x05dc, 0x05ff})
    void an8023LengthFieldIsNotEthernetII(int length) {
        byte[] b = new byte[64];
        b[12] = (byte) (length >>> 8);
        b[13] = (byte) length;
        assertEquals(String.format("802.3 length field 0x%04x, not Ethernet II", length),
                EthernetFrame.parse(b, 0, b.length).reason());
    }

    @Test
    void typesStartAt0x0600() {
        byte[] b = HEX.parseHex("02005e10000102005e1000020600");
        assertEquals(0x0600, EthernetFrame.parse(b, 0, b.length).value().etherType());
    }

    @Test
    void an8023LengthAfterTheTagIsNotEthernetII() {
        byte[] b = HEX.parseHex("02005e10000102005e1000028100000a05dc");
        assertEquals("802.3 length field 0x05dc after 802.1Q tag, not Ethernet II",
                EthernetFrame.parse(b, 0, b.length).reason());
    }

    @Test
    void stackedTagsAreRefusedRatherThanMisread() {
        byte[] b = HEX.parseHex("02005e10000102005e1000028100000a8100001408000000");
        assertEquals("stacked 802.1Q tags, only one tag is modelled", EthernetFrame.parse(b, 0, b.length).reason());
    }

    @Test
    void theFrameIsWhatWasParsedEvenIfTheBufferChangesLater() {
        byte[] b = HEX.parseHex("02005e10000102005e1000020800" + "00000000");
        EthernetFrame frame = EthernetFrame.parse(b, 0, b.length).value();
        b[12] = (byte) 0x81;
        b[13] = 0x00;
        assertFalse(frame.hasVlanTag());
        assertEquals(EtherType.IPV4, frame.etherType());
        assertNotEquals(EtherType.VLAN, EthernetHeader.of(frame).etherType());
    }

    @Test
    void boundsOutsideTheArrayAreTheCallersBug() {
        assertThrows(IndexOutOfBoundsException.class, () -> EthernetFrame.parse(new byte[20], 10, 14));
        assertThrows(IndexOutOfBoundsException.class, () -> EthernetFrame.parse(new byte[20], -1, 14));
        assertThrows(IndexOutOfBoundsException.class, () -> EthernetFrame.parse(new byte[20], 0, -1));
    }

    @Test
    void constants() {
        assertEquals(14, EthernetFrame.HEADER_LEN);
        assertEquals(4, EthernetFrame.VLAN_TAG_LEN);
        assertEquals(60, EthernetFrame.MIN_FRAME_LEN);
        assertEquals(4, EthernetFrame.FCS_LEN);
        assertEquals(4094, EthernetFrame.MAX_VLAN_ID);
    }
}
