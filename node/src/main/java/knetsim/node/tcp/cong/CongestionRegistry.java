package knetsim.node.tcp.cong;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * tcp_cong.c's list of algorithms: by name, as net.ipv4.tcp_congestion_control and TCP_CONGESTION
 * name them. Each socket gets its own instance.
 */
public final class CongestionRegistry {
    /** net.ipv4.tcp_congestion_control's default. */
    public static final String DEFAULT = "cubic";

    private static final Map<String, Supplier<TcpCongestionOps>> ALGORITHMS = new TreeMap<>();

    static {
        ALGORITHMS.put("bbr", Bbr::new);
        ALGORITHMS.put("cubic", Cubic::new);
        ALGORITHMS.put("dctcp", Dctcp::new);
        ALGORITHMS.put("reno", Reno::new);
    }

    private CongestionRegistry() {}

    /** tcp_ca_find(): a new instance of {@code name}; IllegalArgumentException naming the available ones. */
    public static TcpCongestionOps create(String name) {
        Supplier<TcpCongestionOps> s = ALGORITHMS.get(name);
        if (s == null) throw new IllegalArgumentException("unknown congestion control '" + name + "', available: " + names());
        return s.get();
    }

    public static boolean available(String name) {
        return ALGORITHMS.containsKey(name);
    }

    /** net.ipv4.tcp_available_congestion_control. */
    public static List<String> names() {
        return List.copyOf(ALGORITHMS.keySet());
    }
}
