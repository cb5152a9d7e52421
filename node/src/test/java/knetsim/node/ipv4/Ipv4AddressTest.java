package knetsim.node.ipv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4AddressTest {

    @Test
    void parsesAndPrintsDottedQuads() {
        assertEquals(0x0a000102, Ipv4Address.parse("10.0.1.2").bits());
        assertEquals(0xc0a800c7, Ipv4Address.parse("192.168.0.199").bits());
        assertEquals("255.255.255.255", Ipv4Address.BROADCAST.toString());
        assertEquals("0.0.0.0", Ipv4Address.ANY.toString());
        assertEquals(Ipv4Address.parse("010.000.001.002"), Ipv4Address.parse("10.0.1.2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.1", "10.0.1.2.3", "10.0.1.256", "10.0.1.2 ", " 10.0.1.2", "10..1.2",
            "10.0.1.", "1000.0.1.2", "a.b.c.d", "10.0.1.-2", "10.1", "١٠.0.1.2"})
    void refusesAnythingElse(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(text));
        assertTrue(e.getMessage().contains("\"" + text + "\""), e.getMessage());
    }

    @Test
    void readsAndWritesNetworkByteOrder() {
        byte[] b = {0, (byte) 192, (byte) 168, 0, 1, 0};
        assertEquals(Ipv4Address.parse("192.168.0.1"), Ipv4Address.read(b, 1));
        byte[] out = new byte[6];
        Ipv4Address.parse("192.168.0.1").write(out, 1);
        assertEquals(java.util.Arrays.toString(b), java.util.Arrays.toString(out));
        assertThrows(IndexOutOfBoundsException.class, () -> Ipv4Address.read(b, 3));
    }

    @Test
    void ordersAsUnsignedNumbers() {
        assertTrue(Ipv4Address.parse("10.0.0.1").compareTo(Ipv4Address.parse("192.168.0.1")) < 0);
        assertTrue(Ipv4Address.parse("192.168.0.1").compareTo(Ipv4Address.BROADCAST) < 0);
    }

    @Property
    void printThenParseGivesItBack(@ForAll int bits) {
        Ipv4Address address = Ipv4Address.of(bits);
        assertEquals(address, Ipv4Address.parse(address.toString()));
        assertEquals(address.hashCode(), Ipv4Address.of(bits).hashCode());
    }
}
