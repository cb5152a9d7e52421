package knetsim.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import knetsim.node.skb.SkBuff;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** INET_ECN_set_ce(): only ECT packets become CE, and the IPv4 checksum stays right. */
class InetEcnTest {

    @ParameterizedTest(name = "ECN {0} becomes CE with a valid checksum")
    @ValueSource(ints = {InetEcn.ECT_0, InetEcn.ECT_1})
    void ectBecomesCeWithTheChecksumUpdatedIncrementally(int ecn) {
        for (int port = 0; port < 2000; port += 7) { // many checksums, including carries
            SkBuff skb = Packets.udp(port, 5001, ecn | (port & 0xfc), 1000);
            assertTrue(InetEcn.setCe(skb));
            assertEquals(InetEcn.CE, InetEcn.ecn(skb));
            assertEquals((port & 0xfc) | InetEcn.CE, skb.buffer()[skb.data() + 15] & 0xff, "DSCP bits kept");
            assertTrue(Packets.ipHeaderValid(skb), "checksum after marking, port " + port);
        }
    }

    @Test
    void notEctCannotBeMarkedAndCeStaysCe() {
        SkBuff notEct = Packets.udp(1, 2, InetEcn.NOT_ECT, 100);
        byte[] before = notEct.copyBytes();
        assertFalse(InetEcn.setCe(notEct));
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(notEct.copyBytes()));
        SkBuff ce = Packets.udp(1, 2, InetEcn.CE, 100);
        assertTrue(InetEcn.setCe(ce), "IP_ECN_set_ce() returns 1 for CE: the packet counts as marked");
        assertTrue(Packets.ipHeaderValid(ce));
    }

    @Test
    void nonIpFramesAreNeverMarked() {
        SkBuff arp = Packets.frame(60);
        arp.buffer()[12] = 0x08;
        arp.buffer()[13] = 0x06;
        assertFalse(InetEcn.setCe(arp));
        assertEquals(-1, InetEcn.ecn(arp));
    }
}
