package knetsim.node.app;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * ping's counters and round-trip statistics as iputils (ping_common.c, 2024x) keeps and prints them:
 * round-trip times in whole microseconds from the timeval in the reply, their sum and sum of squares
 * as doubles, and the text of the reply time, the statistics block and the exit status.
 */
public final class PingStatistics {
    long transmitted, received, repeats, errors;
    long tmin = Long.MAX_VALUE, tmax;
    double tsum, tsum2;

    // gather_statistics(): one timed reply (a duplicate is counted too, as iputils does)
    void rtt(long triptimeUs) {
        tsum += triptimeUs;
        tsum2 += (double) (triptimeUs * triptimeUs);
        tmin = Math.min(tmin, triptimeUs);
        tmax = Math.max(tmax, triptimeUs);
    }

    /** gather_statistics(): " time=..." of a reply, with iputils' precision: 3 decimals below 1 ms, 2 below 10, 1 below 100. */
    public static String time(long triptimeUs) {
        long t = triptimeUs;
        if (t >= 100_000 - 50) return (t + 500) / 1000 + "";
        if (t >= 10_000 - 5) return (t + 50) / 1000 + "." + ((t + 50) % 1000) / 100;
        if (t >= 1000) return (t + 5) / 1000 + "." + pad2(((t + 5) % 1000) / 10);
        return t / 1000 + "." + pad3(t % 1000);
    }

    /** finish(): the block after the blank line; {@code elapsedNs} from the set-up to the last request; {@code timing}: -s >= 16. */
    List<String> summary(String destination, long elapsedNs, boolean timing) {
        List<String> out = new ArrayList<>();
        out.add("");
        out.add("--- " + destination + " ping statistics ---");
        StringBuilder line = new StringBuilder().append(transmitted).append(" packets transmitted, ").append(received)
                .append(" received");
        if (repeats > 0) line.append(", +").append(repeats).append(" duplicates");
        if (errors > 0) line.append(", +").append(errors).append(" errors");
        if (transmitted > 0) {
            line.append(", ").append(percent((float) ((transmitted - received) * 100.0 / transmitted))).append("% packet loss")
                    .append(", time ").append((elapsedNs + 500_000) / 1_000_000).append("ms");
        }
        out.add(line.toString());
        // the rtt line, then putchar('\n'): without replies, an empty line ends the output
        out.add(received > 0 && timing ? rttLine() : "");
        return out;
    }

    // finish(): min/avg/max/mdev in microseconds, with integer division and llsqrt() as iputils does
    private String rttLine() {
        long total = received + repeats;
        long tmavg = (long) (tsum / total);
        long tmvar = tsum < Integer.MAX_VALUE ? (long) ((tsum2 - ((tsum * tsum) / total)) / total)
                : (long) ((tsum2 / total) - (double) (tmavg * tmavg));
        long tmdev = llsqrt(tmvar);
        return "rtt min/avg/max/mdev = " + ms(tmin) + "/" + ms(tmavg) + "/" + ms(tmax) + "/" + ms(tmdev) + " ms";
    }

    /** finish()'s return: 1 when no reply came, 0 otherwise (ping exits 2 on set-up errors, before this). */
    int exitStatus() {
        return received == 0 ? 1 : 0;
    }

    static long llsqrt(long a) {
        long prev = Long.MAX_VALUE, x = a;
        if (x > 0) {
            while (x < prev) {
                prev = x;
                x = (x + (a / x)) / 2;
            }
        }
        return x;
    }

    /** printf("%g") of the loss: 6 significant digits, trailing zeros dropped, as glibc prints 33.3333 or 100. */
    public static String percent(float loss) {
        if (loss == 0) return "0";
        BigDecimal d = new BigDecimal((double) loss).round(new MathContext(6, RoundingMode.HALF_EVEN));
        return d.stripTrailingZeros().toPlainString();
    }

    private static String ms(long us) {
        return us / 1000 + "." + pad3(us % 1000);
    }

    private static String pad2(long v) {
        return v < 10 ? "0" + v : Long.toString(v);
    }

    private static String pad3(long v) {
        return v < 10 ? "00" + v : v < 100 ? "0" + v : Long.toString(v);
    }
}
