package knetsim.topology.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ranges in a --param value list: {@code A:B:logN} (N values spaced evenly on a log scale), {@code A:B:linN} (N
 * values spaced evenly) and {@code A:B:STEP} (integers A, A+STEP, ... up to B). A and B are plain numbers and are
 * both included; generated values are written with at most 6 significant digits.
 */
final class SweepRange {
    static final int MAX_VALUES = 1000;
    private static final String NUMBER = "[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?";
    private static final Pattern RANGE = Pattern.compile("(" + NUMBER + "):(" + NUMBER + "):(log|lin)?(\\S*)");
    private static final MathContext DIGITS = new MathContext(6);

    private SweepRange() {}

    /** The values an item stands for: the item itself, or the values of its range. */
    static List<String> expand(String option, String item) throws SweepPlan.BadInput {
        Matcher m = RANGE.matcher(item);
        if (!m.matches()) return List.of(item);
        String a = m.group(1), b = m.group(2), kind = m.group(3), count = m.group(4);
        String what = option + ": the range " + item;
        if (kind == null) return steps(what, a, b, count);
        int n;
        try {
            n = Integer.parseInt(count);
        } catch (NumberFormatException e) {
            throw new SweepPlan.BadInput(what + ": expected " + kind + "N with N a whole number of values, such as "
                    + a + ":" + b + ":" + kind + "5");
        }
        if (n < 2 || n > MAX_VALUES) {
            throw new SweepPlan.BadInput(what + ": " + kind + n + " needs between 2 and " + MAX_VALUES + " values");
        }
        double lo = Double.parseDouble(a), hi = Double.parseDouble(b);
        if (lo == hi) throw new SweepPlan.BadInput(what + ": the two ends are the same");
        if (kind.equals("log") && (lo <= 0 || hi <= 0)) {
            throw new SweepPlan.BadInput(what + ": a log range needs two ends above 0");
        }
        List<String> values = new ArrayList<>();
        values.add(a);
        for (int i = 1; i < n - 1; i++) {
            double f = (double) i / (n - 1);
            double v = kind.equals("log") ? lo * Math.pow(hi / lo, f) : lo + (hi - lo) * f;
            values.add(format(v));
        }
        values.add(b);
        return values;
    }

    private static List<String> steps(String what, String a, String b, String step) throws SweepPlan.BadInput {
        long lo, hi, by;
        try {
            lo = Long.parseLong(a.startsWith("+") ? a.substring(1) : a);
            hi = Long.parseLong(b.startsWith("+") ? b.substring(1) : b);
            by = Long.parseLong(step);
        } catch (NumberFormatException e) {
            throw new SweepPlan.BadInput(what + ": expected A:B:logN, A:B:linN or A:B:STEP with whole numbers A, B"
                    + " and STEP, such as 0.001:0.02:log5, 1:10:lin4 or 1:9:2");
        }
        if (by <= 0) throw new SweepPlan.BadInput(what + ": the step must be at least 1");
        if (hi < lo) throw new SweepPlan.BadInput(what + ": the end " + hi + " is below the start " + lo);
        if ((hi - lo) / by + 1 > MAX_VALUES) {
            throw new SweepPlan.BadInput(what + ": more than " + MAX_VALUES + " values");
        }
        List<String> values = new ArrayList<>();
        for (long v = lo; v <= hi; v += by) values.add(Long.toString(v));
        return values;
    }

    static String format(double v) {
        BigDecimal d = new BigDecimal(v).round(DIGITS).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }
}
