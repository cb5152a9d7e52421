package knetsim.node.app;

import knetsim.core.serial.CrossJvm;

/**
 * A UDP sink's view of one sender (one source address and port): datagrams and bytes read, loss
 * from the sequence numbers (iperf's way: the highest sequence seen + 1 minus those received),
 * one-way delays (kernel receive time minus the send time the sender wrote) as their distinct values in order
 * with how many datagrams had each, RFC 3550 jitter, and the bytes read per {@code bucketNs} of virtual time
 * from 0 (its goodput over time).
 */
public record UdpFlowReport(String process, String source, String destination, long packets, long bytes, long lost,
                            long outOfOrder, long[] delayValuesNs, long[] delayCounts, double jitterNs, long firstNs,
                            long lastNs, long bucketNs, long[] bucketBytes) implements CrossJvm {
    /** The nearest-rank percentile {@code p} of the one-way delays, in ns; NaN when none was measured. */
    public double delayPercentileNs(int p) {
        return DelaySamples.percentile(delayValuesNs, delayCounts, p);
    }

    /** The largest one-way delay, in ns; NaN when none was measured. */
    public double maxDelayNs() {
        return delayValuesNs.length == 0 ? Double.NaN : delayValuesNs[delayValuesNs.length - 1];
    }
}
