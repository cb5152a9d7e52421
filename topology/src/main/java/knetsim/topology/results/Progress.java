package knetsim.topology.results;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows how far a run has got in virtual time. Wall time is read here for display only; it never
 * reaches the model. On a terminal this is a progress bar; otherwise (logs, CI) it is a plain line
 * at most every {@link #PLAIN_INTERVAL_NS} of wall time, and one more at the end.
 */
public abstract class Progress implements AutoCloseable {
    static final long PLAIN_INTERVAL_NS = 2_000_000_000L;

    public static Progress start(long totalVirtualNs, boolean terminal, PrintStream out) {
        return terminal ? new Bar(totalVirtualNs, out, System::nanoTime) : plain(totalVirtualNs, out, System::nanoTime);
    }

    static Progress plain(long totalVirtualNs, PrintStream out, LongSupplier nanoTime) {
        return new Plain(totalVirtualNs, out, nanoTime);
    }

    final long totalVirtualNs;
    final LongSupplier nanoTime;
    final long startWallNs;
    long virtualNs;
    long events;
    private boolean finished;

    private Progress(long totalVirtualNs, LongSupplier nanoTime) {
        this.totalVirtualNs = totalVirtualNs;
        this.nanoTime = nanoTime;
        this.startWallNs = nanoTime.getAsLong();
    }

    /** Reports the virtual time reached and the events executed so far; cheap enough to call every window. */
    public final void update(long virtualNs, long events) {
        this.virtualNs = virtualNs;
        this.events = events;
        shown();
    }

    /** Shows the last state and releases the display; later calls do nothing. */
    public final void finish() {
        if (!finished) {
            finished = true;
            ended();
        }
    }

    @Override
    public final void close() {
        finish();
    }

    abstract void shown();

    abstract void ended();

    double wallSeconds() {
        return (nanoTime.getAsLong() - startWallNs) / 1e9;
    }

    String eventsPerSecond() {
        double wall = wallSeconds();
        return wall > 0 ? Format.si(events / wall) + "/s" : "-/s";
    }

    /** {@code progress 42% virtual 4.2s/10s events 1234567 (2.1M/s) wall 3.1s} */
    static final class Plain extends Progress {
        private final PrintStream out;
        private long lastLineNs;

        Plain(long totalVirtualNs, PrintStream out, LongSupplier nanoTime) {
            super(totalVirtualNs, nanoTime);
            this.out = out;
            this.lastLineNs = startWallNs;
        }

        @Override
        void shown() {
            long now = nanoTime.getAsLong();
            if (now - lastLineNs >= PLAIN_INTERVAL_NS) {
                lastLineNs = now;
                out.println(line());
            }
        }

        @Override
        void ended() {
            out.println(line());
            out.flush();
        }

        String line() {
            long percent = totalVirtualNs <= 0 ? 100 : Math.min(100, Math.max(0, virtualNs * 100 / totalVirtualNs));
            return String.format(Locale.ROOT, "progress %d%% virtual %s/%s events %d (%s) wall %s", percent,
                    Format.duration(virtualNs), Format.duration(totalVirtualNs), events, eventsPerSecond(),
                    Format.duration(wallSeconds() * 1e9));
        }
    }

    /** A me.tongfei progress bar over virtual milliseconds; it shows elapsed wall time itself. */
    static final class Bar extends Progress {
        private final ProgressBar bar;

        Bar(long totalVirtualNs, PrintStream out, LongSupplier nanoTime) {
            super(totalVirtualNs, nanoTime);
            this.bar = new ProgressBarBuilder().setTaskName("virtual time").setInitialMax(Math.max(1, totalVirtualNs / 1_000_000))
                    // the bar prints whole units: seconds would read "0/1s" for most of a short run
                    .setUnit(totalVirtualNs < 10_000_000_000L ? "ms" : "s", totalVirtualNs < 10_000_000_000L ? 1 : 1000)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(out)).hideEta().build();
        }

        @Override
        void shown() {
            bar.stepTo(Math.min(bar.getMax(), virtualNs / 1_000_000));
            bar.setExtraMessage(String.format(Locale.ROOT, "events %s (%s)", Format.si(events), eventsPerSecond()));
        }

        @Override
        void ended() {
            shown();
            bar.close();
        }
    }
}
