package knetsim.topology.results;

import java.util.Objects;

/**
 * What one flow achieved. Delays are in nanoseconds of virtual time; {@code delayKind} says whether
 * they are round-trip times ("rtt") or one-way delays ("one-way"). Statistics that could not be
 * measured (no packet arrived, or jitter for a protocol without it) are {@code NaN}.
 */
public record FlowRow(String flow, String protocol, String source, String destination,
                      long packetsSent, long bytesSent, long packetsReceived, long bytesReceived,
                      double goodputBps, double lossRatio, String delayKind,
                      double delayP50Ns, double delayP90Ns, double delayP99Ns, double delayMaxNs, double jitterNs) {
    public static final String RTT = "rtt";
    public static final String ONE_WAY = "one-way";

    public FlowRow {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(delayKind, "delayKind");
    }
}
