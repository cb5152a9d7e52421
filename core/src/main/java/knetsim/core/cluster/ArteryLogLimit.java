package knetsim.core.cluster;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Keeps junk sent to an Artery port from flooding the log: Artery warns once per frame it drops or
 * cannot decode, so a stream of junk became tens of thousands of lines. Per logger under
 * {@code akka.remote.artery} (set by {@link #setPrefix}), the first {@link #setBurst burst} WARN and
 * ERROR lines pass; after that one summary line, on {@link #SUMMARY_LOGGER}, at every power of ten
 * (10, 100, 1000 ...) with the count and the latest message. Counts, not time, so the same events
 * always give the same lines. Installed by logback.xml as a {@code <turboFilter>}.
 */
public final class ArteryLogLimit extends TurboFilter {
    /** The logger the summary lines are written to (outside the prefix, so never counted itself). */
    public static final String SUMMARY_LOGGER = "knetsim.ratelimit";

    private final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private String prefix = "akka.remote.artery";
    private int burst = 5;

    /** The logger-name prefix whose WARN and ERROR lines are limited. */
    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }

    /** How many lines per logger pass before only the summaries do. */
    public void setBurst(int burst) {
        this.burst = burst;
    }

    // net_ratelimit(): a burst passes, then the lines are counted and summarised instead of printed
    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // format is null when a caller only asks isWarnEnabled(): that is no line to count
        if (format == null || !level.isGreaterOrEqual(Level.WARN) || !logger.getName().startsWith(prefix)) {
            return FilterReply.NEUTRAL;
        }
        long n = counts.computeIfAbsent(logger.getName(), name -> new AtomicLong()).incrementAndGet();
        if (n <= burst) return FilterReply.NEUTRAL;
        if (isPowerOfTen(n)) {
            String latest = MessageFormatter.arrayFormat(format, params).getMessage();
            Logger summary = logger.getLoggerContext().getLogger(SUMMARY_LOGGER);
            String line = "{} has logged {} {} lines (the first {} are shown, then one line per power of ten);"
                    + " the latest: {}";
            Object[] args = {logger.getName(), n, level, burst, latest};
            if (level.isGreaterOrEqual(Level.ERROR)) summary.error(line, args);
            else summary.warn(line, args);
        }
        return FilterReply.DENY;
    }

    static boolean isPowerOfTen(long n) {
        while (n >= 10 && n % 10 == 0) n /= 10;
        return n == 1;
    }
}
