package knetsim.node.inet;

/** inet_protos[]: the transports by IP protocol number, for ip_local_deliver() and icmp_unreach(). */
public final class InetProtos {
    private final NetProtocol[] protocols = new NetProtocol[256];

    // inet_add_protocol()
    public void add(int protocol, NetProtocol handler) {
        if (protocols[protocol] != null) throw new IllegalStateException("protocol " + protocol + " already registered");
        protocols[protocol] = handler;
    }

    /** The transport for {@code protocol} (0..255), or null. */
    public NetProtocol get(int protocol) {
        return protocols[protocol & 0xff];
    }
}
