package knetsim.node.dev;

import static knetsim.node.dev.Packets.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;
import org.junit.jupiter.api.Test;

/** pfifo_fast is every interface's default qdisc, so its band order and per-band limit shape every run. */
class PfifoFastTest {

    @Test
    void priomapIsTheKernels() {
        int[] expected = {1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
        for (int priority = 0; priority <= PfifoFast.TC_PRIO_MAX; priority++) {
            assertEquals(expected[priority], PfifoFast.band(priority), "priority " + priority);
        }
        assertEquals(0, PfifoFast.band(PfifoFast.TC_PRIO_INTERACTIVE));
        assertEquals(0, PfifoFast.band(PfifoFast.TC_PRIO_CONTROL));
        assertEquals(1, PfifoFast.band(PfifoFast.TC_PRIO_BESTEFFORT));
        assertEquals(2, PfifoFast.band(PfifoFast.TC_PRIO_BULK));
        // Only the low 4 bits count: 0x16 & 15 = 6.
        assertEquals(0, PfifoFast.band(0x16));
        assertEquals(1, PfifoFast.band(16));
    }

    @Test
    void band0LeavesFirstAndEachBandIsFifo() {
        PfifoFast q = new PfifoFast(10);
        SkBuff bulk1 = frame(100, PfifoFast.TC_PRIO_BULK);
        SkBuff normal1 = frame(101, PfifoFast.TC_PRIO_BESTEFFORT);
        SkBuff bulk2 = frame(102, PfifoFast.TC_PRIO_BULK);
        SkBuff interactive = frame(103, PfifoFast.TC_PRIO_INTERACTIVE);
        SkBuff normal2 = frame(104, PfifoFast.TC_PRIO_BESTEFFORT);
        for (SkBuff skb : new SkBuff[] {bulk1, normal1, bulk2, interactive, normal2}) assertTrue(q.enqueue(skb, 0));
        assertEquals(1, q.bandLength(0));
        assertEquals(2, q.bandLength(1));
        assertEquals(2, q.bandLength(2));

        assertSame(interactive, q.dequeue(0));
        assertSame(normal1, q.dequeue(0));
        assertSame(normal2, q.dequeue(0));
        assertSame(bulk1, q.dequeue(0));
        assertSame(bulk2, q.dequeue(0));
        assertNull(q.dequeue(0));
        assertEquals(SimTime.NEVER, q.nextDequeueTime(0));
        assertEquals(5, q.stats().sentPackets());
        assertEquals(100 + 101 + 102 + 103 + 104, q.stats().sentBytes());
    }

    @Test
    void eachBandHoldsTxQueueLenAndOverflowIsDroppedAndCounted() {
        PfifoFast q = new PfifoFast(2);
        assertTrue(q.enqueue(frame(500, PfifoFast.TC_PRIO_BULK), 0));
        assertTrue(q.enqueue(frame(500, PfifoFast.TC_PRIO_BULK), 0));
        SkBuff third = frame(500, PfifoFast.TC_PRIO_BULK);
        assertFalse(q.enqueue(third, 0));
        assertEquals(SkbDropReason.QDISC_DROP, third.dropReason());
        assertEquals(1, q.stats().dropped());
        assertEquals(2, q.stats().qlen());
        assertEquals(1000, q.stats().backlogBytes());

        // The limit is per band, not per qdisc: the other bands still take tx_queue_len each.
        for (int i = 0; i < 2; i++) {
            assertTrue(q.enqueue(frame(60, PfifoFast.TC_PRIO_INTERACTIVE), 0));
            assertTrue(q.enqueue(frame(70, PfifoFast.TC_PRIO_BESTEFFORT), 0));
        }
        assertFalse(q.enqueue(frame(60, PfifoFast.TC_PRIO_CONTROL), 0));
        assertEquals(2, q.stats().dropped());
        assertEquals(6, q.stats().qlen());
        assertEquals(1000 + 120 + 140, q.stats().backlogBytes());
    }

    @Test
    void requeueGoesBeforeEverythingQueuedAndIsCounted() {
        PfifoFast q = new PfifoFast(10);
        SkBuff a = frame(300, PfifoFast.TC_PRIO_BESTEFFORT);
        SkBuff b = frame(400, PfifoFast.TC_PRIO_BESTEFFORT);
        q.enqueue(a, 0);
        q.enqueue(b, 0);
        assertSame(a, q.dequeue(0));
        assertEquals(1, q.stats().sentPackets());

        // The driver was busy; meanwhile a band-0 packet arrived. The requeued packet still leaves first.
        q.requeue(a);
        SkBuff urgent = frame(64, PfifoFast.TC_PRIO_INTERACTIVE);
        q.enqueue(urgent, 0);
        assertEquals(1, q.stats().requeues());
        assertEquals(3, q.stats().qlen());
        assertEquals(764, q.stats().backlogBytes());
        assertEquals(0, q.nextDequeueTime(0));

        assertSame(a, q.dequeue(0));
        assertSame(urgent, q.dequeue(0));
        assertSame(b, q.dequeue(0));
        assertEquals(3, q.stats().sentPackets(), "a requeued packet is sent once, not twice");
        assertEquals(764, q.stats().sentBytes());
        assertEquals(0, q.stats().qlen());
        assertEquals(0, q.stats().backlogBytes());
    }

    @Test
    void severalRequeuedPacketsKeepTheirOrder() {
        PfifoFast q = new PfifoFast(10);
        SkBuff a = frame(100);
        SkBuff b = frame(200);
        SkBuff c = frame(300);
        q.enqueue(a, 0);
        q.enqueue(b, 0);
        q.enqueue(c, 0);
        SkBuff first = q.dequeue(0);
        SkBuff second = q.dequeue(0);
        q.requeue(first);
        q.requeue(second);
        assertEquals(2, q.stats().requeues());
        assertSame(a, q.dequeue(0));
        assertSame(b, q.dequeue(0));
        assertSame(c, q.dequeue(0));
    }

    @Test
    void zeroTxQueueLenIsRefusedAsTheKernelDoes() {
        assertThrows(IllegalArgumentException.class, () -> new PfifoFast(0));
    }
}
