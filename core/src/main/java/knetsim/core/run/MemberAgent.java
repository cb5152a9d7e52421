package knetsim.core.run;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ChildFailed;
import akka.actor.typed.Terminated;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.SerializationExtension;
import knetsim.core.engine.PartitionScheduler;
import knetsim.core.engine.Scenario;
import knetsim.core.serial.CrossJvm;
import knetsim.core.serial.KryoSerializer;

/**
 * The coordinator's hands in a member ActorSystem: typed Akka cannot deploy actors remotely, so
 * each member runs this agent, which announces itself and builds its partition on request. The
 * scenario arrives as {@link ScenarioChunk}s (one message of a 1,000-host topology is bigger than
 * Artery's frame), then {@link CreatePartition}; the agent confirms with
 * {@link RunCoordinator.PartReceived} before it builds. A message this system cannot send (too big,
 * or not serialisable) fails the run at once ({@link KryoSerializer.Undeliverable}).
 */
public final class MemberAgent {
    /** Announced by a member that joined on its own ({@code knetsim member}): the coordinator picks its partition. */
    public static final int ANY_PARTITION = -1;

    public sealed interface Command {}

    /** Part {@code index} of {@code count} of the serialized scenario; all come before {@link CreatePartition}. */
    public record ScenarioChunk(int index, int count, byte[] bytes) implements Command, CrossJvm {}

    /** Build partition {@code partition} from the chunks received, decoded by Akka serializer {@code serializerId}. */
    public record CreatePartition(int partition, int partitions, int chunks, int serializerId, String manifest,
                                  ActorRef<RunCoordinator.Command> coordinator) implements Command, CrossJvm {}

    /**
     * The run is over or aborted, or this member is not wanted: stop this member's ActorSystem.
     * {@code completed} is true only when the run finished with a result.
     */
    public record Shutdown(String reason, boolean completed) implements Command, CrossJvm {}

    /**
     * The coordinator asks before it ends the run: the answer, {@link RunCoordinator.Settled}, comes after the
     * failure of any message this system had refused by then, on the same channel.
     */
    public record Settle(int partition) implements Command, CrossJvm {}

    private record Unsendable(KryoSerializer.Undeliverable event) implements Command {}
    private record Undelivered(akka.actor.DeadLetter letter) implements Command {}

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
            context.getSystem().eventStream().tell(new EventStream.Subscribe<>(KryoSerializer.Undeliverable.class,
                    context.messageAdapter(KryoSerializer.Undeliverable.class, Unsendable::new)));
            context.getSystem().eventStream().tell(new EventStream.Subscribe<>(akka.actor.DeadLetter.class,
                    context.messageAdapter(akka.actor.DeadLetter.class, Undelivered::new)));
            SenderCheck.tell(coordinator, new RunCoordinator.MemberJoined(partition, member, context.getSelf()),
                    context.getSelf());
            return new Agent(context, partition, coordinator, listener).behavior();
        });
    }

    private static final class Agent {
        private final ActorContext<Command> context;
        private final ActorRef<RunCoordinator.Command> coordinator;
        private final Listener listener;
        private final SenderCheck senders = new SenderCheck("member agent");
        private int partition;
        private byte[][] chunks;
        private int received;

        Agent(ActorContext<Command> context, int partition, ActorRef<RunCoordinator.Command> coordinator, Listener listener) {
            this.context = context;
            this.partition = partition;
            this.coordinator = coordinator;
            this.listener = listener;
        }

        Behavior<Command> behavior() {
            return Behaviors.receive(Command.class)
                    .onMessage(ScenarioChunk.class, m -> fromCoordinator(m) ? onChunk(m) : Behaviors.same())
                    .onMessage(CreatePartition.class, m -> fromCoordinator(m) ? onCreate(m) : Behaviors.same())
                    .onMessage(Unsendable.class, m -> {
                        SenderCheck.tell(coordinator, new RunCoordinator.MessageUndeliverable(partition, m.event().reason()),
                                context.getSelf());
                        return Behaviors.same();
                    })
                    .onMessage(Undelivered.class, m -> {
                        String reason = DroppedMessages.reason(m.letter());
                        if (reason != null) {
                            SenderCheck.tell(coordinator, new RunCoordinator.MessageUndeliverable(partition, reason),
                                    context.getSelf());
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Settle.class, m -> {
                        if (fromCoordinator(m)) {
                            SenderCheck.tell(coordinator, new RunCoordinator.Settled(m.partition()), context.getSelf());
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Shutdown.class, m -> {
                        if (!fromCoordinator(m)) return Behaviors.same();
                        listener.shutdown(m.reason(), m.completed());
                        context.getSystem().terminate();
                        return Behaviors.stopped();
                    })
                    .onSignal(ChildFailed.class, s -> {
                        SenderCheck.tell(coordinator, new RunCoordinator.PartitionFailed(partition,
                                "partition " + partition + " stopped: " + s.cause()), context.getSelf());
                        return Behaviors.same();
                    })
                    .onSignal(Terminated.class, s -> Behaviors.same()) // stopped after it reported, or told to
                    .build();
        }

        // Orders come from the launcher this member announced itself to, and from nobody else.
        private boolean fromCoordinator(Command m) {
            return senders.from(context, m, SenderCheck.addressOf(coordinator));
        }

        private Behavior<Command> onChunk(ScenarioChunk c) {
            if (chunks == null || chunks.length != c.count()) {
                chunks = new byte[c.count()][];
                received = 0;
            }
            if (c.index() >= 0 && c.index() < chunks.length && chunks[c.index()] == null) {
                chunks[c.index()] = c.bytes();
                received++;
            }
            return Behaviors.same();
        }

        private Behavior<Command> onCreate(CreatePartition m) {
            partition = m.partition();
            int have = chunks == null || chunks.length != m.chunks() ? 0 : received;
            if (have != m.chunks()) {
                return failed(m, "received " + have + " of the " + m.chunks() + " parts of the scenario");
            }
            int length = 0;
            for (byte[] c : chunks) length += c.length;
            byte[] all = new byte[length];
            int at = 0;
            for (byte[] c : chunks) {
                System.arraycopy(c, 0, all, at, c.length);
                at += c.length;
            }
            chunks = null;
            SenderCheck.tell(m.coordinator(), new RunCoordinator.PartReceived(m.partition(), length), context.getSelf());
            Scenario scenario;
            try {
                scenario = (Scenario) SerializationExtension.get(Adapter.toClassic(context.getSystem()))
                        .deserialize(all, m.serializerId(), m.manifest()).get();
            } catch (Throwable e) { // Try.get() rethrows the serializer's (possibly checked) exception; a deep structure overflows the stack
                return failed(m, "cannot decode the scenario (" + length + " bytes): " + e.getMessage());
            }
            // watched: a scheduler that stops on an error it could not report fails the run instead of hanging it
            context.watch(context.spawn(PartitionScheduler.create(m.partition(), m.partitions(), scenario, m.coordinator()),
                    "partition-" + m.partition()));
            listener.partitionAssigned(m.partition(), m.partitions());
            return Behaviors.same();
        }

        private Behavior<Command> failed(CreatePartition m, String reason) {
            SenderCheck.tell(m.coordinator(), new RunCoordinator.PartitionFailed(m.partition(), reason), context.getSelf());
            return Behaviors.same();
        }
    }
}
