package knetsim.topology.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The keys each level of a topology file may hold, and the "did you mean" for the ones it may not. */
final class Schema {
    private Schema() {
    }

    /** {@code vars} is free-form: values for ${vars.x} substitutions, ignored once they are resolved. */
    static final Set<String> ROOT = Set.of("seed", "duration", "routing", "hosts", "routers", "switches", "links",
            "traffic", "capture", "capture-snaplen", "record", "placement", "generate", "vars", "syscalls");
    static final Set<String> NODE = Set.of("cpus", "gratuitous-arp", "costs", "interfaces", "routes", "netfilter",
            "sysctl");
    /** The net.ipv4 sysctls a node may set, by their names without the prefix. */
    static final Set<String> SYSCTL = Set.of("tcp_ecn", "tcp_congestion_control");
    static final Set<String> COSTS = Set.of("xmit", "ip-rcv", "udp-rcv", "syscall");
    static final Set<String> INTERFACE = Set.of("ip", "gateway", "mtu", "mac", "rx-queues", "tx-queues", "rx-ring",
            "tx-ring", "txqueuelen", "rx-usecs", "rx-frames");
    static final Set<String> ROUTE = Set.of("to", "via", "metric");
    static final Set<String> NETFILTER = Set.of("hook", "target", "protocol", "source", "destination", "source-port",
            "destination-port", "in", "out");
    static final Set<String> SWITCH = Set.of("ageing", "queue");
    static final Set<String> LINK = Set.of("a", "b", "rate", "delay", "jitter", "corruption", "loss", "qdisc",
            "bql");
    static final Set<String> LOSS = Set.of("model", "p", "r", "h", "k");
    static final Set<String> QDISC = Set.of("kind", "limit", "rate", "burst", "latency", "target", "interval", "ecn",
            "ce_threshold", "flows", "quantum", "memory_limit", "drop_batch", "min", "max", "avpkt", "probability",
            "bandwidth", "harddrop", "flow_limit", "initial_quantum", "maxrate", "horizon");
    static final Set<String> RECORD = Set.of("interval", "series");
    /** The per-socket metrics of a TCP flow's series "node:tcp:flow:metric" (from the client's TCP_INFO). */
    public static final List<String> TCP_METRICS = List.of("cwnd", "ssthresh", "srtt_us", "delivery_rate_bps",
            "pacing_rate_bps", "bbr_bw_bps", "bbr_min_rtt_us", "bbr_pacing_gain", "bbr_cwnd_gain");

    /** Keys of each traffic app; every app also takes app, on and start. */
    static final Set<String> UDP_SENDER = Set.of("app", "on", "start", "to", "rate", "size", "stop", "bind", "connected",
            "ttl", "tos", "pmtudisc", "recverr", "count", "burst", "interval");
    static final Map<String, Set<String>> APPS = Map.of(
            "ping", Set.of("app", "on", "start", "to", "count", "interval", "size", "ttl", "dont-fragment",
                    "pmtudisc", "timeout"),
            "udp-cbr", UDP_SENDER,
            "udp-poisson", UDP_SENDER,
            "udp-sink", Set.of("app", "on", "start", "port", "rcvbuf", "read-cost"),
            "udp-echo", Set.of("app", "on", "start", "port"),
            "tcp-bulk", Set.of("app", "on", "start", "name", "to", "bytes", "duration", "cc", "nodelay", "write-size",
                    "sndbuf"),
            "tcp-sink", Set.of("app", "on", "start", "port", "rcvbuf", "read-size", "read-cost", "request-size",
                    "response-size", "cc"),
            "tcp-rr", Set.of("app", "on", "start", "name", "to", "request-size", "response-size", "count", "stop",
                    "short-flows", "cc", "nodelay"),
            "script", Set.of("app", "on", "start", "steps", "strict"),
            "tcp-flows", Set.of("app", "name", "from", "to", "pattern", "port", "sizes", "sizes-file", "load", "link-rate",
                    "rate", "start", "stop", "count", "cc", "nodelay"));

    /** Keys of each generator kind. */
    static final Map<String, Set<String>> GENERATORS = Map.of(
            "dumbbell", Set.of("kind", "pairs", "access", "bottleneck", "traffic", "sysctl"),
            "line", Set.of("kind", "nodes", "link", "sysctl"),
            "star", Set.of("kind", "leaves", "link", "sysctl"),
            "tree", Set.of("kind", "depth", "fan-out", "link", "sysctl"),
            "fat-tree", Set.of("kind", "k", "link", "sysctl"),
            "two-tier", Set.of("kind", "edges", "hosts-per-edge", "core", "access", "traffic", "sysctl"));
    static final Set<String> GENERATED_LINK = Set.of("rate", "delay", "jitter", "qdisc", "loss", "bql");
    static final Set<String> GENERATED_TRAFFIC = Set.of("app", "rate", "size", "start", "stop", "port", "bytes", "duration",
            "cc", "nodelay", "write-size", "sndbuf");
    static final Set<String> TWO_TIER_TRAFFIC = Set.of("app", "rate", "size", "start", "stop", "port", "peer-offset");

    static String unknownKey(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : new TreeSet<>(known)) {
            int d = distance(key, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        String message = "unknown key";
        if (best != null && bestDistance <= Math.max(2, key.length() / 3)) {
            return message + ", did you mean \"" + best + "\"?";
        }
        return message + ", expected one of " + String.join(", ", new TreeSet<>(known));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
