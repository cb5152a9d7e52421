package knetsim.core.engine;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An opt-in profile of a partition's local windows, for measuring how much of a run can go in
 * parallel (issue 14; bench/window-profile.py reads it). Off unless the run's settings name a file,
 * {@code knetsim.window-profile = FILE} ({@code -Dknetsim.window-profile=FILE} on the JVM, which a
 * forked member receives too); then every group records, per window, the events it ran and
 * the CPU time of its loop (the dispatcher thread's own CPU time, so a thread preempted by another
 * on a busy core is not charged for the wait), and the scheduler records every {@code Advance} it
 * gives and which group's report let it go. Partition {@code p} writes
 * {@code FILE.p<p>} when its groups have finished.
 *
 * <p>Engine instrumentation only: the clocks read here never reach an LP, the digest or the
 * results, so a profiled run gives the same bytes as any other. Off, it costs one null test per
 * window and group.
 */
final class WindowProfile {
    /** The setting that names the file. */
    static final String SETTING = "knetsim.window-profile";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String file;
    private final Rows[] groups;                    // each group's runs: horizon, events, CPU ns
    private final Rows advances = new Rows(6);      // index, group, from, horizon, trigger, reports taken
    private final Rows reports = new Rows(1);       // the Advances in the order their reports came in
    private final Rows owns;                        // after each report: every group's earliest time to act

    private WindowProfile(String file, int groups) {
        this.file = file;
        this.groups = new Rows[groups];
        for (int g = 0; g < groups; g++) this.groups[g] = new Rows(3);
        this.owns = new Rows(Math.max(1, groups));
    }

    /** The profile of a partition of {@code groups} groups if the settings name a file, else null. */
    static WindowProfile fromSettings(com.typesafe.config.Config config, int groups) {
        String file = config.hasPath(SETTING) ? config.getString(SETTING) : null;
        return file == null || file.isBlank() ? null : new WindowProfile(file, groups);
    }

    /** Where group {@code g}'s actor records its runs. */
    Rows group(int g) {
        return groups[g];
    }

    /** The scheduler gave Advance {@code index}. */
    void advanced(long index, int group, long from, long horizon, long trigger) {
        advances.add(index, group, from, horizon, trigger, reports.rows());
    }

    /** The report of Advance {@code index} came in; {@code own}: every group's earliest time to act after it. */
    void reported(long index, long[] own) {
        reports.add(index);
        owns.add(own);
    }

    /** CPU time of the calling thread in ns (its wall time where the JVM cannot tell CPU time). */
    static long cpuNow() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** A growable table of rows of {@code width} longs, written by one actor and read after it finished. */
    static final class Rows {
        private final int width;
        private long[] data;
        private int rows;

        Rows(int width) {
            this.width = width;
            this.data = new long[width * 1024];
        }

        void add(long... values) {
            if ((rows + 1) * width > data.length) data = Arrays.copyOf(data, data.length * 2);
            System.arraycopy(values, 0, data, rows * width, width);
            rows++;
        }

        int rows() {
            return rows;
        }

        long get(int row, int column) {
            return data[row * width + column];
        }
    }

    /**
     * Writes one partition's profile: a header, a line per Advance in the order they were given
     * ({@code A index group from horizon trigger seen}: the group runs its events from {@code from} to before
     * {@code horizon}; {@code trigger} is the Advance whose report let it go, -1 at a round's start;
     * {@code seen} the reports the scheduler had taken by then), the graph between groups ({@code E from to
     * delay}), a line per report in the order they came ({@code R index} and every group's earliest time to act
     * after it, -1 for never), and a line per group and Advance ({@code G group horizon events cpuNs}), each
     * group's in order.
     */
    void write(int partition, int threads, long localLookahead, int[] groupLps, GroupClocks clocks) {
        Path path = Path.of(file + ".p" + partition);
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8))) {
            out.println("# knetsim window profile: partition " + partition);
            out.println("threads " + threads);
            out.println("lookahead " + localLookahead);
            for (int g = 0; g < groupLps.length; g++) out.println("group " + g + " lps " + groupLps[g]);
            for (int r = 0; r < advances.rows(); r++) {
                out.println("A " + advances.get(r, 0) + " " + advances.get(r, 1) + " " + advances.get(r, 2) + " "
                        + advances.get(r, 3) + " " + advances.get(r, 4) + " " + advances.get(r, 5));
            }
            clocks.writeEdges(out);
            for (int r = 0; r < reports.rows(); r++) {
                StringBuilder line = new StringBuilder("R ").append(reports.get(r, 0));
                for (int g = 0; g < groups.length; g++) {
                    long t = owns.get(r, g);
                    line.append(' ').append(t == knetsim.core.time.SimTime.NEVER ? -1 : t);
                }
                out.println(line);
            }
            for (int g = 0; g < groups.length; g++) {
                Rows rows = groups[g];
                for (int r = 0; r < rows.rows(); r++) {
                    out.println("G " + g + " " + rows.get(r, 0) + " " + rows.get(r, 1) + " " + rows.get(r, 2));
                }
            }
        } catch (IOException e) {
            // a profile that cannot be written must not fail the run it measured
            System.err.println("knetsim: could not write the window profile " + path + ": " + e.getMessage());
        }
    }
}
