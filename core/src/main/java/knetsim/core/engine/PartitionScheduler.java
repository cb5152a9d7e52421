package knetsim.core.engine;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ChildFailed;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayList;
import java.util.List;
import knetsim.core.run.RunCoordinator;
import knetsim.core.run.SenderCheck;
import knetsim.core.serial.CrossJvm;
import knetsim.core.time.SimTime;

/**
 * One partition's scheduler and gateway (DESIGN.md section 2). Its LPs are grouped into execution
 * units (one machine and the cables it transmits on, {@link Scenario#unitOf()}), and its units into
 * groups cut along the slowest cables ({@link Grouping#alongCables}), each run by one
 * {@link UnitActor}. Inside a global round each idle group with an event before its own horizon (the
 * earliest time another group could send it one, {@link GroupHorizons}) gets one
 * {@link UnitActor.Advance} carrying its new events and answers with one {@link UnitDone} carrying
 * what it sent to other groups. Routing those through here, instead of group to group, means every
 * bound is computed knowing every event between groups, whatever the mailbox interleaving.
 * Between partitions it forwards events in {@link EventBatch}es and closes each round with an
 * {@link EndOfWindow} marker on the same channel, so every partition computes the same LBTS.
 */
public final class PartitionScheduler extends AbstractBehavior<PartitionScheduler.Command> {
    public sealed interface Command {}

    // ---- from this partition's unit groups ----
    record UnitDone(int slot, long nextEventTime, long events, List<Event> sent) implements Command {}
    record LpFailed(int lpId, String reason) implements Command {}
    record UnitFinished(int slot, List<UnitActor.LpResult> lps) implements Command {}

    // ---- from the coordinator and the other partitions (cross-JVM) ----
    public record PeerRef(int partition, ActorRef<Command> scheduler) implements CrossJvm {}
    public record Begin(PeerRef[] peers) implements Command, CrossJvm {}
    public record Abort(String reason) implements Command, CrossJvm {}
    /**
     * The coordinator has taken {@code count} of this partition's result messages: more may go (the results
     * of a partition of many LPs would otherwise overflow the transport's send queue, which drops messages).
     */
    public record ResultsTaken(long count) implements Command, CrossJvm {}
    public record EventBatch(int fromPartition, long round, Event[] events) implements Command, CrossJvm {}
    public record EndOfWindow(int fromPartition, long round, long nextEventTime, long minSentTime, long count)
            implements Command, CrossJvm {}

    /**
     * The default of the longest Advance, in virtual time from the group's first event, even where no
     * other group bounds it (a partition of one group, one machine: the whole run would be one Advance):
     * the progress display and an abort are seen between Advances, and a group's loop is entered often
     * enough to be compiled as a method, not only on the stack. An Advance shorter than its bound is
     * always safe; setting {@code knetsim.advance-span} shorter makes a group that others wait on report
     * more often, so that they can run what it has done while it goes on (docs/architecture.md).
     */
    static final long MAX_WINDOW = SimTime.MILLISECOND;

    private static final List<Event> NO_EVENTS = List.of();

    private final int partition;
    private final int partitions;
    private final int[] partitionOf;
    private final int[] groupOf;    // by LP id: the group (slot) running it here, -1 elsewhere
    private final int lpCount;      // LPs in this partition
    private final ActorRef<RunCoordinator.Command> coordinator;
    private final List<ActorRef<UnitActor.Command>> groups = new ArrayList<>();
    private final GroupHorizons horizons;
    private final ArrayList<Event>[] inbox;
    private final long localLookahead;
    private final long globalLookahead;
    private final long endTime;

    private ActorRef<Command>[] peers;
    private final SenderCheck senders = new SenderCheck("partition scheduler");
    /** Messages from peers received before Begin named them, with the address they came from. */
    private final List<Early> early = new ArrayList<>();
    /** Messages held before Begin at most: a run's start-up batches are a few per peer; more means a broken or hostile peer. */
    static final int EARLY_LIMIT = 10_000;
    private String earlyOverflow;
    private record Early(Command message, akka.actor.Address sender) {}
    private int started;
    private boolean running;
    private boolean awaitingMarkers;
    private long horizon;           // G of the current round
    private long round;
    private long windows;

    private final PeerBatches out;
    private final PeerBatches.Sender toPeer;
    private final RoundMarkers markers;

    private final int[] advanceIndex;   // the number of each group's Advance out, for the profile

    private final WindowProfile profile;  // null unless knetsim.window-profile names a file
    private final int threads;

    private final PartitionResults results;
    private int finished;

