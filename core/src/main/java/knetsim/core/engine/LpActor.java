package knetsim.core.engine;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.List;
import knetsim.core.time.SimTime;

/** Runs one {@link LogicalProcess} inside Akka: one window of events per {@link Advance}. */
public final class LpActor {
    public sealed interface Command {}

    /** Process every event earlier than {@code horizon}, after taking {@code incoming}. */
    public record Advance(long horizon, List<Event> incoming) implements Command {}

    /** The run is over: report the trace digest and totals. */
    public record Finish() implements Command {}

    private LpActor() {}

    static Behavior<Command> create(int slot, int lpId, LogicalProcess lp, LpGraph graph, long seed,
                                    ActorRef<PartitionScheduler.Command> scheduler) {
        return Behaviors.setup(context -> {
            lp.attach(lpId, graph, seed);
            try {
                lp.start();
            } catch (RuntimeException | StackOverflowError e) {
                return fail(scheduler, lp, lpId, e);
            }
            scheduler.tell(new PartitionScheduler.LpDone(slot, lp.nextEventTime(), lp.takeOutbox()));
            return running(slot, lpId, lp, scheduler);
        });
    }

    private static Behavior<Command> running(int slot, int lpId, LogicalProcess lp,
                                             ActorRef<PartitionScheduler.Command> scheduler) {
        return Behaviors.receive(Command.class)
                .onMessage(Advance.class, advance -> {
                    try {
                        List<Event> incoming = advance.incoming();
                        for (int i = 0, n = incoming.size(); i < n; i++) lp.enqueue(incoming.get(i));
                        long before = lp.processed();
                        lp.runUntil(advance.horizon());
                        knetsim.core.run.RunProgress.executed(lp.processed() - before);
                    } catch (RuntimeException | StackOverflowError e) {
                        return fail(scheduler, lp, lpId, e);
                    }
                    scheduler.tell(new PartitionScheduler.LpDone(slot, lp.nextEventTime(), lp.takeOutbox()));
                    return Behaviors.same();
                })
                .onMessage(Finish.class, finish -> {
                    byte[] digest = lp.finish();
                    scheduler.tell(new PartitionScheduler.LpFinished(slot, digest, lp.processed(),
                            lp.lastEventTime(), lp.counters().snapshot(), lp.takeReports()));
                    return Behaviors.same();
                })
                .build();
    }

    // A model exception must end the run with its reason, never kill the actor silently.
    private static Behavior<Command> fail(ActorRef<PartitionScheduler.Command> scheduler, LogicalProcess lp,
                                          int lpId, Throwable e) {
        String reason = e instanceof CausalityViolation
                ? e.getMessage()
                : "LP " + lpId + " (" + lp.getClass().getSimpleName() + ") failed at "
                  + SimTime.format(lp.lastEventTime()) + ": " + e;
        scheduler.tell(new PartitionScheduler.LpFailed(lpId, reason));
        return Behaviors.ignore();
    }
}
