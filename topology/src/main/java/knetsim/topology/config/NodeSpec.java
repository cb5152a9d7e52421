package knetsim.topology.config;

import java.util.List;

/**
 * A host or router. Interfaces are in file order (ifindex = position + 1); routes are the written ones, then the
 * gateway's default route; {@code computed} are routing = auto's, in their compact form, after them.
 */
public record NodeSpec(String name, boolean router, int cpus, boolean gratuitousArp, Costs costs,
                       List<InterfaceSpec> interfaces, List<RouteSpec> routes, List<NetfilterRuleSpec> netfilter,
                       Sysctl sysctl, ComputedRoutes computed) {

    /** With no computed routes. */
    public NodeSpec(String name, boolean router, int cpus, boolean gratuitousArp, Costs costs,
                    List<InterfaceSpec> interfaces, List<RouteSpec> routes, List<NetfilterRuleSpec> netfilter,
                    Sysctl sysctl) {
        this(name, router, cpus, gratuitousArp, costs, interfaces, routes, netfilter, sysctl, ComputedRoutes.NONE);
    }

    /** The node's net.ipv4 sysctls a file may set ({@code sysctl { tcp_ecn = 1 }}); null: Linux's default. */
    public record Sysctl(Integer tcpEcn, String tcpCongestionControl) {
        public static final Sysctl DEFAULT = new Sysctl(null, null);
    }

    public NodeSpec(String name, boolean router, int cpus, boolean gratuitousArp, Costs costs,
                    List<InterfaceSpec> interfaces, List<RouteSpec> routes, List<NetfilterRuleSpec> netfilter) {
        this(name, router, cpus, gratuitousArp, costs, interfaces, routes, netfilter, Sysctl.DEFAULT);
    }

    /** Per-packet CPU costs of the kernel paths, in virtual nanoseconds. */
    public record Costs(long xmitNs, long ipRcvNs, long udpRcvNs, long syscallNs) {
        public static final Costs DEFAULT = new Costs(1_000, 1_000, 1_000, 1_000);
    }

    public NodeSpec {
        interfaces = List.copyOf(interfaces);
        routes = List.copyOf(routes);
        netfilter = List.copyOf(netfilter);
        java.util.Objects.requireNonNull(computed, "computed");
    }

    /** Every route: the written and gateway ones, then the computed ones, one object each (tests, small networks). */
    public List<RouteSpec> allRoutes() {
        if (computed.runStart().length == 0) return routes;
        List<RouteSpec> all = new java.util.ArrayList<>(routes);
        all.addAll(computed.list());
        return all;
    }

    /** The interface called {@code name}, or null. */
    public InterfaceSpec iface(String name) {
        for (InterfaceSpec i : interfaces) {
            if (i.name().equals(name)) return i;
        }
        return null;
    }
}
