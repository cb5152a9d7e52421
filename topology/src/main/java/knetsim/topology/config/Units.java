package knetsim.topology.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and formats the quantities a topology file writes with units: durations, bit rates and sizes.
 * Everything is exact (BigDecimal), so "1.5us" is 1500 ns and a value that is not a whole number of the
 * base unit (0.5ns, 1.5bps, 0.5B) is refused rather than rounded. Errors are IllegalArgumentException
 * whose message says what was expected and quotes what was written.
 */
public final class Units {
    private Units() {
    }

    private static final Pattern QUANTITY = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([A-Za-z]*)\\s*");

    private static final Map<String, Long> DURATION = Map.ofEntries(
            Map.entry("ns", 1L), Map.entry("us", 1_000L), Map.entry("µs", 1_000L), Map.entry("ms", 1_000_000L),
            Map.entry("s", 1_000_000_000L), Map.entry("m", 60_000_000_000L), Map.entry("min", 60_000_000_000L),
            Map.entry("h", 3_600_000_000_000L));

    // Rates: SI multiples as in "1Gbps" and as tc writes them ("1gbit"); case matters only for b versus B.
    private static final Map<String, Long> RATE = Map.ofEntries(
            Map.entry("bps", 1L), Map.entry("kbps", 1_000L), Map.entry("mbps", 1_000_000L),
            Map.entry("gbps", 1_000_000_000L), Map.entry("tbps", 1_000_000_000_000L),
            Map.entry("bit", 1L), Map.entry("kbit", 1_000L), Map.entry("mbit", 1_000_000L),
            Map.entry("gbit", 1_000_000_000L), Map.entry("tbit", 1_000_000_000_000L));

    private static final Map<String, Long> SIZE = Map.ofEntries(
            Map.entry("", 1L), Map.entry("B", 1L), Map.entry("KB", 1_000L), Map.entry("MB", 1_000_000L),
            Map.entry("GB", 1_000_000_000L), Map.entry("KiB", 1L << 10), Map.entry("MiB", 1L << 20),
            Map.entry("GiB", 1L << 30), Map.entry("kB", 1_000L));

    static final String DURATION_EXPECTED = "a duration like 10ms, 1.5us or 2s";
    static final String RATE_EXPECTED = "a rate like 1Gbps, 100Mbps or 64kbit";
    static final String SIZE_EXPECTED = "a size like 1500B, 64KiB or 1500";

    /** Nanoseconds in "10ms", "1.5us", "2s", "500ns" or "0"; a number other than 0 needs a unit (ns us ms s m h). */
    public static long durationNs(String text) {
        return parse(text, DURATION, false, DURATION_EXPECTED);
    }

    /** Bits per second in "1Gbps", "100Mbps", "64Kbps", "9600bps" or tc's "1gbit", "100mbit", "kbit", "bit". */
    public static long rateBitsPerSecond(String text) {
        // "1GBps" would mean bytes; refuse it rather than silently reading bits.
        String t = text == null ? "" : text.strip();
        if (t.endsWith("Bps") && t.length() > 3 && Character.isLetter(t.charAt(t.length() - 4))) {
            throw bad(text, RATE_EXPECTED);
        }
        return parse(text, RATE, true, RATE_EXPECTED);
    }

    /** Bytes in "1500B", "64KiB", "1MiB", "2KB" (2000, SI) or a plain "1500". */
    public static long sizeBytes(String text) {
        return parse(text, SIZE, false, SIZE_EXPECTED);
    }

    /** Formats as the largest unit that keeps the value whole, so parse(format(x)) == x. */
    public static String formatDuration(long ns) {
        return format(ns, new String[] {"h", "m", "s", "ms", "us", "ns"},
                new long[] {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L});
    }

    public static String formatRate(long bps) {
        return format(bps, new String[] {"Tbps", "Gbps", "Mbps", "Kbps", "bps"},
                new long[] {1_000_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L});
    }

    public static String formatSize(long bytes) {
        return format(bytes, new String[] {"GiB", "MiB", "KiB", "B"}, new long[] {1L << 30, 1L << 20, 1L << 10, 1L});
    }

    private static String format(long value, String[] units, long[] factors) {
        if (value == 0) return "0";
        for (int i = 0; i < units.length; i++) {
            if (value % factors[i] == 0) return (value / factors[i]) + units[i];
        }
        throw new AssertionError("the last factor is 1");
    }

    /** Generated topologies repeat a few texts (every link "1Gbps", "10us") a million times: parse each once. */
    private static final Map<String, Long> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    private static long parse(String text, Map<String, Long> units, boolean ignoreCase, String expected) {
        if (text == null) throw bad("null", expected);
        String memo = expected + '\0' + text;
        Long known = PARSED.get(memo);
        if (known != null) return known;
        long value = parseOnce(text, units, ignoreCase, expected);
        if (PARSED.size() < 4096) PARSED.put(memo, value);
        return value;
    }

    private static long parseOnce(String text, Map<String, Long> units, boolean ignoreCase, String expected) {
        Matcher m = QUANTITY.matcher(text);
        if (!m.matches()) throw bad(text, expected);
        String unit = ignoreCase ? m.group(2).toLowerCase(Locale.ROOT) : m.group(2);
        BigDecimal number = new BigDecimal(m.group(1));
        if (unit.isEmpty() && !units.containsKey("") && number.signum() != 0) throw bad(text, expected);
        Long factor = unit.isEmpty() && number.signum() == 0 ? Long.valueOf(1) : units.get(unit);
        if (factor == null) throw bad(text, expected);
        BigDecimal value = number.multiply(BigDecimal.valueOf(factor));
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            String why = value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0 ? "too large" : "not a whole number of "
                    + (units == DURATION ? "nanoseconds" : units == RATE ? "bits per second" : "bytes");
            throw new IllegalArgumentException("expected " + expected + ", got \"" + text + "\" (" + why + ")");
        }
    }

    private static IllegalArgumentException bad(String text, String expected) {
        return new IllegalArgumentException("expected " + expected + ", got \"" + text + "\"");
    }
}
