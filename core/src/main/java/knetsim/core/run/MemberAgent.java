package knetsim.core.run;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import knetsim.core.engine.PartitionScheduler;
import knetsim.core.engine.Scenario;
import knetsim.core.serial.CrossJvm;

/**
 * The coordinator's hands in a member ActorSystem: typed Akka cannot deploy actors remotely, so
 * each member runs this agent, which announces itself and builds its partition on request.
 */
public final class MemberAgent {
    public sealed interface Command {}

    public record CreatePartition(int partition, int partitions, Scenario scenario,
                                  ActorRef<RunCoordinator.Command> coordinator) implements Command, CrossJvm {}

    /** The run is over (or aborted): stop this member's ActorSystem. */
    public record Shutdown(String reason) implements Command, CrossJvm {}

    private MemberAgent() {}

    /** Announces {@code partition} from {@code member} to the coordinator, then waits for orders. */
    public static Behavior<Command> create(int partition, String member, ActorRef<RunCoordinator.Command> coordinator) {
        return Behaviors.setup(context -> {
            coordinator.tell(new RunCoordinator.MemberJoined(partition, member, context.getSelf()));
            return Behaviors.receive(Command.class)
                    .onMessage(CreatePartition.class, m -> {
                        context.spawn(PartitionScheduler.create(m.partition(), m.partitions(), m.scenario(), m.coordinator()),
                                "partition-" + m.partition());
                        return Behaviors.same();
                    })
                    .onMessage(Shutdown.class, m -> {
                        context.getSystem().terminate();
                        return Behaviors.stopped();
                    })
                    .build();
        });
    }
}
