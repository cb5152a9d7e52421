package knetsim.link.ethernet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EthernetHeaderTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final MacAddress A = MacAddress.parse("02:00:5e:10:00:01");
    private static final MacAddress B = MacAddress.parse("01:00:5e:00:00:fb");

    @Provide
    Arbitrary<EthernetHeader> headers() {
        return EthernetArbitraries.headers();
    }

    @Property
    void emitWritesExactlyLengthBytes(@ForAll("headers") EthernetHeader header,
                                      @ForAll @IntRange(max = 8) int offset) {
        // Two fillers: a byte left at either filler was not written, whatever value the header puts there.
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

    @Test
    void untaggedBytesAreDestinationSourceType() {
        byte[] b = new byte[14];
        EthernetHeader.untagged(B, A, EtherType.IPV6).emit(b, 0);
        assertArrayEquals(HEX.parseHex("01005e0000fb" + "02005e100001" + "86dd"), b);
    }

    @Test
    void taggedBytesPutTheTagBeforeTheType() {
        byte[] b = new byte[18];
        new EthernetHeader(B, A, 0xa00a, EtherType.IPV4).emit(b, 0);
        assertArrayEquals(HEX.parseHex("01005e0000fb" + "02005e100001" + "8100" + "a00a" + "0800"), b);
    }

    @Test
    void lengthAndTag() {
        EthernetHeader untagged = EthernetHeader.untagged(B, A, EtherType.ARP);
        assertEquals(14, untagged.length());
        assertFalse(untagged.hasVlanTag());
        assertEquals(-1, untagged.vlanTci());
        assertEquals(-1, untagged.vlanId());
        assertEquals(-1, untagged.vlanPriority());
        EthernetHeader tagged = new EthernetHeader(B, A, 0xefff, EtherType.ARP);
        assertEquals(18, tagged.length());
        assertTrue(tagged.hasVlanTag());
        assertEquals(0xfff, tagged.vlanId());
        assertEquals(7, tagged.vlanPriority());
    }

    @Test
    void emitChecksBoundsBeforeWriting() {
        byte[] b = new byte[17];
        EthernetHeader tagged = new EthernetHeader(B, A, 1, EtherType.IPV4);
        assertThrows(IndexOutOfBoundsException.class, () -> tagged.emit(b, 0));
        assertArrayEquals(new byte[17], b);
        assertThrows(IndexOutOfBoundsException.class, () -> EthernetHeader.untagged(B, A, 0x0800).emit(b, 4));
        assertArrayEquals(new byte[17], b);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 0x05dc, 0x05ff, 0x8100, 0x10000})
    void refusesTypesParseWouldNotGiveBack(int etherType) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EthernetHeader.untagged(B, A, etherType));
        assertTrue(e.getMessage().startsWith("EtherType"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0x0600, 0x8099, 0x8101, 0xffff})
    void acceptsEveryOtherType(int etherType) {
        assertEquals(etherType, EthernetHeader.untagged(B, A, etherType).etherType());
    }

    @ParameterizedTest
    @ValueSource(ints = {-2, 0x10000, Integer.MIN_VALUE})
    void refusesTagsThatAreNotSixteenBits(int tci) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new EthernetHeader(B, A, tci, EtherType.IPV4));
        assertTrue(e.getMessage().startsWith("VLAN TCI"), e.getMessage());
    }

    @Test
    void acceptsEverySixteenBitTag() {
        assertEquals(0, new EthernetHeader(B, A, 0, EtherType.IPV4).vlanTci());
        assertEquals(0xffff, new EthernetHeader(B, A, 0xffff, EtherType.IPV4).vlanTci());
    }

    @Test
    void refusesMissingAddresses() {
        assertThrows(NullPointerException.class, () -> EthernetHeader.untagged(null, A, EtherType.IPV4));
        assertThrows(NullPointerException.class, () -> EthernetHeader.untagged(B, null, EtherType.IPV4));
    }

    @Test
    void printsLikeTcpdump() {
        assertEquals("02:00:5e:10:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806)",
                EthernetHeader.untagged(MacAddress.BROADCAST, A, EtherType.ARP).toString());
        assertEquals("02:00:5e:10:00:01 > 01:00:5e:00:00:fb, vlan 10, p 5, ethertype 0x88cc (0x88cc)",
                new EthernetHeader(B, A, 0xa00a, 0x88cc).toString());
    }
}
