package knetsim.topology.config;

/** An application on a host; {@code to} addresses are IPv4 bits, already resolved from host names. */
public sealed interface TrafficSpec {
    String on();

    long startNs();

    /**
     * ping: ICMP echo requests; count 0 means until the run ends; {@code pmtudisc} -M's IP_PMTUDISC_* mode or -1
     * (not set); {@code timeoutNs} -W, the wait for replies after the last request.
     */
    record Ping(String on, int to, int count, long intervalNs, int size, long startNs, int ttl,
                int pmtudisc, long timeoutNs) implements TrafficSpec {
    }

    /**
     * udp-cbr (evenly spaced) or udp-poisson (exponential gaps, {@code rateBps} the mean) datagrams; {@code count}
     * of them (0: until stop), in bursts of {@code burst} every {@code intervalNs} (0: what keeps the rate).
     */
    record UdpSend(String on, int to, int port, boolean poisson, long rateBps, int size, long startNs,
                   long stopNs, UdpSocket socket, long count, int burst, long intervalNs) implements TrafficSpec {
        public UdpSend(String on, int to, int port, boolean poisson, long rateBps, int size, long startNs, long stopNs) {
            this(on, to, port, poisson, rateBps, size, startNs, stopNs, UdpSocket.DEFAULT, 0, 1, 0);
        }
    }

    /**
     * A UDP sender's socket: bind to {@code bindAddress} (IPv4 bits) and {@code bindPort} when {@code bind}, connect
     * or sendto(); IP_TTL, IP_TOS, IP_MTU_DISCOVER when >= 0; IP_RECVERR.
     */
    record UdpSocket(boolean bind, int bindAddress, int bindPort, boolean connected, int ttl, int tos, int pmtudisc,
                     boolean recverr) {
        public static final UdpSocket DEFAULT = new UdpSocket(false, 0, 0, true, -1, -1, -1, false);
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

    /**
     * tcp-sink: a TCP server on {@code port}; with {@code requestSize} > 0 it answers each request (tcp-rr's server);
     * {@code cc} null: the host's default congestion control for its connections.
     */
    record TcpSink(String on, int port, int rcvbuf, int readSize, long readCostNs, int requestSize, int responseSize,
                   long startNs, String cc) implements TrafficSpec {
        TcpSink(String on, int port, int rcvbuf, int readSize, long readCostNs, int requestSize, int responseSize,
                long startNs) {
            this(on, port, rcvbuf, readSize, readCostNs, requestSize, responseSize, startNs, null);
        }
    }

    /**
     * script: system calls run in order ({@code steps} as written, each already parsed by validate); {@code where}
     * is each step's FILE:LINE; {@code strict}: the run fails (exit 1) at the first step with another result.
     * {@code where} says where the file wrote the steps, not what runs: it is left out of equals, so a topology
     * rebuilt from its resolved JSON (a member's, with no file lines) equals the launcher's.
     */
    record Script(String on, java.util.List<String> steps, java.util.List<String> where, boolean strict, long startNs)
            implements TrafficSpec {
        public Script {
            steps = java.util.List.copyOf(steps);
            where = java.util.List.copyOf(where);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Script s && on.equals(s.on) && steps.equals(s.steps) && strict == s.strict
                    && startNs == s.startNs;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(on, steps, strict, startNs);
        }
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
        // the receivers by content, so a topology rebuilt from its resolved config (a member's) equals the launcher's
        @Override
        public boolean equals(Object o) {
            return o instanceof TcpFlows f && on.equals(f.on) && java.util.Objects.equals(entry, f.entry)
                    && java.util.Arrays.equals(to, f.to) && port == f.port && sizes.equals(f.sizes)
                    && Double.compare(flowsPerSecond, f.flowsPerSecond) == 0 && startNs == f.startNs
                    && stopNs == f.stopNs && maxFlows == f.maxFlows && java.util.Objects.equals(cc, f.cc)
                    && nodelay == f.nodelay;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(on, entry, java.util.Arrays.hashCode(to), port, sizes, flowsPerSecond, startNs,
                    stopNs, maxFlows, cc, nodelay);
        }
    }
}
