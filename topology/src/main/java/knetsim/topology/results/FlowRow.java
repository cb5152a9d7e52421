package knetsim.topology.results;

import java.util.Objects;

/**
 * What one flow achieved. {@code packetsLost} were dropped somewhere (attributed in flow_drops.csv);
 * {@code inFlightAtEnd} were sent but neither delivered nor dropped when the run stopped. Delays are
 * in nanoseconds of virtual time; {@code delayKind} says whether they are round-trip times ("rtt") or
 * one-way delays ("one-way"). Statistics that could not be measured are {@code NaN}. {@code tcp}: the TCP
 * columns of a TCP flow, null for others.
 */
public record FlowRow(String flow, String protocol, String source, String destination,
                      long packetsSent, long bytesSent, long packetsReceived, long bytesReceived,
                      long packetsLost, long inFlightAtEnd,
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

    /** A flow without protocol-specific columns. */
    public FlowRow(String flow, String protocol, String source, String destination,
                   long packetsSent, long bytesSent, long packetsReceived, long bytesReceived,
                   long packetsLost, long inFlightAtEnd, double goodputBps, double lossRatio, String delayKind,
                   double delayP50Ns, double delayP90Ns, double delayP99Ns, double delayMaxNs, double jitterNs) {
        this(flow, protocol, source, destination, packetsSent, bytesSent, packetsReceived, bytesReceived, packetsLost,
                inFlightAtEnd, goodputBps, lossRatio, delayKind, delayP50Ns, delayP90Ns, delayP99Ns, delayMaxNs,
                jitterNs, null);
    }

}
