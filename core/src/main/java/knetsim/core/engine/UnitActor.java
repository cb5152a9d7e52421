package knetsim.core.engine;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import knetsim.core.time.SimTime;

/**
 * Runs the LPs of a group of execution units inside one Akka actor (DESIGN.md section 2,
 * "Execution units"; docs/architecture.md). A unit is one machine's LPs and the link directions
 * it transmits on; an {@link Advance} from the {@link PartitionScheduler} runs to the earliest time
 * another group could send this one an event ({@link GroupClocks}: at least a slow cable's delay), so
 * inside it the actor runs a small sequential loop:
 * always the earliest pending event of its LPs, in each LP's (time, originLp, originSeq) order. An
 * event for another LP of the group, of its own unit or of another unit, goes straight into that
 * LP's queue: it may be due inside the Advance (an access cable inside an edge router's group), and
 * the loop then runs it in time order, exactly as the plain loop would; it is later than the event
 * that sent it (every edge has a positive delay), so no LP of the group has passed it. Events for
 * LPs elsewhere go back to the scheduler in {@link PartitionScheduler.UnitDone}; those are at or
 * after the horizon. Every LP stays an LP: its own queue, clock, random stream, counters and trace
 * (its causality guard included); only who drives it changed.
 */
public final class UnitActor {
    public sealed interface Command {}

    /** Process every event earlier than {@code horizon}, after taking {@code incoming}. */
    public record Advance(long horizon, List<Event> incoming) implements Command {}

    /** The run is over: report every LP's trace digest and totals. */
    public record Finish() implements Command {}

    /** What one LP hands back at the end of the run. */
    // the counters as two arrays (names sorted), not a map: a million LPs of about 16 counters would hold 16 M
    // tree entries (about 640 MB) while the run's end gathers them
    record LpResult(int lpId, byte[] digest, long processed, long lastEventTime, String[] counterNames,
                    long[] counterValues, List<? extends knetsim.core.serial.CrossJvm> reports) {}

    private final int slot;
    private final LogicalProcess[] lps;
    private final int[] lpIds;
    private final int group;
    private final int[] groupOf;    // by LP id: the partition's group running it, -1 outside (shared, read-only)
    private final int[] indexOf;    // by LP id: its index in its group's lps (shared, read-only)
    private final TimeHeap heap;
    private final ActorRef<PartitionScheduler.Command> scheduler;
    private ArrayList<Event> sent = new ArrayList<>();
    private final java.util.function.Consumer<Event> deliver;
    private final WindowProfile.Rows profile;  // null unless the window profile is on

    private UnitActor(int slot, LogicalProcess[] lps, int[] lpIds, int[] groupOf, int[] indexOf,
                      ActorRef<PartitionScheduler.Command> scheduler, WindowProfile.Rows profile) {
        this.slot = slot;
        this.profile = profile;
        this.group = slot;
        this.lps = lps;
        this.lpIds = lpIds;
        this.groupOf = groupOf;
        this.indexOf = indexOf;
        this.heap = new TimeHeap(lps.length);
        this.scheduler = scheduler;
        // one consumer for the actor's life: a lambda written at each delivery would be allocated per event
        this.deliver = e -> {
            int target = e.targetLp();
            if (groupOf[target] != group) {
                sent.add(e);
            } else {
                int local = indexOf[target];
                this.lps[local].enqueue(e);
                heap.lower(local, e.time());
            }
        };
    }

