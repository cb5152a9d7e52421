package knetsim.link.ethernet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EtherTypeTest {

    @Test
    void valuesAreTheAssignedNumbers() {
        assertEquals(0x0800, EtherType.IPV4);
        assertEquals(0x0806, EtherType.ARP);
        assertEquals(0x8100, EtherType.VLAN);
        assertEquals(0x86dd, EtherType.IPV6);
        assertEquals(0x0600, EtherType.MIN);
    }

    @Test
    void namesAreTcpdumpsAndUnknownTypesShowTheirValue() {
        assertEquals("IPv4", EtherType.name(0x0800));
        assertEquals("ARP", EtherType.name(0x0806));
        assertEquals("802.1Q", EtherType.name(0x8100));
        assertEquals("IPv6", EtherType.name(0x86dd));
        assertEquals("0x88cc", EtherType.name(0x88cc));
        assertEquals("0x0600", EtherType.name(0x0600));
    }

    @Test
    void lengthsEndJustBelow0x0600() {
        assertTrue(EtherType.isLength(0));
        assertTrue(EtherType.isLength(1500));
        assertTrue(EtherType.isLength(0x05ff));
        assertFalse(EtherType.isLength(0x0600));
        assertFalse(EtherType.isLength(EtherType.IPV4));
    }
}
