package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import knetsim.core.run.RunCoordinator;
import knetsim.core.run.SenderCheck;
import knetsim.core.selftest.SelftestScenario;
import knetsim.core.time.SimTime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A partition holds its peers' messages that come before Begin (they may overtake the coordinator's), but not
 * without end: a peer that floods it before the run began fails the run with a reason instead of filling the heap.
 */
class EarlyMessagesTest {
    static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void aFloodBeforeBeginFailsThePartitionNamingTheLimit() {
        TestProbe<RunCoordinator.Command> coordinator = KIT.createTestProbe();
        TestProbe<PartitionScheduler.Command> peer = KIT.createTestProbe();
        ActorRef<PartitionScheduler.Command> scheduler = KIT.spawn(PartitionScheduler.create(1, 2,
                SelftestScenario.withEvents(20, 1000, 1), coordinator.ref()));
        coordinator.expectMessageClass(RunCoordinator.PartitionReady.class);
        for (int i = 0; i < PartitionScheduler.EARLY_LIMIT; i++) {
            SenderCheck.tell(scheduler, new PartitionScheduler.EndOfWindow(0, 0, 0, Long.MAX_VALUE, 0), peer.ref());
        }
        coordinator.expectNoMessage(Duration.ofMillis(200)); // held: a peer may be faster than Begin
        SenderCheck.tell(scheduler, new PartitionScheduler.EndOfWindow(0, 0, 0, Long.MAX_VALUE, 0), peer.ref());
        RunCoordinator.PartitionFailed failed = coordinator.expectMessageClass(RunCoordinator.PartitionFailed.class,
                Duration.ofSeconds(10));
        assertEquals(1, failed.partition());
        assertTrue(failed.reason().contains("more than 10000 messages from its peers before the run began"), failed.reason());
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"an LP of the sender's own partition", "an LP that does not exist",
            "a round two ahead"})
    void aPeersBatchThatCannotBeThisPartitionsFailsIt(String what) {
        SelftestScenario scenario = SelftestScenario.withEvents(20, 1000, 1);
        int[] partitionOf = scenario.partitionOf(2);
        int theirs = 0;
        while (partitionOf[theirs] != 0) theirs++;
        int ours = 0;
        while (partitionOf[ours] != 1) ours++;
        TestProbe<RunCoordinator.Command> coordinator = KIT.createTestProbe();
        TestProbe<PartitionScheduler.Command> peer = KIT.createTestProbe();
        ActorRef<PartitionScheduler.Command> scheduler = KIT.spawn(PartitionScheduler.create(1, 2, scenario, coordinator.ref()));
        coordinator.expectMessageClass(RunCoordinator.PartitionReady.class);
        SenderCheck.tell(scheduler, new PartitionScheduler.Begin(new PartitionScheduler.PeerRef[] {
                new PartitionScheduler.PeerRef(0, peer.ref()), new PartitionScheduler.PeerRef(1, scheduler)}), coordinator.ref());
        Event event = new Event(SimTime.SECOND, theirs, 1, switch (what) {
            case "an LP of the sender's own partition" -> theirs;
            case "an LP that does not exist" -> partitionOf.length;
            default -> ours;
        }, new knetsim.core.selftest.Token(1, 1, 1));
        long batchRound = what.equals("a round two ahead") ? 2 : 0;
        SenderCheck.tell(scheduler, new PartitionScheduler.EventBatch(0, batchRound, new Event[] {event}), peer.ref());
        RunCoordinator.PartitionFailed failed = coordinator.expectMessageClass(RunCoordinator.PartitionFailed.class,
                Duration.ofSeconds(10));
        assertTrue(failed.reason().contains(what.equals("a round two ahead") ? "sent events for round 2" : "which partition 1 does not run"),
                failed.reason());
    }
}
