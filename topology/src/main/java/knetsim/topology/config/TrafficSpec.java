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
}
