package knetsim.core.time;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Virtual time is a {@code long} count of nanoseconds, never a {@code double} and never the wall clock:
 * integer arithmetic is exact and identical on every JVM, so a distributed run orders events the same way
 * on every node and a rerun reproduces it bit for bit.
 */
public final class SimTime {
    public static final long NANOSECOND = 1L;
    public static final long MICROSECOND = 1_000L;
    public static final long MILLISECOND = 1_000_000L;
    public static final long SECOND = 1_000_000_000L;
    /** "No event" / infinity; it sorts after every real time, so min() over pending events needs no special case. */
    public static final long NEVER = Long.MAX_VALUE;

    // parse() stops one short of NEVER so a configured time can never be mistaken for "no event".
    private static final long MAX_PARSED = NEVER - 1;

    // The long forms are those Typesafe Config accepts for durations, so the same strings work in both places.
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("ns", NANOSECOND), Map.entry("nano", NANOSECOND), Map.entry("nanos", NANOSECOND),
            Map.entry("nanosecond", NANOSECOND), Map.entry("nanoseconds", NANOSECOND),
            Map.entry("us", MICROSECOND), Map.entry("\u00b5s", MICROSECOND), Map.entry("\u03bcs", MICROSECOND),
            Map.entry("micro", MICROSECOND), Map.entry("micros", MICROSECOND),
            Map.entry("microsecond", MICROSECOND), Map.entry("microseconds", MICROSECOND),
            Map.entry("ms", MILLISECOND), Map.entry("milli", MILLISECOND), Map.entry("millis", MILLISECOND),
            Map.entry("millisecond", MILLISECOND), Map.entry("milliseconds", MILLISECOND),
            Map.entry("s", SECOND), Map.entry("second", SECOND), Map.entry("seconds", SECOND));

    // Units for format(), largest first; its output uses only these short names.
    private static final long[] FORMAT_UNITS = {SECOND, MILLISECOND, MICROSECOND};
    private static final String[] FORMAT_NAMES = {"s", "ms", "us"};

    // [0-9] rather than \d, and no sign or exponent: anything cleverer is more likely a typo than intent.
    private static final Pattern SYNTAX = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(\\S*)");

    private SimTime() {
    }

    /**
     * Parses e.g. {@code "1.5us"}, {@code "10 ms"}, {@code "2 seconds"} exactly (no floating point).
     *
     * @throws IllegalArgumentException if the text is not a non-negative, whole number of nanoseconds with a unit,
     *                                  or exceeds {@code NEVER - 1}
     */
    public static long parse(String text) {
        Objects.requireNonNull(text, "time text");
        String s = text.strip();
        if (s.startsWith("-")) throw bad(text, "negative; expected");
        Matcher m = SYNTAX.matcher(s);
        if (!m.matches()) throw bad(text, "expected");
        if (m.group(2).isEmpty()) throw bad(text, "no unit, which would be ambiguous; expected");
        Long unit = UNITS.get(m.group(2));
        if (unit == null) throw bad(text, "expected");
        BigDecimal nanos = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (nanos.signum() != 0 && nanos.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("bad time \"" + text + "\": finer than 1 ns; expected a whole number"
                    + " of nanoseconds, e.g. \"1.5us\" rather than \"1.5ns\"");
        }
        if (nanos.compareTo(BigDecimal.valueOf(MAX_PARSED)) > 0) {
            throw new IllegalArgumentException("bad time \"" + text + "\": too large; expected at most "
                    + format(MAX_PARSED));
        }
        return nanos.longValueExact();
    }

    private static IllegalArgumentException bad(String text, String reason) {
        return new IllegalArgumentException("bad time \"" + text + "\": " + reason
                + " a number followed by ns, us, ms or s (e.g. \"1.5us\", \"10ms\")");
    }

    /**
     * The shortest exact form that {@link #parse} reads back: the largest unit that leaves a non-zero integer part
     * and at most 3 fractional digits ({@code 1500 -> "1.5us"}, {@code 1_234_567 -> "1234.567us"}).
     * {@link #NEVER} is {@code "never"}; negative values (differences) get a leading '-'.
     */
    public static String format(long nanos) {
        if (nanos == NEVER) return "never";
        if (nanos < 0) {
            // Negating Long.MIN_VALUE overflows, so work on the magnitude as a BigInteger.
            return "-" + formatMagnitude(BigInteger.valueOf(nanos).negate());
        }
        return formatMagnitude(BigInteger.valueOf(nanos));
    }

    private static String formatMagnitude(BigInteger nanos) {
        for (int i = 0; i < FORMAT_UNITS.length; i++) {
            BigInteger unit = BigInteger.valueOf(FORMAT_UNITS[i]);
            // Dividing by unit/1000 exactly is what "at most 3 fractional digits" means.
            if (nanos.compareTo(unit) >= 0 && nanos.mod(unit.divide(BigInteger.valueOf(1000))).signum() == 0) {
                BigDecimal v = new BigDecimal(nanos).divide(new BigDecimal(unit)).stripTrailingZeros();
                return v.toPlainString() + FORMAT_NAMES[i];
            }
        }
        return nanos + "ns";
    }

    /** For reports and rates only; never feed the result back into virtual time. */
    public static double toSeconds(long nanos) {
        return nanos / (double) SECOND;
    }

    /**
     * {@code a + b} for non-negative times, clamped to {@link #NEVER}: "now + delay" past the end of representable
     * time means "never", and must not wrap to a negative time that would sort first.
     */
    public static long saturatingAdd(long a, long b) {
        if ((a | b) < 0) {
            throw new IllegalArgumentException("saturatingAdd expects non-negative times, got " + a + " and " + b);
        }
        long sum = a + b;
        // Both operands are non-negative, so overflow shows up as a negative sum; NEVER + x lands here too.
        return sum < 0 || a == NEVER || b == NEVER ? NEVER : sum;
    }
}
