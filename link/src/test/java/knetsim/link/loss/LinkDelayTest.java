package knetsim.link.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import knetsim.core.time.SimTime;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LinkDelayTest {

    private static final long LATENCY = 10 * SimTime.MILLISECOND;
    private static final long JITTER = 2 * SimTime.MILLISECOND;
    // Frames 12 us apart (a 1500-byte frame at 1 Gbit/s) with 2 ms jitter: most draws would overtake a neighbour.
    private static final long GAP = 12 * SimTime.MICROSECOND;

    @Property(tries = 200)
    void rawDelayStaysWithinLatencyPlusJitter(@ForAll @LongRange(min = 1, max = 1_000_000_000) long latency,
                                             @ForAll @LongRange(min = 0, max = 1_000_000) long jitter,
                                             @ForAll long seed) {
        LinkDelay delay = new LinkDelay(latency, jitter, true);
        SplittableRandom random = new SplittableRandom(seed);
        long sentAt = 0;
        for (int i = 0; i < 1000; i++) {
            sentAt += 1000;
            long d = delay.deliveryTime(sentAt, random) - sentAt;
            assertTrue(d >= latency && d <= latency + jitter, "delay " + d);
        }
        assertEquals(latency, delay.minimumDelay());
    }

    @Test
    void jitterReachesBothEndsOfItsRange() {
        // A draw of [0, jitter) or (0, jitter] would miss one end; with jitter = 3 both show up quickly.
        LinkDelay delay = new LinkDelay(100, 3, true);
        SplittableRandom random = new SplittableRandom(1);
        boolean[] seen = new boolean[4];
        for (int i = 0; i < 1000; i++) seen[(int) (delay.deliveryTime(0, random) - 100)] = true;
        for (int extra = 0; extra <= 3; extra++) assertTrue(seen[extra], "never drew +" + extra);
    }

    @Test
    void fifoDeliveryTimesNeverDecrease() {
        LinkDelay fifo = new LinkDelay(LATENCY, JITTER, false);
        // The reordering twin on the same seed shows each frame's own draw, so we know which frames FIFO held back.
        LinkDelay raw = new LinkDelay(LATENCY, JITTER, true);
        SplittableRandom fifoRandom = new SplittableRandom(5);
        SplittableRandom rawRandom = new SplittableRandom(5);
        long previous = Long.MIN_VALUE;
        long held = 0;
        for (int i = 0; i < 200_000; i++) {
            long sentAt = i * GAP;
            long at = fifo.deliveryTime(sentAt, fifoRandom);
            long own = raw.deliveryTime(sentAt, rawRandom);
            assertTrue(at >= previous, "frame " + i + " overtook its predecessor");
            // Held back exactly to the predecessor's time, not later; otherwise its own time.
            assertEquals(Math.max(own, previous), at, "frame " + i);
            // Sends in order keep even held frames within the bound: the predecessor's own bound is earlier.
            assertTrue(at >= sentAt + LATENCY && at <= sentAt + LATENCY + JITTER, "frame " + i);
            if (at != own) held++;
            previous = at;
        }
        // Otherwise the FIFO branch would never have been exercised.
        assertTrue(held > 1000, "held: " + held);
    }

    @Test
    void reorderLetsJitteredFramesOvertake() {
        LinkDelay delay = new LinkDelay(LATENCY, JITTER, true);
        SplittableRandom random = new SplittableRandom(5);
        long previous = Long.MIN_VALUE;
        int overtakes = 0;
        for (int i = 0; i < 10_000; i++) {
            long sentAt = i * GAP;
            long at = delay.deliveryTime(sentAt, random);
            if (at < previous) overtakes++;
            previous = at;
            assertTrue(at >= sentAt + LATENCY && at <= sentAt + LATENCY + JITTER);
        }
        // Jitter is 166 frame gaps wide, so about half the neighbours swap.
        assertTrue(overtakes > 1000, "overtakes: " + overtakes);
    }

    @Test
    void zeroJitterIsExactlyLatencyAndDrawsNothing() {
        SplittableRandom used = new SplittableRandom(6);
        for (boolean reorder : new boolean[] {false, true}) {
            LinkDelay delay = new LinkDelay(LATENCY, 0, reorder);
            for (long sentAt = 0; sentAt < 1_000_000; sentAt += 777) {
                assertEquals(sentAt + LATENCY, delay.deliveryTime(sentAt, used));
            }
        }
        assertEquals(new SplittableRandom(6).nextLong(), used.nextLong());
        assertEquals(LATENCY, LinkDelay.fixed(LATENCY).minimumDelay());
    }

    @Test
    void sameSeedSameTimes() {
        LinkDelay prototype = new LinkDelay(LATENCY, JITTER, false);
        LinkDelay a = prototype.copy();
        LinkDelay b = prototype.copy();
        SplittableRandom ra = new SplittableRandom(3);
        SplittableRandom rb = new SplittableRandom(3);
        for (int i = 0; i < 1000; i++) {
            assertEquals(a.deliveryTime(i * GAP, ra), b.deliveryTime(i * GAP, rb));
        }
    }

    @Test
    void copyForgetsThePreviousFrame() {
        LinkDelay delay = new LinkDelay(LATENCY, JITTER, false);
        delay.deliveryTime(SimTime.SECOND, new SplittableRandom(0));
        // Without the copy FIFO would hold this frame back behind the one at ~1 s.
        long at = delay.copy().deliveryTime(0, new SplittableRandom(0));
        assertTrue(at <= LATENCY + JITTER, "at " + at);
    }

    @Test
    void saturatesAtNeverInsteadOfOverflowing() {
        LinkDelay delay = new LinkDelay(Long.MAX_VALUE - 5, Long.MAX_VALUE, false);
        assertEquals(SimTime.NEVER, delay.deliveryTime(10, new SplittableRandom(0)));
    }

    @Test
    void refusesZeroLatencyAndNegativeJitter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LinkDelay(0, 0, false));
        assertEquals("link latency must be > 0 ns (a zero-latency link would make the engine's lookahead zero),"
                + " got 0 ns", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LinkDelay.fixed(-1));
        assertTrue(e.getMessage().startsWith("link latency must be > 0 ns"));
        e = assertThrows(IllegalArgumentException.class, () -> new LinkDelay(1, -1, true));
        assertEquals("link jitter must be >= 0 ns, got -1 ns", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new LinkDelay(1, 0, false).deliveryTime(-5, new SplittableRandom(0)));
        assertEquals("sentAt must be a virtual time >= 0 ns, got -5", e.getMessage());
    }

    @Test
    void describes() {
        assertEquals("delay 10ms + uniform [0, 2ms], fifo", new LinkDelay(LATENCY, JITTER, false).describe());
        assertEquals("delay 10ms + uniform [0, 2ms], may reorder", new LinkDelay(LATENCY, JITTER, true).describe());
        assertEquals("delay 1.5us", LinkDelay.fixed(1500).describe());
    }
}
