package knetsim.node.tcp;

/**
 * knetsim's per-flow statistics behind TcpInfo's extra fields (not kernel state): the sender's RTT samples
 * in a log-linear histogram (32 buckets per power of two: percentiles within about 3%) and cwnd seen at
 * every ACK (minimum, maximum, mean over ACKs).
 */
final class TcpFlowStats {
    private static final int SUB = 32;
    private final long[] counts = new long[64 + 58 * SUB];
    private long samples;
    private int minCwnd = Integer.MAX_VALUE, maxCwnd;
    private double cwndSum;
    private long cwndCount;

    // the bucket of v: exact below 64, then 32 buckets per power of two
    private static int index(long v) {
        if (v < 64) return (int) v;
        int shift = 63 - Long.numberOfLeadingZeros(v) - 5;
        return 64 + (shift - 1) * SUB + (int) ((v >> shift) - SUB);
    }

    private static long value(int i) {
        if (i < 64) return i;
        int shift = (i - 64) / SUB + 1;
        long m = (i - 64) % SUB + SUB;
        return (m << shift) + (1L << shift) / 2;
    }

    void rtt(long us) {
        if (us < 0) return;
        samples++;
        counts[index(us)]++;
    }

    void cwnd(int cwnd) {
        minCwnd = Math.min(minCwnd, cwnd);
        maxCwnd = Math.max(maxCwnd, cwnd);
        cwndSum += cwnd;
        cwndCount++;
    }

    long samples() {
        return samples;
    }

    /** The q-quantile (0 < q <= 1) of the RTT samples in microseconds, -1 without samples. */
    long rttPercentile(double q) {
        if (samples == 0) return -1;
        long rank = Math.max(1, (long) Math.ceil(q * samples)), seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) return value(i);
        }
        return value(counts.length - 1);
    }

    int minCwnd() {
        return cwndCount == 0 ? 0 : minCwnd;
    }

    int maxCwnd() {
        return maxCwnd;
    }

    double meanCwnd() {
        return cwndCount == 0 ? Double.NaN : cwndSum / cwndCount;
    }
}
