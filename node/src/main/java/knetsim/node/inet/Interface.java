package knetsim.node.inet;

import knetsim.link.ethernet.MacAddress;
import knetsim.node.ipv4.Ipv4Address;

/**
 * An interface (struct in_device with its one address): its address and prefix make the connected and local routes.
 * {@code fqPacing}: its qdisc is fq with pacing on (rate_enable), which paces the sockets sending through it.
 */
public record Interface(int ifindex, String name, MacAddress mac, Ipv4Address address, int prefixLength, int mtu,
                        boolean fqPacing) {
    public Interface(int ifindex, String name, MacAddress mac, Ipv4Address address, int prefixLength, int mtu) {
        this(ifindex, name, mac, address, prefixLength, mtu, false);
    }
}
