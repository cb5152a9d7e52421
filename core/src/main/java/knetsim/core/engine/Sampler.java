package knetsim.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The counters an LP samples for {@link LogicalProcess#recordSeries}: one time and value per probe
 * at each tick, handed back as {@link SeriesChunk} reports. Kept apart from the LP so that the LP
 * object, which the engine touches at every event, stays small: few LPs record a series.
 */
final class Sampler {
    private final long interval;
    private final List<String[]> probes; // {series, counter}
    private final long[][] times;
    private final double[][] values;
    private int samples;

    Sampler(long intervalNs, List<String[]> seriesAndCounters) {
        if (intervalNs <= 0) throw new IllegalArgumentException("sampling interval must be > 0");
        interval = intervalNs;
        probes = List.copyOf(seriesAndCounters);
        times = new long[probes.size()][16];
        values = new double[probes.size()][16];
    }

    long interval() {
        return interval;
    }

    boolean hasProbes() {
        return !probes.isEmpty();
    }

    /** Samples every probe's counter of {@code lp} at {@code now}. */
    void take(LogicalProcess lp, long now) {
        for (int p = 0; p < probes.size(); p++) {
            if (samples == times[p].length) {
                times[p] = Arrays.copyOf(times[p], samples * 2);
                values[p] = Arrays.copyOf(values[p], samples * 2);
            }
            times[p][samples] = now;
            values[p][samples] = lp.sample(probes.get(p)[1]);
        }
        samples++;
    }

    /** The samples so far, per probe in chunks of at most {@link SeriesChunk#MAX_POINTS}. */
    List<SeriesChunk> chunks() {
        List<SeriesChunk> all = new ArrayList<>();
        for (int p = 0; p < probes.size(); p++) {
            for (int from = 0; from < samples; from += SeriesChunk.MAX_POINTS) {
                int to = Math.min(samples, from + SeriesChunk.MAX_POINTS);
                all.add(new SeriesChunk(probes.get(p)[0], Arrays.copyOfRange(times[p], from, to),
                        Arrays.copyOfRange(values[p], from, to)));
            }
        }
        return all;
    }
}
