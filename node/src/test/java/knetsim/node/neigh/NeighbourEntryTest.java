package knetsim.node.neigh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import knetsim.core.time.SimTime;
import knetsim.link.ethernet.MacAddress;
import knetsim.node.neigh.NeighbourAction.Drop;
import knetsim.node.neigh.NeighbourAction.SendRequest;
import knetsim.node.neigh.NeighbourAction.Transmit;
import knetsim.node.skb.SkbDropReason;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class NeighbourEntryTest {
    private static final long S = SimTime.SECOND;
    private static final long MS = SimTime.MILLISECOND;
    private static final int ADDRESS = 0x0a000202;
    private static final MacAddress MAC = MacAddress.parse("02:00:5e:10:00:02");
    private static final MacAddress OTHER_MAC = MacAddress.parse("02:00:5e:10:00:03");
    private static final NeighbourParameters LINUX = NeighbourParameters.linuxDefaults();
    // A round value keeps the expected times readable; the drawn value has its own tests.
    private static final long REACHABLE_TIME = 20 * S;

    private static final SendRequest<String> BROADCAST = new SendRequest<>(true, MacAddress.BROADCAST);
    private static final SendRequest<String> UNICAST = new SendRequest<>(false, MAC);

    private static NeighbourEntry<String> entry() {
        return new NeighbourEntry<>(ADDRESS, LINUX, REACHABLE_TIME);
    }

    @Test
    void linuxDefaults() {
        assertEquals(new NeighbourParameters(30 * S, 5 * S, S, 3, 3, 0, 0, 212_992, S), LINUX);
        assertEquals(101, LINUX.unresQlen(), "sysctl net.ipv4.neigh.eth0.unres_qlen");
    }

    @Test
    void unansweredResolutionSendsThreeBroadcastsOneSecondApartThenFailsAndDropsTheQueue() {
        NeighbourEntry<String> entry = entry();
        assertEquals(List.of(BROADCAST), entry.resolve("first", 0));
        assertEquals(NudState.INCOMPLETE, entry.state());
        assertEquals(S, entry.nextTimer());
        assertEquals(List.of(), entry.resolve("second", 400 * MS), "one request per retrans_time, not per packet");
        assertEquals(S, entry.nextTimer());

        assertEquals(List.of(BROADCAST), entry.timerExpired(S));
        assertEquals(2 * S, entry.nextTimer());
        assertEquals(List.of(BROADCAST), entry.timerExpired(2 * S));
        assertEquals(3 * S, entry.nextTimer());
        assertEquals(NudState.INCOMPLETE, entry.state());
        assertEquals(2, entry.queueLength());

        assertEquals(List.of(new Drop<>(List.of("first", "second"), SkbDropReason.NEIGH_FAILED)),
                entry.timerExpired(3 * S));
        assertEquals(NudState.FAILED, entry.state());
        assertEquals(SimTime.NEVER, entry.nextTimer());
        assertEquals(0, entry.queueLength());
    }

    @Test
    void aFailedEntryStartsOverOnTheNextPacket() {
        NeighbourEntry<String> entry = entry();
        entry.resolve("lost", 0);
        for (long t = S; t <= 3 * S; t += S) entry.timerExpired(t);
        assertEquals(NudState.FAILED, entry.state());
        assertEquals(List.of(BROADCAST), entry.resolve("again", 10 * S));
        assertEquals(NudState.INCOMPLETE, entry.state());
        assertEquals(11 * S, entry.nextTimer());
    }

    @Test
    void aReplyAfterTheSecondRequestFlushesTheQueueInOrder() {
        NeighbourEntry<String> entry = entry();
        entry.resolve("p1", 0);
        entry.resolve("p2", 300 * MS);
        assertEquals(List.of(BROADCAST), entry.timerExpired(S));
        entry.resolve("p3", 1200 * MS);
        assertEquals(List.of(new Transmit<>(List.of("p1", "p2", "p3"), MAC)), entry.replyReceived(MAC, 1500 * MS));
        assertEquals(NudState.REACHABLE, entry.state());
        assertEquals(MAC, entry.hardwareAddress());
        assertEquals(0, entry.queueLength());
        assertEquals(1500 * MS + REACHABLE_TIME, entry.nextTimer());
        assertEquals(List.of(), entry.timerExpired(2 * S), "the INCOMPLETE timer the owner had scheduled is gone");
        assertEquals(List.of(new Transmit<>(List.of("p4"), MAC)), entry.resolve("p4", 3 * S));
    }

    @Test
    void aFullQueueDropsTheOldestPacket() {
        NeighbourEntry<String> entry = entry();
        for (int i = 0; i < 101; i++) {
            List<NeighbourAction<String>> actions = entry.resolve("p" + i, i * MS);
            assertTrue(actions.stream().noneMatch(a -> a instanceof Drop), "dropped at " + i);
        }
        assertEquals(101, entry.queueLength());
        assertEquals(List.of(new Drop<>(List.of("p0"), SkbDropReason.NEIGH_QUEUEFULL)),
                entry.resolve("p101", 200 * MS));
        assertEquals(List.of(new Drop<>(List.of("p1"), SkbDropReason.NEIGH_QUEUEFULL)),
                entry.resolve("p102", 300 * MS));
        assertEquals(101, entry.queueLength());
        List<String> expected = new ArrayList<>();
        for (int i = 2; i <= 102; i++) expected.add("p" + i);
        assertEquals(List.of(new Transmit<>(expected, MAC)), entry.replyReceived(MAC, 400 * MS));
    }

    @Test
    void theQueueIsLimitedInTruesizeBytesNotPackets() {
        // 1472-byte pings (1500 IP bytes) have truesize 2304: 92 fit in 212992 bytes (92.4), the 93rd pushes out one
        NeighbourEntry<String> big = entry();
        for (int i = 0; i < 92; i++) assertTrue(big.resolve("b" + i, 2304, i * MS).stream().noneMatch(a -> a instanceof Drop));
        assertEquals(92 * 2304, big.queueBytes());
        assertEquals(List.of(new Drop<>(List.of("b0"), SkbDropReason.NEIGH_QUEUEFULL)), big.resolve("b92", 2304, 100 * MS));
        // a small packet after them still fits: 92 * 2304 + 896 <= 212992
        assertTrue(big.resolve("small", 896, 101 * MS).stream().noneMatch(a -> a instanceof Drop));
        assertEquals(93, big.queueLength());
        // a 64 KB datagram's skb takes the room of many: everything before it goes, oldest first
        List<NeighbourAction<String>> actions = big.resolve("huge", 200_000, 102 * MS);
        assertEquals(1, actions.size());
        assertEquals(87, ((Drop<String>) actions.get(0)).packets().size(), "212992 - 200000 leaves room for 5 of 2304 and the small one");
        assertEquals(List.of("b88", "b89", "b90", "b91", "b92", "small", "huge"),
                ((Transmit<String>) big.replyReceived(MAC, 103 * MS).get(0)).packets());
        assertEquals(0, big.queueBytes());
        // 56-byte pings (truesize 896): 237 queue before the first is dropped
        NeighbourEntry<String> small = entry();
        for (int i = 0; i < 237; i++) assertTrue(small.resolve("s" + i, 896, i * MS).stream().noneMatch(a -> a instanceof Drop));
        assertEquals(List.of(new Drop<>(List.of("s0"), SkbDropReason.NEIGH_QUEUEFULL)), small.resolve("s237", 896, 300 * MS));
    }

    @Test
    void reachableTimeIsDrawnFromTheSeedInHalfToOneAndAHalfTimesTheBase() {
        long drawn = LINUX.drawReachableTime(new SplittableRandom(42));
        assertEquals(drawn, LINUX.drawReachableTime(new SplittableRandom(42)));
        assertTrue(drawn >= 15 * S && drawn < 45 * S, "drawn " + drawn);
        assertNotEquals(drawn, LINUX.drawReachableTime(new SplittableRandom(43)));
    }

    @Property
    void reachableTimeLiesIn15To45Seconds(@ForAll long seed) {
        long drawn = LINUX.drawReachableTime(new SplittableRandom(seed));
        assertTrue(drawn >= 15 * S && drawn < 45 * S, "drawn " + drawn);
    }

    @Test
    void reachableExpiresToStaleAtTheDrawnReachableTime() {
        long reachableTime = LINUX.drawReachableTime(new SplittableRandom(7));
        NeighbourEntry<String> entry = new NeighbourEntry<>(ADDRESS, LINUX, reachableTime);
        entry.resolve("p", 0);
        entry.replyReceived(MAC, 100 * MS);
        long expiry = 100 * MS + reachableTime;
        assertEquals(expiry, entry.nextTimer());
        assertEquals(List.of(), entry.timerExpired(expiry - 1));
        assertEquals(NudState.REACHABLE, entry.state());
        assertEquals(List.of(), entry.timerExpired(expiry));
        assertEquals(NudState.STALE, entry.state());
        assertEquals(SimTime.NEVER, entry.nextTimer());
        assertEquals(MAC, entry.hardwareAddress());
    }

    @Test
    void aConfirmationWhileReachablePushesTheExpiryBack() {
        NeighbourEntry<String> entry = reachableAt(0);
        entry.confirm(5 * S);
        assertEquals(List.of(), entry.timerExpired(REACHABLE_TIME));
        assertEquals(NudState.REACHABLE, entry.state());
        assertEquals(5 * S + REACHABLE_TIME, entry.nextTimer());
    }

    @Test
    void staleUsedGoesToDelayThenProbesByUnicastAndAReplyMakesItReachable() {
        NeighbourEntry<String> entry = staleAt(0);
        long t = 40 * S;
        assertEquals(List.of(new Transmit<>(List.of("p"), MAC)), entry.resolve("p", t), "the stale address is used");
        assertEquals(NudState.DELAY, entry.state());
        assertEquals(t + 5 * S, entry.nextTimer());
        assertEquals(List.of(UNICAST), entry.timerExpired(t + 5 * S));
        assertEquals(NudState.PROBE, entry.state());
        assertEquals(t + 6 * S, entry.nextTimer());
        assertEquals(List.of(new Transmit<>(List.of("q"), MAC)), entry.resolve("q", t + 5200 * MS));
        assertEquals(List.of(), entry.replyReceived(MAC, t + 5500 * MS));
        assertEquals(NudState.REACHABLE, entry.state());
        assertEquals(t + 5500 * MS + REACHABLE_TIME, entry.nextTimer());
    }

    @Test
    void anUpperLayerConfirmationDuringDelayMakesItReachableWithoutProbing() {
        NeighbourEntry<String> entry = staleAt(0);
        long t = 40 * S;
        entry.resolve("p", t);
        entry.confirm(t + 2 * S);
        assertEquals(List.of(), entry.timerExpired(t + 5 * S));
        assertEquals(NudState.REACHABLE, entry.state());
        assertEquals(t + 2 * S + REACHABLE_TIME, entry.nextTimer());
    }

    @Test
    void unansweredUnicastProbesFailTheEntry() {
        NeighbourEntry<String> entry = staleAt(0);
        long t = 40 * S;
        entry.resolve("p", t);
        assertEquals(List.of(UNICAST), entry.timerExpired(t + 5 * S));
        assertEquals(List.of(UNICAST), entry.timerExpired(t + 6 * S));
        assertEquals(List.of(UNICAST), entry.timerExpired(t + 7 * S));
        assertEquals(t + 8 * S, entry.nextTimer());
        assertEquals(List.of(), entry.timerExpired(t + 8 * S), "nothing was queued: PROBE transmits at once");
        assertEquals(NudState.FAILED, entry.state());
        assertEquals(SimTime.NEVER, entry.nextTimer());
    }

    @Test
    void reachableUsedJustBeforeExpiryGoesStraightToDelay() {
        NeighbourEntry<String> entry = reachableAt(0);
        entry.resolve("p", REACHABLE_TIME - S);
        assertEquals(List.of(), entry.timerExpired(REACHABLE_TIME));
        assertEquals(NudState.DELAY, entry.state());
        assertEquals(REACHABLE_TIME + 5 * S, entry.nextTimer());
    }

    @Test
    void aRequestFromTheNeighbourWhileIncompleteTeachesItsAddressAndFlushesTheQueue() {
        NeighbourEntry<String> entry = entry();
        entry.resolve("p1", 0);
        entry.resolve("p2", 10 * MS);
        assertEquals(List.of(new Transmit<>(List.of("p1", "p2"), MAC)), entry.requestReceived(MAC, 20 * MS));
        assertEquals(NudState.STALE, entry.state());
        assertEquals(SimTime.NEVER, entry.nextTimer());
    }

    @Test
    void aRequestWithTheKnownAddressLeavesReachableAlone() {
        NeighbourEntry<String> entry = reachableAt(0);
        long timer = entry.nextTimer();
        assertEquals(List.of(), entry.requestReceived(MAC, 3 * S));
        assertEquals(NudState.REACHABLE, entry.state());
        assertEquals(timer, entry.nextTimer());
    }

    @Test
    void aRequestWithANewAddressMakesItStaleWithThatAddress() {
        NeighbourEntry<String> entry = reachableAt(0);
        assertEquals(List.of(), entry.requestReceived(OTHER_MAC, 3 * S));
        assertEquals(NudState.STALE, entry.state());
        assertEquals(OTHER_MAC, entry.hardwareAddress());
        assertEquals(SimTime.NEVER, entry.nextTimer());
    }

    @Test
    void aReplyWithAnotherAddressWithinLocktimeIsIgnoredAndAfterItWins() {
        NeighbourEntry<String> entry = reachableAt(0);
        entry.replyReceived(OTHER_MAC, 500 * MS);
        assertEquals(MAC, entry.hardwareAddress());
        entry.replyReceived(OTHER_MAC, 1500 * MS);
        assertEquals(OTHER_MAC, entry.hardwareAddress());
        assertEquals(NudState.REACHABLE, entry.state());
    }

    @Test
    void withoutBroadcastOrArpdRequestsThePacketFailsAtOnce() {
        NeighbourEntry<String> entry = new NeighbourEntry<>(ADDRESS,
                new NeighbourParameters(30 * S, 5 * S, S, 0, 3, 0, 0, 212_992, S), REACHABLE_TIME);
        assertEquals(List.of(new Drop<>(List.of("p"), SkbDropReason.NEIGH_FAILED)), entry.resolve("p", 0));
        assertEquals(NudState.FAILED, entry.state());
    }

    @Test
    void showsLikeIpNeigh() {
        NeighbourEntry<String> entry = entry();
        entry.resolve("p", 0);
        assertEquals("10.0.2.2 INCOMPLETE", entry.toString());
        entry.replyReceived(MAC, MS);
        assertEquals("10.0.2.2 lladdr 02:00:5e:10:00:02 REACHABLE", entry.toString());
    }

    private static NeighbourEntry<String> reachableAt(long t) {
        NeighbourEntry<String> entry = entry();
        entry.resolve("first", t);
        entry.replyReceived(MAC, t);
        assertEquals(NudState.REACHABLE, entry.state());
        return entry;
    }

    private static NeighbourEntry<String> staleAt(long t) {
        NeighbourEntry<String> entry = entry();
        entry.requestReceived(MAC, t);
        assertEquals(NudState.STALE, entry.state());
        return entry;
    }

    @Test
    void anEntryLearnedFromARequestIsNotCollectableUntilGcStaleTimeAfterItsCreation() {
        // neigh_alloc() sets ->used to the creation time: a fresh STALE entry is not garbage
        long created = 100 * SimTime.SECOND, stale = 60 * SimTime.SECOND;
        var entry = new NeighbourEntry<String>(0x0a000001, NeighbourParameters.linuxDefaults(), 30 * SimTime.SECOND, created);
        entry.requestReceived(MacAddress.parse("02:00:00:00:00:01"), created);
        assertEquals(NudState.STALE, entry.state());
        org.junit.jupiter.api.Assertions.assertFalse(entry.collectable(created + 15 * SimTime.SECOND, stale));
        org.junit.jupiter.api.Assertions.assertFalse(entry.collectable(created + stale - 1, stale));
        assertTrue(entry.collectable(created + stale, stale));
    }
}
