package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Units into actor groups: never split, every group busy, LP counts even, other partitions' LPs left out. */
class GroupingTest {
    // 10 LPs in 5 units of 2 (LP i and i + 5 together, as a machine and the cable it sends on)
    static final int[] UNIT = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4};

    @Test
    void unitsStayWholeAndGroupsAreEven() {
        int[] partitionOf = new int[10];
        Grouping g = Grouping.of(UNIT, partitionOf, 0, 2);
        assertEquals(2, g.groups());
        assertEquals(10, g.lpCount());
        for (int lp = 0; lp < 10; lp++) {
            assertEquals(g.groupOf()[lp], g.groupOf()[(lp + 5) % 10], "LP " + lp + " and its unit mate");
            assertEquals(lp, g.lpsOf(g.groupOf()[lp])[g.indexOf()[lp]]);
        }
        assertArrayEquals(new int[] {0, 1, 2, 5, 6, 7}, g.lpsOf(0));
        assertArrayEquals(new int[] {3, 4, 8, 9}, g.lpsOf(1));
    }

    @Test
    void noMoreGroupsThanUnitsAndNoEmptyGroup() {
        Grouping g = Grouping.of(UNIT, new int[10], 0, 64);
        assertEquals(5, g.groups());
        for (int k = 0; k < 5; k++) assertEquals(2, g.lpsOf(k).length);
    }

    @Test
    void onlyThisPartitionsLpsAreGrouped() {
        int[] partitionOf = {0, 0, 1, 1, 1, 0, 0, 1, 1, 1};
        Grouping g = Grouping.of(UNIT, partitionOf, 1, 8);
        assertEquals(6, g.lpCount());
        assertEquals(3, g.groups());
        for (int lp : new int[] {0, 1, 5, 6}) assertEquals(-1, g.groupOf()[lp]);
        assertTrue(g.groupOf()[2] >= 0);
        assertEquals(0, Grouping.of(UNIT, partitionOf, 2, 8).groups(), "a partition with no LP has no group");
    }

    @Test
    void aUnitSplitBetweenPartitionsIsRefused() {
        int[] partitionOf = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Grouping.of(UNIT, partitionOf, 0, 2));
        assertEquals("execution unit 0 is split between partitions 0 and 1 (LP 5): place a unit's LPs together",
                e.getMessage());
    }
}
