package knetsim.link.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The merge order must depend on (time, LP, sequence) alone, so captures gathered from LPs in any
 * order (as they arrive from other JVMs) give the same file.
 */
class CaptureRecordTest {
    private static CaptureRecord rec(long time, int lp, long seq, int marker) {
        return new CaptureRecord(time, lp, seq, new byte[] {(byte) marker});
    }

    @Test
    void orderIsTimeThenLpThenSequence() {
        List<CaptureRecord> expected = List.of(
                rec(5, 3, 9, 0),
                rec(7, 0, 4, 1),
                rec(7, 2, 0, 2),
                rec(7, 2, 1, 3),
                rec(7, 10, 0, 4),
                rec(8, 0, 0, 5),
                rec(1_000_000_000_000L, 1, 0, 6));
        for (long seed = 0; seed < 20; seed++) {
            List<CaptureRecord> shuffled = new ArrayList<>(expected);
            Collections.shuffle(shuffled, new Random(seed));
            shuffled.sort(CaptureRecord.ORDER);
            assertEquals(expected, shuffled, "seed " + seed);
        }
    }

    @Test
    void mergedCapturesGiveTheSameBytesWhateverTheArrivalOrder() throws Exception {
        List<CaptureRecord> lp1 = List.of(rec(10, 1, 0, 1), rec(30, 1, 1, 2), rec(30, 1, 2, 3));
        List<CaptureRecord> lp2 = List.of(rec(10, 2, 0, 4), rec(20, 2, 1, 5), rec(30, 2, 2, 6));
        List<CaptureRecord> oneFirst = new ArrayList<>(lp1);
        oneFirst.addAll(lp2);
        List<CaptureRecord> twoFirst = new ArrayList<>(lp2);
        twoFirst.addAll(lp1);
        oneFirst.sort(CaptureRecord.ORDER);
        twoFirst.sort(CaptureRecord.ORDER);
        byte[] bytes = PcapWriter.toBytes(oneFirst);
        assertArrayEquals(bytes, PcapWriter.toBytes(twoFirst));
        List<PcapRecord> read = PcapReader.readAll(bytes);
        int[] markers = read.stream().mapToInt(r -> r.frame()[0]).toArray();
        assertArrayEquals(new int[] {1, 4, 5, 2, 3, 6}, markers);
    }

    @Test
    void snappingKeepsAFrameThatFitsAndCopiesOnlyTheHeadOfOneThatDoesNot() {
        byte[] small = new byte[60], large = new byte[1514];
        new Random(1).nextBytes(small);
        new Random(2).nextBytes(large);
        CaptureRecord kept = CaptureRecord.snap(1, 2, 3, small, 64);
        assertSame(small, kept.frame(), "a frame within the snap length is not copied");
        assertEquals(60, kept.originalLength());
        CaptureRecord cut = CaptureRecord.snap(1, 2, 3, large, 64);
        assertNotSame(large, cut.frame());
        assertArrayEquals(Arrays.copyOf(large, 64), cut.frame());
        assertEquals(1514, cut.originalLength());
        assertSame(large, CaptureRecord.snap(1, 2, 3, large, 1514).frame());
        // copy(): from a buffer that lives on (an skb's), so always a private array of at most snaplen bytes
        CaptureRecord slice = CaptureRecord.copy(5, 2, 4, large, 100, 90, 64);
        assertArrayEquals(Arrays.copyOfRange(large, 100, 164), slice.frame());
        assertEquals(90, slice.originalLength());
        CaptureRecord whole = CaptureRecord.copy(5, 2, 4, large, 100, 50, 64);
        assertArrayEquals(Arrays.copyOfRange(large, 100, 150), whole.frame());
        assertEquals(50, whole.originalLength());
    }

    @Test
    void equalityIsByContentAndBadRecordsAreRefused() {
        assertEquals(rec(1, 2, 3, 4), rec(1, 2, 3, 4));
        assertEquals(rec(1, 2, 3, 4).hashCode(), rec(1, 2, 3, 4).hashCode());
        assertNotEquals(rec(1, 2, 3, 4), rec(1, 2, 3, 5));
        assertThrows(IllegalArgumentException.class, () -> new CaptureRecord(0, 0, 0, new byte[10], 9));
        assertThrows(IllegalArgumentException.class, () -> new CaptureRecord(-1, 0, 0, new byte[1]));
        assertThrows(NullPointerException.class, () -> new CaptureRecord(0, 0, 0, null, 0));
    }
}
