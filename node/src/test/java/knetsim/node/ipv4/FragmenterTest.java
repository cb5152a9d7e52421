package knetsim.node.ipv4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FragmenterTest {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.1");
    static final Ipv4Address B = Ipv4Address.parse("10.0.0.2");

    static byte[] datagram(int flags, int fragmentOffset, byte[] options, int payloadLength, long seed) {
        Ipv4Header h = new Ipv4Header(0x10, 0x1234, flags, fragmentOffset, 64, Ipv4Packet.IPPROTO_UDP, A, B, options,
                payloadLength);
        return Ipv4Arbitraries.packet(h, Ipv4Arbitraries.payload(payloadLength, seed), 0, 0);
    }

    static Ipv4Packet parse(byte[] b) {
        return Ipv4Packet.parse(b, 0, b.length).value();
    }

    @Test
    void splitsLikeLinuxAt1500() {
        Fragmenter f = new Fragmenter();
        byte[] d = datagram(0, 0, new byte[0], 4000, 1);
        List<byte[]> frags = ((Fragmenter.Fragments) f.fragment(d, 1500)).fragments();
        assertEquals(List.of(1500, 1500, 1060), frags.stream().map(b -> b.length).toList());
        assertEquals(List.of(0, 185, 370), frags.stream().map(b -> parse(b).fragmentOffset()).toList());
        assertEquals(List.of(true, true, false), frags.stream().map(b -> parse(b).moreFragments()).toList());
        assertEquals(new Fragmenter.Stats(1, 0, 3), f.stats());
        assertEquals(List.of("IpFragOKs", "IpFragFails", "IpFragCreates"), List.copyOf(f.stats().asMap().keySet()));
    }

    // ip_frag_next() allocates each piece with LL_RESERVED_SPACE in front: the same bytes, shifted behind the headroom,
    // of a datagram that itself sits at an offset in a larger buffer (an OutPacket's)
    @Property(tries = 200)
    void fragmentsWithHeadroomAreTheSameBytesBehindIt(@ForAll @IntRange(max = 4000) int payloadLength,
                                                      @ForAll @IntRange(min = 68, max = 1500) int mtu,
                                                      @ForAll @IntRange(max = 10) int optionWords, @ForAll long seed) {
        byte[] d = datagram(0, 0, Ipv4Arbitraries.payload(4 * optionWords, seed), payloadLength, seed);
        byte[] buffer = new byte[OutPacket.HEADROOM + d.length + 3];
        Arrays.fill(buffer, (byte) 0x5a);
        System.arraycopy(d, 0, buffer, OutPacket.HEADROOM, d.length);
        List<byte[]> plain = ((Fragmenter.Fragments) new Fragmenter().fragment(d, mtu)).fragments();
        List<byte[]> roomy = ((Fragmenter.Fragments) new Fragmenter()
                .fragment(buffer, OutPacket.HEADROOM, d.length, mtu, OutPacket.HEADROOM)).fragments();
        assertEquals(plain.size(), roomy.size());
        for (int i = 0; i < plain.size(); i++) {
            byte[] r = roomy.get(i);
            assertEquals(OutPacket.HEADROOM + plain.get(i).length, r.length);
            assertArrayEquals(new byte[OutPacket.HEADROOM], Arrays.copyOf(r, OutPacket.HEADROOM));
            assertArrayEquals(plain.get(i), Arrays.copyOfRange(r, OutPacket.HEADROOM, r.length));
            assertTrue(OutPacket.withHeadroom(r, -1, 0).fitsHeader(14));
        }
    }

    @Property
    void fragmentsAreValidAlignedAndCoverThePayload(@ForAll @IntRange(max = 6000) int payloadLength,
                                                    @ForAll @IntRange(min = 68, max = 1500) int mtu,
                                                    @ForAll @IntRange(max = 10) int optionWords, @ForAll long seed) {
        byte[] options = Ipv4Arbitraries.payload(4 * optionWords, seed);
        byte[] d = datagram(0, 0, options, payloadLength, seed);
        Fragmenter f = new Fragmenter();
        List<byte[]> frags = ((Fragmenter.Fragments) f.fragment(d, mtu)).fragments();
        if (d.length <= mtu) {
            assertEquals(1, frags.size());
            assertArrayEquals(d, frags.get(0));
            assertEquals(new Fragmenter.Stats(0, 0, 0), f.stats());
            return;
        }
        int next = 0;
        for (int i = 0; i < frags.size(); i++) {
            byte[] b = frags.get(i);
            Ipv4Packet p = parse(b);
            boolean last = i == frags.size() - 1;
            assertTrue(p.checksumValid());
            assertTrue(b.length <= mtu);
            assertEquals(b.length, p.totalLength());
            assertEquals(0x1234, p.identification());
            assertEquals(0x10, p.tos());
            assertEquals(64, p.ttl());
            assertEquals(d.length - payloadLength, p.headerLength());
            assertEquals(next, p.fragmentOffset() * 8);
            assertEquals(!last, p.moreFragments());
            assertFalse(p.dontFragment());
            if (!last) {
                assertEquals(0, p.payloadLength() % 8);
            }
            if (i == 0) {
                assertArrayEquals(options, p.options());
            }
            assertArrayEquals(Arrays.copyOfRange(d, d.length - payloadLength + next,
                    d.length - payloadLength + next + p.payloadLength()), Arrays.copyOfRange(b, p.headerLength(),
                    b.length));
            next += p.payloadLength();
        }
        assertEquals(payloadLength, next);
        assertEquals(new Fragmenter.Stats(1, 0, frags.size()), f.stats());
    }

    @Test
    void dontFragmentTooBigReportsTheMtu() {
        Fragmenter f = new Fragmenter();
        Fragmenter.Result r = f.fragment(datagram(Ipv4Packet.IP_DF, 0, new byte[0], 1481, 2), 1500);
        assertEquals(new Fragmenter.FragmentationNeeded(1500), r);
        assertEquals(new Fragmenter.Stats(0, 1, 0), f.stats());
        // Exactly the MTU still goes out whole, DF and all.
        byte[] fits = datagram(Ipv4Packet.IP_DF, 0, new byte[0], 1480, 2);
        assertArrayEquals(fits, ((Fragmenter.Fragments) f.fragment(fits, 1500)).fragments().get(0));
    }

    @Test
    void onlyCopiedOptionsFollowTheFirstFragment() {
        // Record route (7, not copied), loose source route (0x83, copied), end of list and padding.
        byte[] options = HexFormat.of().parseHex("07070400000000" + "8307040a000001" + "0000");
        byte[] d = datagram(0, 0, options, 100, 3);
        List<byte[]> frags = ((Fragmenter.Fragments) new Fragmenter().fragment(d, 68)).fragments();
        assertArrayEquals(options, parse(frags.get(0)).options());
        byte[] later = HexFormat.of().parseHex("01010101010101" + "8307040a000001" + "0000");
        for (byte[] b : frags.subList(1, frags.size())) {
            assertArrayEquals(later, parse(b).options());
            assertTrue(parse(b).checksumValid());
        }
        // 68 - 36 = 32 bytes of room, so 100 bytes make 32 + 32 + 32 + 4.
        assertEquals(4, frags.size());
    }

    @Test
    void refragmentingAFragmentKeepsItsOffsetAndMf() {
        byte[] d = datagram(Ipv4Packet.IP_MF, 100, new byte[0], 1000, 4);
        List<byte[]> frags = ((Fragmenter.Fragments) new Fragmenter().fragment(d, 576)).fragments();
        assertEquals(List.of(100, 100 + 69), frags.stream().map(b -> parse(b).fragmentOffset()).toList());
        assertTrue(frags.stream().allMatch(b -> parse(b).moreFragments()));
    }

    @Test
    void refusesBadInput() {
        Fragmenter f = new Fragmenter();
        assertThrows(IllegalArgumentException.class, () -> f.fragment(datagram(0, 0, new byte[0], 100, 5), 67));
        assertThrows(IllegalArgumentException.class, () -> f.fragment(new byte[10], 1500));
        assertInstanceOf(Fragmenter.Fragments.class, f.fragment(datagram(0, 0, new byte[0], 100, 5), 68));
    }
}