    public static Behavior<Command> create(int partition, int partitions, Scenario scenario,
                                           ActorRef<RunCoordinator.Command> coordinator) {
        return Behaviors.setup(context -> {
            try {
                return new PartitionScheduler(context, partition, partitions, scenario, coordinator);
            } catch (Throwable e) {
                // a model that cannot be built (a bad parameter caught only by its constructor, a class that
                // cannot initialise, an assert) fails the run with its reason instead of leaving the coordinator
                // waiting for this partition (an Error would shut the system down, which never completes: UnitActor)
                SenderCheck.tell(coordinator, new RunCoordinator.PartitionFailed(partition,
                        "partition " + partition + " could not build its LPs: " + describe(e)), context.getSelf());
                return Behaviors.stopped();
            }
        });
    }

    // a model's own message for its exceptions; the class and the cause for errors (an ExceptionInInitializerError has no message)
    private static String describe(Throwable e) {
        if (e instanceof RuntimeException && e.getMessage() != null) return e.getMessage();
        return e + (e.getCause() != null ? " (caused by " + e.getCause() + ")" : "");
    }

    @SuppressWarnings("unchecked")
    private PartitionScheduler(ActorContext<Command> context, int partition, int partitions, Scenario scenario,
                               ActorRef<RunCoordinator.Command> coordinator) {
        super(context);
        LpGraph graph = scenario.graph();
        this.partition = partition;
        this.coordinator = coordinator;
        this.partitionOf = scenario.partitionOf(partitions);
        this.partitions = partitions;
        int[] unitOf = scenario.unitOf();
        this.threads = threads(context);
        Grouping grouping = Grouping.forDispatcher(graph, unitOf, partitionOf, partition, threads, groupsPerThread(context));
        this.groupOf = grouping.groupOf();
        this.lpCount = grouping.lpCount();
        int count = grouping.groups();
        this.inbox = new ArrayList[count];
        // edges inside a group are run in time order by its actor: only edges between groups bound a window
        this.localLookahead = graph.localLookahead(partitionOf, partition, groupOf);
        this.globalLookahead = graph.globalLookahead(partitionOf);
        this.endTime = scenario.endTime();
        this.markers = new RoundMarkers(partitions);
        var config = context.getSystem().settings().config();
        this.out = new PeerBatches(partitions, PeerBatches.batchBytes(config));
        this.toPeer = (q, events) -> SenderCheck.tell(peers[q], new EventBatch(partition, round, events), getContext().getSelf());
        this.results = new PartitionResults(partition, this::toCoordinator);
        this.horizons = GroupHorizons.fromSettings(config, new GroupClocks(graph, partitionOf, partition, groupOf, count),
                count, localLookahead, threads);
        this.profile = WindowProfile.fromSettings(config, count);
        this.advanceIndex = new int[count];
        for (int g = 0; g < count; g++) {
            int[] ids = grouping.lpsOf(g);
            LogicalProcess[] lps = new LogicalProcess[ids.length];
            for (int i = 0; i < ids.length; i++) lps[i] = scenario.createLp(ids[i]);
            groups.add(context.spawn(UnitActor.create(g, ids, lps, groupOf, grouping.indexOf(), graph, scenario.seed(),
                    scenario.endTime(), context.getSelf(), profile == null ? null : profile.group(g)), "units-" + g));
            context.watch(groups.get(g));   // a group never stops by itself: if it does, the run fails (onGroupStopped)
        }
        toCoordinator(new RunCoordinator.PartitionReady(partition, context.getSelf(), localLookahead, lpCount));
    }

    // the dispatcher's threads: at least one group each, so that every thread has work in a window
    private static int threads(ActorContext<Command> context) {
        var config = context.getSystem().settings().config();
        String key = "akka.actor.default-dispatcher.fork-join-executor.parallelism-max";
        return Math.max(1, config.hasPath(key) ? config.getInt(key) : Runtime.getRuntime().availableProcessors());
    }

    // at most knetsim.groups-per-thread groups (actors) per dispatcher thread, and at least that many in all:
    // enough to balance a window (the fork-join pool steals whole groups) and to keep a group's LPs in
    // cache, few enough to keep messages per window rare
    private static int groupsPerThread(ActorContext<Command> context) {
        var config = context.getSystem().settings().config();
        return Math.max(1, config.hasPath("knetsim.groups-per-thread") ? config.getInt("knetsim.groups-per-thread") : 4);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(UnitDone.class, this::onUnitDone)
                .onMessage(Begin.class, m -> fromCoordinator(m) ? onBegin(m) : this)
                .onMessage(EventBatch.class, m -> fromPeer(m, m.fromPartition()) ? onEventBatch(m) : refused())
                .onMessage(EndOfWindow.class, m -> fromPeer(m, m.fromPartition()) ? onEndOfWindow(m) : refused())
                .onMessage(UnitFinished.class, this::onUnitFinished)
                .onMessage(LpFailed.class, m -> fail(m.reason()))
                .onMessage(Abort.class, m -> fromCoordinator(m) ? Behaviors.stopped() : this)
                .onMessage(ResultsTaken.class, m -> fromCoordinator(m) ? onResultsTaken(m) : this)
                .onSignal(Terminated.class, this::onGroupStopped)
                .build();
    }

