package knetsim.node.inet;

/** inet_protos[]: the transports by IP protocol number, for ip_local_deliver() and icmp_unreach(). */
public final class InetProtos {
    // up to the highest protocol registered (17 for UDP), not all 256 slots: one table per host
    private NetProtocol[] protocols = new NetProtocol[0];

    // inet_add_protocol()
    public void add(int protocol, NetProtocol handler) {
        if (protocol < 0 || protocol > 255) throw new IllegalArgumentException("protocol " + protocol + " is not 0..255");
        if (protocol >= protocols.length) protocols = java.util.Arrays.copyOf(protocols, protocol + 1);
        if (protocols[protocol] != null) throw new IllegalStateException("protocol " + protocol + " already registered");
        protocols[protocol] = handler;
    }

    /** The transport for {@code protocol} (0..255), or null. */
    public NetProtocol get(int protocol) {
        int p = protocol & 0xff;
        return p < protocols.length ? protocols[p] : null;
    }
}
