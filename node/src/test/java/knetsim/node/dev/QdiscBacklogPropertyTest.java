package knetsim.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * tc's backlog and qlen are what a run reports as queue occupancy, and the limits of pfifo and bfifo are checked
 * against them; after any mix of enqueue, dequeue and requeue they must equal what is really queued.
 */
class QdiscBacklogPropertyTest {

    /** kind 0 enqueues a new frame, 1 advances time and dequeues, 2 requeues a packet the "driver" holds. */
    record Op(int kind, int length, int priority, long advance) {
    }

    @Provide
    Arbitrary<List<Op>> operations() {
        Arbitrary<Op> op = Combinators.combine(
                Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(1, 1600),
                Arbitraries.integers().between(0, 20),
                Arbitraries.longs().between(0, 2_000_000)).as(Op::new);
        return op.list().ofMaxSize(300);
    }

    private static Qdisc create(int which) {
        // Small limits, so that drops happen often.
        switch (which) {
            case 0: return new PfifoFast(4);
            case 1: return new Pfifo(6);
            case 2: return new Bfifo(5000);
            default: return new TokenBucketFilter(10_000_000, 3200, 6000);
        }
    }

    @Property(tries = 400)
    void backlogAndQlenEqualWhatIsQueued(@ForAll @IntRange(min = 0, max = 3) int which,
            @ForAll("operations") List<Op> ops) {
        Qdisc q = create(which);
        Map<SkBuff, Boolean> queued = new IdentityHashMap<>();
        Map<SkBuff, Boolean> everSent = new IdentityHashMap<>();
        List<SkBuff> heldByDriver = new ArrayList<>();
        long now = 0;
        long refused = 0;
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> {
                    SkBuff skb = Packets.frame(op.length(), op.priority());
                    if (q.enqueue(skb, now)) {
                        queued.put(skb, true);
                    } else {
                        refused++;
                        assertEquals(SkbDropReason.QDISC_DROP, skb.dropReason());
                    }
                }
                case 1 -> {
                    now += op.advance();
                    long next = q.nextDequeueTime(now);
                    SkBuff skb = q.dequeue(now);
                    if (skb != null) {
                        assertEquals(now, next, "a packet left, so nextDequeueTime must have said now");
                        assertTrue(queued.remove(skb) != null, "dequeued a packet that was not queued");
                        everSent.put(skb, true);
                        heldByDriver.add(skb);
                    } else {
                        assertNotEquals(now, next, "nothing left, so nextDequeueTime must not say now");
                        assertEquals(queued.isEmpty(), next == SimTime.NEVER);
                    }
                }
                default -> {
                    if (!heldByDriver.isEmpty()) {
                        SkBuff skb = heldByDriver.remove(0);
                        q.requeue(skb);
                        queued.put(skb, true);
                    }
                }
            }
            long bytes = 0;
            for (SkBuff skb : queued.keySet()) bytes += skb.len();
            QdiscStats stats = q.stats();
            assertEquals(bytes, stats.backlogBytes(), "backlog bytes after " + op);
            assertEquals(queued.size(), stats.qlen(), "qlen after " + op);
            assertEquals(refused, stats.dropped());
            assertEquals(everSent.size(), stats.sentPackets(), "a requeued packet must be counted as sent once");
        }
    }
}
