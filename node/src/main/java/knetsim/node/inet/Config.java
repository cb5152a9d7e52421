package knetsim.node.inet;

import java.util.List;
import knetsim.node.ipv4.ComputedFib;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Route;
import knetsim.node.netfilter.Rule;

/**
 * The configuration of a host's IPv4 stack: interfaces, routes written by hand, ip_forward, the filter table's
 * rules, arp_notify (a gratuitous ARP for each address when the interface comes up; Linux's default is off), and
 * routing = auto's routes for the main table in their compact form (null: none), added after {@code routes}.
 */
public record Config(List<Interface> interfaces, List<Route> routes, boolean forwarding, List<Rule> rules,
                     boolean arpNotify, ComputedFib.Runs computed) {
    public Config(List<Interface> interfaces, List<Route> routes, boolean forwarding, List<Rule> rules,
                  boolean arpNotify) {
        this(interfaces, routes, forwarding, rules, arpNotify, null);
    }

    public Config(List<Interface> interfaces, List<Route> routes, boolean forwarding, List<Rule> rules) {
        this(interfaces, routes, forwarding, rules, false);
    }

    public Config(List<Interface> interfaces, List<Route> routes, boolean forwarding) {
        this(interfaces, routes, forwarding, List.of(), false);
    }

    /** The interface with {@code ifindex}. */
    public Interface device(int ifindex) {
        if (ifindex == knetsim.node.dev.Loopback.IFINDEX) return knetsim.node.dev.Loopback.INTERFACE;
        // Called several times per packet. The builder numbers interfaces 1, 2, ... in order, so look there first.
        int guess = ifindex - 1;
        if (guess >= 0 && guess < interfaces.size() && interfaces.get(guess).ifindex() == ifindex) return interfaces.get(guess);
        for (Interface i : interfaces) if (i.ifindex() == ifindex) return i;
        throw new IllegalArgumentException("no interface " + ifindex);
    }

    /** Whether {@code address} is one of the interfaces' addresses (lo's 127.0.0.0/8 not included). */
    public boolean isLocal(Ipv4Address address) {
        for (Interface i : interfaces) if (i.address().equals(address)) return true;
        return false;
    }
}
