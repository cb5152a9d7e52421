package knetsim.topology.config;

/** An application on a host; {@code to} addresses are IPv4 bits, already resolved from host names. */
public sealed interface TrafficSpec {
    String on();

    long startNs();

    /** ping: ICMP echo requests; count 0 means until the run ends. */
    record Ping(String on, int to, int count, long intervalNs, int size, long startNs, int ttl,
                boolean dontFragment) implements TrafficSpec {
    }

    /** udp-cbr (evenly spaced) or udp-poisson (exponential gaps, {@code rateBps} the mean) datagrams. */
    record UdpSend(String on, int to, int port, boolean poisson, long rateBps, int size, long startNs,
                   long stopNs) implements TrafficSpec {
    }

    /** udp-sink: a socket bound to {@code port} that reads every datagram, paying {@code readCostNs} each. */
    record UdpSink(String on, int port, int rcvbuf, long readCostNs, long startNs) implements TrafficSpec {
    }

    /** udp-echo: sends every datagram back to where it came from. */
    record UdpEcho(String on, int port, long startNs) implements TrafficSpec {
    }

    /**
     * tcp-bulk: an iperf3-like client writing {@code bytes} (or for {@code durationNs}, the other 0) in
     * {@code writeSize} buffers; {@code cc} null: the host's default; {@code sndbuf} 0: autotuned.
     */
    record TcpBulk(String on, String name, int to, int port, long bytes, long durationNs, String cc, boolean nodelay,
                   int writeSize, int sndbuf, long startNs) implements TrafficSpec {
    }

    /** tcp-sink: a TCP server on {@code port}; with {@code requestSize} > 0 it answers each request (tcp-rr's server). */
    record TcpSink(String on, int port, int rcvbuf, int readSize, long readCostNs, int requestSize, int responseSize,
                   long startNs) implements TrafficSpec {
    }

    /** tcp-rr: netperf TCP_RR-like transactions; {@code shortFlows}: a connection per request (TCP_CRR). */
    record TcpRr(String on, String name, int to, int port, int requestSize, int responseSize, int count, long stopNs,
                 boolean shortFlows, String cc, boolean nodelay, long startNs) implements TrafficSpec {
    }

    /**
     * tcp-flows, one sender: connections arriving as a Poisson process of {@code flowsPerSecond} from {@code on},
     * each to one of {@code to} (IPv4 bits) drawn uniformly, with a size from {@code sizes}; {@code maxFlows} 0: no
     * limit; arrivals stop at {@code stopNs}. {@code entry}: the tcp-flows entry's name (its flows' name prefix).
     */
    record TcpFlows(String on, String entry, int[] to, int port, knetsim.node.app.FlowSizes sizes, double flowsPerSecond,
                    long startNs, long stopNs, int maxFlows, String cc, boolean nodelay) implements TrafficSpec {
    }
}
