package knetsim.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import knetsim.core.time.SimTime;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;
import org.junit.jupiter.api.Test;

/** fq (sch_fq.c) as a plain object. */
class FqTest {
    static final long MS = SimTime.MILLISECOND;

    static Fq fq() {
        Fq q = Fq.linuxDefaults(1514);
        q.attach(new SplittableRandom(7));
        return q;
    }

    static SkBuff of(int socket, int length) {
        SkBuff skb = Packets.udp(1000 + socket, 5001, 0, length);
        skb.setOwnerSocket(socket);
        return skb;
    }

    @Test
    void twoFlowsGetEqualShares() {
        Fq q = fq();
        for (int i = 0; i < 100; i++) {
            q.enqueue(of(1, 1514), 0);
            q.enqueue(of(2, 1514), 0);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 200; i++) order.add(q.dequeue(0).ownerSocket());
        // initial_quantum 10 MTU: ten packets of flow 1, ten of flow 2, then two each per round (quantum 2 MTU)
        assertEquals(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 2, 2), order.subList(0, 24));
        for (int n = 20; n <= 200; n += 20) {
            long ones = order.subList(0, n).stream().filter(s -> s == 1).count();
            assertEquals(n / 2.0, ones, 2.0, "after " + n);
        }
        assertEquals(2, q.xstats().get("flows"));
    }

    @Test
    void aPacketWithAFutureDepartureTimeWaitsUntilThenWithoutBlockingOthers() {
        Fq q = fq();
        SkBuff later = of(1, 1000);
        later.setTimestamp(5 * MS);
        q.enqueue(later, MS);
        SkBuff now = of(2, 1000);
        q.enqueue(now, MS);
        assertSame(now, q.dequeue(MS));
        assertNull(q.dequeue(MS));
        assertEquals(5 * MS, q.nextDequeueTime(MS), "the watchdog time");
        assertNull(q.dequeue(5 * MS - 1));
        assertSame(later, q.dequeue(5 * MS));
        assertEquals(1, q.xstats().get("throttled"));
        assertEquals(0, q.lastSojourn(), "sojourn counts from the departure time it asked for: it waited no longer");
    }

    @Test
    void departureTimesBeyondTheHorizonAreDropped() {
        Fq q = fq();
        SkBuff far = of(1, 100);
        far.setTimestamp(10 * SimTime.SECOND + 2);
        assertFalse(q.enqueue(far, 1));
        assertEquals(SkbDropReason.FQ_HORIZON_LIMIT, far.dropReason());
        SkBuff edge = of(1, 100);
        edge.setTimestamp(10 * SimTime.SECOND + 1);
        assertTrue(q.enqueue(edge, 1), "now + horizon itself is allowed");
        assertEquals(1, q.xstats().get("horizon_drops"));
    }

    @Test
    void aFlowHoldsAtMostFlowLimitPackets() {
        Fq q = fq();
        for (int i = 0; i < 100; i++) assertTrue(q.enqueue(of(1, 100), 0));
        SkBuff extra = of(1, 100);
        assertFalse(q.enqueue(extra, 0));
        assertEquals(SkbDropReason.FQ_FLOW_LIMIT, extra.dropReason());
        assertTrue(q.enqueue(of(2, 100), 0), "another flow still gets in");
        assertEquals(1, q.xstats().get("flows_plimit"));
    }

    @Test
    void maxrateBelowTheLowRateThresholdPacesEveryPacket() {
        Fq q = new Fq(10000, 100, 3028, 15140, 100_000, 10 * SimTime.SECOND); // 100 kB/s
        q.attach(new SplittableRandom(7));
        for (int i = 0; i < 5; i++) q.enqueue(of(1, 1500), 0);
        List<Long> times = new ArrayList<>();
        long t = 0;
        while (times.size() < 5) {
            SkBuff skb = q.dequeue(t);
            if (skb != null) {
                times.add(t);
            } else {
                t = q.nextDequeueTime(t);
            }
        }
        // 1500 bytes at 100,000 B/s: 15 ms apart
        for (int i = 1; i < 5; i++) assertEquals(15 * MS, times.get(i) - times.get(i - 1));
    }

    @Test
    void controlPacketsBypassTheFlows() {
        Fq q = fq();
        for (int i = 0; i < 10; i++) q.enqueue(of(1, 1514), 0);
        SkBuff control = Packets.udp(1, 1, 0, 60);
        control.setPriority(PfifoFast.TC_PRIO_CONTROL);
        q.enqueue(control, 0);
        assertSame(control, q.dequeue(0));
        assertEquals(1, q.xstats().get("highprio"));
    }
}
