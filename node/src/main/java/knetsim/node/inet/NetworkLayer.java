package knetsim.node.inet;

import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;

/** What a transport protocol needs from IP: sending, routes, and ICMP errors about what it received. */
public interface NetworkLayer {
    /**
     * ip_queue_xmit() with the sender's IP_MTU_DISCOVER mode (see IpOutput#ipOutput): 0 or the errno. For a
     * transport that keeps its own socket memory (TCP): the skbs only carry {@code owner}, the socket's number,
     * so that their transmit completion reaches it (-1: none); nothing is checked or charged here.
     * {@code source} is the bound saddr (inet_saddr, or the address an ICMP reply answers for); null or 0.0.0.0
     * takes the output interface's address, as the route lookup's fl4_src does.
     */
    int output(Ipv4Address source, Ipv4Address destination, int protocol, Transport payload, int ttl, int tos,
               int pmtudisc, int owner, long now);

    /**
     * The same for a datagram transport: {@code owner} is the sending socket's side of the skb
     * (sock_alloc_send_pskb, skb_set_owner_w, ip_local_error), called where Linux does; null for none. May
     * return {@link Inet#WOULD_BLOCK} when the owner refused the skb. A network layer that models no socket
     * memory (a test harness) just tags the skbs.
     */
    default int output(Ipv4Address source, Ipv4Address destination, int protocol, Transport payload, int ttl, int tos,
                       int pmtudisc, SkbOwner owner, long now) {
        return output(source, destination, protocol, payload, ttl, tos, pmtudisc, owner == null ? -1 : owner.id(), now);
    }

    /** dst_mtu() of the route to {@code destination}, with a path MTU learnt for it; 0 when there is no route. */
    default int dstMtu(Ipv4Address destination, long now) {
        return 0;
    }

    /** ip_route_connect() of a connect(): the source address a datagram to {@code destination} would get, or null (no route: IpOutNoRoutes counted). */
    Ipv4Address sourceFor(Ipv4Address destination);

    /** Is {@code address} one of this host's own (RTN_LOCAL)? */
    boolean isLocal(Ipv4Address address);

    /** inet_addr_valid_or_nonlocal() with ip_nonlocal_bind 0: may a socket bind to {@code address}? */
    boolean bindable(Ipv4Address address);

    /** ipv4_sk_update_pmtu(): "fragmentation needed" said the path to {@code destination} takes only {@code mtu}. */
    void updatePmtu(Ipv4Address destination, int mtu, long now);

    /** icmp_send(ICMP_DEST_UNREACH, code) about {@code offending}. */
    void unreachable(int code, Ipv4Packet offending, long now);

    /** kfree_skb_reason(): a received packet is dropped (counted for the flow it belongs to). */
    default void dropped(knetsim.node.skb.SkbDropReason reason, Ipv4Packet packet) {}
}
