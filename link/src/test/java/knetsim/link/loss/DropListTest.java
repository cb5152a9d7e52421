package knetsim.link.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DropListTest {

    @Test
    void dropsExactlyTheListedFrames() {
        // Unsorted and with a repetition: the list is a set of frame numbers.
        LossModel model = new DropList(7, 1, 3, 3, 100);
        assertEquals(List.of(1L, 3L, 7L, 100L), dropped(model, 1000));
    }

    @Test
    void drawsNothing() {
        SplittableRandom used = new SplittableRandom(4);
        dropped(new DropList(2, 5), 50, used);
        assertEquals(new SplittableRandom(4).nextLong(), used.nextLong());
    }

    @Test
    void copyCountsFromOneAgain() {
        LossModel model = new DropList(2);
        assertEquals(List.of(2L), dropped(model, 10));
        assertEquals(List.of(), dropped(model, 10));
        assertEquals(List.of(2L), dropped(model.copy(), 10));
    }

    @Test
    void emptyListLosesNothing() {
        assertEquals(List.of(), dropped(new DropList(), 100));
        assertEquals("drop no frames", new DropList().describe());
    }

    @Test
    void describesAndReportsZeroLongRunRate() {
        DropList model = new DropList(5, 2);
        assertEquals("drop frames 2,5", model.describe());
        assertEquals(0.0, model.expectedLossRate());
    }

    @Test
    void rejectsFrameNumbersBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DropList(3, 0));
        assertEquals("frame number must be >= 1 (frames are counted from 1), got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DropList(-4));
        assertEquals("frame number must be >= 1 (frames are counted from 1), got -4", e.getMessage());
    }

    private static List<Long> dropped(LossModel model, int frames) {
        return dropped(model, frames, new SplittableRandom(0));
    }

    private static List<Long> dropped(LossModel model, int frames, SplittableRandom random) {
        List<Long> lost = new ArrayList<>();
        for (long frame = 1; frame <= frames; frame++) {
            if (model.lose(random)) lost.add(frame);
        }
        return lost;
    }
}
