package knetsim.node.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.Errno;
import org.junit.jupiter.api.Test;

class UdpSocketTableTest {
    static final Ipv4Address ANY = Ipv4Address.ANY, A1 = Ipv4Address.parse("10.0.0.1"), A2 = Ipv4Address.parse("10.0.0.2");
    static final Ipv4Address PEER = Ipv4Address.parse("10.0.0.9"), OTHER = Ipv4Address.parse("10.0.0.8");

    /**
     * Two sockets on one port whose addresses overlap, as SO_REUSEADDR allows (bind() here does
     * not model it): bound apart, then {@code first} is moved to {@code address}.
     */
    static UdpSocket[] sharing(UdpSocketTable table, Ipv4Address address, Ipv4Address secondAddress) {
        UdpSocket first = new UdpSocket(1), second = new UdpSocket(2);
        assertEquals(0, table.bind(first, Ipv4Address.parse("10.0.0.200"), 5000));
        assertEquals(0, table.bind(second, secondAddress, 5000));
        first.bindTo(address, 5000);
        return new UdpSocket[] {first, second};
    }

    @Test
    void anExactLocalAddressBeatsTheWildcard() {
        UdpSocketTable table = new UdpSocketTable();
        UdpSocket[] s = sharing(table, ANY, A1);
        assertSame(s[1], table.lookup(PEER, 1234, A1, 5000));
        assertSame(s[0], table.lookup(PEER, 1234, A2, 5000), "only the wildcard matches 10.0.0.2");
        assertNull(table.lookup(PEER, 1234, A1, 5001));
    }

    @Test
    void aConnectedSocketBeatsTheWildcardForItsPeerOnly() {
        UdpSocketTable table = new UdpSocketTable();
        UdpSocket[] s = sharing(table, ANY, A1);
        s[1].bindTo(ANY, 5000);
        s[1].connectTo(PEER, 53);
        assertSame(s[1], table.lookup(PEER, 53, A1, 5000));
        assertSame(s[0], table.lookup(PEER, 54, A1, 5000), "another port of the peer");
        assertSame(s[0], table.lookup(OTHER, 53, A1, 5000), "another host");
        // connected to the peer (8) beats an exact local address (4)
        UdpSocketTable t2 = new UdpSocketTable();
        UdpSocket[] u = sharing(t2, A1, A2);
        u[1].bindTo(ANY, 5000);
        u[1].connectTo(PEER, 53);
        assertSame(u[1], t2.lookup(PEER, 53, A1, 5000));
        assertSame(u[0], t2.lookup(OTHER, 53, A1, 5000));
    }

    @Test
    void manyPortsBoundInAnyOrderAreEachFoundAndUnbindKeepsTheOthers() {
        UdpSocketTable table = new UdpSocketTable();
        int[] ports = {9000, 53, 65535, 1, 123, 8080, 5353, 30000};
        UdpSocket[] on1 = new UdpSocket[ports.length], on2 = new UdpSocket[ports.length];
        for (int i = 0; i < ports.length; i++) {
            on1[i] = new UdpSocket(2 * i);
            on2[i] = new UdpSocket(2 * i + 1);
            assertEquals(0, table.bind(on1[i], A1, ports[i]));
            assertEquals(0, table.bind(on2[i], A2, ports[i]));
        }
        for (int i = 0; i < ports.length; i++) {
            assertSame(on1[i], table.lookup(PEER, 7, A1, ports[i]), "port " + ports[i]);
            assertSame(on2[i], table.lookup(PEER, 7, A2, ports[i]), "port " + ports[i]);
            assertNull(table.lookup(PEER, 7, A1, ports[i] == 65535 ? 2 : ports[i] + 1), "the next port is free");
        }
        table.unbind(on1[0]); // 9000 keeps its socket on 10.0.0.2
        assertNull(table.lookup(PEER, 7, A1, 9000));
        assertSame(on2[0], table.lookup(PEER, 7, A2, 9000));
        table.unbind(on2[0]); // 9000 is free: every other port is still found
        assertNull(table.lookup(PEER, 7, A2, 9000));
        for (int i = 1; i < ports.length; i++) assertSame(on1[i], table.lookup(PEER, 7, A1, ports[i]));
        assertEquals(0, table.bind(new UdpSocket(99), ANY, 9000), "9000 free again");
    }

    @Test
    void bindRefusesOverlapsAndAcceptsDisjointAddresses() {
        UdpSocketTable table = new UdpSocketTable();
        UdpSocket a = new UdpSocket(1), b = new UdpSocket(2), c = new UdpSocket(3), d = new UdpSocket(4);
        assertEquals(0, table.bind(a, A1, 53));
        assertEquals(0, table.bind(b, A2, 53), "10.0.0.1:53 and 10.0.0.2:53 do not overlap");
        assertEquals(Errno.EADDRINUSE, table.bind(c, ANY, 53));
        assertEquals(Errno.EADDRINUSE, table.bind(c, A1, 53));
        assertEquals(Errno.EINVAL, table.bind(a, A1, 54), "already bound");
        assertSame(a, table.lookup(PEER, 1, A1, 53));
        assertSame(b, table.lookup(PEER, 1, A2, 53));
        table.unbind(a);
        table.unbind(b);
        assertEquals(0, table.bind(c, ANY, 53), "free again after unbind");
        assertNull(table.lookup(PEER, 1, A1, 54));
        assertEquals(0, table.bind(d, ANY, 54));
    }

    @Test
    void autobindPicksFreeEphemeralPortsUntilNoneIsLeft() {
        UdpSocketTable table = new UdpSocketTable();
        SplittableRandom random = new SplittableRandom(1);
        UdpSocket a = new UdpSocket(1), b = new UdpSocket(2);
        assertEquals(0, table.autobind(a, ANY, random));
        assertEquals(0, table.autobind(b, ANY, random));
        assertTrue(a.port() >= 32768 && a.port() <= 60999 && b.port() >= 32768 && b.port() <= 60999);
        assertNotEquals(a.port(), b.port());
        int id = 3;
        for (int port = UdpSocketTable.EPHEMERAL_LOW; port <= UdpSocketTable.EPHEMERAL_HIGH; port++) {
            if (port != a.port() && port != b.port()) assertEquals(0, table.bind(new UdpSocket(id++), ANY, port));
        }
        assertEquals(Errno.EAGAIN, table.autobind(new UdpSocket(id), ANY, random), "the range is exhausted");
        table.unbind(a);
        UdpSocket c = new UdpSocket(id + 1);
        assertEquals(0, table.autobind(c, ANY, random));
        assertEquals(a.port(), c.port(), "the only free one");
    }
}
