package knetsim.core.run;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ChildFailed;
import akka.actor.typed.Terminated;
import akka.actor.typed.eventstream.EventStream;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import knetsim.core.engine.LpGraph;
import knetsim.core.engine.PartitionScheduler;
import knetsim.core.engine.RunDigest;
import knetsim.core.engine.Scenario;
import knetsim.core.serial.CrossJvm;
import knetsim.core.serial.KryoSerializer;

/**
 * Starts, aborts and collects a run; it is off the hot path (the partitions synchronise among
 * themselves). It hosts partition 0 in its own ActorSystem and asks the members that join for
 * the others, then hands every scheduler the list of its peers.
 */
public final class RunCoordinator extends AbstractBehavior<RunCoordinator.Command> {
    public sealed interface Command {}

    public record MemberJoined(int partition, String member, ActorRef<MemberAgent.Command> agent)
            implements Command, CrossJvm {}
    public record PartitionReady(int partition, ActorRef<PartitionScheduler.Command> scheduler,
                                 long localLookahead, int lps) implements Command, CrossJvm {}
    public record LpDigests(int partition, int[] lpIds, byte[][] digests) implements Command, CrossJvm {}
    public record PartitionFinished(int partition, long events, long lastEventTime, long rounds, long windows)
            implements Command, CrossJvm {}
    public record PartitionFailed(int partition, String reason) implements Command, CrossJvm {}
    /** A member's system refused to send one of the run's messages (KryoSerializer.Undeliverable): the run fails at once. */
    public record MessageUndeliverable(int partition, String reason) implements Command, CrossJvm {}
    /** A member agent's answer to {@link MemberAgent.Settle}. */
    public record Settled(int partition) implements Command, CrossJvm {}
    /** A member has every chunk of the scenario; it builds its partition next. */
    public record PartReceived(int partition, long bytes) implements Command, CrossJvm {}
    /** An LP's counters at the end of the run, under the kernel's names. */
    public record LpCounters(int lpId, String[] names, long[] values) implements Command, CrossJvm {}
    /** One item an LP hands back at the end of the run (see LogicalProcess.reports()). */
    public record LpReport(int lpId, int index, CrossJvm report) implements Command, CrossJvm {}
    /** A member JVM or ActorSystem is gone (process exit, unreachable, removed). */
    public record MemberLost(String member, String why) implements Command {}
    /** Abort from the launcher, e.g. set-up took too long or the user interrupted. */
    public record AbortRun(String reason) implements Command {}
    /** The launcher gave up waiting for members; {@code where} says where they were expected. */
    public record JoinTimedOut(long seconds, String where) implements Command {}
    /** The failure detector's verdict on the node at {@code member}: unreachable, or reachable again. */
    record Reachability(akka.actor.Address member, boolean reachable) implements Command {}
    private record Unsendable(KryoSerializer.Undeliverable event) implements Command {}
    private record SettleTimedOut() implements Command {}
    private record Undelivered(akka.actor.DeadLetter letter) implements Command {}
    private record PartUnconfirmed(int partition) implements Command {}
    private record PartNotBuilt(int partition) implements Command {}
    /** The timer key of a partition's build (PartNotBuilt); a partition's number keys its PartUnconfirmed. */
    private record Building(int partition) {}
    private record StillUnreachable(akka.actor.Address member) implements Command {}

    /**
     * How long a node that has not announced itself may stay unreachable during set-up before the run fails: a
     * member JVM that is starting and building its part on busy cores can miss the failure detector's 3 s of
     * heartbeats once and come back (ExternalMemberIT saw it at load 3); one that is gone stays unreachable.
     */
    static final java.time.Duration SETUP_UNREACHABLE_GRACE = java.time.Duration.ofSeconds(5);

    /** Scenario bytes per message: half of Artery's default frame of 256 KiB. */
    static final int CHUNK_BYTES = 128 * 1024;
    private static final String SETTLE_TIMER = "settle";

