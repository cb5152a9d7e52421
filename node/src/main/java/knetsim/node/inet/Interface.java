package knetsim.node.inet;

import knetsim.link.ethernet.MacAddress;
import knetsim.node.ipv4.Ipv4Address;

/** An interface (struct in_device with its one address): its address and prefix make the connected and local routes. */
public record Interface(int ifindex, String name, MacAddress mac, Ipv4Address address, int prefixLength, int mtu) {}
