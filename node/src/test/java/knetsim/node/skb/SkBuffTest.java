package knetsim.node.skb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Every codec and queue relies on the window arithmetic: an off-by-one here would shift every header on the wire,
 * and a wrong truesize would let sockets take more or less memory than Linux allows.
 */
class SkBuffTest {

    @Test
    void allocateReservesHeadroomAndLeavesAnEmptyWindow() {
        SkBuff skb = SkBuff.allocate(64, 1500);
        assertEquals(0, skb.head());
        assertEquals(64, skb.data());
        assertEquals(64, skb.tail());
        assertEquals(1564, skb.end());
        assertEquals(1564, skb.buffer().length);
        assertEquals(0, skb.len());
        assertEquals(64, skb.headroom());
        assertEquals(1500, skb.tailroom());
    }

    @Test
    void putPushAndPullMoveTheWindowAsTheKernelDoes() {
        SkBuff skb = SkBuff.allocate(64, 1500);
        assertEquals(64, skb.put(100), "skb_put returns the old tail");
        assertEquals(100, skb.len());
        assertEquals(1400, skb.tailroom());

        assertEquals(44, skb.push(20), "skb_push returns the new data");
        assertEquals(30, skb.push(14));
        assertEquals(134, skb.len());
        assertEquals(30, skb.headroom());
        assertEquals(164, skb.tail(), "push never moves tail");

        assertEquals(44, skb.pull(14), "skb_pull returns the new data");
        assertEquals(120, skb.len());
        assertEquals(44, skb.headroom());
    }

    @Test
    void pullOfMoreThanLenIsRefusedAndChangesNothing() {
        SkBuff skb = SkBuff.allocate(16, 100);
        skb.put(10);
        assertEquals(-1, skb.pull(11));
        assertEquals(10, skb.len());
        assertEquals(16, skb.data());
        assertTrue(skb.mayPull(10));
        assertFalse(skb.mayPull(11));
        assertEquals(26, skb.pull(10), "pulling exactly len empties the skb");
        assertEquals(0, skb.len());
    }

