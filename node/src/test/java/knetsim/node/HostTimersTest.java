package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import knetsim.core.time.SimTime;
import org.junit.jupiter.api.Test;

/** One timer queue per host: one self event for the earliest deadline; pushing a deadline later creates none. */
class HostTimersTest {
    @Test
    void oneEventForTheEarliestAndNoneWhenADeadlineMovesLater() {
        HostTimers t = new HostTimers();
        t.wakeAt(HostTimers.TCP, 200);
        assertEquals(200, t.toArm(0), "a self event at 200");
        t.wakeAt(HostTimers.TCP, 300); // the RTO re-armed later on an ACK
        assertEquals(SimTime.NEVER, t.toArm(10), "the event at 200 comes early enough: no new one");
        t.wakeAt(HostTimers.STACK, 100);
        assertEquals(100, t.toArm(20), "an earlier deadline needs its own event");
        assertFalse(t.fire(200), "the event at 200 is stale now");
        assertTrue(t.fire(100));
        assertTrue(t.take(HostTimers.STACK, 100));
        assertFalse(t.take(HostTimers.TCP, 100), "TCP is not due at 100");
        assertEquals(200, t.toArm(100), "the earliest left is TCP's first request");
        assertTrue(t.fire(200));
        assertTrue(t.take(HostTimers.TCP, 200), "called at 200: it finds its RTO at 300 and asks again");
        t.wakeAt(HostTimers.TCP, 300);
        assertEquals(300, t.toArm(200));
    }
}