    private final Scenario scenario;
    private final SenderCheck senders;
    /** The systems of the admitted members: only they (and this system) may send the messages below. */
    private final java.util.Set<akka.actor.Address> admitted = new java.util.HashSet<>();
    private final TimerScheduler<Command> timers;
    private ScenarioBytes shipped;
    /** A member that has not confirmed its whole part this long after it was sent fails the run. */
    private final java.time.Duration confirmWithin;
    private final java.time.Duration buildWithin;
    /** {@link #SETUP_UNREACHABLE_GRACE} unless a test made it shorter. */
    private final java.time.Duration setupUnreachableGrace;
    private final int partitions;
    private final int jvms;
    private final boolean external;
    private final CompletableFuture<RunResult> result;
    private final CompletableFuture<Void> allJoined;
    private final CompletableFuture<Void> begun;
    private final Map<Integer, ActorRef<MemberAgent.Command>> agents = new TreeMap<>();
    private final Map<Integer, String> memberNames = new TreeMap<>();
    @SuppressWarnings("unchecked")
    private final ActorRef<PartitionScheduler.Command>[] schedulers;
    private final RunResults results;
    private long localLookahead = Long.MAX_VALUE;
    private int ready;
    private int finished;
    private long events;
    private long lastEventTime;
    private long rounds;
    private long windows;
    private boolean over;
    private final java.util.Set<akka.actor.Address> turnedAway = new java.util.HashSet<>();  // members refused

    /** The coordinator tells a partition each time it has taken this many more of its result messages. */
    public static final int RESULTS_TAKEN_EVERY = 64;
    /** The members whose agents have not yet answered {@link MemberAgent.Settle}; null until the run ends. */
    private java.util.Set<Integer> settling;
    /** The reason the run fails once settled; null when it completes. */
    private String settleFailure;

    /**
     * @param external the members join on their own ({@code knetsim member}) and are given partitions
     *                 1..partitions-1 in the order they announce themselves; otherwise each member
     *                 announces the partition the launcher forked it for
     */
    public static Behavior<Command> create(Scenario scenario, int partitions, int jvms, boolean external,
                                           CompletableFuture<RunResult> result, CompletableFuture<Void> allJoined,
                                           CompletableFuture<Void> begun) {
        return create(scenario, partitions, jvms, external, result, allJoined, begun, new SenderCheck("the launcher"));
    }

    /** @param senders checks and counts the senders of the messages from the members */
    public static Behavior<Command> create(Scenario scenario, int partitions, int jvms, boolean external,
                                           CompletableFuture<RunResult> result, CompletableFuture<Void> allJoined,
                                           CompletableFuture<Void> begun, SenderCheck senders) {
        return create(scenario, partitions, jvms, external, result, allJoined, begun, senders, SETUP_UNREACHABLE_GRACE);
    }

    /** @param setupUnreachableGrace {@link #SETUP_UNREACHABLE_GRACE}, shorter in tests */
    static Behavior<Command> create(Scenario scenario, int partitions, int jvms, boolean external,
                                    CompletableFuture<RunResult> result, CompletableFuture<Void> allJoined,
                                    CompletableFuture<Void> begun, SenderCheck senders,
                                    java.time.Duration setupUnreachableGrace) {
        return Behaviors.withTimers(timers -> Behaviors.setup(context -> new RunCoordinator(context, timers, scenario,
                partitions, jvms, external, result, allJoined, begun, senders, setupUnreachableGrace)));
    }

    /** The scenario as one Akka serializer wrote it, cut into frame-sized chunks. */
    private record ScenarioBytes(int serializerId, String manifest, byte[][] chunks, long length) {}

