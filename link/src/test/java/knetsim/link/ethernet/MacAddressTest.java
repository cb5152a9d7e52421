package knetsim.link.ethernet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {

    @Provide
    Arbitrary<Long> macBits() {
        return Arbitraries.longs().between(0, 0xffff_ffff_ffffL);
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().ofMaxLength(20).filter(s -> s.indexOf('\0') < 0);
    }

    @Property
    void formatThenParseGivesTheSameAddress(@ForAll("macBits") long bits) {
        MacAddress mac = MacAddress.of(bits);
        String text = mac.toString();
        assertTrue(text.matches("[0-9a-f]{2}(:[0-9a-f]{2}){5}"), text);
        assertEquals(mac, MacAddress.parse(text));
        assertEquals(mac, MacAddress.parse(text.toUpperCase(Locale.ROOT)));
        assertEquals(mac, MacAddress.parse(text.replace(':', '-')));
        assertEquals(bits, MacAddress.parse(text).toLong());
    }

    @Property
    void writeThenReadGivesTheSameAddressAndTouchesOnlySixBytes(@ForAll("macBits") long bits,
                                                                 @ForAll @IntRange(max = 8) int offset) {
        byte[] b = new byte[offset + 6 + 3];
        Arrays.fill(b, (byte) 0x5a);
        MacAddress.of(bits).write(b, offset);
        assertEquals(MacAddress.of(bits), MacAddress.read(b, offset));
        for (int i = 0; i < b.length; i++) {
            if (i < offset || i >= offset + 6) assertEquals((byte) 0x5a, b[i], "byte " + i);
        }
    }

    @Test
    void firstOctetIsTheMostSignificantAndComesFirstOnTheWire() {
        MacAddress mac = MacAddress.parse("02:00:5e:10:00:01");
        assertEquals(0x0200_5e10_0001L, mac.toLong());
        byte[] b = new byte[6];
        mac.write(b, 0);
        assertArrayEquals(new byte[] {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01}, b);
        assertEquals("00:1b:21:3a:4f:10", MacAddress.parse("00-1B-21-3A-4F-10").toString());
    }

    @ParameterizedTest
    @CsvSource({
        // address,           broadcast, multicast, unicast, locally administered
        "ff:ff:ff:ff:ff:ff, true,  true,  false, true",
        "ff:ff:ff:ff:ff:fe, false, true,  false, true",
        "fe:ff:ff:ff:ff:ff, false, false, true,  true",
        "01:00:5e:00:00:fb, false, true,  false, false",
        "33:33:00:00:00:01, false, true,  false, true",
        "02:00:5e:10:00:01, false, false, true,  true",
        "00:1b:21:3a:4f:10, false, false, true,  false",
        "00:00:00:00:00:00, false, false, true,  false",
    })
    void addressBitsOfKnownAddresses(String text, boolean broadcast, boolean multicast, boolean unicast,
                                     boolean local) {
        MacAddress mac = MacAddress.parse(text);
        assertEquals(broadcast, mac.isBroadcast(), "broadcast");
        assertEquals(multicast, mac.isMulticast(), "multicast");
        assertEquals(unicast, mac.isUnicast(), "unicast");
        assertEquals(local, mac.isLocallyAdministered(), "locally administered");
    }

    @Test
    void constants() {
        assertEquals("ff:ff:ff:ff:ff:ff", MacAddress.BROADCAST.toString());
        assertEquals("00:00:00:00:00:00", MacAddress.ZERO.toString());
        assertTrue(MacAddress.ZERO.isZero());
        assertFalse(MacAddress.parse("00:00:00:00:00:01").isZero());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "02:00:5e:10:00", "02:00:5e:10:00:01:", "02:00:5e:10:00:011", "2:00:5e:10:00:01",
        " 02:00:5e:10:00:01", "02:00:5e:10:00:01 ", "02:00-5e:10:00:01", "02-00-5e-10-00:01", "02.00.5e.10.00.01",
        "0200.5e10.0001", "02005e100001", "g2:00:5e:10:00:01", "02:00:5e:10:00:0x", "02::5e:10:00:01:0",
        "\uff10\uff12:00:5e:10:00:01",
    })
    void parseRejectsAnythingElseQuotingTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(text));
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
    }

    @Test
    void ofRefusesMoreThan48Bits() {
        assertThrows(IllegalArgumentException.class, () -> MacAddress.of(1L << 48));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.of(-1));
        assertEquals(MacAddress.BROADCAST, MacAddress.of((1L << 48) - 1));
    }

    @Test
    void readAndWriteCheckBounds() {
        assertThrows(IndexOutOfBoundsException.class, () -> MacAddress.read(new byte[10], 5));
        assertThrows(IndexOutOfBoundsException.class, () -> MacAddress.ZERO.write(new byte[5], 0));
    }

    @Property
    void orderIsTheOrderOfTheOctets(@ForAll("macBits") long x, @ForAll("macBits") long y) {
        byte[] a = new byte[6];
        byte[] b = new byte[6];
        MacAddress.of(x).write(a, 0);
        MacAddress.of(y).write(b, 0);
        assertEquals(Integer.signum(Arrays.compareUnsigned(a, b)),
                Integer.signum(MacAddress.of(x).compareTo(MacAddress.of(y))));
        assertEquals(x == y, MacAddress.of(x).equals(MacAddress.of(y)));
    }

    @Test
    void equalAddressesHaveEqualHashes() {
        MacAddress a = MacAddress.parse("02:00:5e:10:00:01");
        MacAddress b = MacAddress.of(0x0200_5e10_0001L);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, MacAddress.parse("02:00:5e:10:00:02"));
        assertNotEquals(a, "02:00:5e:10:00:01");
    }

    @Test
    void derivedIsFixedForGivenNames() {
        // Computed once outside Java (Python hashlib): SHA-256("h1\0eth0") starts de 73 3d c4 68 a8, and 0xde
        // already has the U/L bit set and the I/G bit clear; for the other two 0xc9 becomes 0xca and 0xf8 0xfa.
        assertEquals(MacAddress.parse("de:73:3d:c4:68:a8"), MacAddress.derived("h1", "eth0"));
        assertEquals(MacAddress.parse("ca:6e:5a:1d:52:dd"), MacAddress.derived("h1", "eth1"));
        assertEquals(MacAddress.parse("fa:25:a2:d6:5c:b8"), MacAddress.derived("h2", "eth0"));
    }

    @Test
    void derivedSeparatesTheNames() {
        assertNotEquals(MacAddress.derived("h1", "eth0"), MacAddress.derived("h1e", "th0"));
        assertNotEquals(MacAddress.derived("h1", "eth0"), MacAddress.derived("eth0", "h1"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.derived("h1\0", "eth0"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.derived("h1", "\0eth0"));
    }

    @Property
    void derivedIsLocallyAdministeredUnicastAndDependsOnBothNames(@ForAll("names") String node,
                                                                  @ForAll("names") String iface,
                                                                  @ForAll("names") String otherIface) {
        MacAddress mac = MacAddress.derived(node, iface);
        assertTrue(mac.isUnicast(), mac.toString());
        assertTrue(mac.isLocallyAdministered(), mac.toString());
        assertEquals(mac, MacAddress.derived(node, iface));
        // A collision of 46 hashed bits is a 2^-46 event per pair, far below what any run of this test meets.
        assertEquals(iface.equals(otherIface), mac.equals(MacAddress.derived(node, otherIface)));
        assertEquals(node.equals(otherIface), mac.equals(MacAddress.derived(otherIface, iface)));
    }
}