    // A group stopped: an error the group could not report (the JVM's own), or a bug in the engine. Without this
    // the partition would wait for its report forever.
    private Behavior<Command> onGroupStopped(Terminated stopped) {
        String why = stopped instanceof ChildFailed failed ? ": " + failed.cause() : "";
        return fail("partition " + partition + ": its group " + stopped.getRef().path().name() + " stopped" + why);
    }

    private boolean fromCoordinator(Command m) {
        return senders.from(getContext(), m, SenderCheck.addressOf(coordinator));
    }

    // A peer's events may arrive before this partition's Begin names the peers: they wait for it, sender and all.
    private boolean fromPeer(Command m, int from) {
        if (from < 0 || from >= partitions || from == partition) {
            senders.refuse(m, SenderCheck.senderAddress(getContext()));
            return false;
        }
        if (peers == null) {
            if (early.size() >= EARLY_LIMIT) {
                earlyOverflow = "partition " + partition + " received more than " + EARLY_LIMIT
                        + " messages from its peers before the run began";
                return false;
            }
            early.add(new Early(m, SenderCheck.senderAddress(getContext())));
            return false;
        }
        return senders.from(getContext(), m, SenderCheck.addressOf(peers[from]));
    }

    // a message not taken: held for Begin, or refused; a flood before Begin fails the run instead of filling the heap
    private Behavior<Command> refused() {
        return earlyOverflow != null ? fail(earlyOverflow) : this;
    }

    private Behavior<Command> onUnitDone(UnitDone done) {
        List<Event> sent = done.sent();
        for (int i = 0, n = sent.size(); i < n; i++) route(sent.get(i));
        int slot = done.slot();
        horizons.reported(slot, done.nextEventTime(), done.events());
        if (!running) {
            started++;
            return startIfReady();
        }
        return advance(advanceIndex[slot]);
    }

    private void route(Event e) {
        int q = partitionOf[e.targetLp()];
        if (q == partition) {
            int slot = groupOf[e.targetLp()];
            ArrayList<Event> box = inbox[slot];
            if (box == null) inbox[slot] = box = new ArrayList<>();
            box.add(e);
            horizons.arrived(slot, e.time());
        } else {
            out.add(q, e, peers != null ? toPeer : null);
        }
    }

    @SuppressWarnings("unchecked")
    private Behavior<Command> onBegin(Begin begin) {
        if (peers != null) return this;
        peers = new ActorRef[partitions];
        for (PeerRef p : begin.peers()) peers[p.partition()] = p.scheduler();
        List<Early> waiting = List.copyOf(early);
        early.clear();
        for (Early e : waiting) {
            int from = e.message() instanceof EventBatch b ? b.fromPartition() : ((EndOfWindow) e.message()).fromPartition();
            if (peers[from] == null || !SenderCheck.addressOf(peers[from]).equals(e.sender())) {
                senders.refuse(e.message(), e.sender());
                continue;
            }
            Behavior<Command> next = e.message() instanceof EventBatch b ? onEventBatch(b)
                    : onEndOfWindow((EndOfWindow) e.message());
            if (next != this) return next; // a failure: the partition has stopped
        }
        return startIfReady();
    }

    // Round 0 processes nothing: it only exchanges the start-up events and next-event times.
    private Behavior<Command> startIfReady() {
        if (running || peers == null || started < groups.size()) return this;
        running = true;
        horizon = 0;
        return finishRound();
    }

