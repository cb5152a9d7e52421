package knetsim.node.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.node.Host;
import knetsim.node.dev.Pfifo;
import org.junit.jupiter.api.Test;

/** Byte queue limits: lib/dynamic_queue_limits.c alone, then in front of the tx ring of a saturated NIC. */
class BqlTest {
    private static final int FRAME = 1514;

    @Test
    void theLimitStartsAtLimitMinSoOnlyOneObjectGoesBeforeTheFirstCompletion() {
        DynamicQueueLimits dql = new DynamicQueueLimits();
        assertEquals(0, dql.limit());
        assertEquals(0, dql.avail(), "dql_avail() >= 0: the first packet may go");
        dql.queued(FRAME);
        assertTrue(dql.avail() < 0, "then the stack is held back");
        assertEquals(FRAME, dql.inflight());
        assertEquals(DynamicQueueLimits.DQL_MAX_LIMIT, dql.limitMax());
        assertEquals(1_879_048_192L, DynamicQueueLimits.DQL_MAX_LIMIT, "UINT_MAX / 2 - UINT_MAX / 16");
    }

    @Test
    void starvationGrowsTheLimitByWhatWasQueuedAndCompletedSinceTheLastRunPlusThePreviousOverLimit() {
        DynamicQueueLimits dql = new DynamicQueueLimits();
        dql.queued(FRAME);
        // over the limit (0) and now empty: starved; limit += completed - prev_num_queued (0) + prev_ovlimit (0)
        dql.completed(FRAME, 1000);
        assertEquals(FRAME, dql.limit());
        assertEquals(FRAME, dql.avail());
        dql.queued(FRAME);
        dql.queued(FRAME);
        assertEquals(-FRAME, dql.avail());
        // one of two completes: over the limit by one frame, but the previous run queued nothing more: no change
        dql.completed(FRAME, 2000);
        assertEquals(FRAME, dql.limit());
        dql.queued(FRAME);
        // everything queued at the last run is now done and it was over the limit: starved again, + prev_ovlimit
        dql.completed(FRAME, 3000);
        assertEquals(2 * FRAME, dql.limit());
    }

    @Test
    void slackShrinksTheLimitOnlyAfterTheHoldTime() {
        DynamicQueueLimits dql = new DynamicQueueLimits();
        // grow the limit to 10 frames: queue 10, complete them all at once (starved)
        for (int i = 0; i < 10; i++) dql.queued(FRAME);
        dql.completed(10L * FRAME, 0);
        assertEquals(10L * FRAME, dql.limit());
        // now keep 10 in flight and complete one frame per run: the queue never runs dry, slack is
        // limit + prev_ovlimit - 2 x completed = 8 frames
        for (int i = 0; i < 10; i++) dql.queued(FRAME);
        long t = 0;
        while (t <= SimTime.SECOND) {
            t += 100 * SimTime.MICROSECOND;
            dql.completed(FRAME, t);
            dql.queued(FRAME);
            if (t <= SimTime.SECOND) assertEquals(10L * FRAME, dql.limit(), "held for 1 s at " + t);
        }
        assertEquals(2L * FRAME, dql.limit(), "after the hold time the lowest slack (8 frames) is taken off");
    }

    @Test
    void theLimitIsClampedToLimitMinAndLimitMax() {
        DynamicQueueLimits dql = new DynamicQueueLimits(3000, 4000, SimTime.SECOND);
        assertEquals(3000, dql.limit(), "dql_reset() starts at limit_min");
        dql.queued(FRAME);
        dql.queued(FRAME);
        dql.queued(FRAME);
        dql.completed(3L * FRAME, 10);
        assertEquals(4000, dql.limit());
        assertThrows(IllegalArgumentException.class, () -> new DynamicQueueLimits(0, DynamicQueueLimits.DQL_MAX_LIMIT + 1, 1));
        assertThrows(IllegalStateException.class, () -> dql.completed(1, 20), "BUG_ON: nothing in flight");
    }

    /** 100 Mbit/s, one 1514-byte frame every 100 us (121 Mbit/s) for 300 ms, into pfifo limit 20. */
    private static TwoHosts saturated(boolean bql) {
        TwoHosts net = new TwoHosts();
        net.rate = 100_000_000L;
        net.recordWire = true;
        net.qdiscA = () -> new Pfifo(20);
        net.txA = NicTxQueue.Config.linuxDefaults().withBql(bql);
        for (int i = 0; i < 3000; i++) {
            net.planA.add(new Host.PlannedFrame(i * 100 * SimTime.MICROSECOND,
                    TwoHosts.frame(TwoHosts.MAC_B, TwoHosts.MAC_A, FRAME, i), 0));
        }
        net.build();
        SequentialEngine.run(net.scenario);
        return net;
    }

