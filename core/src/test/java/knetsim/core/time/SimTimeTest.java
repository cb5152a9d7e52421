package knetsim.core.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SimTimeTest {

    @Test
    void parsesShortUnitsExactly() {
        assertEquals(250, SimTime.parse("250ns"));
        assertEquals(1500, SimTime.parse("1.5us"));
        assertEquals(1500, SimTime.parse("1.5\u00b5s"));
        assertEquals(10_000_000, SimTime.parse("10ms"));
        assertEquals(2_000_000_000L, SimTime.parse("2s"));
        // 0.1 and 0.25 have no exact binary form; a double-based parser would be off by one here or there.
        assertEquals(100_000_000, SimTime.parse("0.1s"));
        assertEquals(250_000_000, SimTime.parse("0.25s"));
        assertEquals(1_234_567, SimTime.parse("1.234567ms"));
        assertEquals(0, SimTime.parse("0ns"));
        assertEquals(0, SimTime.parse("0.0s"));
    }

    @Test
    void acceptsWhitespaceAndTypesafeConfigLongForms() {
        assertEquals(10_000_000, SimTime.parse("10 ms"));
        assertEquals(10_000_000, SimTime.parse("  10\tms "));
        assertEquals(3, SimTime.parse("3 nanos"));
        assertEquals(3, SimTime.parse("3 nanoseconds"));
        assertEquals(2_000, SimTime.parse("2 micros"));
        assertEquals(2_000, SimTime.parse("2 microseconds"));
        assertEquals(7_000_000, SimTime.parse("7 millis"));
        assertEquals(7_000_000, SimTime.parse("7 milliseconds"));
        assertEquals(SimTime.SECOND, SimTime.parse("1 second"));
        assertEquals(5 * SimTime.SECOND, SimTime.parse("5 seconds"));
    }

    @Test
    void parsesUpToOneBelowNever() {
        assertEquals(SimTime.NEVER - 1, SimTime.parse("9223372036854775806ns"));
        assertEquals(SimTime.NEVER - 1, SimTime.parse("9223372036.854775806s"));
    }

    @Test
    void rejectsUnknownUnitWithExpectedForm() {
        assertEquals("bad time \"10 parsecs\": expected a number followed by ns, us, ms or s (e.g. \"1.5us\", \"10ms\")",
                rejection("10 parsecs"));
    }

    @Test
    void rejectsEachMalformedInputAndQuotesIt() {
        assertMessage("", "bad time \"\"", "expected a number followed by ns, us, ms or s");
        assertMessage("   ", "bad time \"   \"", "expected a number");
        assertMessage("10", "bad time \"10\"", "no unit", "ambiguous");
        assertMessage("1.5", "bad time \"1.5\"", "no unit");
        assertMessage("-5ms", "bad time \"-5ms\"", "negative");
        assertMessage("+5ms", "bad time \"+5ms\"", "expected a number");
        assertMessage("1e3ns", "bad time \"1e3ns\"", "expected a number");
        assertMessage("ms", "bad time \"ms\"", "expected a number");
        assertMessage(".5ms", "bad time \".5ms\"", "expected a number");
        assertMessage("5.ms", "bad time \"5.ms\"", "expected a number");
        assertMessage("1.2.3ms", "bad time \"1.2.3ms\"", "expected a number");
        assertMessage("10 ms later", "bad time \"10 ms later\"", "expected a number");
        assertMessage("10MS", "bad time \"10MS\"", "expected a number");
        assertMessage("5 minutes", "bad time \"5 minutes\"", "ns, us, ms or s");
    }

    @Test
    void rejectsSubNanosecondPrecision() {
        assertMessage("1.5ns", "bad time \"1.5ns\"", "finer than 1 ns");
        assertMessage("0.0001us", "bad time \"0.0001us\"", "finer than 1 ns");
        assertMessage("1.0000000001s", "bad time \"1.0000000001s\"", "finer than 1 ns");
        // Trailing zeros beyond the nanosecond are still exact.
        assertEquals(1, SimTime.parse("0.001000us"));
    }

    @Test
    void rejectsValuesThatWouldReachNeverOrOverflow() {
        assertMessage("9223372036854775807ns", "bad time \"9223372036854775807ns\"", "too large");
        assertMessage("9223372036.854775807s", "bad time \"9223372036.854775807s\"", "too large");
        assertMessage("10000000000s", "bad time \"10000000000s\"", "too large");
        assertMessage("99999999999999999999999999999999ms", "bad time", "too large");
    }

    @Test
    void formatsWithLargestUnitThatNeedsAtMostThreeDecimals() {
        assertEquals("0ns", SimTime.format(0));
        assertEquals("1ns", SimTime.format(1));
        assertEquals("250ns", SimTime.format(250));
        assertEquals("999ns", SimTime.format(999));
        assertEquals("1us", SimTime.format(1000));
        assertEquals("1.001us", SimTime.format(1001));
        assertEquals("1.5us", SimTime.format(1500));
        assertEquals("10ms", SimTime.format(10_000_000));
        assertEquals("2s", SimTime.format(2_000_000_000L));
        assertEquals("60s", SimTime.format(60 * SimTime.SECOND));
        assertEquals("1234.567us", SimTime.format(1_234_567));
        assertEquals("1.234ms", SimTime.format(1_234_000));
        assertEquals("999999.999ms", SimTime.format(999_999_999_000L));
        assertEquals("never", SimTime.format(SimTime.NEVER));
        assertEquals("9223372036854775.806us", SimTime.format(SimTime.NEVER - 1));
    }

    @Test
    void formatsNegativeDifferencesWithLeadingMinus() {
        assertEquals("-1.5us", SimTime.format(-1500));
        assertEquals("-250ns", SimTime.format(-250));
        assertEquals("-2s", SimTime.format(-2_000_000_000L));
        assertEquals("-9223372036854775.808us", SimTime.format(Long.MIN_VALUE));
    }

    private static final Pattern SHORTEST =
            Pattern.compile("(0|[1-9][0-9]{0,2})ns|[1-9][0-9]*(\\.[0-9]{0,2}[1-9])?(us|ms|s)");

    @Test
    void roundTripsAndIsShortestForManyValues() {
        List<Long> values = new ArrayList<>(List.of(0L, 1L, 2L, 999L, 1000L, 1001L, 1999L, 999_999L, 1_000_000L,
                1_000_001L, 999_999_999L, SimTime.SECOND, SimTime.SECOND + 1, SimTime.NEVER / 2 - 1,
                SimTime.NEVER / 2, SimTime.NEVER / 2 + 1, SimTime.NEVER - 2, SimTime.NEVER - 1));
        SplittableRandom random = new SplittableRandom(0x5EED_CAFEL);
        for (int i = 0; i < 20_000; i++) {
            values.add(random.nextLong(0, SimTime.NEVER));           // mostly huge: exercises the us fallback
            values.add(random.nextLong(0, 1L << random.nextInt(1, 63)));  // every magnitude
            long unit = new long[] {SimTime.MICROSECOND, SimTime.MILLISECOND, SimTime.SECOND}[random.nextInt(3)];
            values.add(random.nextLong(0, SimTime.NEVER / unit) * unit);  // round values: exercises ms and s
        }
        for (long v : values) {
            String text = SimTime.format(v);
            assertEquals(v, SimTime.parse(text), () -> "round trip of " + v + " via \"" + text + "\"");
            assertTrue(SHORTEST.matcher(text).matches(), () -> v + " formatted as \"" + text + "\"");
            assertLargestUnit(v, text);
        }
    }

    /** Every unit larger than the one chosen would have needed more than 3 decimals or a zero integer part. */
    private static void assertLargestUnit(long v, String text) {
        long[] larger = text.endsWith("ns") ? new long[] {SimTime.SECOND, SimTime.MILLISECOND, SimTime.MICROSECOND}
                : text.endsWith("us") ? new long[] {SimTime.SECOND, SimTime.MILLISECOND}
                : text.endsWith("ms") ? new long[] {SimTime.SECOND}
                : new long[0];
        for (long unit : larger) {
            boolean fits = v >= unit && v % (unit / 1000) == 0;
            assertTrue(!fits, () -> v + " formatted as \"" + text + "\" but fits a unit of " + unit + "ns");
        }
    }

    @Test
    void toSecondsConvertsForReports() {
        assertEquals(1.5, SimTime.toSeconds(1_500_000_000L));
        assertEquals(0.0, SimTime.toSeconds(0));
        assertEquals(1e-9, SimTime.toSeconds(1), 1e-24);
    }

    @Test
    void saturatingAddClampsToNever() {
        assertEquals(3, SimTime.saturatingAdd(1, 2));
        assertEquals(0, SimTime.saturatingAdd(0, 0));
        assertEquals(SimTime.NEVER - 1, SimTime.saturatingAdd(SimTime.NEVER - 2, 1));
        assertEquals(SimTime.NEVER, SimTime.saturatingAdd(SimTime.NEVER - 1, 1));
        assertEquals(SimTime.NEVER, SimTime.saturatingAdd(SimTime.NEVER - 1, 2));
        assertEquals(SimTime.NEVER, SimTime.saturatingAdd(SimTime.NEVER / 2 + 1, SimTime.NEVER / 2 + 1));
        assertEquals(SimTime.NEVER, SimTime.saturatingAdd(SimTime.NEVER - 1, SimTime.NEVER - 1));
        assertEquals(SimTime.NEVER, SimTime.saturatingAdd(SimTime.NEVER, 0));
        assertEquals(SimTime.NEVER, SimTime.saturatingAdd(0, SimTime.NEVER));
        assertEquals(SimTime.NEVER, SimTime.saturatingAdd(SimTime.NEVER, SimTime.NEVER));
    }

    @Test
    void saturatingAddRejectsNegativeOperands() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SimTime.saturatingAdd(-1, 5));
        assertTrue(e.getMessage().contains("non-negative"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SimTime.saturatingAdd(5, Long.MIN_VALUE));
    }

    private static String rejection(String text) {
        return assertThrows(IllegalArgumentException.class, () -> SimTime.parse(text),
                () -> "expected \"" + text + "\" to be rejected").getMessage();
    }

    private static void assertMessage(String text, String... fragments) {
        String message = rejection(text);
        for (String fragment : fragments) {
            assertTrue(message.contains(fragment), () -> "message for \"" + text + "\" lacks \"" + fragment
                    + "\": " + message);
        }
    }
}
