package knetsim.node.dev;

import static knetsim.node.dev.Packets.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;
import org.junit.jupiter.api.Test;

/**
 * tbf is how a run models a slow link or a rate limit; a nanosecond of drift per packet adds up over a run, so
 * departure times are asserted exactly.
 */
class TokenBucketFilterTest {

    /** Drives the qdisc as a NicTxQueue with an always-free driver would: dequeue, else sleep until the watchdog. */
    private static long[] departures(Qdisc q, int count) {
        long[] times = new long[count];
        long now = 0;
        for (int i = 0; i < count; i++) {
            SkBuff skb = q.dequeue(now);
            if (skb == null) {
                now = q.nextDequeueTime(now);
                skb = q.dequeue(now);
            }
            assertNotNull(skb, "packet " + i + " must leave at the watchdog time " + now);
            times[i] = now;
        }
        return times;
    }

    @Test
    void afterTheBurstPacketsLeaveAtExactlyTheRate() {
        // 8 Mbit/s = 1 byte per microsecond: a 1000-byte frame takes exactly 1 ms; the burst holds two.
        TokenBucketFilter q = new TokenBucketFilter(8_000_000, 2000, 100_000);
        assertEquals(1_000_000, q.lengthToTime(1000));
        assertEquals(2_000_000, q.buffer());
        for (int i = 0; i < 6; i++) assertTrue(q.enqueue(frame(1000), 0));
        long[] expected = {0, 0, 1_000_000, 2_000_000, 3_000_000, 4_000_000};
        assertArrayEquals(expected, departures(q, 6));
        assertEquals(4, q.stats().overlimits(), "one refused dequeue per throttled packet");
        assertEquals(6, q.stats().sentPackets());
        assertEquals(0, q.stats().backlogBytes());
    }

    @Test
    void aRateThatDoesNotDivideEvenlyUsesFlooredNanosecondsWithoutDrift() {
        // 3 Mbit/s: 1000 bytes take 8000 / 3e6 s = 2_666_666.67 ns, floored to 2_666_666; 3000 bytes take 8 ms.
        TokenBucketFilter q = new TokenBucketFilter(3_000_000, 3000, 1_000_000);
        long perPacket = 2_666_666;
        assertEquals(perPacket, q.lengthToTime(1000));
        assertEquals(8_000_000, q.buffer());
        int count = 50;
        for (int i = 0; i < count; i++) assertTrue(q.enqueue(frame(1000), 0));
        long[] times = departures(q, count);

        assertEquals(0, times[0]);
        assertEquals(0, times[1]);
        assertEquals(0, times[2]);
        // Two nanoseconds of rounding were left in the bucket after the burst.
        assertEquals(2_666_664, times[3]);
        for (int i = 0; i < count; i++) {
            // Packet i leaves once (i + 1) packets' worth of time exceeds the initial bucket.
            assertEquals(Math.max(0, (i + 1) * perPacket - 8_000_000), times[i], "packet " + i);
        }
        for (int i = 4; i < count; i++) assertEquals(perPacket, times[i] - times[i - 1], "gap before packet " + i);
        assertEquals(count - 3, q.stats().overlimits());
    }

    @Test
    void anIdleBucketRefillsOnlyUpToTheBurst() {
        TokenBucketFilter q = new TokenBucketFilter(8_000_000, 2000, 100_000);
        long later = 10 * SimTime.SECOND;
        for (int i = 0; i < 4; i++) q.enqueue(frame(1000), later);
        assertNotNull(q.dequeue(later));
        assertNotNull(q.dequeue(later));
        assertNull(q.dequeue(later), "ten idle seconds still buy only one burst");
        assertEquals(later + 1_000_000, q.nextDequeueTime(later));
    }

    @Test
    void oversizePacketIsDroppedOnEnqueue() {
        TokenBucketFilter q = new TokenBucketFilter(10_000_000, 1514, 10_000);
        SkBuff jumbo = frame(1515);
        assertFalse(q.enqueue(jumbo, 0), "a packet longer than the burst could never be sent");
        assertEquals(SkbDropReason.QDISC_DROP, jumbo.dropReason());
        assertEquals(1, q.stats().dropped());
        assertEquals(0, q.stats().qlen());
        assertTrue(q.enqueue(frame(1514), 0), "exactly max_size is fine");
    }

    @Test
    void innerBfifoLimitDropsTheArrivingPacket() {
        TokenBucketFilter q = new TokenBucketFilter(1_000_000, 1500, 2500);
        assertTrue(q.enqueue(frame(1000), 0));
        assertTrue(q.enqueue(frame(1000), 0));
        SkBuff third = frame(1000);
        assertFalse(q.enqueue(third, 0));
        assertEquals(SkbDropReason.QDISC_DROP, third.dropReason());
        assertTrue(q.enqueue(frame(500), 0));
        assertEquals(3, q.stats().qlen());
        assertEquals(2500, q.stats().backlogBytes());
        assertEquals(1, q.stats().dropped());
    }

    @Test
    void overlimitsCountEveryRefusedDequeueAndNextDequeueTimeIsTheWatchdog() {
        TokenBucketFilter q = new TokenBucketFilter(8_000_000, 1000, 10_000);
        assertEquals(SimTime.NEVER, q.nextDequeueTime(0));
        q.enqueue(frame(1000), 0);
        q.enqueue(frame(1000), 0);
        assertNotNull(q.dequeue(0));
        assertEquals(1_000_000, q.nextDequeueTime(0));
        assertEquals(1_000_000, q.nextDequeueTime(400_000), "the watchdog time does not move as time passes");
        assertNull(q.dequeue(0));
        assertNull(q.dequeue(999_999));
        assertEquals(2, q.stats().overlimits());
        assertEquals(1, q.stats().qlen());
        assertNotNull(q.dequeue(1_000_000));
        assertEquals(2, q.stats().overlimits());
        assertEquals(SimTime.NEVER, q.nextDequeueTime(1_000_000));
    }

    @Test
    void aRequeuedPacketLeavesAgainWithoutBeingChargedTwice() {
        TokenBucketFilter q = new TokenBucketFilter(8_000_000, 1000, 10_000);
        SkBuff a = frame(1000);
        q.enqueue(a, 0);
        q.enqueue(frame(1000), 0);
        assertSame(a, q.dequeue(0));
        q.requeue(a);
        assertEquals(0, q.nextDequeueTime(0), "the requeued packet already paid its tokens");
        assertSame(a, q.dequeue(0));
        assertEquals(1, q.stats().requeues());
        assertEquals(1, q.stats().sentPackets());
        assertEquals(1_000_000, q.nextDequeueTime(0), "the next packet still waits for its own tokens");
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucketFilter(0, 1500, 1500));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucketFilter(1_000_000, 0, 1500));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucketFilter(1_000_000, 1500, -1));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucketFilter(1, Long.MAX_VALUE / 16, 1));
        TokenBucketFilter q = new TokenBucketFilter(8_000_000, 1000, 10_000);
        q.enqueue(frame(100), 0);
        q.dequeue(5_000);
        q.enqueue(frame(100), 5_000);
        assertThrows(IllegalArgumentException.class, () -> q.nextDequeueTime(4_999));
    }
}
