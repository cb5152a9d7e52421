package knetsim.node.ipv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import knetsim.node.inet.Inet;
import knetsim.node.udp.UdpSocket;
import org.junit.jupiter.api.Test;

/** ip_select_ident_segs(), __ip_select_ident() and ip_idents_reserve() without actors. */
class IpIdentsTest {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.1"), B = Ipv4Address.parse("10.0.0.2");
    static final Ipv4Address C = Ipv4Address.parse("10.0.0.3");
    static final long MS = 1_000_000L;

    @Test
    void siphash3u32IsSipHash24OfTheTwelveBytes() {
        // the SipHash paper's vector for key 00..0f and the 12-byte message 00..0b
        long k0 = 0x0706050403020100L, k1 = 0x0f0e0d0c0b0a0908L;
        assertEquals(0x751e8fbc860ee5fbL, IpIdents.siphash3u32(0x03020100, 0x07060504, 0x0b0a0908, k0, k1));
    }

    @Test
    void jiffiesStartFiveMinutesBeforeTheirWrap() {
        assertEquals(-300_000, IpIdents.jiffies(0));
        assertEquals(-300_000 + 1, IpIdents.jiffies(MS));
        assertEquals(-300_000, IpIdents.jiffies(MS - 1));
    }

    @Test
    void withinOneJiffyADestinationsIdsAreConsecutive() {
        IpIdents idents = new IpIdents(new SplittableRandom(7));
        int first = idents.select(B, A, Inet.IPPROTO_UDP, false, true, 5 * MS);
        for (int i = 1; i < 10; i++) {
            assertEquals((first + i) & 0xffff, idents.select(B, A, Inet.IPPROTO_UDP, false, true, 5 * MS + i));
        }
    }

    @Test
    void laterJiffiesSkipARandomNumberBelowTheJiffiesElapsed() {
        IpIdents idents = new IpIdents(new SplittableRandom(7));
        int previous = idents.select(B, A, Inet.IPPROTO_UDP, false, true, 0);
        HashSet<Integer> steps = new HashSet<>();
        for (int i = 1; i <= 50; i++) {
            int id = idents.select(B, A, Inet.IPPROTO_UDP, false, true, i * 100 * MS); // 100 jiffies apart
            int step = (id - previous) & 0xffff;
            assertTrue(step >= 1 && step <= 100, "1 + get_random_u32_below(100), got " + step);
            steps.add(step);
            previous = id;
        }
        assertTrue(steps.size() > 10, "the steps are random: " + steps);
        // one jiffy apart: get_random_u32_below(1) is 0, so +1
        int next = idents.select(B, A, Inet.IPPROTO_UDP, false, true, 5000 * MS + MS);
        int after = idents.select(B, A, Inet.IPPROTO_UDP, false, true, 5000 * MS + 2 * MS);
        assertEquals((next + 1) & 0xffff, after);
    }

    @Test
    void eachDestinationAndProtocolHasItsOwnCounter() {
        IpIdents idents = new IpIdents(new SplittableRandom(11));
        List<Integer> toB = new ArrayList<>(), toC = new ArrayList<>(), icmpToB = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            toB.add(idents.select(B, A, Inet.IPPROTO_UDP, false, true, MS));
            toC.add(idents.select(C, A, Inet.IPPROTO_UDP, false, true, MS));
            icmpToB.add(idents.select(B, A, Inet.IPPROTO_ICMP, false, true, MS));
        }
        for (List<Integer> ids : List.of(toB, toC, icmpToB)) {
            for (int i = 1; i < ids.size(); i++) assertEquals((ids.get(0) + i) & 0xffff, (int) ids.get(i), ids.toString());
        }
        assertNotEquals(toB.get(0), toC.get(0), "a random start per bucket");
        assertNotEquals(toB.get(0), icmpToB.get(0));
    }

    @Test
    void dfThatMayNotBeFragmentedLocallyHasIdZero() {
        IpIdents idents = new IpIdents(new SplittableRandom(3));
        // IP_PMTUDISC_DO (ignore_df 0) with DF: 0, and the bucket is not touched
        assertEquals(0, idents.select(B, A, Inet.IPPROTO_UDP, true, false, MS));
        // WANT sets DF too, but ignore_df: the hashed generator
        int want = idents.select(B, A, Inet.IPPROTO_UDP, true, true, MS);
        assertEquals((want + 1) & 0xffff, idents.select(B, A, Inet.IPPROTO_UDP, false, true, MS));
    }

    @Test
    void theSameSeedGivesTheSameIdsAndAnotherSeedOthers() {
        assertEquals(sequence(42), sequence(42));
        assertNotEquals(sequence(42), sequence(43));
    }

    private static List<Integer> sequence(long seed) {
        IpIdents idents = new IpIdents(new SplittableRandom(seed));
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) ids.add(idents.select(i % 2 == 0 ? B : C, A, Inet.IPPROTO_UDP, false, true, i * 7 * MS));
        return ids;
    }

    @Test
    void aConnectedSocketNumbersFromItsInetId() {
        UdpSocket udp = new UdpSocket(1);
        udp.setInetId(0xfffe);
        // atomic_add_return(): the first datagram has inet_id + 1, and the counter wraps at 16 bits
        assertEquals(0xffff, udp.nextInetId(1, false));
        assertEquals(0, udp.nextInetId(1, false));
        assertEquals(1, udp.nextInetId(1, false));
        UdpSocket tcpLike = new UdpSocket(2);
        tcpLike.setInetId(100);
        // TCP reads inet_id, then adds segs: its first segment has inet_id itself
        assertEquals(100, tcpLike.nextInetId(1, true));
        assertEquals(101, tcpLike.nextInetId(1, true));
    }

    @Test
    void inetIdsAreUniform16BitValues() {
        SplittableRandom random = new SplittableRandom(5);
        HashSet<Integer> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            int id = IpIdents.randomInetId(random);
            assertTrue(id >= 0 && id <= 0xffff);
            seen.add(id);
        }
        assertTrue(seen.size() > 950, "get_random_u16(): " + seen.size() + " distinct of 1000");
    }
}
