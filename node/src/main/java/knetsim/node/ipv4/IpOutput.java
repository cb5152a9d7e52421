package knetsim.node.ipv4;

import java.util.Optional;
import knetsim.core.engine.Counters;
import knetsim.node.dev.Loopback;
import knetsim.node.inet.Inet;
import knetsim.node.inet.InetAddrList;
import knetsim.node.inet.Interface;
import knetsim.node.inet.MibCounter;
import knetsim.node.inet.SkbOwner;
import knetsim.node.inet.Transport;
import knetsim.node.neigh.ArpLayer;
import knetsim.node.netfilter.Rule;
import knetsim.node.skb.SkbDropReason;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Sock;

/**
 * The output side of net/ipv4/ip_output.c: ip_queue_xmit() for the local transports, with the path
 * MTU exceptions it honours and learns ({@link PmtuCache}), fragmentation above the MTU, and
 * ip_finish_output2()'s hand-off to the neighbour subsystem. A plain object driven by the {@code InetStack}.
 */
public final class IpOutput {
    /** NF_HOOK(): the filter table's verdict on a packet; false when it is dropped. */
    public interface NfHook {
        boolean hook(Rule.Hook hook, Ipv4Packet packet, String in, String out, long now);
    }

    /** dev_queue_xmit() on lo (loopback_xmit()): a packet routed to one of the host's own addresses. */
    public interface LoopbackXmit {
        void xmit(OutPacket packet, long now);
    }

    private final InetAddrList addrs;
    private final RoutingTable routes;
    private final Fragmenter fragmenter;
    private final PmtuCache pmtu = new PmtuCache();
    private final MibCounter outNoRoutes, outRequests, outDiscards, outTransmits, outOctets;
    private final MibCounter.Drops drops;
    private final NfHook nf;
    private final ArpLayer neigh;
    private final IpIdents idents;
    private final LoopbackXmit loopback;

    public IpOutput(InetAddrList addrs, RoutingTable routes, Fragmenter fragmenter, Counters counters,
                    NfHook nf, ArpLayer neigh, IpIdents idents, LoopbackXmit loopback) {
        this.addrs = addrs;
        this.idents = idents;
        this.routes = routes;
        this.fragmenter = fragmenter;
        this.outNoRoutes = new MibCounter(counters, "IpOutNoRoutes");
        this.outRequests = new MibCounter(counters, "IpOutRequests");
        this.outDiscards = new MibCounter(counters, "IpOutDiscards");
        this.outTransmits = new MibCounter(counters, "IpOutTransmits");
        this.outOctets = new MibCounter(counters, "IpExtOutOctets");
        this.drops = new MibCounter.Drops(counters);
        this.nf = nf;
        this.neigh = neigh;
        this.loopback = loopback;
    }

    // ip_route_output_key_hash_rcu(): a unicast route, or a local one, whose packets leave by lo (dev_out =
    // net->loopback_dev); anything else (no route, broadcast, a reject type) is ENETUNREACH here.
    private static boolean routable(Optional<RoutingTable.Result> route) {
        return route.isPresent()
                && (route.get().route().type() == Route.Type.UNICAST || route.get().route().type() == Route.Type.LOCAL);
    }

