package knetsim.node.app;

import knetsim.core.serial.CrossJvm;

/**
 * What one tcp-flows sender did, a row per connection it opened (arrays, so 10,000 flows stay compact): where it
 * went ({@code destinations[i]} "a.b.c.d:port" and the local {@code sourcePorts[i]}), its size in bytes, when
 * socket() was called ({@code startNs}, the arrival), when it completed ({@code endNs}: the server's FIN came back
 * after it read every byte; -1 when the run ended first), what the client's final TCP_INFO said (retransmitted
 * segments, segments sent and received), and {@code errors[i]}: the errno name that ended it early, or "".
 */
public record TcpFlowsReport(String process, String flow, String source, String cc, int port, String[] destinations,
                             int[] sourcePorts, long[] sizes, long[] bytesWritten, long[] startNs, long[] endNs,
                             long[] retransSegs, long[] segsOut, long[] segsIn, String[] errors) implements CrossJvm {
    public int size() {
        return sizes.length;
    }
}
