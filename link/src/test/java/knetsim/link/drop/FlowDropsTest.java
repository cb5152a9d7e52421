package knetsim.link.drop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** A drop site reads the 5-tuple of what it drops: UDP ports, ICMP echo type and id, nothing from a later fragment. */
class FlowDropsTest {
    // an Ethernet frame with an IPv4 header (ihl 5) from 10.0.0.1 to 10.0.0.2, then 8 bytes of transport header
    private static byte[] frame(int protocol, int fragmentField, int... transport) {
        byte[] f = new byte[14 + 20 + 8];
        f[12] = 0x08;
        f[14] = 0x45;
        f[14 + 3] = 28; // total length
        f[14 + 6] = (byte) (fragmentField >> 8);
        f[14 + 7] = (byte) fragmentField;
        f[14 + 9] = (byte) protocol;
        f[14 + 12] = 10;
        f[14 + 15] = 1;
        f[14 + 16] = 10;
        f[14 + 19] = 2;
        for (int i = 0; i < transport.length; i++) f[34 + i] = (byte) transport[i];
        return f;
    }

    @Test
    void countsByReasonAndFiveTuple() {
        FlowDrops drops = new FlowDrops();
        assertNull(drops.report("ring"), "nothing dropped, nothing to report");
        byte[] udp = frame(17, 0, 0x9c, 0x40, 0x23, 0x28); // 40000 -> 9000
        drops.frame("FULL_RING", udp, 0, udp.length);
        drops.frame("FULL_RING", udp, 0, udp.length);
        byte[] echo = frame(1, 0, 8, 0, 0, 0, 0x12, 0x34); // echo request, id 0x1234
        drops.ip("QDISC_DROP", echo, 14, echo.length - 14);
        byte[] later = frame(17, 185, 0x9c, 0x40, 0x23, 0x28); // offset 185*8: no ports in it
        drops.frame("FULL_RING", later, 0, later.length);
        byte[] arp = new byte[60];
        arp[12] = 0x08;
        arp[13] = 0x06;
        drops.frame("NEIGH_FAILED", arp, 0, arp.length);

        FlowDropReport r = drops.report("ring");
        assertEquals("ring", r.place());
        assertEquals(4, r.size());
        int ten1 = (10 << 24) | 1, ten2 = (10 << 24) | 2;
        boolean udpSeen = false, echoSeen = false, fragmentSeen = false, arpSeen = false;
        for (int i = 0; i < r.size(); i++) {
            int[] t = java.util.Arrays.copyOfRange(r.tuples(), i * 5, i * 5 + 5);
            if (r.reasons()[i].equals("FULL_RING") && t[3] == 40000) {
                assertArrayEquals(new int[] {17, ten1, ten2, 40000, 9000}, t);
                assertEquals(2, r.packets()[i]);
                assertEquals(56, r.bytes()[i], "IP bytes: the total length, twice");
                udpSeen = true;
            } else if (r.reasons()[i].equals("QDISC_DROP")) {
                assertArrayEquals(new int[] {1, ten1, ten2, 8, 0x1234}, t);
                echoSeen = true;
            } else if (r.reasons()[i].equals("FULL_RING")) {
                assertArrayEquals(new int[] {17, ten1, ten2, 0, 0}, t);
                fragmentSeen = true;
            } else {
                assertArrayEquals(new int[] {0, 0, 0, 0, 0}, t);
                assertEquals(60, r.bytes()[i]);
                arpSeen = true;
            }
        }
        assertEquals(true, udpSeen && echoSeen && fragmentSeen && arpSeen);
    }
}
