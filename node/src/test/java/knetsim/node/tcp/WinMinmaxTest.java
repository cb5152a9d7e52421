package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** lib/win_minmax.c, step by step as the kernel's code moves its three choices. */
class WinMinmaxTest {

    @Test
    void theThreeChoicesSpreadOverTheWindowAndExpireInTurn() {
        WinMinmax m = new WinMinmax(0, 100);
        assertEquals(100, m.runningMin(100, 10, 120), "a larger sample does not move the minimum");
        assertEquals("minmax[100@0, 100@0, 100@0]", m.toString(), "nor is it kept: within the first quarter");
        assertEquals(100, m.runningMin(100, 30, 130));
        assertEquals("minmax[100@0, 130@30, 130@30]", m.toString(), "past a quarter: a 2nd choice");
        assertEquals(100, m.runningMin(100, 60, 140));
        assertEquals("minmax[100@0, 130@30, 140@60]", m.toString(), "past half: a 3rd choice");
        // the best expires: the 2nd choice takes over. An exact window minimum would be 120 (t = 10), which
        // the tracker never kept: this is the kernel's approximation, not an error here.
        assertEquals(130, m.runningMin(100, 101, 150));
        assertEquals("minmax[130@30, 140@60, 150@101]", m.toString());
        assertEquals(90, m.runningMin(100, 102, 90), "a new minimum forgets everything");
        assertEquals("minmax[90@102, 90@102, 90@102]", m.toString());
    }

    @Test
    void whenTheSecondChoiceHasExpiredTooTheThirdBecomesBest() {
        WinMinmax m = new WinMinmax(0, 10);
        m.runningMin(100, 26, 20);   // 2nd choice at 26
        m.runningMin(100, 90, 30);   // 3rd choice at 90 (t1 != t0, t2 == t1 and dt > 50)
        assertEquals("minmax[10@0, 20@26, 30@90]", m.toString());
        // at 130 the best (0) and the 2nd (26) are both more than 100 old; the 3rd (90) is not
        assertEquals(30, m.runningMin(100, 130, 40));
        assertEquals("minmax[30@90, 40@130, 40@130]", m.toString());
    }

    @Test
    void aSampleAfterTheWholeWindowResets() {
        WinMinmax m = new WinMinmax(0, 10);
        m.runningMin(100, 50, 20);
        assertEquals(50, m.runningMin(100, 151, 50), "nothing left in the window: start over from this sample");
        assertEquals("minmax[50@151, 50@151, 50@151]", m.toString());
    }

    @Test
    void runningMaxIsTheMirror() {
        // BBR's max bandwidth filter: window of 10 rounds
        WinMinmax m = new WinMinmax(0, 1000);
        assertEquals(1000, m.runningMax(10, 3, 800));
        assertEquals(1000, m.runningMax(10, 6, 700));
        assertEquals("minmax[1000@0, 800@3, 700@6]", m.toString());
        assertEquals(800, m.runningMax(10, 11, 600), "round 0 is out of the 10-round window");
        assertEquals(1200, m.runningMax(10, 12, 1200));
    }

    @Test
    void timeWrapsAsU32() {
        long nearWrap = 0xffffffffL - 20;
        WinMinmax m = new WinMinmax(nearWrap, 100);
        assertEquals(100, m.runningMin(100, 30, 200), "51 later across the wrap: still in the window");
        assertEquals(200, m.runningMin(100, 90, 300), "111 after the first: it expires, the one at 30 takes over");
    }

    /**
     * Against every sample kept: the answer is a sample from inside the window, and never below the true minimum
     * of the window (the tracker may miss a minimum, never invent one).
     */
    @Property
    void theMinimumIsAlwaysAWindowSampleAndNeverBelowTheTrueMinimum(
            @ForAll @Size(min = 1, max = 200) List<@IntRange(max = 1000) Integer> values,
            @ForAll @Size(min = 200, max = 200) List<@IntRange(max = 30) Integer> gaps,
            @ForAll @IntRange(min = 1, max = 400) int win) {
        long t = 0;
        WinMinmax m = new WinMinmax(t, values.get(0));
        List<long[]> seen = new ArrayList<>();
        seen.add(new long[] {t, values.get(0)});
        for (int i = 1; i < values.size(); i++) {
            t += gaps.get(i);
            long got = m.runningMin(win, t, values.get(i));
            seen.add(new long[] {t, values.get(i)});
            long trueMin = Long.MAX_VALUE;
            boolean fromWindow = false;
            for (long[] s : seen) {
                if (t - s[0] <= win) {
                    trueMin = Math.min(trueMin, s[1]);
                    fromWindow |= s[1] == got;
                }
            }
            assertTrue(fromWindow, "value " + got + " at " + t + " is no sample of the window");
            assertTrue(got >= trueMin);
            assertEquals(got, m.get());
        }
    }
}
