package knetsim.topology.config;

import knetsim.node.ipv4.Ipv4Address;

/** A NIC with its address; {@code address} is IPv4 bits (first octet most significant), {@code mac} 48 bits. */
public record InterfaceSpec(String name, int ifindex, int address, int prefixLength, long mac, int mtu,
                            int rxQueues, int txQueues, int rxRing, int txRing, int txqueuelen, int rxUsecs,
                            int rxFrames) {

    public InterfaceSpec withMac(long newMac) {
        return new InterfaceSpec(name, ifindex, address, prefixLength, newMac, mtu, rxQueues, txQueues, rxRing, txRing,
                txqueuelen, rxUsecs, rxFrames);
    }

    public int mask() {
        return Ipv4s.mask(prefixLength);
    }

    public int network() {
        return address & mask();
    }

    public boolean onSubnet(int other) {
        return (other & mask()) == network();
    }

    @Override
    public String toString() {
        return name + " " + Ipv4Address.of(address) + "/" + prefixLength;
    }
}
