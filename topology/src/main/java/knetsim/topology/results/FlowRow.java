package knetsim.topology.results;

import java.util.Objects;

/**
 * What one flow achieved. Delays are in nanoseconds of virtual time; {@code delayKind} says whether
 * they are round-trip times ("rtt") or one-way delays ("one-way"). Statistics that could not be
 * measured (no packet arrived, or jitter for a protocol without it) are {@code NaN}. {@code tcp}: the TCP
 * columns of a TCP flow, null for others.
 */
public record FlowRow(String flow, String protocol, String source, String destination,
                      long packetsSent, long bytesSent, long packetsReceived, long bytesReceived,
                      double goodputBps, double lossRatio, String delayKind,
                      double delayP50Ns, double delayP90Ns, double delayP99Ns, double delayMaxNs, double jitterNs,
                      TcpColumns tcp) {
    public static final String RTT = "rtt";
    public static final String ONE_WAY = "one-way";

    public FlowRow {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(delayKind, "delayKind");
    }

    /** A flow of a protocol other than TCP. */
    public FlowRow(String flow, String protocol, String source, String destination, long packetsSent, long bytesSent,
                   long packetsReceived, long bytesReceived, double goodputBps, double lossRatio, String delayKind,
                   double delayP50Ns, double delayP90Ns, double delayP99Ns, double delayMaxNs, double jitterNs) {
        this(flow, protocol, source, destination, packetsSent, bytesSent, packetsReceived, bytesReceived, goodputBps,
                lossRatio, delayKind, delayP50Ns, delayP90Ns, delayP99Ns, delayMaxNs, jitterNs, null);
    }
}
