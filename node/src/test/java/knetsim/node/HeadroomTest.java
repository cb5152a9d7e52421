package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import knetsim.link.ethernet.EtherType;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;
import org.junit.jupiter.api.Test;

/**
 * ip_forward()'s copy carries LL_RESERVED_SPACE, and the neighbour output pushes the Ethernet header into it: the
 * frames on the wire are the same bytes a copy behind a fresh header gave, sent once each, queued or not.
 */
class HeadroomTest {
    // the router of ForwardMtuTest: eth0 10.0.1.1/24 (MTU 1500) towards A, eth1 10.0.2.1/24 (MTU 576) towards B
    final ForwardMtuTest net = new ForwardMtuTest();

    // what the next hop must see: the received packet with TTL 63 (and its checksum), behind B <- R1
    static byte[] forwardedFrame(byte[] received) {
        byte[] ip = Arrays.copyOfRange(received, 14, received.length);
        if (ip.length > 0) Ipv4Packet.decreaseTtl(ip, 0);
        return ForwardMtuTest.frame(ForwardMtuTest.B, ForwardMtuTest.R1, EtherType.IPV4, ip);
    }

    @Test
    void aForwardedPacketLeavesAsItsOwnFrameWithTheHeaderInItsHeadroom() {
        net.learnNeighbours();
        byte[] in = ForwardMtuTest.udpFromAToB(300, false);
        net.router.ipRcv(1, in, 1_000);
        assertEquals(1, net.sent.size());
        assertEquals(2, net.sent.get(0).ifindex());
        assertArrayEquals(forwardedFrame(in), net.sent.get(0).frame());
        assertEquals(64, in[14 + 8] & 0xff, "the received frame itself is untouched");
    }

    @Test
    void packetsQueuedWhileArpResolvesAreEachSentOnceWhenItDoes() {
        net.router.arpRcv(1, ForwardMtuTest.arpRequest(ForwardMtuTest.A, ForwardMtuTest.IP_A, "10.0.1.1"), 0);
        net.sent.clear();
        byte[] first = ForwardMtuTest.udpFromAToB(100, false), second = ForwardMtuTest.udpFromAToB(200, false);
        net.router.ipRcv(1, first, 1_000);
        net.router.ipRcv(1, second, 2_000);
        assertEquals(1, net.sent.size(), "one broadcast ARP request, the packets wait");
        assertEquals(EtherType.ARP, ((net.sent.get(0).frame()[12] & 0xff) << 8) | (net.sent.get(0).frame()[13] & 0xff));
        net.sent.clear();
        net.router.arpRcv(2, ForwardMtuTest.arpRequest(ForwardMtuTest.B, ForwardMtuTest.IP_B, "10.0.2.1"),
                3_000); // B's request teaches the router its address
        // arp_process(): neigh_update() sends the arp_queue in order, then the reply goes out
        assertEquals(3, net.sent.size());
        assertArrayEquals(forwardedFrame(first), net.sent.get(0).frame());
        assertArrayEquals(forwardedFrame(second), net.sent.get(1).frame());
        assertEquals(EtherType.ARP, ((net.sent.get(2).frame()[12] & 0xff) << 8) | (net.sent.get(2).frame()[13] & 0xff));
        assertNotSame(net.sent.get(0).frame(), net.sent.get(1).frame());
    }

    @Test
    void fragmentsForTheNextHopAreFramedInTheirOwnHeadroom() {
        net.learnNeighbours();
        net.router.ipRcv(1, ForwardMtuTest.udpFromAToB(1000, false), 1_000);
        assertEquals(2, net.sent.size(), "1028 bytes of IP over a 576 MTU");
        int payload = 0;
        for (ForwardMtuTest.Sent s : net.sent) {
            byte[] f = s.frame();
            assertArrayEquals(forwardedFrame(new byte[14]), Arrays.copyOf(f, 14), "B <- R1, IPv4");
            Ipv4Packet ip = Ipv4Packet.parse(f, 14, f.length - 14).value();
            assertEquals(f.length - 14, ip.totalLength(), "the frame is the fragment, nothing behind it");
            assertTrue(ip.totalLength() <= 576);
            assertEquals(63, ip.ttl());
            assertEquals(Ipv4Address.parse("10.0.2.2"), ip.destination());
            payload += ip.payloadLength();
        }
        assertEquals(1008, payload);
        assertNotSame(net.sent.get(0).frame(), net.sent.get(1).frame());
    }
}
