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
    /** Announced by a member that joined on its own ({@code knetsim member}): the coordinator picks its partition. */
    public static final int ANY_PARTITION = -1;

    public sealed interface Command {}

    public record CreatePartition(int partition, int partitions, Scenario scenario,
                                  ActorRef<RunCoordinator.Command> coordinator) implements Command, CrossJvm {}

    /**
     * The run is over or aborted, or this member is not wanted: stop this member's ActorSystem.
     * {@code completed} is true only when the run finished with a result.
     */
    public record Shutdown(String reason, boolean completed) implements Command, CrossJvm {}

    /** What the member's own JVM learns from the agent (it runs in the agent's actor; keep it short). */
    public interface Listener {
        Listener NONE = new Listener() {};

        default void partitionAssigned(int partition, int partitions) {}

        default void shutdown(String reason, boolean completed) {}
    }

    private MemberAgent() {}

    /**
     * Announces {@code partition} (or {@link #ANY_PARTITION}) from {@code member} to the coordinator,
     * then waits for orders.
     */
    public static Behavior<Command> create(int partition, String member, ActorRef<RunCoordinator.Command> coordinator,
                                           Listener listener) {
        return Behaviors.setup(context -> {
            coordinator.tell(new RunCoordinator.MemberJoined(partition, member, context.getSelf()));
            return Behaviors.receive(Command.class)
                    .onMessage(CreatePartition.class, m -> {
                        context.spawn(PartitionScheduler.create(m.partition(), m.partitions(), m.scenario(), m.coordinator()),
                                "partition-" + m.partition());
                        listener.partitionAssigned(m.partition(), m.partitions());
                        return Behaviors.same();
                    })
                    .onMessage(Shutdown.class, m -> {
                        listener.shutdown(m.reason(), m.completed());
                        context.getSystem().terminate();
                        return Behaviors.stopped();
                    })
                    .build();
        });
    }
}
