package knetsim.node.inet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import knetsim.link.ethernet.MacAddress;
import knetsim.node.dev.Loopback;
import knetsim.node.ipv4.Ipv4Address;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** The indexed interfaces answer every device and local-address question as the configuration's searches do. */
class InetAddrListTest {
    private static Interface iface(int ifindex, String address) {
        return new Interface(ifindex, "eth" + ifindex, MacAddress.of(0x020000000000L + ifindex),
                Ipv4Address.parse(address), 24, 1500);
    }

    @Test
    void devicesByIfindexIncludingLoAndSparseNumbers() {
        Config dense = new Config(List.of(iface(1, "10.0.1.1"), iface(2, "10.0.2.1"), iface(3, "10.0.3.1")),
                List.of(), true);
        InetAddrList list = new InetAddrList(dense);
        for (int i = 1; i <= 3; i++) assertSame(dense.device(i), list.device(i));
        assertSame(Loopback.INTERFACE, list.device(Loopback.IFINDEX));
        assertEquals(assertThrows(IllegalArgumentException.class, () -> dense.device(7)).getMessage(),
                assertThrows(IllegalArgumentException.class, () -> list.device(7)).getMessage());
        // numbers too sparse for an array: the configuration's search answers
        Config sparse = new Config(List.of(iface(5, "10.0.1.1"), iface(40_000, "10.0.2.1")), List.of(), true);
        InetAddrList s = new InetAddrList(sparse);
        assertSame(sparse.device(40_000), s.device(40_000));
        assertSame(sparse.device(5), s.device(5));
        assertThrows(IllegalArgumentException.class, () -> s.device(6));
    }

    @Test
    void localAddressesAreTheInterfacesOnlyNotLo() {
        InetAddrList one = new InetAddrList(new Config(List.of(iface(1, "192.168.1.10")), List.of(), false));
        assertTrue(one.isLocal(Ipv4Address.parse("192.168.1.10")));
        assertFalse(one.isLocal(Ipv4Address.parse("192.168.1.11")));
        assertFalse(one.isLocal(Loopback.ADDRESS));
    }

    @Property(tries = 50)
    void isLocalAgreesWithTheConfiguration(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Interface> interfaces = new ArrayList<>();
        int n = 1 + random.nextInt(60);
        for (int i = 1; i <= n; i++) {
            // addresses on both sides of the sign bit, so the sorted order is a signed one
            interfaces.add(new Interface(i, "eth" + i, MacAddress.of(i),
                    Ipv4Address.of(random.nextInt(16) << 28 | random.nextInt(64)), 24, 1500));
        }
        Config config = new Config(interfaces, List.of(), true);
        InetAddrList list = new InetAddrList(config);
        for (int k = 0; k < 500; k++) {
            Ipv4Address a = Ipv4Address.of(random.nextInt(16) << 28 | random.nextInt(64));
            assertEquals(config.isLocal(a), list.isLocal(a), a.toString());
        }
    }
}
