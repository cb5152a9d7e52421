package knetsim.topology.results;

import java.util.Locale;

/** Numbers for people (terminal, progress lines, report page), the same in every locale. */
final class Format {
    private Format() {}

    /** A duration with a unit that keeps it short: 4.2s, 10s, 12.5ms, 800us, 35ns. */
    static String duration(double ns) {
        if (Double.isNaN(ns)) {
            return "-";
        }
        double abs = Math.abs(ns);
        if (abs >= 1e9) {
            return trim(ns / 1e9) + "s";
        } else if (abs >= 1e6) {
            return trim(ns / 1e6) + "ms";
        } else if (abs >= 1e3) {
            return trim(ns / 1e3) + "us";
        }
        return trim(ns) + "ns";
    }

    /** A rate with an SI prefix and one decimal: 950, 2.1k, 2.1M, 3.0G. */
    static String si(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double abs = Math.abs(v);
        if (abs >= 1e9) {
            return fixed(v / 1e9, 1) + "G";
        } else if (abs >= 1e6) {
            return fixed(v / 1e6, 1) + "M";
        } else if (abs >= 1e3) {
            return fixed(v / 1e3, 1) + "k";
        }
        return fixed(v, 0);
    }

    /** A quantity with an SI-prefixed unit: 19.1 Mbit/s, 950 bit/s. */
    static String si(double v, String unit) {
        String n = si(v);
        char last = n.charAt(n.length() - 1);
        boolean prefixed = last == 'k' || last == 'M' || last == 'G';
        return prefixed ? n.substring(0, n.length() - 1) + " " + last + unit : n + " " + unit;
    }

    static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Milliseconds with three decimals, which resolves microseconds: 1.234. */
    static String millis(double ns) {
        return fixed(ns / 1e6, 3);
    }

    static String mbps(double bps) {
        return fixed(bps / 1e6, 3);
    }

    /** A ratio such as a slowdown, two decimals; "-" for NaN. */
    static String ratio(double v) {
        return Double.isNaN(v) ? "-" : fixed(v, 2);
    }

    static String percent(double ratio) {
        return Double.isNaN(ratio) ? "-" : fixed(ratio * 100, 2) + "%";
    }

    private static String trim(double v) {
        String s = fixed(v, 1);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
