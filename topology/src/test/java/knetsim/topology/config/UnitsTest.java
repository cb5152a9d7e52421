package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UnitsTest {
    @ParameterizedTest
    @CsvSource({"10ms, 10000000", "1.5us, 1500", "2s, 2000000000", "500ns, 500", "0, 0", "0s, 0", "1 ms, 1000000",
        "1m, 60000000000", "0.25ms, 250000"})
    void durations(String text, long ns) {
        assertEquals(ns, Units.durationNs(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "10 parsecs", "-1ms", "1.5ns", "ms", "", "1e3ms", "10MS"})
    void badDurationsSayWhatWasExpected(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.durationNs(text));
        assertEquals("expected a duration like 10ms, 1.5us or 2s, got \"" + text + "\"",
                e.getMessage().replaceFirst(" \\(.*\\)$", ""));
    }

    @Test
    void fractionsOfANanosecondAreRefusedNotRounded() {
        assertEquals("expected a duration like 10ms, 1.5us or 2s, got \"1.5ns\" (not a whole number of nanoseconds)",
                assertThrows(IllegalArgumentException.class, () -> Units.durationNs("1.5ns")).getMessage());
    }

    @ParameterizedTest
    @CsvSource({"1Gbps, 1000000000", "100Mbps, 100000000", "64Kbps, 64000", "9600bps, 9600", "1gbit, 1000000000",
        "100mbit, 100000000", "64kbit, 64000", "300bit, 300", "2.5Gbps, 2500000000", "0, 0"})
    void rates(String text, long bps) {
        assertEquals(bps, Units.rateBitsPerSecond(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1GBps", "100", "fast", "10 Mibps", "1.5bps"})
    void badRates(String text) {
        assertThrows(IllegalArgumentException.class, () -> Units.rateBitsPerSecond(text));
    }

    @ParameterizedTest
    @CsvSource({"1500B, 1500", "64KiB, 65536", "1MiB, 1048576", "2KB, 2000", "1500, 1500", "1GiB, 1073741824",
        "0, 0"})
    void sizes(String text, long bytes) {
        assertEquals(bytes, Units.sizeBytes(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "64Kib", "big", "-1B", "1 pages"})
    void badSizes(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Units.sizeBytes(text));
        assertEquals("expected a size like 1500B, 64KiB or 1500, got \"" + text + "\"",
                e.getMessage().replaceFirst(" \\(.*\\)$", ""));
    }

    @Property
    void durationRoundTrip(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long ns) {
        assertEquals(ns, Units.durationNs(Units.formatDuration(ns)));
    }

    @Property
    void rateRoundTrip(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long bps) {
        assertEquals(bps, Units.rateBitsPerSecond(Units.formatRate(bps)));
    }

    @Property
    void sizeRoundTrip(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long bytes) {
        assertEquals(bytes, Units.sizeBytes(Units.formatSize(bytes)));
    }

    @Property
    void formatsInTheLargestWholeUnit(@ForAll @LongRange(min = 1, max = 999) long n) {
        assertEquals(n + "ms", Units.formatDuration(n * 1_000_000L));
        assertEquals(n + "Mbps", Units.formatRate(n * 1_000_000L));
        assertEquals(n + "KiB", Units.formatSize(n * 1024L));
    }
}
