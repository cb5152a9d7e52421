package knetsim.node.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import knetsim.link.Frame;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Toeplitz against Microsoft's RSS verification suite, and steering that keeps flows on one queue. */
class RssTest {
    @ParameterizedTest(name = "{0}:{1} -> {2}:{3}")
    @CsvSource({
            "66.9.149.187, 2794, 161.142.100.80, 1766, 323e8fc2, 51ccc178",
            "199.92.111.2, 14230, 65.69.140.83, 4739, d718262a, c626b0ea",
            "24.19.198.95, 12898, 12.22.207.184, 38024, d2d0a5de, 5c2b394a"})
    void matchesTheVerificationSuite(String src, int srcPort, String dst, int dstPort, String ipv4, String tcp) {
        byte[] addresses = new byte[8];
        System.arraycopy(ip(src), 0, addresses, 0, 4);
        System.arraycopy(ip(dst), 0, addresses, 4, 4);
        assertEquals((int) Long.parseLong(ipv4, 16), Rss.toeplitz(Rss.VERIFICATION_KEY, addresses));
        byte[] fourTuple = new byte[12];
        System.arraycopy(addresses, 0, fourTuple, 0, 8);
        fourTuple[8] = (byte) (srcPort >> 8);
        fourTuple[9] = (byte) srcPort;
        fourTuple[10] = (byte) (dstPort >> 8);
        fourTuple[11] = (byte) dstPort;
        assertEquals((int) Long.parseLong(tcp, 16), Rss.toeplitz(Rss.VERIFICATION_KEY, fourTuple));
        // the same hash read out of a real frame
        assertEquals((int) Long.parseLong(tcp, 16), Rss.hash(udpFrame(src, srcPort, dst, dstPort)));
    }

    @Test
    void aFlowStaysOnOneQueueAndFlowsSpreadOverAll() {
        Set<Integer> used = new HashSet<>();
        for (int port = 1000; port < 1064; port++) {
            Frame frame = new Frame(udpFrame("10.0.0.1", port, "10.0.0.2", 5001), true);
            int queue = Rss.DEFAULT.queueFor(frame, 4);
            assertEquals(queue, Rss.DEFAULT.queueFor(new Frame(frame.bytes().clone(), true), 4));
            used.add(queue);
        }
        assertEquals(Set.of(0, 1, 2, 3), used, "64 flows over 4 queues");
        byte[] arp = new byte[60];
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertEquals(0, Rss.DEFAULT.queueFor(new Frame(arp, true), 4), "frames without IPv4 go to queue 0");
    }

    @Test
    void fragmentsHashOnAddressesOnly() {
        byte[] first = udpFrame("10.0.0.1", 1000, "10.0.0.2", 5001);
        first[14 + 6] = 0x20; // more fragments
        byte[] addresses = new byte[8];
        System.arraycopy(first, 14 + 12, addresses, 0, 8);
        assertEquals(Rss.toeplitz(Rss.VERIFICATION_KEY, addresses), Rss.hash(first));
        assertTrue(Rss.hash(first) != Rss.hash(udpFrame("10.0.0.1", 1000, "10.0.0.2", 5001)));
    }

    static byte[] ip(String dotted) {
        String[] p = dotted.split("\\.");
        return new byte[] {(byte) Integer.parseInt(p[0]), (byte) Integer.parseInt(p[1]),
                (byte) Integer.parseInt(p[2]), (byte) Integer.parseInt(p[3])};
    }

    /** An Ethernet + IPv4 + UDP frame; only the fields RSS reads matter here. */
    static byte[] udpFrame(String src, int srcPort, String dst, int dstPort) {
        byte[] f = new byte[14 + 20 + 8];
        f[12] = 0x08;
        f[14] = 0x45;
        f[14 + 9] = 17;
        System.arraycopy(ip(src), 0, f, 14 + 12, 4);
        System.arraycopy(ip(dst), 0, f, 14 + 16, 4);
        f[34] = (byte) (srcPort >> 8);
        f[35] = (byte) srcPort;
        f[36] = (byte) (dstPort >> 8);
        f[37] = (byte) dstPort;
        return f;
    }
}
