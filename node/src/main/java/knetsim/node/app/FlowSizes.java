package knetsim.node.app;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A flow-size distribution given as an empirical CDF: points (size in bytes, cumulative probability), sampled by
 * drawing u uniformly in [0, 1) and interpolating linearly between the two points around it, as the traffic
 * generators of the DCTCP, pFabric and HPCC studies do (empirical-traffic-gen, HPCC's custom_rand). Sizes are
 * at least 1 byte.
 */
public final class FlowSizes {
    /**
     * Web search (DCTCP, Alizadeh et al. 2010; the pFabric paper's "web search"): DCTCP_CDF of
     * datacenter/empirical-traffic-gen and HPCC's WebSearch_distribution.txt. Mean 1.71 MB.
     */
    public static final FlowSizes WEB_SEARCH = new FlowSizes("web-search",
            new long[] {0, 10_000, 20_000, 30_000, 50_000, 80_000, 200_000, 1_000_000, 2_000_000, 5_000_000,
                10_000_000, 30_000_000},
            new double[] {0, 0.15, 0.2, 0.3, 0.4, 0.53, 0.6, 0.7, 0.8, 0.9, 0.97, 1});

    /**
     * Data mining (VL2, Greenberg et al. 2009; the pFabric paper's "data mining"): VL2_CDF of
     * datacenter/empirical-traffic-gen. Half the flows are under 1.1 kB, 2% are 100 MB to 1 GB; mean 12.7 MB.
     */
    public static final FlowSizes DATA_MINING = new FlowSizes("data-mining",
            new long[] {0, 180, 216, 560, 900, 1_100, 1_870, 3_160, 10_000, 400_000, 3_160_000, 100_000_000,
                1_000_000_000},
            new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 1});

    /** The named distributions, by the name a topology file uses. */
    public static final List<FlowSizes> NAMED = List.of(WEB_SEARCH, DATA_MINING);

    private final String name;
    private final long[] sizes;
    private final double[] cdf;

    /** A file's problem: its 1-based line (0: the file as a whole) and what is wrong. */
    public record Problem(int line, String message) {}

    /** What {@link #parse} gives: the distribution, or the first problem. */
    public record Parsed(FlowSizes sizes, Problem problem) {}

    public FlowSizes(String name, long[] sizes, double[] cdf) {
        if (sizes.length != cdf.length || sizes.length < 2) throw new IllegalArgumentException("need 2 or more points");
        this.name = name;
        this.sizes = sizes.clone();
        this.cdf = cdf.clone();
    }

    public String name() {
        return name;
    }

    /** The same distribution: the same name and points (a file read twice gives equal ones). */
    @Override
    public boolean equals(Object o) {
        return o instanceof FlowSizes f && name.equals(f.name) && java.util.Arrays.equals(sizes, f.sizes)
                && java.util.Arrays.equals(cdf, f.cdf);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + java.util.Arrays.hashCode(sizes);
    }

    public static FlowSizes named(String name) {
        for (FlowSizes f : NAMED) if (f.name.equalsIgnoreCase(name)) return f;
        return null;
    }

    /**
     * Reads a CDF file: one point a line, "SIZE PROBABILITY" (bytes, then 0..1, or 0..100 when the last point is
     * 100 as in HPCC's files), separated by spaces, tabs or a comma; '#' starts a comment. Sizes and probabilities
     * must not decrease and the last probability must be 1 (or 100); a draw below the first point's probability
     * gives the first size.
     */
    public static Parsed parse(String name, String text) {
        List<long[]> lineAndSize = new ArrayList<>();
        List<Double> ps = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            line = line.trim();
            if (line.isEmpty()) continue;
            String[] parts = line.split("[\\s,]+");
            if (parts.length != 2) {
                return fail(i + 1, "expected \"SIZE PROBABILITY\" (bytes, then a cumulative probability), got \"" + line + "\"");
            }
            double size, p;
            try {
                size = Double.parseDouble(parts[0]);
                p = Double.parseDouble(parts[1]);
            } catch (NumberFormatException e) {
                return fail(i + 1, "expected two numbers, got \"" + line + "\"");
            }
            if (!(size >= 0) || size > 1e15 || size != Math.rint(size)) {
                return fail(i + 1, "the size must be a whole number of bytes >= 0, got " + parts[0]);
            }
            if (!(p >= 0) || p > 100) return fail(i + 1, "the probability must be 0..1 (or 0..100), got " + parts[1]);
            if (!ps.isEmpty()) {
                if (size < lineAndSize.get(lineAndSize.size() - 1)[1]) {
                    return fail(i + 1, "sizes must not decrease: " + parts[0] + " comes after "
                            + lineAndSize.get(lineAndSize.size() - 1)[1]);
                }
                if (p < ps.get(ps.size() - 1)) {
                    return fail(i + 1, "probabilities must not decrease: " + parts[1] + " comes after " + ps.get(ps.size() - 1));
                }
            }
            lineAndSize.add(new long[] {i + 1, (long) size});
            ps.add(p);
        }
        if (ps.size() < 2) return fail(0, "needs at least two points (SIZE PROBABILITY), found " + ps.size());
        double last = ps.get(ps.size() - 1);
        double scale = last == 100 ? 100 : 1;
        if (last != scale || (scale == 1 && last > 1)) {
            return fail((int) lineAndSize.get(ps.size() - 1)[0], "the last probability must be 1 (or 100), got " + last);
        }
        long[] s = new long[ps.size()];
        double[] c = new double[ps.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = lineAndSize.get(i)[1];
            c[i] = ps.get(i) / scale;
            if (c[i] > 1) return fail((int) lineAndSize.get(i)[0], "the probability must be 0..1 (or 0..100), got " + ps.get(i));
        }
        if (s[s.length - 1] < 1) return fail((int) lineAndSize.get(s.length - 1)[0], "the largest size must be at least 1 byte");
        return new Parsed(new FlowSizes(name, s, c), null);
    }

    private static Parsed fail(int line, String message) {
        return new Parsed(null, new Problem(line, message));
    }

    /** The size for a uniform draw u in [0, 1): linear interpolation between the CDF's points, at least 1 byte. */
    public long quantile(double u) {
        if (u < cdf[0]) return Math.max(1, sizes[0]);
        int i = Arrays.binarySearch(cdf, u);
        if (i >= 0) {
            while (i + 1 < cdf.length && cdf[i + 1] == u) i++; // the last point with this probability
            return Math.max(1, sizes[i]);
        }
        int hi = -i - 1;
        if (hi >= cdf.length) return Math.max(1, sizes[sizes.length - 1]);
        int lo = hi - 1;
        double x = sizes[lo] + (sizes[hi] - sizes[lo]) * (u - cdf[lo]) / (cdf[hi] - cdf[lo]);
        return Math.max(1, Math.round(x));
    }

    public long sample(SplittableRandom random) {
        return quantile(random.nextDouble());
    }

    /** The mean size in bytes of the interpolated distribution (each segment's midpoint times its probability). */
    public double mean() {
        double m = cdf[0] * Math.max(1, sizes[0]);
        for (int i = 1; i < sizes.length; i++) m += (cdf[i] - cdf[i - 1]) * (sizes[i] + sizes[i - 1]) / 2.0;
        return m;
    }
}
