package knetsim.node.icmp;

import static knetsim.node.icmp.IcmpPacket.ICMP_DEST_UNREACH;
import static knetsim.node.icmp.IcmpPacket.ICMP_ECHOREPLY;
import static knetsim.node.icmp.IcmpPacket.ICMP_FRAG_NEEDED;
import static knetsim.node.icmp.IcmpPacket.ICMP_PORT_UNREACH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import knetsim.core.time.SimTime;
import knetsim.node.icmp.IcmpRateLimiter.Parameters;
import knetsim.node.ipv4.Ipv4Address;
import org.junit.jupiter.api.Test;

class IcmpRateLimiterTest {
    private static final long MS = SimTime.MILLISECOND;
    private static final long US = SimTime.MICROSECOND;
    private static final int HOST = 0x0a000002;
    private static final int OTHER = 0x0a000003;
    private static final int FRESH = 0x0b000000; // fresh destinations count up from here

    private static IcmpRateLimiter linux() {
        return new IcmpRateLimiter(Parameters.linuxDefaults());
    }

    private static boolean portUnreachable(IcmpRateLimiter limiter, int destination, long now) {
        return limiter.allow(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, destination, now);
    }

    /** Sends one port unreachable to each of {@code count} new destinations, numbered on from {@code first}. */
    private static int spray(IcmpRateLimiter limiter, int first, int count, long now) {
        int allowed = 0;
        for (int i = 0; i < count; i++) {
            allowed += portUnreachable(limiter, FRESH + first + i, now) ? 1 : 0;
        }
        return allowed;
    }

    @Test
    void linuxDefaults() {
        assertEquals(new Parameters(SimTime.SECOND, 6168, 1000, 50), Parameters.linuxDefaults());
    }

    @Test
    void burstToOneHostAllowsSixThenOnePerSecond() {
        IcmpRateLimiter limiter = linux();
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += portUnreachable(limiter, HOST, i * 100 * US) ? 1 : 0;
        }
        assertEquals(6, allowed);
        assertEquals(4, limiter.rateLimitHost());