    /** Packets handed over and not yet on the wire when the first one was dropped: the buffer a sender sees. */
    private static long queuedAtFirstDrop(TwoHosts net) {
        int firstDropped = 0;
        for (var frame : net.wire.frames) {
            int sequence = ((frame.bytes()[14] & 0xff) << 8) | (frame.bytes()[15] & 0xff);
            if (sequence != firstDropped) break;
            firstDropped++;
        }
        long arrival = firstDropped * 100 * SimTime.MICROSECOND + TwoHosts.XMIT_COST;
        // a frame has left the host once its last bit is on the wire, latency before the recorder sees it
        long gone = net.wire.arrivals.stream().filter(t -> t - net.latency <= arrival).count();
        return firstDropped - gone;
    }

    @Test
    void withBqlA20PacketPfifoIsTheBottleneckQueue() {
        TwoHosts on = saturated(true);
        NicTxQueue tx = on.lp("a.eth0.tx0");
        long standing = queuedAtFirstDrop(on);
        // 20 in the pfifo plus what BQL lets into the ring (a frame being sent and one or two behind it)
        assertTrue(standing >= 21 && standing <= 24, "queued at the first drop with BQL " + standing);
        assertTrue(tx.qdiscStats().dropped() > 0);
        assertEquals(3000 - tx.qdiscStats().dropped(), on.wire.arrivals.size(), "everything accepted is sent");
        // the limit covers the time from a frame's end to its completion reaching the driver, a few frames at most
        DynamicQueueLimits dql = tx.bql();
        assertTrue(dql.limit() >= FRAME && dql.limit() <= 4L * FRAME, "limit " + dql.limit());
        assertEquals(0, dql.inflight(), "everything completed at the end");
        assertEquals(dql.limit(), tx.counters().get("bql_limit"));
        assertEquals(1000, tx.counters().get("bql_hold_time"), "sysfs shows milliseconds");
        assertEquals(0, tx.counters().get("bql_limit_min"));

        TwoHosts off = saturated(false);
        long ringAndQdisc = queuedAtFirstDrop(off);
        // without BQL the 256-descriptor ring fills first, then the pfifo: up to 276 packets of buffer. The ring
        // stops when full and wakes only with 32 slots free, so it has drained ~16 (2 ms at the excess rate of
        // 1 in 100 us against 1 in 123 us) by the time the pfifo's 20 are in: ~260 queued at the first drop
        assertTrue(ringAndQdisc >= 250 && ringAndQdisc <= 276, "queued at the first drop without BQL " + ringAndQdisc);
        assertEquals(0, off.<NicTxQueue>lp("a.eth0.tx0").counters().get("bql_limit"));
        // the link is saturated either way: the same frames leave, BQL only moves the queue into the qdisc
        long throughputOn = on.wire.arrivals.stream().filter(t -> t < 300 * SimTime.MILLISECOND).count();
        long throughputOff = off.wire.arrivals.stream().filter(t -> t < 300 * SimTime.MILLISECOND).count();
        assertTrue(Math.abs(throughputOn - throughputOff) <= 2, throughputOn + " vs " + throughputOff);
    }

    @Test
    void aFreshQueueSendsOneFrameThenWaitsForItsCompletion() {
        TwoHosts net = new TwoHosts();
        net.rate = 10_000_000_000L;
        net.recordWire = true;
        net.send(3, FRAME, 0).build();
        SequentialEngine.run(net.scenario);
        // frame 1 leaves at 200 ns + 1,221 ns; limit 0 holds frame 2 until the completion has been cleaned:
        // tx-usecs 3 us, IRQ 1 us, the clean and the doorbell
        long gap = net.wire.arrivals.get(1) - net.wire.arrivals.get(0);
        assertTrue(gap > 4_000 + 1_221, "the second frame waited for the first completion, gap " + gap);
        // the limit is now one frame, so frames 2 and 3 go together
        assertEquals(1_231, net.wire.arrivals.get(2) - net.wire.arrivals.get(1), 1);
    }
}
