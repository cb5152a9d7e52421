package knetsim.node.dev;

import static knetsim.node.dev.Packets.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;
import org.junit.jupiter.api.Test;

/** pfifo and bfifo tail-drop at their limit; which packets count toward it decides when loss starts. */
class FifoTest {

    @Test
    void pfifoDropsTheArrivingPacketOverItsLimit() {
        Pfifo q = new Pfifo(3);
        SkBuff first = frame(1500);
        assertTrue(q.enqueue(first, 0));
        assertTrue(q.enqueue(frame(1500), 0));
        assertTrue(q.enqueue(frame(1500), 0));
        SkBuff fourth = frame(64);
        assertFalse(q.enqueue(fourth, 0), "the limit is in packets, however small");
        assertEquals(SkbDropReason.QDISC_DROP, fourth.dropReason());
        assertEquals(1, q.stats().dropped());
        assertEquals(3, q.stats().qlen());
        assertSame(first, q.dequeue(0), "tail drop keeps the head");
        assertTrue(q.enqueue(frame(64), 0));
    }

    @Test
    void pfifoCountsARequeuedPacketTowardItsLimit() {
        Pfifo q = new Pfifo(2);
        q.enqueue(frame(100), 0);
        q.enqueue(frame(100), 0);
        SkBuff out = q.dequeue(0);
        q.requeue(out);
        // sch->q.qlen includes the requeued packet, so the queue is full again.
        assertFalse(q.enqueue(frame(100), 0));
        assertSame(out, q.dequeue(0));
    }

    @Test
    void pfifoWithLimitZeroDropsEverything() {
        Pfifo q = new Pfifo(0);
        assertFalse(q.enqueue(frame(60), 0));
        assertNull(q.dequeue(0));
        assertEquals(SimTime.NEVER, q.nextDequeueTime(0));
    }

    @Test
    void bfifoLimitIsBytesOfQdiscPktLenAndAnExactFitIsAccepted() {
        Bfifo q = new Bfifo(3000);
        assertTrue(q.enqueue(frame(1500), 0));
        assertTrue(q.enqueue(frame(1499), 0));
        SkBuff tooBig = frame(2);
        assertFalse(q.enqueue(tooBig, 0), "2999 + 2 > 3000");
        assertEquals(SkbDropReason.QDISC_DROP, tooBig.dropReason());
        assertTrue(q.enqueue(frame(1), 0), "2999 + 1 <= 3000");
        assertEquals(3000, q.stats().backlogBytes());
        assertEquals(3, q.stats().qlen());
        assertEquals(1, q.stats().dropped());
    }

    @Test
    void bfifoCountsARequeuedPacketTowardItsByteLimit() {
        Bfifo q = new Bfifo(2000);
        q.enqueue(frame(1500), 0);
        SkBuff out = q.dequeue(0);
        assertEquals(0, q.stats().backlogBytes());
        q.requeue(out);
        assertEquals(1500, q.stats().backlogBytes());
        assertFalse(q.enqueue(frame(501), 0));
        assertTrue(q.enqueue(frame(500), 0));
        assertEquals(1500, q.stats().sentBytes(), "sent once, at the first dequeue");
    }
}