    // ip_queue_xmit()/ip_output() -> ip_finish_output(): route, header, fragment above the MTU.
    // __ip_make_skb(): IP_PMTUDISC_DO always sets DF (and __ip_append_data() refuses what does not
    // fit with EMSGSIZE); IP_PMTUDISC_WANT sets it when the datagram fits (ip_dont_fragment());
    // IP_PMTUDISC_DONT never does (ICMP replies and errors: the ICMP socket's mode).
    public int ipOutput(Ipv4Address source, Ipv4Address destination, int protocol, Transport payload, int ttl,
                        int tos, int pmtudisc, SkbOwner owner, long now) {
        Optional<RoutingTable.Result> route = routes.lookup(destination);
        if (!routable(route)) {
            outNoRoutes.increment();
            drops.drop(SkbDropReason.IP_OUTNOROUTES);
            return Inet.ENETUNREACH;
        }
        boolean local = route.get().route().type() == Route.Type.LOCAL;
        Interface out = local ? Loopback.INTERFACE : addrs.device(route.get().ifindex());
        PmtuCache.PmtuException learned = local ? null : pmtu.pmtuException(destination, now);
        // dst_mtu(): ipv4_mtu() prefers a live rt_pmtu; IP_PMTUDISC_PROBE ignores it (ip_sk_use_pmtu())
        int mtu = learned != null && pmtudisc != Sock.PMTUDISC_PROBE ? learned.mtu() : out.mtu();
        boolean fits = Ipv4Packet.HEADER_LEN + payload.length() <= mtu;
        if (!fits && (pmtudisc == Sock.PMTUDISC_DO || pmtudisc == Sock.PMTUDISC_PROBE)) {
            // __ip_append_data(): ip_local_error(EMSGSIZE, info = the path MTU) for IP_RECVERR sockets
            if (owner != null) owner.localError(Inet.EMSGSIZE, mtu, destination);
            return Inet.EMSGSIZE;
        }
        // sock_alloc_send_pskb(): the transport's checks (a datagram socket's sk_err, then its send memory)
        if (owner != null) {
            int error = owner.allocSendSkb();
            // __ip_append_data(): an skb refused with an error (sk_err) ends at "error:", counting OutDiscards; a
            // full send buffer sleeps in sock_alloc_send_pskb() (a non-blocking caller's EAGAIN is not counted here)
            if (error > 0) outDiscards.increment();
            if (error != 0) return error;
        }
        // ip_dont_fragment(): WANT sets DF only when the path MTU is not locked
        boolean df = pmtudisc == Sock.PMTUDISC_DO || pmtudisc == Sock.PMTUDISC_PROBE
                || (pmtudisc == Sock.PMTUDISC_WANT && fits && (learned == null || !learned.locked()));
        int flags = df ? Ipv4Packet.IP_DF : 0;
        outRequests.increment();
        // ip_route_output_flow() keeps a saddr the caller fixed; only an unset one becomes the device's (inet_select_addr)
        // (a local route: its prefsrc, fl4->saddr of ip_route_output_key_hash_rcu())
        Ipv4Address from = source != null && !source.equals(Ipv4Address.ANY) ? source
                : local ? sourceOfLocal(route.get().route(), destination) : out.address();
        Ipv4Header header = new Ipv4Header(tos, selectIdent(owner, from, destination, protocol, df, pmtudisc, now),
                flags, 0, ttl, protocol, from, destination, new byte[0], payload.length());
        // ip_make_skb(): the skb reserves LL_RESERVED_SPACE for the link layer's header in front of the packet
        int length = header.length() + payload.length();
        byte[] packet = OutPacket.allocate(length);
        header.emit(packet, OutPacket.HEADROOM);
        payload.emit(packet, OutPacket.HEADROOM + header.length(), from, destination);
        Ipv4Packet built = Ipv4Packet.parse(packet, OutPacket.HEADROOM, length).value();
        // nf_hook_slow(): a packet the filter drops (DROP or REJECT) is -EPERM to the sender
        if (!nf.hook(Rule.Hook.LOCAL_OUT, built, null, out.name(), now)) return Errno.EPERM;
        if (!nf.hook(Rule.Hook.POST_ROUTING, built, null, out.name(), now)) return Errno.EPERM;
        if (local) {
            transmitted(length);
            loopback.xmit(charge(packet, owner, payload.departureTime()), now);
        } else if (fits) {
            resolve(route.get(), charge(packet, owner, payload.departureTime()), now);
        } else if (fragmenter.fragment(packet, OutPacket.HEADROOM, length, mtu, OutPacket.HEADROOM)
                instanceof Fragmenter.Fragments f) {
            for (byte[] fragment : f.fragments()) resolve(route.get(), charge(fragment, owner, payload.departureTime()), now);
        }
        return 0;
    }

