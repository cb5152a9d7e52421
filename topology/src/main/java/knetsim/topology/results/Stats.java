package knetsim.topology.results;

/** Mean, sample standard deviation and the 95% confidence interval of a mean, for sweep-summary.csv. */
final class Stats {
    // t quantiles t(0.975, df) for df = 1..30 (beyond: 1.96)
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    private Stats() {}

    /** {mean, sd, ci95 low, ci95 high}; NaN where a statistic needs more values (sd and CI: two). */
    static double[] of(double[] x) {
        int n = x.length;
        if (n == 0) return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        double mean = 0;
        for (double v : x) mean += v;
        mean /= n;
        if (n == 1) return new double[] {mean, Double.NaN, Double.NaN, Double.NaN};
        double ss = 0;
        for (double v : x) ss += (v - mean) * (v - mean);
        double sd = Math.sqrt(ss / (n - 1));
        double half = t975(n - 1) * sd / Math.sqrt(n);
        return new double[] {mean, sd, mean - half, mean + half};
    }

    static double t975(int df) {
        return df <= T975.length ? T975[df - 1] : 1.96;
    }
}
