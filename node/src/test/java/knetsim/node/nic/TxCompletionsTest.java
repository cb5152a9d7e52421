package knetsim.node.nic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;
import org.junit.jupiter.api.Test;

/** The coalesced tx completion interrupt, timed when frames are posted (ethtool -C tx-usecs, tx-frames). */
class TxCompletionsTest {
    private static SkBuff skb(int len) {
        SkBuff skb = SkBuff.allocate(0, len);
        skb.put(len);
        return skb;
    }

    @Test
    void txUsecsAfterTheFirstCompletionReportsEveryFrameThatLeftByThen() {
        TxCompletions ring = new TxCompletions(256, 3_000, 0);
        SkBuff a = skb(100), b = skb(200), c = skb(300);
        assertEquals(13_000, ring.posted(a, 10_000), "armed tx-usecs after the first completion");
        long first = ring.generation();
        assertEquals(SimTime.NEVER, ring.posted(b, 12_000), "the armed interrupt stands");
        assertEquals(SimTime.NEVER, ring.posted(c, 14_000));
        assertArrayEquals(new SkBuff[] {a, b}, ring.fire(first, 13_000), "c is still on the wire");
        assertEquals(17_000, ring.arm(), "the next one counts from c's completion");
        assertArrayEquals(new SkBuff[] {c}, ring.fire(ring.generation(), 17_000));
        assertEquals(SimTime.NEVER, ring.arm());
        assertTrue(ring.isEmpty());
    }

    @Test
    void aCompletionAtTheTimersInstantIsReportedByIt() {
        TxCompletions ring = new TxCompletions(256, 3_000, 0);
        SkBuff a = skb(100), b = skb(100);
        ring.posted(a, 10_000);
        ring.posted(b, 13_000);
        assertArrayEquals(new SkBuff[] {a, b}, ring.fire(ring.generation(), 13_000));
    }

    @Test
    void txFramesRaisesItEarlierAndTheOlderTimerGoesStale() {
        TxCompletions ring = new TxCompletions(256, 100_000, 2);
        SkBuff a = skb(100), b = skb(100);
        assertEquals(110_000, ring.posted(a, 10_000));
        long stale = ring.generation();
        assertEquals(12_000, ring.posted(b, 12_000), "the second completion reaches tx-frames");
        assertArrayEquals(new SkBuff[] {a, b}, ring.fire(ring.generation(), 12_000));
        assertNull(ring.fire(stale, 110_000), "the first timer was moved earlier");
    }

    @Test
    void framesThatLeftBeforeAnInstantAreCountedWithTheirBytes() {
        TxCompletions ring = new TxCompletions(4, 3_000, 0);
        ring.posted(skb(100), 10_000);
        ring.posted(skb(200), 12_000);
        ring.posted(skb(300), 14_000);
        assertEquals(1, ring.leftBy(12_000, false), "before the end: the one at the end has not");
        assertEquals(2, ring.leftBy(12_000, true));
        assertEquals(300, ring.bytesOfFirst(2));
        assertEquals(3, ring.leftBy(SimTime.NEVER, false));
    }
}