    @Test
    void pushPastTheHeadIsSkbUnderPanicNamingTheNumbers() {
        SkBuff skb = SkBuff.allocate(10, 100);
        skb.put(5);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> skb.push(11));
        assertTrue(e.getMessage().startsWith("skb_under_panic"), e.getMessage());
        assertTrue(e.getMessage().contains("push 11 bytes but only 10 available"), e.getMessage());
        assertEquals(10, skb.data(), "a refused push must not move data");
        assertEquals(0, skb.push(10), "all of the headroom can be used");
    }

    @Test
    void putPastTheEndIsSkbOverPanic() {
        SkBuff skb = SkBuff.allocate(0, 8);
        skb.put(6);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> skb.put(3));
        assertTrue(e.getMessage().startsWith("skb_over_panic"), e.getMessage());
        assertTrue(e.getMessage().contains("put 3 bytes but only 2 available"), e.getMessage());
        assertEquals(6, skb.len());
        assertThrows(IllegalStateException.class, () -> skb.reserve(3));
        assertThrows(IllegalArgumentException.class, () -> skb.push(-1));
        assertThrows(IllegalArgumentException.class, () -> SkBuff.allocate(-1, 10));
    }

    @Test
    void reserveAndTrim() {
        SkBuff skb = SkBuff.allocate(0, 100);
        skb.reserve(18);
        assertEquals(18, skb.headroom());
        assertEquals(82, skb.tailroom());
        skb.put(60);
        skb.trim(46);
        assertEquals(46, skb.len());
        assertEquals(36, skb.tailroom());
        skb.trim(50);
        assertEquals(46, skb.len(), "skb_trim never grows the skb");
    }

    @Test
    void headerOffsetsFollowTheResetAndSetSemantics() {
        SkBuff skb = SkBuff.allocate(64, 1500);
        assertEquals(-1, skb.macHeader());
        assertEquals(-1, skb.networkHeader());
        assertEquals(-1, skb.transportHeader());
        assertFalse(skb.macHeaderWasSet());
        assertFalse(skb.transportHeaderWasSet());

        // Built the way the send path does it: payload, then UDP, IP and Ethernet headers pushed in front.
        skb.put(32);
        skb.push(8);
        skb.resetTransportHeader();
        assertEquals(56, skb.transportHeader());
        skb.push(20);
        skb.resetNetworkHeader();
        assertEquals(36, skb.networkHeader());
        skb.push(14);
        skb.resetMacHeader();
        assertEquals(22, skb.macHeader());
        assertEquals(skb.data(), skb.macHeader());
        assertTrue(skb.macHeaderWasSet());

        // The receive path: pull the Ethernet header, then find the others relative to data.
        skb.pull(14);
        skb.setTransportHeader(20);
        assertEquals(56, skb.transportHeader());
        skb.setMacHeader(-14);
        assertEquals(22, skb.macHeader());
        assertThrows(IllegalArgumentException.class, () -> skb.setNetworkHeader(-37));
    }

    @Test
    void truesizeOfABufferIsSkbTruesizeOfTheAlignedBuffer() {
        // SKB_TRUESIZE overhead on x86-64: SKB_DATA_ALIGN(232) + SKB_DATA_ALIGN(320) = 256 + 320 (build_skb, page frags).
        assertEquals(576, SkBuff.truesizeOf(0));
        assertEquals(640, SkBuff.truesizeOf(1));
        assertEquals(640, SkBuff.truesizeOf(64));
        assertEquals(704, SkBuff.truesizeOf(65));
        assertEquals(2176, SkBuff.truesizeOf(1564));
        assertEquals(1600, SkBuff.dataAlign(1564));
    }

    @Test
    void allocatedHeadsAreRoundedToTheirSlabAsKmallocReserveDoes() {
        // SKB_HEAD_ALIGN(size) up to 640 bytes: skb_small_head_cache; truesize = object - 320 + 256 + 320
        assertEquals(896, SkBuff.allocate(0, 0).truesize());
        assertEquals(896, SkBuff.allocate(0, 320).truesize());
        // 384 + 320 = 704: kmalloc-1k
        assertEquals(1280, SkBuff.allocate(0, 321).truesize());
        // a 1000-byte UDP datagram's frame (1042) with NET_SKB_PAD: 1152 + 320 = 1472 -> kmalloc-2k
        assertEquals(2304, SkBuff.allocate(SkBuff.NET_SKB_PAD, 1042).truesize());
        assertEquals(2304, SkBuff.allocate(SkBuff.NET_SKB_PAD, 1514).truesize(), "a full Ethernet frame");
        assertEquals(2304, SkBuff.allocate(0, 1728).truesize(), "1728 + 320 fills kmalloc-2k exactly");
        assertEquals(4352, SkBuff.allocate(0, 1729).truesize(), "one byte more: kmalloc-4k");
        assertEquals(8448, SkBuff.allocate(0, 7872).truesize(), "kmalloc-8k");
        assertEquals(16640, SkBuff.allocate(0, 7873).truesize(), "above 8 KiB: pages of the next order");
        assertEquals(SkBuff.allocTruesize(1564), SkBuff.allocate(1000, 564).truesize(), "headroom counts too");
        assertEquals(SkBuff.allocTruesize(SkBuff.NET_SKB_PAD + 1042), SkBuff.rxTruesize(1042));
    }

    @Test
    void metadataDefaultsAndSetters() {
        SkBuff skb = SkBuff.allocate(0, 10);
        assertEquals(SkbDropReason.NOT_DROPPED_YET, skb.dropReason());
        assertEquals(-1, skb.ownerSocket());
        assertEquals(0, skb.priority());
        skb.setPriority(6);
        skb.setMark(0x55);
        skb.setTimestamp(1_234_567);
        skb.setOwnerSocket(7);
        skb.setDropReason(SkbDropReason.SOCKET_RCVBUFF);
        assertEquals(6, skb.priority());
        assertEquals(0x55, skb.mark());
        assertEquals(1_234_567, skb.timestamp());
        assertEquals(7, skb.ownerSocket());
        assertEquals(SkbDropReason.SOCKET_RCVBUFF, skb.dropReason());
        assertThrows(IllegalArgumentException.class, () -> skb.setDropReason(null));
    }

    @Test
    void copyBytesAndCopyArePrivate() {
        SkBuff skb = SkBuff.allocate(4, 8);
        int at = skb.put(3);
        skb.buffer()[at] = 1;
        skb.buffer()[at + 1] = 2;
        skb.buffer()[at + 2] = 3;
        skb.push(1);
        skb.buffer()[skb.data()] = 9;
        skb.resetMacHeader();
        skb.setPriority(2);
        skb.setOwnerSocket(5);

        byte[] captured = skb.copyBytes();
        assertArrayEquals(new byte[] {9, 1, 2, 3}, captured);
        captured[0] = 0;
        assertEquals(9, skb.buffer()[skb.data()], "a capture must not alias the skb");

        SkBuff copy = skb.copy();
        assertNotSame(skb.buffer(), copy.buffer());
        assertArrayEquals(skb.copyBytes(), copy.copyBytes());
        assertEquals(skb.data(), copy.data());
        assertEquals(skb.macHeader(), copy.macHeader());
        assertEquals(2, copy.priority());
        assertEquals(-1, copy.ownerSocket(), "skb_copy leaves skb->sk unset");
        assertEquals(skb.truesize(), copy.truesize());
        copy.buffer()[copy.data()] = 7;
        assertEquals(9, skb.buffer()[skb.data()]);
    }

    @Test
    void theKeptContentHashFollowsEveryWriteAndWindowMove() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        SkBuff skb = SkBuff.allocate(64, 256);
        int at = skb.put(200);
        for (int i = 0; i < 200; i++) skb.buffer()[at + i] = (byte) random.nextInt();
        for (int step = 0; step < 2_000; step++) {
            assertEquals(knetsim.link.Frame.hashOf(skb.copyBytes()), skb.contentHash());
            assertEquals(skb.contentHash(), skb.contentHash(), "the kept hash");
            switch (random.nextInt(5)) {
                case 0 -> skb.buffer()[skb.data() + random.nextInt(Math.max(1, skb.len()))] = (byte) random.nextInt();
                case 1 -> skb.pull(random.nextInt(4));
                case 2 -> { if (skb.headroom() > 4) skb.push(random.nextInt(4)); }
                case 3 -> { if (skb.tailroom() > 4) skb.put(random.nextInt(4)); }
                default -> skb.trim(Math.max(0, skb.len() - random.nextInt(3)));
            }
        }
        SkBuff copy = skb.copy();
        assertEquals(skb.contentHash(), copy.contentHash());
    }

    // a frame is shared, never written: readers and the wire see it in place, the first writer gets its own copy
    @Test
    void aSharedFrameIsReadInPlaceAndCopiedOnWrite() {
        byte[] frame = new byte[100];
        for (int i = 0; i < frame.length; i++) frame[i] = (byte) i;
        SkBuff skb = SkBuff.sharing(SkBuff.NET_SKB_PAD, frame);
        SkBuff eager = SkBuff.allocate(SkBuff.NET_SKB_PAD, frame.length);
        System.arraycopy(frame, 0, eager.buffer(), eager.put(frame.length), frame.length);
        assertEquals(eager.data(), skb.data());
        assertEquals(eager.len(), skb.len());
        assertEquals(eager.end(), skb.end());
        assertEquals(eager.truesize(), skb.truesize(), "truesize counts the headroom as a copy would");
        assertEquals(eager.contentHash(), skb.contentHash());
        assertTrue(skb.immutableBytes() == frame, "the wire gets the frame itself");
        assertTrue(skb.readArray() == frame);
        assertEquals(0, skb.readOffset());

        skb.pull(14);
        assertTrue(skb.readArray() == frame, "a window inside the frame is still read there");
        assertEquals(14, skb.readOffset());
        byte[] pulled = skb.immutableBytes();
        assertNotSame(frame, pulled, "a moved window is copied");
        assertArrayEquals(java.util.Arrays.copyOfRange(frame, 14, 100), pulled);
        skb.push(14);
        assertTrue(skb.immutableBytes() == frame);

        skb.push(4); // into the headroom: not in the frame
        assertEquals(SkBuff.NET_SKB_PAD - 4, skb.readOffset());
        assertNotSame(frame, skb.readArray(), "a window outside the frame reads the buffer");
        assertEquals(0, skb.readArray()[skb.readOffset()]);
        skb.pull(4);

        skb.buffer()[skb.data()] = 42; // the owner writes (a TTL, an ECN mark)
        byte[] written = skb.immutableBytes();
        assertNotSame(frame, written);
        assertEquals(42, written[0]);
        assertEquals(1, written[1]);
        assertEquals(0, frame[0], "the shared frame is never written");
        assertEquals(eager.end(), skb.buffer().length);
    }
}
