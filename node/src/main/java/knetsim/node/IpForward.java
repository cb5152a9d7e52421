package knetsim.node;

import java.util.Optional;
import knetsim.core.engine.Counters;
import knetsim.link.drop.FlowDrops;
import knetsim.node.icmp.IcmpLayer;
import knetsim.node.icmp.IcmpMessage;
import knetsim.node.icmp.IcmpPacket;
import knetsim.node.inet.InetAddrList;
import knetsim.node.inet.Interface;
import knetsim.node.inet.MibCounter;
import knetsim.node.ipv4.Fragmenter;
import knetsim.node.ipv4.IpOutput;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.ipv4.OutPacket;
import knetsim.node.ipv4.Route;
import knetsim.node.ipv4.RoutingTable;
import knetsim.node.netfilter.Rule;
import knetsim.node.skb.SkbDropReason;

/**
 * net/ipv4/ip_forward.c of a router (and the input route's ip_error() of route.c for a destination with
 * no route): what {@link IpInput} hands on when the packet is for another host and forwarding is on.
 */
final class IpForward {
    private final InetAddrList addrs;
    private final RoutingTable routes;
    private final Fragmenter fragmenter;
    private final IpOutput ipOut;
    private final IcmpLayer icmp;
    private final NfHooks nf;
    private final MibCounter.Drops drops;
    private final FlowDrops flowDrops;
    // IpInHdrErrors is also ip_rcv()'s (IpInput has its own handle on the same counter)
    private final MibCounter inHdrErrors, inNoRoutes, forwDatagrams;

    IpForward(InetAddrList addrs, RoutingTable routes, Fragmenter fragmenter, IpOutput ipOut, IcmpLayer icmp,
              NfHooks nf, Counters counters, MibCounter.Drops drops, FlowDrops flowDrops) {
        this.addrs = addrs;
        this.routes = routes;
        this.fragmenter = fragmenter;
        this.ipOut = ipOut;
        this.icmp = icmp;
        this.nf = nf;
        this.drops = drops;
        this.flowDrops = flowDrops;
        this.inHdrErrors = new MibCounter(counters, "IpInHdrErrors");
        this.inNoRoutes = new MibCounter(counters, "IpExtInNoRoutes");
        this.forwDatagrams = new MibCounter(counters, "IpForwDatagrams");
    }

    // ip_forward(): TTL, route, decrement with an incremental checksum, on to the next hop.
    void forward(Ipv4Packet packet, String in, long now) {
        if (packet.ttl() <= 1) {
            inHdrErrors.increment(); // too_many_hops
            icmp.send(IcmpMessage.timeExceeded(IcmpPacket.ICMP_EXC_TTL, packet), packet, now);
            return;
        }
        Optional<RoutingTable.Result> route = routes.lookup(packet.destination());
        if (route.isEmpty() || route.get().route().type() != Route.Type.UNICAST) {
            inNoRoutes.increment(); // ip_route_input_slow() -> ip_error()
            drops.drop(SkbDropReason.IP_INNOROUTES);
            dropped(SkbDropReason.IP_INNOROUTES, packet);
            icmp.send(IcmpMessage.destinationUnreachable(IcmpPacket.ICMP_NET_UNREACH, packet), packet, now);
            return;
        }
        Interface outDevice = addrs.device(route.get().ifindex());
        // ip_exceeds_mtu(): DF and longer than the next hop's MTU is FragFails and fragmentation needed
        if (packet.totalLength() > outDevice.mtu() && packet.dontFragment()) {
            fragmenter.fragment(packet.buffer(), packet.offset(), packet.totalLength(), outDevice.mtu(), 0); // FragFails
            drops.drop(SkbDropReason.PKT_TOO_BIG);
            dropped(SkbDropReason.PKT_TOO_BIG, packet);
            icmp.send(IcmpMessage.fragmentationNeeded(outDevice.mtu(), packet), packet, now);
            return;
        }
        // skb_cow(skb, LL_RESERVED_SPACE(rt->dst.dev)): the one copy, with headroom for the next hop's header
        int length = packet.totalLength();
        byte[] copy = OutPacket.allocate(length);
        System.arraycopy(packet.buffer(), packet.offset(), copy, OutPacket.HEADROOM, length);
        Ipv4Packet.decreaseTtl(copy, OutPacket.HEADROOM);
        Ipv4Packet forwarded = packet.copiedTo(copy, OutPacket.HEADROOM);
        String out = outDevice.name();
        if (!nf.hook(Rule.Hook.FORWARD, forwarded, in, out, now)) return;
        forwDatagrams.increment();
        if (!nf.hook(Rule.Hook.POST_ROUTING, forwarded, null, out, now)) return;
        if (length <= outDevice.mtu()) {
            ipOut.resolve(route.get(), OutPacket.withHeadroom(copy, -1, 0), now);
        } else if (fragmenter.fragment(copy, OutPacket.HEADROOM, length, outDevice.mtu(), OutPacket.HEADROOM)
                instanceof Fragmenter.Fragments f) {
            // ip_finish_output() -> ip_fragment(): a datagram without DF is split for the next hop
            for (byte[] fragment : f.fragments()) ipOut.resolve(route.get(), OutPacket.withHeadroom(fragment, -1, 0), now);
        }
    }

    // kfree_skb_reason(): which flow the dropped packet belonged to (FlowMonitor-style attribution).
    private void dropped(SkbDropReason reason, Ipv4Packet packet) {
        flowDrops.ip(reason.name(), packet.buffer(), packet.offset(), packet.totalLength());
    }
}
