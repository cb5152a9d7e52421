package knetsim.node.ipv4;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;

import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReassemblerTest {
    static final long S = 1_000_000_000L;
    static final Ipv4Address A = FragmenterTest.A;
    static final Ipv4Address B = FragmenterTest.B;

    /** A fragment of datagram {@code id}: {@code length} data bytes at byte offset {@code offset}. */
    static byte[] frag(int id, int offset, int length, boolean mf) {
        return frag(id, offset, length, mf, 0, 0);
    }

    static byte[] frag(int id, int offset, int length, boolean mf, int tos, int extraFlags) {
        Ipv4Header h = new Ipv4Header(tos, id, (mf ? Ipv4Packet.IP_MF : 0) | extraFlags, offset / 8, 64,
                Ipv4Packet.IPPROTO_UDP, A, B, new byte[0], length);
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (offset + i);
        }
        return Ipv4Arbitraries.packet(h, data, 0, 0);
    }

    @Property
    void fragmentThenReassembleInAnyOrderWithDuplicates(@ForAll @IntRange(max = 9000) int payloadLength,
                                                        @ForAll @IntRange(min = 68, max = 1500) int mtu,
                                                        @ForAll @IntRange(max = 10) int optionWords,
                                                        @ForAll long seed) {
        Ipv4Header h = new Ipv4Header(0, 777, 0, 0, 64, Ipv4Packet.IPPROTO_UDP, A, B,
                Ipv4Arbitraries.payload(4 * optionWords, seed), payloadLength);
        byte[] original = Ipv4Arbitraries.packet(h, Ipv4Arbitraries.payload(payloadLength, ~seed), 0, 0);
        List<byte[]> frags = ((Fragmenter.Fragments) new Fragmenter().fragment(original, mtu)).fragments();
        if (frags.size() == 1) {
            return; // fits the MTU: nothing to reassemble
        }
        Random random = new Random(seed);
        List<byte[]> arrivals = new ArrayList<>(frags);
        int duplicates = random.nextInt(frags.size() + 1);
        for (int i = 0; i < duplicates; i++) {
            arrivals.add(frags.get(random.nextInt(frags.size())));
        }
        Collections.shuffle(arrivals, random);

        Reassembler r = new Reassembler();
        byte[] reassembled = null;
        int fed = 0;
        for (byte[] f : arrivals) {
            Reassembler.Outcome o = r.accept(f, 0);
            fed++;
            if (o instanceof Reassembler.Reassembled done) {
                reassembled = done.datagram();
                assertEquals(new Reassembler.Key(A, B, Ipv4Packet.IPPROTO_UDP, 777), done.key());
                break; // later copies would start a new queue: lateDuplicateStartsANewQueue()
            } else if (o instanceof Reassembler.Dropped d) {
                assertEquals(SkbDropReason.DUP_FRAG, d.reason());
                assertFalse(d.queueDiscarded());
            } else {
                assertInstanceOf(Reassembler.Queued.class, o);
            }
        }
        assertArrayEquals(original, reassembled);
        assertTrue(Ipv4Packet.parse(reassembled, 0, reassembled.length).value().checksumValid());
        assertEquals(new Reassembler.Stats(fed, 1, 0, 0, 0), r.stats());
        assertEquals(0, r.queueCount());
        assertEquals(0, r.memory());
    }

    @Test
    void lateDuplicateStartsANewQueue() {
        Reassembler r = new Reassembler();
        r.accept(frag(15, 0, 8, true), 0);
        assertInstanceOf(Reassembler.Reassembled.class, r.accept(frag(15, 8, 8, false), 0));
        // The completed ipq was unhashed, so the copy is queued afresh and later times out with fragment 0 present.
        assertInstanceOf(Reassembler.Queued.class, r.accept(frag(15, 0, 8, true), S));
        assertEquals(1, r.queueCount());
        assertTrue(r.expire(31 * S).get(0).firstFragmentPresent());
    }

    @Test
    void overlapAtTheTailDropsTheWholeQueue() {
        Reassembler r = new Reassembler();
        assertInstanceOf(Reassembler.Queued.class, r.accept(frag(1, 0, 16, true), 0));
        assertEquals(new Reassembler.Dropped(new Reassembler.Key(A, B, 17, 1), SkbDropReason.NOT_SPECIFIED, true),
                r.accept(frag(1, 8, 16, false), 0));
        assertEquals(0, r.queueCount());
        assertEquals(0, r.memory());
        assertEquals(new Reassembler.Stats(2, 0, 1, 0, 1), r.stats());
        // The rest of that datagram starts again from nothing and cannot complete it.
        assertInstanceOf(Reassembler.Queued.class, r.accept(frag(1, 16, 8, false), 0));
        assertEquals(1, r.queueCount());
    }

    @Test
    void duplicateOrOverlapDependsOnRuns() {
        // Arrived in order: [0,8) and [8,16) form one run, so [0,16) lies inside it and is a mere duplicate.
        Reassembler inOrder = new Reassembler();
        inOrder.accept(frag(2, 0, 8, true), 0);
        inOrder.accept(frag(2, 8, 8, true), 0);
        inOrder.accept(frag(2, 32, 8, false), 0);
        Reassembler.Dropped dup = (Reassembler.Dropped) inOrder.accept(frag(2, 0, 16, true), 0);
        assertEquals(SkbDropReason.DUP_FRAG, dup.reason());
        assertFalse(dup.queueDiscarded());
        assertEquals(1, inOrder.queueCount());
        // Arrived backwards: each went in by the tree search as its own run, so [0,16) spans two runs: overlap.
        Reassembler backwards = new Reassembler();
        backwards.accept(frag(2, 32, 8, false), 0);
        backwards.accept(frag(2, 8, 8, true), 0);
        backwards.accept(frag(2, 0, 8, true), 0);
        Reassembler.Dropped overlap = (Reassembler.Dropped) backwards.accept(frag(2, 0, 16, true), 0);
        assertTrue(overlap.queueDiscarded());
        assertEquals(0, backwards.queueCount());
        assertEquals(1, backwards.stats().reasmOverlaps());
    }

    @Test
    void partialOverlapBeforeTheTailDropsTheQueue() {
        Reassembler r = new Reassembler();
        r.accept(frag(3, 0, 8, true), 0);
        r.accept(frag(3, 24, 8, false), 0);
        assertTrue(((Reassembler.Dropped) r.accept(frag(3, 0, 16, true), 0)).queueDiscarded());
        assertEquals(new Reassembler.Stats(3, 0, 1, 0, 1), r.stats());
    }

    @Test
    void inconsistentEndsDiscardTheQueueWithoutCountingAnOverlap() {
        Reassembler r = new Reassembler();
        r.accept(frag(4, 16, 8, false), 0);
        assertTrue(((Reassembler.Dropped) r.accept(frag(4, 16, 16, false), 0)).queueDiscarded());
        r.accept(frag(5, 16, 8, false), 0);
        // Data beyond a known last fragment.
        assertTrue(((Reassembler.Dropped) r.accept(frag(5, 24, 8, true), 0)).queueDiscarded());
        assertEquals(new Reassembler.Stats(4, 0, 2, 0, 0), r.stats());
    }

    @Test
    void timesOutExactlyThirtySecondsAfterTheFirstFragment() {
        Reassembler r = new Reassembler();
        long t0 = 5 * S;
        r.accept(frag(6, 0, 8, true), t0);              // has fragment 0
        r.accept(frag(7, 8, 8, false), t0 + 2 * S);     // lacks it
        r.accept(frag(6, 16, 8, false), t0 + 10 * S);   // does not extend the timer
        assertEquals(OptionalLong.of(t0 + 30 * S), r.nextDeadline());
        assertTrue(r.expire(t0 + 30 * S - 1).isEmpty());
        List<Reassembler.Expired> first = r.expire(t0 + 30 * S);
        assertEquals(1, first.size());
        assertEquals(6, first.get(0).key().identification());
        assertTrue(first.get(0).firstFragmentPresent());
        assertArrayEquals(frag(6, 0, 8, true), first.get(0).firstFragment());
        assertEquals(OptionalLong.of(t0 + 32 * S), r.nextDeadline());
        List<Reassembler.Expired> second = r.expire(t0 + 40 * S);
        assertEquals(1, second.size());
        assertFalse(second.get(0).firstFragmentPresent());
        assertEquals(new Reassembler.Stats(3, 0, 2, 2, 0), r.stats());
        assertEquals(0, r.memory());
        assertEquals(OptionalLong.empty(), r.nextDeadline());
    }

    @Test
    void theReassembledDatagramCarriesTheTruesizeOfItsFragments() {
        // inet_frag_reasm_finish(): head->truesize += fp->truesize; a socket is charged the sum
        Reassembler r = new Reassembler();
        r.accept(frag(9, 0, 1480, true), 0);
        var done = (Reassembler.Reassembled) r.accept(frag(9, 1480, 48, false), 0);
        assertEquals(2304 + 896, done.truesize(), "a full frame in kmalloc-2k, a 82-byte one in the small-head cache");
    }

    @Test
    void chargesQueueAndTruesize() {
        Reassembler r = new Reassembler();
        byte[] f = frag(8, 0, 1480, true);
        r.accept(f, 0);
        // the driver's skb of a full frame: NET_SKB_PAD + 1514 in kmalloc-2k
        assertEquals(Reassembler.IPQ_SIZE + 2304, r.memory());
        assertEquals(2304, SkBuff.rxTruesize(14 + 1500));
    }

    @Test
    void aboveHighThreshEveryFragmentIsRefusedUntilTimersFreeMemory() {
        Reassembler r = new Reassembler(30 * S, 1000);
        assertInstanceOf(Reassembler.Queued.class, r.accept(frag(9, 0, 8, true), 600, 0));
        assertEquals(800, r.memory());
        // 800 is not above 1000, so one more queue is made and the limit is overshot, as in inet_frag_find().
        assertInstanceOf(Reassembler.Queued.class, r.accept(frag(10, 0, 8, true), 600, S));
        assertEquals(1600, r.memory());
        // Now even the fragment completing datagram 9 is refused; nothing old is evicted.
        Reassembler.Dropped refused = (Reassembler.Dropped) r.accept(frag(9, 8, 8, false), 600, 2 * S);
        assertFalse(refused.queueDiscarded());
        assertEquals(2, r.queueCount());
        assertEquals(new Reassembler.Stats(3, 0, 1, 0, 0), r.stats());
        assertEquals(1, r.expire(30 * S).size());
        assertInstanceOf(Reassembler.Reassembled.class, r.accept(frag(10, 8, 8, false), 600, 31 * S));
        assertEquals(0, r.memory());
    }

    @Test
    void ecnAndDfOfTheReassembledHeader() {
        Reassembler r = new Reassembler();
        r.accept(frag(11, 0, 8, true, 0x02, Ipv4Packet.IP_DF), 0);   // ECT(0)
        byte[] d = ((Reassembler.Reassembled) r.accept(frag(11, 8, 8, false, 0x03, Ipv4Packet.IP_DF), 0))
                .datagram();                                          // CE
        Ipv4Packet p = Ipv4Packet.parse(d, 0, d.length).value();
        assertEquals(3, p.ecn());
        assertTrue(p.dontFragment());
        assertFalse(p.isFragment());
        assertTrue(p.checksumValid());
        assertEquals(36, p.totalLength());

        // Not-ECT mixed with CE is invalid: the datagram is dropped. Non-DF largest fragment: DF stays off.
        r.accept(frag(12, 0, 16, true, 0x00, 0), 0);
        assertTrue(((Reassembler.Dropped) r.accept(frag(12, 16, 8, false, 0x03, 0), 0)).queueDiscarded());
        r.accept(frag(13, 0, 16, true, 0, 0), 0);
        byte[] mixed = ((Reassembler.Reassembled) r.accept(frag(13, 16, 8, false, 0, Ipv4Packet.IP_DF), 0))
                .datagram();
        assertFalse(Ipv4Packet.parse(mixed, 0, mixed.length).value().dontFragment());
        assertEquals(new Reassembler.Stats(6, 2, 1, 0, 0), r.stats());
    }

    @Test
    void refusesWholeDatagrams() {
        Reassembler r = new Reassembler();
        assertThrows(IllegalArgumentException.class, () -> r.accept(frag(14, 0, 8, false), 0));
        assertThrows(IllegalArgumentException.class, () -> r.accept(new byte[3], 0));
    }
}