        List<Long> sent = new ArrayList<>();
        for (long t = MS; t <= 3500 * MS; t += MS) {
            if (portUnreachable(limiter, HOST, t)) {
                sent.add(t);
            }
        }
        // Refused attempts still advance rate_last but keep the tokens, so the refill is exactly one a second.
        assertEquals(List.of(1000 * MS, 2000 * MS, 3000 * MS), sent);
        assertEquals(4 + 3500 - 3, limiter.rateLimitHost());
        assertEquals(0, limiter.rateLimitGlobal());
    }

    @Test
    void ipv4AddressOverloadUsesTheSameBucket() {
        IcmpRateLimiter limiter = linux();
        for (int i = 0; i < 6; i++) {
            assertTrue(portUnreachable(limiter, HOST, 0));
        }
        assertFalse(limiter.allow(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, Ipv4Address.of(HOST), 0));
        assertEquals(1, limiter.rateLimitHost());
    }

    @Test
    void destinationsHaveSeparateBuckets() {
        IcmpRateLimiter limiter = linux();
        for (int i = 0; i < 6; i++) {
            assertTrue(portUnreachable(limiter, HOST, 0));
        }
        assertFalse(portUnreachable(limiter, HOST, 0));
        for (int i = 0; i < 6; i++) {
            assertTrue(portUnreachable(limiter, OTHER, 0), "message " + i + " to the other host");
        }
        assertFalse(portUnreachable(limiter, OTHER, 0));
        assertEquals(2, limiter.rateLimitHost());
        assertEquals(0, limiter.rateLimitGlobal());
    }

    @Test
    void globalBucketCapsTheBurstThenRefillsInStepsOfTwentyJiffies() {
        IcmpRateLimiter limiter = linux();
        assertEquals(50, spray(limiter, 0, 200, 0));
        assertEquals(150, limiter.rateLimitGlobal());
        assertEquals(0, limiter.rateLimitHost());

        // icmp_global_allow() refills nothing until HZ/50 jiffies have passed since the last refill.
        for (int ms = 1; ms < 20; ms++) {
            assertFalse(portUnreachable(limiter, FRESH + 1000 + ms, ms * MS), "at " + ms + " ms");
        }
        assertEquals(20, spray(limiter, 2000, 21, 20 * MS));
        assertEquals(150 + 19 + 1, limiter.rateLimitGlobal());
    }

    @Test
    void globalRefillAveragesOnePerMillisecond() {
        IcmpRateLimiter limiter = linux();
        spray(limiter, 0, 50, 0);
        int allowed = 0;
        int next = 100;
        for (long ms = 20; ms < 1020; ms++) {
            allowed += spray(limiter, next, 5, ms * MS);
            next += 5;
        }
        // Fifty refills of twenty, at 20, 40, ... 1000 ms.
        assertEquals(1000, allowed);
        assertEquals(5000 - 1000, limiter.rateLimitGlobal());
        assertEquals(0, limiter.rateLimitHost());
    }

    @Test
    void hostRefusalsDoNotSpendGlobalCredit() {
        IcmpRateLimiter limiter = linux();
        int allowed = 0;
        for (int i = 0; i < 60; i++) {
            allowed += portUnreachable(limiter, HOST, 0) ? 1 : 0;
        }
        assertEquals(6, allowed);
        // Since 6.12 only messages that go out take credit: 50 - 6 are left, not 50 - 60.
        assertEquals(44, spray(limiter, 0, 50, 0));
        assertEquals(54, limiter.rateLimitHost());
        assertEquals(6, limiter.rateLimitGlobal());
    }

    @Test
    void globalRefusalLeavesTheDestinationBucketAlone() {
        IcmpRateLimiter limiter = linux();
        spray(limiter, 0, 50, 0);
        for (int i = 0; i < 10; i++) {
            assertFalse(portUnreachable(limiter, HOST, 0));
        }
        assertEquals(10, limiter.rateLimitGlobal());
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += portUnreachable(limiter, HOST, 20 * MS) ? 1 : 0;
        }
        assertEquals(6, allowed);
        assertEquals(4, limiter.rateLimitHost());
    }

    @Test
    void echoRepliesAreNotLimitedByDefault() {
        IcmpRateLimiter limiter = linux();
        for (int i = 0; i < 1000; i++) {
            assertTrue(limiter.allow(ICMP_ECHOREPLY, 0, HOST, 0), "echo reply " + i);
        }
        assertEquals(0, limiter.rateLimitHost());
        assertEquals(0, limiter.rateLimitGlobal());
        // Nor do they spend the host-wide credit.
        assertEquals(50, spray(limiter, 0, 51, 0));
    }

    @Test
    void fragmentationNeededIsExempt() {
        IcmpRateLimiter limiter = linux();
        for (int i = 0; i < 100; i++) {
            assertTrue(limiter.allow(ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, HOST, 0), "frag needed " + i);
        }
        assertEquals(0, limiter.rateLimitHost());
        assertEquals(0, limiter.rateLimitGlobal());
        // The same type with another code is limited, with a bucket the exempt ones never touched.
        int allowed = 0;
        for (int i = 0; i < 7; i++) {
            allowed += portUnreachable(limiter, HOST, 0) ? 1 : 0;
        }
        assertEquals(6, allowed);
        assertEquals(1, limiter.rateLimitHost());
    }

    @Test
    void ratemaskZeroLimitsNothing() {
        Parameters p = Parameters.linuxDefaults();
        IcmpRateLimiter limiter = new IcmpRateLimiter(
                new Parameters(p.icmpRatelimit(), 0, p.icmpMsgsPerSec(), p.icmpMsgsBurst()));
        for (int i = 0; i < 100; i++) {
            assertTrue(portUnreachable(limiter, HOST, 0));
            assertTrue(limiter.allow(11, 0, FRESH + i, 0), "time exceeded " + i);
        }
        assertEquals(0, limiter.rateLimitHost());
        assertEquals(0, limiter.rateLimitGlobal());
    }

    @Test
    void typesAboveNrIcmpTypesAreNeverLimited() {
        IcmpRateLimiter limiter = new IcmpRateLimiter(
                new Parameters(SimTime.SECOND, -1, 1000, 50));
        for (int i = 0; i < 10; i++) {
            assertTrue(limiter.allow(19, 0, HOST, 0));
        }
        // Type 18 is the last one the mask can limit.
        int allowed = 0;
        for (int i = 0; i < 7; i++) {
            allowed += limiter.allow(18, 0, HOST, 0) ? 1 : 0;
        }
        assertEquals(6, allowed);
        assertEquals(1, limiter.rateLimitHost());
    }

    @Test
    void randomConsumeTakesZeroToTwoCreditsFromTheCallersRandom() {
        long seed = 42;
        IcmpRateLimiter limiter = new IcmpRateLimiter(Parameters.linuxDefaults(), 1000, new SplittableRandom(seed));
        int allowed = spray(limiter, 0, 200, 0);

        // icmp_global_allow() passes while credit > 0, so the last message may take the credit below zero.
        SplittableRandom draws = new SplittableRandom(seed);
        int expected = 0;
        for (int credit = 50; credit > 0; expected++) {
            credit -= draws.nextInt(3);
        }
        assertEquals(expected, allowed);
        assertNotEquals(50, allowed, "this seed should draw away from the mean");
        assertEquals(200 - expected, limiter.rateLimitGlobal());

        IcmpRateLimiter again = new IcmpRateLimiter(Parameters.linuxDefaults(), 1000, new SplittableRandom(seed));
        assertEquals(allowed, spray(again, 0, 200, 0));
    }

    @Test
    void hzSetsTheJiffyGrain() {
        IcmpRateLimiter limiter = new IcmpRateLimiter(Parameters.linuxDefaults(), 250, null);
        spray(limiter, 0, 50, 0);
        // HZ/50 is 5 jiffies of 4 ms: still 20 ms, and 1000 * 5 / 250 = 20 credits.
        assertEquals(0, spray(limiter, 100, 5, 19 * MS + 999 * US));
        assertEquals(20, spray(limiter, 200, 25, 20 * MS));
        // A destination's tokens also count whole 4 ms jiffies: 999.999 ms after the sixth is still jiffy 249.
        for (int i = 0; i < 6; i++) {
            assertTrue(limiter.allow(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, HOST, 40 * MS + i));
        }
        assertFalse(portUnreachable(limiter, HOST, 1039 * MS + 999 * US));
        assertTrue(portUnreachable(limiter, HOST, 1040 * MS));
    }

    @Test
    void forgettingPeersKeepsTheOnesStillRefilling() {
        // A host-wide limit this loose lets thousands of destinations through, so the peer table has to shrink.
        IcmpRateLimiter limiter = new IcmpRateLimiter(new Parameters(SimTime.SECOND, 0x1818, 1_000_000, 1_000_000));
        for (int i = 0; i < 6; i++) {
            assertTrue(portUnreachable(limiter, HOST, 0));
        }
        assertEquals(5000, spray(limiter, 0, 5000, 500 * MS));
        assertFalse(portUnreachable(limiter, HOST, 500 * MS));
        assertFalse(portUnreachable(limiter, HOST, 999 * MS));
        assertTrue(portUnreachable(limiter, HOST, 1000 * MS));
        assertFalse(portUnreachable(limiter, HOST, 1000 * MS));
        // A fresh destination after the sweep still gets the full burst of six.
        assertEquals(6, IntStream.range(0, 7)
                .map(i -> portUnreachable(limiter, OTHER, 1000 * MS) ? 1 : 0).sum());
        assertEquals(4, limiter.rateLimitHost());
    }
}