    /**
     * Gives every idle group with an event before its own horizon an {@link UnitActor.Advance} to that
     * horizon ({@link GroupClocks}: no other group can send it anything earlier; at most the round's
     * horizon and {@code knetsim.advance-span} past its first event; with {@code knetsim.sync = windows}, every
     * group to the earliest event anywhere plus the smallest delay between groups, once all have reported). Called when a group reports back and
     * when a round begins; the round ends when no group is running and none has an event before
     * the round's horizon. {@code trigger}: the Advance whose report led here (-1 at a round's start), for the profile.
     */
    private Behavior<Command> advance(int trigger) {
        long earliest = horizons.plan();
        if (profile != null && trigger >= 0) profile.reported(trigger, horizons.ownTimes());
        if (horizons.running() == 0 && earliest >= horizon) return finishRound();
        knetsim.core.run.RunProgress.window(partition, earliest);
        for (int g = 0, count = groups.size(); g < count; g++) {
            long h = horizons.horizon(g, horizon);
            if (h == SimTime.NEVER) continue;
            long from = horizons.start(g);
            ArrayList<Event> box = inbox[g];
            inbox[g] = null;
            advanceIndex[g] = (int) windows;
            if (profile != null) profile.advanced(windows, g, from, h, trigger);
            windows++;
            groups.get(g).tell(new UnitActor.Advance(h, box == null ? NO_EVENTS : box));
        }
        // cannot happen (the group with the earliest event may always run); a run must never wait forever
        if (horizons.running() == 0) return fail("partition " + partition + " has events from "
                + SimTime.format(earliest) + " that no group may run");
        return this;
    }

    private Behavior<Command> finishRound() {
        long next = horizons.nextEventTime();
        for (int q = 0; q < partitions; q++) {
            if (q == partition) continue;
            out.flush(q, toPeer);
            SenderCheck.tell(peers[q], new EndOfWindow(partition, round, next, out.minSentThisRound(),
                    out.takeSentThisRound(q)), getContext().getSelf());
        }
        markers.own(round, next, out.minSentThisRound());
        out.newRound();
        awaitingMarkers = true;
        return tryNextRound();
    }

    private Behavior<Command> onEventBatch(EventBatch batch) {
        if (batch.round() != round && batch.round() != round + 1) {
            return fail("partition " + batch.fromPartition() + " sent events for round " + batch.round()
                    + " while this partition is in round " + round);
        }
        for (Event e : batch.events()) {
            int target = e.targetLp();
            if (target < 0 || target >= partitionOf.length || partitionOf[target] != partition) {
                return fail("partition " + batch.fromPartition() + " sent an event for LP " + target
                        + ", which partition " + partition + " does not run");
            }
            if (e.time() < horizon) {
                return fail("causality violated: partition " + batch.fromPartition() + " sent an event at "
                        + SimTime.format(e.time()) + " for LP " + e.targetLp() + " but partition " + partition
                        + " may already be at " + SimTime.format(horizon));
            }
            route(e);
        }
        markers.received(batch.round(), batch.fromPartition(), batch.events().length);
        return this;
    }

    private Behavior<Command> onEndOfWindow(EndOfWindow marker) {
        String error = markers.marker(marker, round);
        if (error != null) return fail(error);
        return awaitingMarkers ? tryNextRound() : this;
    }

    private Behavior<Command> tryNextRound() {
        if (!markers.complete(round)) return this;
        String error = markers.countsMatch(round);
        if (error != null) return fail(error);
        long lbts = markers.lowerBound(round);
        markers.clear(round);
        awaitingMarkers = false;
        if (lbts < horizon) {
            return fail("lower bound " + SimTime.format(lbts) + " below the finished horizon "
                    + SimTime.format(horizon) + " in round " + round);
        }
        if (lbts >= endTime || lbts == SimTime.NEVER) return finishRun();
        round++;
        horizon = Math.min(SimTime.saturatingAdd(lbts, globalLookahead), endTime);
        return advance(-1);
    }

    private Behavior<Command> finishRun() {
        running = false;
        for (ActorRef<UnitActor.Command> g : groups) g.tell(new UnitActor.Finish());
        if (groups.isEmpty()) reportFinished();
        return this;
    }

    private Behavior<Command> onUnitFinished(UnitFinished m) {
        results.add(m.lps());
        if (++finished == groups.size()) reportFinished();
        return this;
    }

    private void reportFinished() {
        if (profile != null) {
            int[] lps = new int[groups.size()];
            for (int id = 0; id < groupOf.length; id++) if (groupOf[id] >= 0) lps[groupOf[id]]++;
            profile.write(partition, threads, localLookahead, lps, horizons.clocks());
        }
        results.finish(round, windows);
    }

    private Behavior<Command> onResultsTaken(ResultsTaken m) {
        results.taken(m.count());
        return this;
    }

    private void toCoordinator(RunCoordinator.Command message) {
        SenderCheck.tell(coordinator, message, getContext().getSelf());
    }

    private Behavior<Command> fail(String reason) {
        toCoordinator(new RunCoordinator.PartitionFailed(partition, reason));
        return Behaviors.stopped();
    }
}
