package knetsim.topology.results;

import java.math.BigDecimal;
import java.util.Comparator;

/** RFC 4180 CSV text with numbers that read the same on every machine and locale. */
final class Csv {
    private final Appendable text;

    /** A CSV built in memory (small files: sweep.csv). */
    Csv(String... header) {
        this(new StringBuilder(), header);
    }

    /** A CSV streamed to {@code out} row by row. */
    Csv(Appendable out, String... header) {
        this.text = out;
        row(header);
    }

    Csv row(String... fields) {
        try {
            for (int i = 0; i < fields.length; i++) {
                if (i > 0) text.append(',');
                text.append(field(fields[i]));
            }
            // RFC 4180 ends records with CRLF, but every tool we target reads LF and diffs stay readable.
            text.append('\n');
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return this;
    }

    byte[] bytes() {
        return text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static String field(String s) {
        if (s.isEmpty() || s.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /**
     * The shortest decimal that reads back as the same double, never in exponent notation (some
     * spreadsheet imports mangle it). NaN, which means "not measured", is an empty field, which
     * pandas and R read as missing.
     */
    static String number(double d) {
        if (Double.isNaN(d)) {
            return "";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }

    static String number(long n) {
        return Long.toString(n);
    }

    /**
     * Orders names as people read them (h2 before h10, eth2 before eth10), then by plain string
     * order so that distinct names never compare equal and sorting stays deterministic.
     */
    static final Comparator<String> NATURAL = Csv::compareNatural;

    // digit runs compare as numbers (leading zeros ignored), without allocating: it sorts 100,000-row files
    private static int compareNatural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (isDigit(ca) && isDigit(cb)) {
                int ei = digitsEnd(a, i);
                int ej = digitsEnd(b, j);
                int si = i, sj = j;
                while (si < ei - 1 && a.charAt(si) == '0') si++;
                while (sj < ej - 1 && b.charAt(sj) == '0') sj++;
                int c = Integer.compare(ei - si, ej - sj);
                for (int k = 0; c == 0 && k < ei - si; k++) c = Character.compare(a.charAt(si + k), b.charAt(sj + k));
                if (c != 0) return c;
                i = ei;
                j = ej;
            } else {
                if (ca != cb) return Character.compare(ca, cb);
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        return c != 0 ? c : a.compareTo(b);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digitsEnd(String s, int from) {
        int k = from;
        while (k < s.length() && isDigit(s.charAt(k))) {
            k++;
        }
        return k;
    }

}