    @SuppressWarnings("unchecked")
    private RunCoordinator(ActorContext<Command> context, TimerScheduler<Command> timers, Scenario scenario, int partitions, int jvms, boolean external,
                           CompletableFuture<RunResult> result, CompletableFuture<Void> allJoined,
                           CompletableFuture<Void> begun, SenderCheck senders, java.time.Duration setupUnreachableGrace) {
        super(context);
        this.senders = senders;
        this.setupUnreachableGrace = setupUnreachableGrace;
        this.timers = timers;
        this.confirmWithin = context.getSystem().settings().config().getDuration("knetsim.part-confirm-timeout");
        this.buildWithin = context.getSystem().settings().config().getDuration("knetsim.part-build-timeout");
        this.external = external;
        this.begun = begun;
        this.scenario = scenario;
        this.partitions = partitions;
        this.jvms = jvms;
        this.result = result;
        this.allJoined = allJoined;
        this.schedulers = new ActorRef[partitions];
        // every RESULTS_TAKEN_EVERY result messages of a partition, its scheduler may send more (PartitionResults.WINDOW)
        this.results = new RunResults(partitions, () -> scenario.partitionOf(partitions), (p, count) -> {
            if (schedulers[p] != null) {
                SenderCheck.tell(schedulers[p], new PartitionScheduler.ResultsTaken(count), context.getSelf());
            }
        });
        memberNames.put(0, "coordinator " + context.getSystem().address());
        if (partitions == 1) allJoined.complete(null);
        // watched: a scheduler that stops on an error it could not report fails the run instead of hanging it
        context.watch(context.spawn(PartitionScheduler.create(0, partitions, scenario, context.getSelf()), "partition-0"));
        timers.startSingleTimer(new Building(0), new PartNotBuilt(0), buildWithin);
        context.getSystem().eventStream().tell(new EventStream.Subscribe<>(KryoSerializer.Undeliverable.class,
                context.messageAdapter(KryoSerializer.Undeliverable.class, Unsendable::new)));
        context.getSystem().eventStream().tell(new EventStream.Subscribe<>(akka.actor.DeadLetter.class,
                context.messageAdapter(akka.actor.DeadLetter.class, Undelivered::new)));
        if ("cluster".equals(context.getSystem().settings().config().getString("akka.actor.provider"))) {
            ActorRef<ClusterEvent.ReachabilityEvent> adapter =
                    context.messageAdapter(ClusterEvent.ReachabilityEvent.class, e -> new Reachability(
                            e.member().address(), e instanceof ClusterEvent.ReachableMember));
            Cluster.get(context.getSystem()).subscriptions()
                    .tell(Subscribe.create(adapter, ClusterEvent.ReachabilityEvent.class));
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(MemberJoined.class, this::onJoined)
                .onMessage(PartitionReady.class, m -> admitted(m) ? onReady(m) : this)
                .onMessage(LpDigests.class, m -> admitted(m) ? onDigests(m) : this)
                .onMessage(LpCounters.class, m -> admitted(m) ? onCounters(m) : this)
                .onMessage(LpReport.class, m -> admitted(m) ? onReport(m) : this)
                .onMessage(PartitionFinished.class, m -> admitted(m) ? onFinished(m) : this)
                .onMessage(PartitionFailed.class, m -> !admitted(m) ? this : settle("partition " + m.partition() + " ("
                        + memberNames.getOrDefault(m.partition(), "?") + ") failed: " + m.reason()))
                .onMessage(MessageUndeliverable.class, m -> !admitted(m) ? this : abort("partition " + m.partition()
                        + " (" + memberNames.getOrDefault(m.partition(), "?") + ") could not send: " + m.reason()))
                .onMessage(Settled.class, m -> admitted(m) ? onSettled(m) : this)
                .onMessage(SettleTimedOut.class, m -> abort(settleFailure != null ? settleFailure
                        : "member" + (settling.size() == 1 ? " " : "s ") + names(settling) + " did not answer within "
                        + confirmWithin.toSeconds() + " s at the end of the run"))
                .onMessage(MemberLost.class, m -> abort("member " + m.member() + " " + m.why()))
                .onMessage(AbortRun.class, m -> abort(m.reason()))
                .onMessage(JoinTimedOut.class, this::onJoinTimedOut)
                .onMessage(Reachability.class, this::onReachability)
                .onMessage(StillUnreachable.class, this::onStillUnreachable)
                .onMessage(Unsendable.class, m -> abort(m.event().reason()))
                .onMessage(Undelivered.class, this::onUndelivered)
                .onMessage(PartReceived.class, m -> {
                    if (!admitted(m)) return this;
                    timers.cancel(m.partition());
                    if (m.partition() > 0 && m.partition() < partitions) {
                        timers.startSingleTimer(new Building(m.partition()), new PartNotBuilt(m.partition()), buildWithin);
                    }
                    return this;
                })
                .onMessage(PartNotBuilt.class, m -> ready >= partitions ? this : abort("partition " + m.partition() + " ("
                        + memberNames.getOrDefault(m.partition(), "?") + ") did not finish building its LPs within "
                        + buildWithin.toSeconds() + " s (knetsim.part-build-timeout)"))
                .onMessage(PartUnconfirmed.class, m -> abort("member " + memberNames.get(m.partition())
                        + " did not confirm receiving its part of the scenario (" + shipped.length() + " bytes in "
                        + shipped.chunks().length + " messages) within " + confirmWithin.toSeconds()
                        + " s: a message to it was dropped or is undeliverable"))
                .onSignal(ChildFailed.class, s -> abort("partition 0 (" + memberNames.get(0) + ") stopped: " + s.cause()))
                .onSignal(Terminated.class, s -> this) // stopped after it reported its failure, or told to
                .build();
    }

    // Only this system (partition 0) and the systems of admitted members speak to the coordinator.
    private boolean admitted(Command m) {
        akka.actor.Address from = SenderCheck.senderAddress(getContext());
        if (from != null && (from.hasLocalScope() || admitted.contains(from))) return true;
        senders.refuse(m, from);
        return false;
    }

    // The failure detector marks a member unreachable a few seconds after its heartbeats stop.
    private Behavior<Command> onReachability(Reachability r) {
        akka.actor.Address a = r.member();
        if (r.reachable() || turnedAway.contains(a)) {
            timers.cancel(a);
            return this;
        }
        for (var e : agents.entrySet()) {
            if (e.getValue().path().address().equals(a)) {
                return abort("member " + memberNames.get(e.getKey()) + " became unreachable");
            }
        }
        // During set-up every node of the cluster is a member of this run, announced or not yet: one that stays
        // unreachable for the grace fails the run then, instead of at the set-up timeout.
        if (ready < partitions) timers.startSingleTimer(a, new StillUnreachable(a), setupUnreachableGrace);
        return this;
    }

    private Behavior<Command> onStillUnreachable(StillUnreachable m) {
        if (ready >= partitions) return this;
        akka.actor.Address a = m.member();
        return abort("the member at " + a.getHost().orElse("?") + ":" + a.getPort().map(String::valueOf).orElse("?")
                + " became unreachable during set-up, before it announced itself, and stayed so for "
                + (setupUnreachableGrace.toMillis() % 1000 == 0 ? setupUnreachableGrace.toSeconds() + " s"
                        : setupUnreachableGrace.toMillis() + " ms"));
    }

    private Behavior<Command> onJoinTimedOut(JoinTimedOut m) {
        if (agents.size() == partitions - 1) return this;
        int expected = partitions - 1;
        return abort(external
                ? "only " + agents.size() + " of " + expected + " member" + (expected == 1 ? "" : "s")
                        + " joined at " + m.where() + " within " + m.seconds() + " s"
                : "members did not join within " + m.seconds() + "s (" + agents.size() + " of " + expected + " joined)");
    }

    // A member this run does not take: told why, then downed, so that its leaving is neither a member of this run
    // becoming unreachable during set-up nor an unreachable node that keeps the cluster from admitting others.
    private Behavior<Command> turnAway(MemberJoined m, akka.actor.Address from, String why) {
        turnedAway.add(from);
        toAgent(m.agent(), new MemberAgent.Shutdown(why, false));
        if ("cluster".equals(getContext().getSystem().settings().config().getString("akka.actor.provider"))) {
            Cluster.get(getContext().getSystem()).manager().tell(new akka.cluster.typed.Down(from));
        }
        return this;
    }

    private Behavior<Command> onJoined(MemberJoined m) {
        // a member announces itself from its own agent: an announcement for someone else's agent is forged
        akka.actor.Address from = SenderCheck.senderAddress(getContext());
        if (from == null || !from.equals(SenderCheck.addressOf(m.agent()))) {
            senders.refuse(m, from);
            return this;
        }
        if (over) {
            toAgent(m.agent(), new MemberAgent.Shutdown("the run is over", false));
            return this;
        }
        int partition = m.partition();
        if (partition == MemberAgent.ANY_PARTITION) {
            if (!external) return turnAway(m, from, "this launcher forks its own members and takes no others");
            partition = 1;
            while (partition < partitions && agents.containsKey(partition)) partition++;
            if (partition == partitions) {
                return turnAway(m, from, "the run already has its " + (partitions - 1) + " member" + (partitions == 2 ? "" : "s"));
            }
        } else if (external || partition <= 0 || partition >= partitions || agents.containsKey(partition)) {
            return turnAway(m, from, "partition " + partition + " is not expected");
        }
        agents.put(partition, m.agent());
        admitted.add(from);
        memberNames.put(partition, m.member());
        ScenarioBytes bytes;
        try {
            bytes = shipped();
        } catch (RuntimeException e) {
            return abort("cannot serialise the scenario for the members: " + e.getMessage());
        }
        for (int i = 0; i < bytes.chunks().length; i++) {
            toAgent(m.agent(), new MemberAgent.ScenarioChunk(i, bytes.chunks().length, bytes.chunks()[i]));
        }
        toAgent(m.agent(), new MemberAgent.CreatePartition(partition, partitions, bytes.chunks().length, bytes.serializerId(),
                bytes.manifest(), getContext().getSelf()));
        timers.startSingleTimer(partition, new PartUnconfirmed(partition), confirmWithin);
        if (agents.size() == partitions - 1) allJoined.complete(null);
        return this;
    }

    // Serialized once for all members, unbounded: the chunks, not the whole, must fit a frame.
    private ScenarioBytes shipped() {
        if (shipped != null) return shipped;
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(getContext().getSystem()));
        Serializer serializer = serialization.findSerializerFor(scenario);
        byte[] all = serializer instanceof KryoSerializer kryo ? kryo.toBinaryUnbounded(scenario)
                : serialization.serialize(scenario).get();
        byte[][] chunks = new byte[Math.max(1, (all.length + CHUNK_BYTES - 1) / CHUNK_BYTES)][];
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = java.util.Arrays.copyOfRange(all, i * CHUNK_BYTES, Math.min(all.length, (i + 1) * CHUNK_BYTES));
        }
        shipped = new ScenarioBytes(serializer.identifier(), Serializers.manifestFor(serializer, scenario), chunks,
                all.length);
        return shipped;
    }

    private Behavior<Command> onReady(PartitionReady m) {
        if (m.partition() < 0 || m.partition() >= partitions || schedulers[m.partition()] != null) {
            return abort("partition " + m.partition() + " announced itself ready "
                    + (m.partition() < 0 || m.partition() >= partitions ? "but the run has " + partitions + " partitions" : "twice"));
        }
        schedulers[m.partition()] = m.scheduler();
        timers.cancel(new Building(m.partition()));
        localLookahead = Math.min(localLookahead, m.localLookahead());
        if (++ready < partitions) return this;
        PartitionScheduler.PeerRef[] peers = new PartitionScheduler.PeerRef[partitions];
        for (int p = 0; p < partitions; p++) peers[p] = new PartitionScheduler.PeerRef(p, schedulers[p]);
        for (ActorRef<PartitionScheduler.Command> s : schedulers) {
            SenderCheck.tell(s, new PartitionScheduler.Begin(peers), getContext().getSelf());
        }
        begun.complete(null);
        return this;
    }

    private Behavior<Command> onDigests(LpDigests m) {
        String error = results.digests(m);
        return error == null ? this : abort(error);
    }

    // a run's message was dropped on its way (DroppedMessages); a run that is over no longer needs its messages
    private Behavior<Command> onUndelivered(Undelivered m) {
        String reason = over ? null : DroppedMessages.reason(m.letter());
        return reason == null ? this : abort(reason);
    }

    private Behavior<Command> onCounters(LpCounters m) {
        String error = results.counters(m);
        return error == null ? this : abort(error);
    }

    private Behavior<Command> onReport(LpReport m) {
        String error = results.report(m);
        return error == null ? this : abort(error);
    }

    private Behavior<Command> onFinished(PartitionFinished m) {
        events += m.events();
        lastEventTime = Math.max(lastEventTime, m.lastEventTime());
        rounds = Math.max(rounds, m.rounds());
        windows += m.windows();
        if (++finished < partitions) return this;
        LpGraph graph = scenario.graph();
        if (results.digests().size() != graph.lpCount()) {
            return abort("collected digests of " + results.digests().size() + " LPs, expected " + graph.lpCount());
        }
        return settle(null);
    }

    /**
     * Ends the run, with {@code failure} or, where it is null, with its result, once every member agent has answered
     * a {@link MemberAgent.Settle}. A message a member's system refused to send (KryoSerializer.Undeliverable) was
     * refused before anything that followed it was sent, so before what made the run end reached here: its agent
     * heard of it before the Settle and says so first, and the run fails with that reason instead of completing
     * without the message (a report) or failing only with a count of lost events (a batch). This system's own
     * refusals are in this actor's mailbox before anything sent after them could be answered.
     */
    private Behavior<Command> settle(String failure) {
        if (over) return this;
        if (settleFailure == null) settleFailure = failure;
        if (settling != null) return this;
        settling = new java.util.TreeSet<>(agents.keySet());
        if (settling.isEmpty()) return settled();
        for (var agent : agents.entrySet()) toAgent(agent.getValue(), new MemberAgent.Settle(agent.getKey()));
        timers.startSingleTimer(SETTLE_TIMER, new SettleTimedOut(), confirmWithin);
        return this;
    }

    private Behavior<Command> onSettled(Settled m) {
        if (over || settling == null) return this;
        settling.remove(m.partition());
        return settling.isEmpty() ? settled() : this;
    }

    private String names(java.util.Set<Integer> partitions) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int p : partitions) names.add(memberNames.getOrDefault(p, "of partition " + p));
        return String.join(", ", names);
    }

    private Behavior<Command> settled() {
        timers.cancel(SETTLE_TIMER);
        if (settleFailure != null) return abort(settleFailure);
        LpGraph graph = scenario.graph();
        over = true;
        // members first: the launcher tears the systems down once the result is complete, and a member that
        // saw its launcher go before its Shutdown would report a run that completed as lost
        shutdownMembers("the run is over", true);
        result.complete(new RunResult(RunDigest.combine(results.digests()), events, lastEventTime, partitions, jvms,
                localLookahead, graph.globalLookahead(scenario.partitionOf(partitions)), rounds, windows,
                results.counters(), results.reports()));
        return this;
    }

    private Behavior<Command> abort(String reason) {
        if (over) return this;
        over = true;
        for (int p = 0; p < partitions; p++) timers.cancel(p);
        timers.cancel(SETTLE_TIMER);
        for (ActorRef<PartitionScheduler.Command> s : schedulers) {
            if (s != null) SenderCheck.tell(s, new PartitionScheduler.Abort(reason), getContext().getSelf());
        }
        shutdownMembers(reason, false);
        allJoined.complete(null);
        result.completeExceptionally(new RunFailedException(reason));
        return this;
    }

    private void shutdownMembers(String reason, boolean completed) {
        for (ActorRef<MemberAgent.Command> agent : agents.values()) {
            toAgent(agent, new MemberAgent.Shutdown(reason, completed));
        }
    }

    private void toAgent(ActorRef<MemberAgent.Command> agent, MemberAgent.Command message) {
        SenderCheck.tell(agent, message, getContext().getSelf());
    }
}