    // ip_select_ident(): a socket with a peer numbers from its inet_id; else ID 0 for DF without ignore_df
    // (ip_sk_ignore_df(): IP_PMTUDISC_DO and PROBE may not fragment locally), else the hashed generator. The
    // fragments of a datagram all copy this header's ID (ip_fragment()).
    private int selectIdent(SkbOwner owner, Ipv4Address from, Ipv4Address destination, int protocol, boolean df,
                            int pmtudisc, long now) {
        int id = owner == null ? -1 : owner.selectIdent(1);
        if (id >= 0) return id;
        return idents.select(destination, from, protocol, df, pmtudisc < Sock.PMTUDISC_DO, now);
    }

    private static Ipv4Address sourceOfLocal(Route route, Ipv4Address destination) {
        return route.prefsrc() != null ? route.prefsrc() : destination;
    }

    /**
     * ip_route_connect() for a connecting socket: the source address a datagram to {@code destination} gets, or null
     * without a route, which __ip4_datagram_connect() and tcp_v4_connect() count as IpOutNoRoutes (ENETUNREACH).
     */
    public Ipv4Address sourceFor(Ipv4Address destination) {
        Optional<RoutingTable.Result> route = routes.lookup(destination);
        if (!routable(route)) {
            outNoRoutes.increment();
            return null;
        }
        if (route.get().route().type() == Route.Type.LOCAL) return sourceOfLocal(route.get().route(), destination);
        return addrs.device(route.get().ifindex()).address();
    }

    // ip_finish_output2(): IP_UPD_PO_STATS(IPSTATS_MIB_OUT): every packet handed to a device, forwarded and
    // fragments included
    private void transmitted(int length) {
        outTransmits.increment();
        outOctets.add(length);
    }

    // ipv4_sk_update_pmtu() -> __ip_rt_update_pmtu() for the route to {@code destination}; none: nothing learned.
    public void updatePmtu(Ipv4Address destination, int mtu, long now) {
        Optional<RoutingTable.Result> route = routes.lookup(destination);
        if (route.isEmpty() || route.get().route().type() != Route.Type.UNICAST) return;
        pmtu.ipRtUpdatePmtu(destination, addrs.device(route.get().ifindex()).mtu(), mtu, now);
    }

    /** dst_mtu() of the route to {@code destination}: a live path MTU exception, else the device's MTU; 0 without a route. */
    public int dstMtu(Ipv4Address destination, long now) {
        Optional<RoutingTable.Result> route = routes.lookup(destination);
        if (!routable(route)) return 0;
        if (route.get().route().type() == Route.Type.LOCAL) return Loopback.MTU;
        PmtuCache.PmtuException learned = pmtu.pmtuException(destination, now);
        return learned != null ? learned.mtu() : addrs.device(route.get().ifindex()).mtu();
    }

    /** The path MTU to {@code destination} (ip route get ... shows it as "mtu"), for tests: 0 without an exception. */
    public int pathMtu(Ipv4Address destination, long now) {
        return pmtu.pathMtu(destination, now);
    }

    // sock_alloc_send_skb(): the skb (a packet at OutPacket.HEADROOM of its buffer) is charged to its socket's
    // sk_wmem_alloc until it is freed.
    private static OutPacket charge(byte[] packet, SkbOwner owner, long tstamp) {
        OutPacket out = OutPacket.withHeadroom(packet, owner == null ? -1 : owner.id(), tstamp);
        if (owner != null) owner.charge(Inet.truesizeOfPacket(out.length()));
        return out;
    }

    // ip_finish_output2() -> neigh_resolve_output().
    public void resolve(RoutingTable.Result route, OutPacket packet, long now) {
        transmitted(packet.length());
        neigh.resolve(route.ifindex(), route.nextHop().bits(), packet, now);
    }
}
