package knetsim.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;
import org.junit.jupiter.api.Test;

/** fq_codel (sch_fq_codel.c) as a plain object. */
class FqCodelTest {
    static final long MS = SimTime.MILLISECOND;

    static FqCodel fqCodel() {
        FqCodel q = FqCodel.linuxDefaults(1514);
        q.attach(new SplittableRandom(42));
        return q;
    }

    @Test
    void theDefaultsAreTheKernels() {
        FqCodel q = fqCodel();
        q.enqueue(Packets.udp(1, 2, 0, 1514), 0);
        assertEquals(1, q.xstats().get("new_flow_count"));
        assertEquals(1514, q.dequeue(0).len());
        assertEquals(1514, q.xstats().get("maxpacket"));
        assertEquals(10240, FqCodel.DEFAULT_LIMIT);
        assertEquals(32L << 20, FqCodel.DEFAULT_MEMORY_LIMIT);
    }

    @Test
    void flowsAreHashedOnTheFiveTupleWithThePerturbation() {
        FqCodel q = fqCodel();
        int a = q.classify(Packets.udp(1000, 5001, 0, 100));
        assertEquals(a, q.classify(Packets.udp(1000, 5001, 0, 1400)), "same 5-tuple, same flow");
        int distinct = 0;
        for (int port = 1001; port < 1101; port++) if (q.classify(Packets.udp(port, 5001, 0, 100)) != a) distinct++;
        assertTrue(distinct >= 95, "other ports spread over the 1024 flows: " + distinct);
        FqCodel other = FqCodel.linuxDefaults(1514);
        other.attach(new SplittableRandom(43));
        int moved = 0;
        for (int port = 1000; port < 1100; port++) {
            SkBuff skb = Packets.udp(port, 5001, 0, 100);
            if (q.classify(skb) != other.classify(skb)) moved++;
        }
        assertTrue(moved >= 90, "another seed perturbs the hash: " + moved);
    }

    @Test
    void aSparseFlowOvertakesABulkFlowsStandingQueue() {
        FqCodel q = fqCodel();
        for (int i = 0; i < 100; i++) q.enqueue(Packets.udp(1000, 5001, 0, 1514), 0);
        // the bulk flow has used its quantum on the first packet and moved to old_flows
        q.dequeue(0);
        SkBuff ping = Packets.udp(7, 7, 0, 98);
        q.enqueue(ping, MS);
        assertSame(ping, q.dequeue(MS), "the new flow is served before old flows");
        assertEquals(2, q.xstats().get("new_flow_count"));
    }

    @Test
    void bulkFlowsShareByDeficitRoundRobin() {
        FqCodel q = fqCodel();
        for (int i = 0; i < 300; i++) {
            q.enqueue(Packets.udp(1000, 5001, 0, 1514), 0);
            q.enqueue(Packets.udp(2000, 5001, 0, 500), 0);
        }
        long bytesA = 0, bytesB = 0;
        for (int i = 0; i < 300; i++) {
            SkBuff skb = q.dequeue(0);
            if (skb.len() == 1514) bytesA += skb.len(); else bytesB += skb.len();
        }
        // quantum 1514 bytes per round each: equal bytes within a quantum (plus one packet), not equal packets
        assertEquals(bytesA, bytesB, 1514 + 1514);
    }

    @Test
    void aStandingQueueAboveTargetForMoreThanAnIntervalStartsDroppingAtTheControlLaw() {
        FqCodel q = fqCodel();
        CodelTest.Run run = CodelTest.standingQueue(q, 300, InetEcn.NOT_ECT, 600 * MS);
        CodelTest.assertControlLaw(run.dropTimes, 8);
        for (SkBuff d : run.dropped) assertEquals(SkbDropReason.QDISC_CONGESTED, d.dropReason());
        assertEquals(run.dropped.size(), q.stats().dropped());
        assertEquals(0, q.xstats().get("ecn_mark"));
    }

    @Test
    void withEcnOnByDefaultEctPacketsAreMarkedNotDropped() {
        FqCodel q = fqCodel();
        CodelTest.Run run = CodelTest.standingQueue(q, 300, InetEcn.ECT_0, 600 * MS);
        assertTrue(run.dropTimes.isEmpty());
        CodelTest.assertControlLaw(run.markTimes, 8);
        assertEquals(run.markTimes.size(), (long) q.xstats().get("ecn_mark"));
        assertEquals(0, q.stats().dropped());
    }

    @Test
    void overTheLimitTheFattestFlowLosesHalfItsBacklogFromTheHead() {
        FqCodel q = new FqCodel(100, 1024, 1514, 5 * MS, 100 * MS, 32L << 20, true, -1, 64, 1514);
        q.attach(new SplittableRandom(42));
        for (int i = 0; i < 80; i++) q.enqueue(Packets.udp(1000, 5001, 0, 1000), 0);
        for (int i = 0; i < 20; i++) q.enqueue(Packets.udp(2000, 5001, 0, 1000), 0);
        SkBuff arrival = Packets.udp(2000, 5001, 0, 1000);
        assertTrue(q.enqueue(arrival, 0), "the 101st packet is taken; the fat flow pays");
        List<SkBuff> dropped = q.takeDropped();
        // half of the fat flow's 80,000 bytes: 40 packets, fewer than drop_batch (64)
        assertEquals(40, dropped.size());
        for (SkBuff d : dropped) assertEquals(SkbDropReason.QDISC_OVERLIMIT, d.dropReason());
        assertEquals(40, q.xstats().get("drop_overlimit"));
        assertEquals(61, q.stats().qlen());
        assertEquals(40, q.flowLength(q.classify(Packets.udp(1000, 5001, 0, 1000))));
        assertEquals(21, q.flowLength(q.classify(arrival)));
    }

    @Test
    void theBatchDropStopsAtDropBatchPackets() {
        FqCodel q = new FqCodel(200, 1024, 1514, 5 * MS, 100 * MS, 32L << 20, true, -1, 64, 1514);
        q.attach(new SplittableRandom(42));
        for (int i = 0; i < 201; i++) q.enqueue(Packets.udp(1000, 5001, 0, 1000), 0);
        assertEquals(64, q.takeDropped().size(), "half would be 100 packets; drop_batch caps it at 64");
        assertEquals(137, q.stats().qlen());
    }

    @Test
    void theMemoryLimitCountsTruesize() {
        FqCodel q = new FqCodel(10240, 1024, 1514, 5 * MS, 100 * MS, 100_000, true, -1, 64, 1514);
        q.attach(new SplittableRandom(42));
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            q.enqueue(Packets.udp(1000, 5001, 0, 1514), 0);
            accepted++;
        }
        int truesize = Packets.udp(1, 2, 0, 1514).truesize();
        assertTrue(q.xstats().get("memory_used") <= 100_000, "memory " + q.xstats().get("memory_used"));
        assertTrue(q.xstats().get("drop_overmemory") > 0);
        assertNotEquals(0, truesize);
        assertEquals(accepted, q.stats().qlen() + q.stats().dropped());
    }
}
