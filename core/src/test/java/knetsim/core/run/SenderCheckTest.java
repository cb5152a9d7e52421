package knetsim.core.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Orders reach a member's agent only from its coordinator's system: one without a sender (how a typed tell
 * from a foreign process arrives) is dropped, the same message from the coordinator is obeyed. (A sender in
 * another system: ForeignSenderIT.)
 */
class SenderCheckTest {
    static final ActorTestKit KIT = ActorTestKit.create();

    @AfterAll
    static void stop() {
        KIT.shutdownTestKit();
    }

    @Test
    void anAgentObeysAShutdownOnlyFromItsCoordinator() throws Exception {
        TestProbe<RunCoordinator.Command> coordinator = KIT.createTestProbe();
        CompletableFuture<String> shutdown = new CompletableFuture<>();
        ActorRef<MemberAgent.Command> agent = KIT.spawn(MemberAgent.create(MemberAgent.ANY_PARTITION, "m",
                coordinator.ref(), new MemberAgent.Listener() {
                    @Override
                    public void shutdown(String reason, boolean completed) {
                        shutdown.complete(reason);
                    }
                }));
        coordinator.expectMessageClass(RunCoordinator.MemberJoined.class);
        agent.tell(new MemberAgent.Shutdown("forged, no sender", true));
        SenderCheck.tell(agent, new MemberAgent.Shutdown("the run is over", true), coordinator.ref());
        assertEquals("the run is over", shutdown.get(10, TimeUnit.SECONDS), "a forged Shutdown was obeyed first");
    }
}