    /**
     * @param slot    this group's number in its partition
     * @param groupOf by LP id: the group of the partition that runs it, -1 for LPs of other partitions
     * @param indexOf by LP id: its index in its group's {@code lps}
     * @param profile where the group records its windows ({@link WindowProfile}), or null
     */
    static Behavior<Command> create(int slot, int[] lpIds, LogicalProcess[] lps, int[] groupOf, int[] indexOf,
                                    LpGraph graph, long seed, long endTime,
                                    ActorRef<PartitionScheduler.Command> scheduler, WindowProfile.Rows profile) {
        return Behaviors.setup(context -> {
            UnitActor unit = new UnitActor(slot, lps, lpIds, groupOf, indexOf, scheduler, profile);
            for (int i = 0; i < lps.length; i++) lps[i].attach(lpIds[i], graph, seed, endTime);
            for (int i = 0; i < lps.length; i++) {
                try {
                    lps[i].start();
                    if (lps[i].hasOutput()) lps[i].drainOutbox(unit.deliver);
                } catch (Throwable e) {
                    return unit.fail(i, e);
                }
            }
            for (int i = 0; i < lps.length; i++) unit.heap.lower(i, lps[i].nextEventTime());
            return unit.done(-1).running();
        });
    }

    private UnitActor done(long executed) {
        ArrayList<Event> out = sent;
        sent = new ArrayList<>();
        scheduler.tell(new PartitionScheduler.UnitDone(slot, heap.minKey(), executed, out));
        return this;
    }

    private Behavior<Command> running() {
        return Behaviors.receive(Command.class)
                .onMessage(Advance.class, advance -> {
                    int i = -1;
                    long executed = -1;
                    long cpu = profile != null ? WindowProfile.cpuNow() : 0;
                    try {
                        List<Event> incoming = advance.incoming();
                        for (int k = 0, n = incoming.size(); k < n; k++) {
                            Event e = incoming.get(k);
                            i = indexOf[e.targetLp()];
                            lps[i].enqueue(e);
                            heap.lower(i, e.time());
                        }
                        long horizon = advance.horizon();
                        executed = 0;
                        while (heap.minKey() < horizon) {
                            executed++;
                            i = heap.minSlot();
                            LogicalProcess lp = lps[i];
                            lp.processNext();
                            if (lp.hasOutput()) lp.drainOutbox(deliver);
                            heap.set(i, lp.nextEventTime());
                        }
                        knetsim.core.run.RunProgress.executed(executed);
                        if (profile != null) profile.add(horizon, executed, WindowProfile.cpuNow() - cpu);
                    } catch (Throwable e) {
                        return fail(i, e);
                    }
                    done(executed);
                    return Behaviors.same();
                })
                .onMessage(Finish.class, finish -> {
                    List<LpResult> results = new ArrayList<>(lps.length);
                    int k = 0;
                    try {
                        for (; k < lps.length; k++) {
                            LogicalProcess lp = lps[k];
                            byte[] digest = lp.finish();
                            results.add(new LpResult(lpIds[k], digest, lp.processed(), lp.lastEventTime(),
                                    lp.counters().names(), lp.counters().values(), lp.takeReports()));
                        }
                    } catch (Throwable e) {
                        return fail(k, e);
                    }
                    scheduler.tell(new PartitionScheduler.UnitFinished(slot, results));
                    return Behaviors.same();
                })
                .build();
    }

    // A model exception or error (an assert, a StackOverflowError, a class that cannot initialise, even an
    // OutOfMemoryError) must end the run with its reason, never kill the actor silently: Akka treats the fatal
    // ones by shutting its system down, which with jvm-exit-on-fatal-error = off (akka.conf) never completes.
    private Behavior<Command> fail(int index, Throwable e) {
        String reason;
        if (e instanceof CausalityViolation) {
            reason = e.getMessage();
        } else if (index < 0) {
            reason = "a unit of LPs " + lpIds[0] + ".." + lpIds[lpIds.length - 1] + " failed: " + e;
        } else {
            LogicalProcess lp = lps[index];
            reason = "LP " + lpIds[index] + " (" + lp.getClass().getSimpleName() + ") failed at "
                    + SimTime.format(lp.lastEventTime()) + ": " + e;
        }
        scheduler.tell(new PartitionScheduler.LpFailed(index < 0 ? -1 : lpIds[index], reason));
        return Behaviors.ignore();
    }
}
