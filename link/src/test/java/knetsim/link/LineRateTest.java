package knetsim.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ethernet timing: preamble + SFD, 64-byte minimum with FCS, 12-byte gap, exact at any rate. */
class LineRateTest {
    @ParameterizedTest(name = "{0} bytes at {1} bit/s: frame {2} ps, medium busy {3} ps")
    @CsvSource({
            // 60 + FCS = the 64-byte minimum: 72 bytes with preamble, 84 with the gap
            "60, 1000000000, 576000, 672000",
            "60, 10000000000, 57600, 67200",
            // 1514 + FCS = 1518: 1526 bytes with preamble, 1538 with the gap
            "1514, 1000000000, 12208000, 12304000",
            "1514, 10000000000, 1220800, 1230400",
            // shorter frames are padded: an ARP request of 42 bytes takes as long as 60
            "42, 1000000000, 576000, 672000",
            "1514, 100000000, 122080000, 123040000"})
    void frameAndOccupancyTimes(int length, long rate, long framePicos, long occupancyPicos) {
        LineRate lineRate = new LineRate(rate);
        assertEquals(framePicos, lineRate.framePicos(length));
        assertEquals(occupancyPicos, lineRate.occupancyPicos(length));
    }

    @Test
    void backToBackMinimumFramesLeaveAtExactLineRateAt10G() {
        LineRate.Transmitter tx = new LineRate.Transmitter(new LineRate(10_000_000_000L));
        for (int k = 0; k < 10_000; k++) {
            long leaves = tx.transmit(0, 60);
            // frame k starts at k * 67.2 ns and its last bit leaves 57.6 ns later, rounded up
            long endPicos = k * 67_200L + 57_600L;
            assertEquals((endPicos + 999) / 1000, leaves, "frame " + k);
        }
        assertEquals((10_000 * 67_200L + 999) / 1000, tx.freeAtNanos());
    }

    @Test
    void aFrameOfferedToAnIdleTransmitterStartsAtOnce() {
        LineRate.Transmitter tx = new LineRate.Transmitter(new LineRate(1_000_000_000L));
        assertEquals(1_000 + 12_208, tx.transmit(1_000, 1514));
        assertTrue(!tx.idleAt(1_000 + 12_303));
        assertTrue(tx.idleAt(1_000 + 12_304), "free after the inter-frame gap");
        // offered after the medium went idle: starts when offered, not when the last one ended
        assertEquals(50_000 + 576, tx.transmit(50_000, 60));
    }

    @Test
    void theEdgeMinimumIsTheShortestFrameRoundedDown() {
        assertEquals(576, new LineRate(1_000_000_000L).minimumFrameNanos());
        assertEquals(57, new LineRate(10_000_000_000L).minimumFrameNanos());
        assertEquals(1, new LineRate(1_000_000_000_000L).minimumFrameNanos(), "never zero: a zero lookahead stalls");
        assertThrows(IllegalArgumentException.class, () -> new LineRate(0));
    }
}
