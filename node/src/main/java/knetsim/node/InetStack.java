package knetsim.node;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import knetsim.core.engine.Counters;
import knetsim.core.time.SimTime;
import knetsim.link.wire.Parsed;
import knetsim.node.afinet.InetStreamOps;
import knetsim.node.dev.Loopback;
import knetsim.node.icmp.IcmpLayer;
import knetsim.node.icmp.IcmpMessage;
import knetsim.node.icmp.IcmpPacket;
import knetsim.node.icmp.PingProtoOps;
import knetsim.node.inet.Config;
import knetsim.node.inet.Inet;
import knetsim.node.inet.InetAddrList;
import knetsim.node.inet.InetProtos;
import knetsim.node.inet.Interface;
import knetsim.node.inet.MibCounter;
import knetsim.node.inet.NetProtocol;
import knetsim.node.inet.NetworkLayer;
import knetsim.node.inet.SkbOwner;
import knetsim.node.inet.StackOutput;
import knetsim.node.inet.Transport;
import knetsim.node.ipv4.Fragmenter;
import knetsim.node.ipv4.IpIdents;
import knetsim.node.ipv4.IpOutput;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.ipv4.OutPacket;
import knetsim.node.ipv4.Reassembler;
import knetsim.node.ipv4.Route;
import knetsim.node.ipv4.RoutingTable;
import knetsim.node.neigh.ArpLayer;
import knetsim.node.neigh.NeighbourEntry;
import knetsim.node.neigh.NeighbourParameters;
import knetsim.node.netfilter.Netfilter;
import knetsim.node.netfilter.Rule;
import knetsim.node.skb.SkbDropReason;
import knetsim.node.socket.ProtoOps;
import knetsim.node.socket.Sock;
import knetsim.node.socket.SocketLayer;
import knetsim.node.socket.SocketWakeup;
import knetsim.node.socket.Syscall;
import knetsim.node.tcp.Tcp;
import knetsim.node.tcp.TcpSock;
import knetsim.node.udp.UdpLayer;
import knetsim.node.udp.UdpProtoOps;

/**
 * The IPv4 protocol code of one host or router, and its wiring: ip_rcv with local delivery (ip_defrag,
 * then ICMP or UDP) or ip_forward, the netfilter hooks and the sockets. ARP and the neighbour table
 * live in {@link ArpLayer} (a packet to an unresolved next hop waits in its entry's arp_queue), the
 * output side with the path MTU exceptions in {@link IpOutput}. A plain object: the Host LP feeds it
 * frames and timer expiries and carries out its output.
 */
public final class InetStack implements SocketLayer.Families {
    private final Config config;
    private final InetAddrList addrs;
    private final RoutingTable routes = new RoutingTable();
    private final Fragmenter fragmenter = new Fragmenter();
    private final Reassembler reassembler = new Reassembler();
    private final Netfilter netfilter;
    private final UdpLayer udp;
    private final IcmpLayer icmp;
    private final ArpLayer arp;
    private final IpOutput ipOut;
    private final StackOutput output;
    private final SocketWakeup wakeup;
    private final Counters counters;
    private final knetsim.link.drop.FlowDrops flowDrops = new knetsim.link.drop.FlowDrops();
    private final NetworkLayer ip;
    private final InetProtos protos = new InetProtos();
    private final TreeMap<Integer, Sock> sockets = new TreeMap<>();
    private final UdpProtoOps udpOps;
    private final PingProtoOps pingOps;
    private final MibCounter ipInReceives, ipInOctets, ipInCsumErrors, ipInTruncatedPkts, ipInHdrErrors,
            ipInAddrErrors, ipInDelivers, ipInUnknownProtos, ipInNoRoutes, ipForwDatagrams;
    /** IpExtInNoECTPkts, IpExtInECT1Pkts, IpExtInECT0Pkts, IpExtInCEPkts: by the ECN field's value. */
    private final MibCounter[] ipInEcn = new MibCounter[4];
    private final MibCounter.Drops drops;
    /** lo, once it carried a packet. */
    private Loopback loopback;
    private Function<NetworkLayer, Tcp> tcpFactory;
    private Tcp tcp;
    private InetStreamOps streamOps;
    private int nextSocketId = 1;

    /**
     * @param output the wire and the stack's timer
     * @param wakeup sk_data_ready and friends: a socket's sleepers may proceed
     */
    public InetStack(Config config, NeighbourParameters parameters, SplittableRandom random, StackOutput output,
                     SocketWakeup wakeup, Counters counters) {
        this(config, parameters, random, new IpIdents(random.split()), output, wakeup, counters);
    }

    /** @param idents the IP ID generator, with its own share of the host's seeded randomness */
    public InetStack(Config config, NeighbourParameters parameters, SplittableRandom random, IpIdents idents,
                     StackOutput output, SocketWakeup wakeup, Counters counters) {
        this.config = config;
        this.addrs = new InetAddrList(config);
        this.output = output;
        this.wakeup = wakeup;
        this.counters = counters;
        this.netfilter = new Netfilter(config.rules());
        this.ipInReceives = new MibCounter(counters, "IpInReceives");
        this.ipInOctets = new MibCounter(counters, "IpExtInOctets");
        String[] ecn = {"IpExtInNoECTPkts", "IpExtInECT1Pkts", "IpExtInECT0Pkts", "IpExtInCEPkts"};
        for (int i = 0; i < 4; i++) ipInEcn[i] = new MibCounter(counters, ecn[i]);
        this.ipInCsumErrors = new MibCounter(counters, "IpExtInCsumErrors");
        this.ipInTruncatedPkts = new MibCounter(counters, "IpExtInTruncatedPkts");
        this.ipInHdrErrors = new MibCounter(counters, "IpInHdrErrors");
        this.ipInAddrErrors = new MibCounter(counters, "IpInAddrErrors");
        this.ipInDelivers = new MibCounter(counters, "IpInDelivers");
        this.ipInUnknownProtos = new MibCounter(counters, "IpInUnknownProtos");
        this.ipInNoRoutes = new MibCounter(counters, "IpExtInNoRoutes");
        this.ipForwDatagrams = new MibCounter(counters, "IpForwDatagrams");
        this.drops = new MibCounter.Drops(counters);
        this.ip = new NetworkLayer() {
            @Override
            public int dstMtu(Ipv4Address destination, long now) {
                return ipOut.dstMtu(destination, now);
            }

            public int output(Ipv4Address source, Ipv4Address destination, int protocol, Transport payload, int ttl,
                              int tos, int pmtudisc, int owner, long now) {
                return ipOut.ipOutput(source, destination, protocol, payload, ttl, tos, pmtudisc,
                        owner < 0 ? null : SkbOwner.tagOnly(owner), now);
            }

            @Override
            public int output(Ipv4Address source, Ipv4Address destination, int protocol, Transport payload, int ttl,
                              int tos, int pmtudisc, SkbOwner owner, long now) {
                return ipOut.ipOutput(source, destination, protocol, payload, ttl, tos, pmtudisc, owner, now);
            }

            public boolean isLocal(Ipv4Address address) {
                return addrs.isLocal(address) || Loopback.isLoopback(address);
            }

            public Ipv4Address sourceFor(Ipv4Address destination) {
                return ipOut.sourceFor(destination);
            }

            public boolean bindable(Ipv4Address address) {
                return inetAddrTypeBindable(address);
            }

            public void updatePmtu(Ipv4Address destination, int mtu, long now) {
                ipOut.updatePmtu(destination, mtu, now);
            }

            public void unreachable(int code, Ipv4Packet offending, long now) {
                icmp.send(IcmpMessage.destinationUnreachable(code, offending), offending, now);
            }

            public void dropped(SkbDropReason reason, Ipv4Packet packet) {
                flowDrops.ip(reason.name(), packet.buffer(), packet.offset(), packet.totalLength());
            }
        };
        this.udp = new UdpLayer(ip, counters, wakeup, random.split());
        this.icmp = new IcmpLayer(ip, counters, wakeup, protos);
        udp.setIcmp(icmp);
        this.udpOps = new UdpProtoOps(udp);
        this.pingOps = new PingProtoOps(icmp);
        InetInit.addDatagramProtocols(protos, icmp, udp);
        protos.add(Inet.IPPROTO_TCP, new NetProtocol() {
            public void handler(Ipv4Packet packet, int truesize, long now) {
                Tcp t = tcp(); // segments come unfragmented: TCP charges the driver's skb by the segment's length
                if (t == null) {
                    ipInUnknownProtos.increment(); // a host built without TCP
                    return;
                }
                t.rcv(packet, truesize, now);
            }

            public void errHandler(byte[] quote, int at, int type, int code, int info, Ipv4Address from, long now) {
                if (tcp != null) tcp.err(quote, at, type, code, info, now); // no TCP yet: no socket it could be about
            }
        });
        this.arp = new ArpLayer(addrs, parameters, random, output, counters, icmp, new ArpLayer.Stack() {
            public void txFreed(int owner, int truesize, long now) {
                InetStack.this.txFreed(owner, truesize, now);
            }

            public void wakeForTimers() {
                InetStack.this.wakeForTimers();
            }

            public void dropped(SkbDropReason reason, byte[] buffer, int offset, int length) {
                flowDrops.ip(reason.name(), buffer, offset, length);
            }
        });
        this.ipOut = new IpOutput(addrs, routes, fragmenter, counters, this::nfHook, arp, idents, this::loopbackXmit);
        routes.addLoopback();
        for (Interface i : config.interfaces()) routes.addConnected(i.ifindex(), i.name(), i.address(), i.prefixLength());
        for (Route r : config.routes()) routes.add(r);
        if (config.computed() != null) routes.addComputed(new knetsim.node.ipv4.ComputedFib(config.computed()));
    }

    // inet_addr_type(): 0.0.0.0, a local address, a broadcast one (limited or an interface's
    // subnet) or multicast may be bound; anything else is EADDRNOTAVAIL (ip_nonlocal_bind 0).
    private boolean inetAddrTypeBindable(Ipv4Address address) {
        int bits = address.bits();
        if (bits == 0 || bits == -1 || (bits >>> 28) == 0xe || addrs.isLocal(address) || Loopback.isLoopback(address)) return true;
        for (Interface i : config.interfaces()) {
            int host = i.prefixLength() >= 31 ? 0 : -1 >>> i.prefixLength();
            if (host != 0 && ((i.address().bits() | host) == bits)) return true;
        }
        return false;
    }

    /** The interfaces come up: the gratuitous ARP of arp_notify. */
    public void start(long now) {
        arp.start(now);
    }

    // arp_rcv(): net/ipv4/arp.c, see ArpLayer.
    public void arpRcv(int ifindex, byte[] frame, long now) {
        arp.arpRcv(ifindex, frame, now);
    }

    // ip_rcv() -> ip_rcv_finish(): ip_local_deliver() or ip_forward().
    public void ipRcv(int ifindex, byte[] frame, long now) {
        ipRcv(ifindex, frame, 0, frame.length, DRIVER_SKB, now);
    }

    /**
     * ip_rcv() of the {@code length} frame bytes at {@code offset} of a driver's skb, read in place: nothing here
     * writes into them (ip_forward() copies before the TTL changes), so the caller must not change them afterwards.
     */
    public void ipRcv(int ifindex, byte[] buffer, int offset, int length, long now) {
        ipRcv(ifindex, buffer, offset, length, DRIVER_SKB, now);
    }

    /** An skb's truesize not known yet: the driver's kmalloc'd head, sized at local delivery (Inet#rxTruesize). */
    private static final int DRIVER_SKB = 0;

    // ip_rcv() of a frame in an skb of {@code truesize} (DRIVER_SKB: the driver's).
    private void ipRcv(int ifindex, byte[] buf, int off, int length, int truesize, long now) {
        ipInReceives.increment(); // ip_rcv_core(): IP_UPD_PO_STATS(IPSTATS_MIB_IN, skb->len), padding included
        ipInOctets.add(length - 14);
        // ... and, once version and IHL are sane, IPSTATS_MIB_NOECTPKTS + (iph->tos & INET_ECN_MASK)
        if (length >= 34 && (buf[off + 14] & 0xf0) == 0x40 && (buf[off + 14] & 0x0f) >= 5) ipInEcn[buf[off + 15] & 3].increment();
        Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(buf, off + 14, length - 14);
        SkbDropReason reason = Ipv4Packet.dropReason(parsed);
        if (reason != SkbDropReason.NOT_DROPPED_YET) {
            // ip_rcv_core(): csum_error falls through to inhdr_error, so both count a bad checksum
            if (reason == SkbDropReason.IP_CSUM) ipInCsumErrors.increment();
            if (reason == SkbDropReason.PKT_TOO_SMALL) ipInTruncatedPkts.increment();
            else ipInHdrErrors.increment();
            drops.drop(reason);
            flowDrops.ip(reason.name(), buf, off + 14, length - 14);
            return;
        }
        Ipv4Packet packet = parsed.value();
        String in = addrs.device(ifindex).name();
        if (!nfHook(Rule.Hook.PRE_ROUTING, packet, in, null, now)) return;
        // a packet from lo keeps the local route it was sent by (skb_dst_force() in loopback_xmit())
        if (ifindex == Loopback.IFINDEX || addrs.isLocal(packet.destination())) {
            ipLocalDeliver(packet, in, truesize, now);
        } else if (config.forwarding()) {
            ipForward(packet, in, now);
        } else {
            ipInAddrErrors.increment();
            drops.drop(SkbDropReason.OTHERHOST);
            dropped(SkbDropReason.OTHERHOST, packet);
        }
    }

    // loopback_xmit(): netif_rx() queues the frame on the backlog (full: CPU_BACKLOG), which the host's softirq
    // turns into netif_receive_skb() on lo. skb_orphan() frees the sender's memory there; its effects (a woken
    // writer, TCP's TSQ tasklet) never run inside the send, so here the memory comes back with the backlog's turn.
    private void loopbackXmit(OutPacket packet, long now) {
        if (loopback == null) loopback = new Loopback(counters);
        byte[] frame = loopback.xmit(packet);
        if (frame == null) {
            flowDrops.ip(SkbDropReason.CPU_BACKLOG.name(), packet.buffer(), packet.offset(), packet.length());
            if (packet.owner() >= 0) txFreed(packet.owner(), Inet.truesizeOfPacket(packet.length()), now);
            return;
        }
        output.loopback(frame, packet.owner());
    }

    /**
     * process_backlog() -> __netif_receive_skb() -> ip_rcv() of a frame lo queued (see {@link StackOutput#loopback}),
     * after the sending socket {@code owner} (or -1) got the skb's memory back.
     */
    public void loopbackRcv(byte[] frame, int owner, long now) {
        loopback.dequeued();
        if (owner >= 0) txFreed(owner, Inet.truesizeOfPacket(frame.length - 14), now);
        // lo hands over the sender's skb, whose data (TCP's, and what ip_append_data puts in page fragments) is
        // charged by its length: SKB_TRUESIZE of the aligned frame, not a driver's kmalloc'd head
        ipRcv(Loopback.IFINDEX, frame, 0, frame.length, knetsim.node.skb.SkBuff.truesizeOf(frame.length), now);
    }

    /** ip route show table TABLE, for tests. */
    public java.util.List<Route> routes(RoutingTable.Table table) {
        return routes.routes(table);
    }

    // ip_local_deliver(): reassemble fragments (ip_defrag), then the protocol's handler from inet_protos.
    private void ipLocalDeliver(Ipv4Packet packet, String in, int skbTruesize, long now) {
        // a driver copies a frame into a kmalloc'd head; lo's sender's skb came with its own (loopbackRcv)
        int truesize = skbTruesize != DRIVER_SKB ? skbTruesize : Inet.rxTruesize(packet.totalLength());
        if (packet.isFragment()) {
            byte[] bytes = java.util.Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.totalLength());
            var outcome = reassembler.accept(bytes, now);
            wakeForTimers();
            if (outcome instanceof Reassembler.Dropped dropped) {
                drops.drop(dropped.reason());
                flowDrops.ip(dropped.reason().name(), bytes, 0, bytes.length);
            }
            if (!(outcome instanceof Reassembler.Reassembled whole)) return;
            packet = Ipv4Packet.parse(whole.datagram(), 0, whole.datagram().length).value();
            truesize = whole.truesize();
        }
        if (!nfHook(Rule.Hook.LOCAL_IN, packet, in, null, now)) return;
        ipInDelivers.increment();
        NetProtocol handler = protos.get(packet.protocol());
        if (handler != null) handler.handler(packet, truesize, now);
        else ipInUnknownProtos.increment();
    }

    // ip_forward(): TTL, route, decrement with an incremental checksum, on to the next hop.
    private void ipForward(Ipv4Packet packet, String in, long now) {
        if (packet.ttl() <= 1) {
            ipInHdrErrors.increment(); // too_many_hops
            icmp.send(IcmpMessage.timeExceeded(IcmpPacket.ICMP_EXC_TTL, packet), packet, now);
            return;
        }
        Optional<RoutingTable.Result> route = routes.lookup(packet.destination());
        if (route.isEmpty() || route.get().route().type() != Route.Type.UNICAST) {
            ipInNoRoutes.increment(); // ip_route_input_slow() -> ip_error()
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
        if (!nfHook(Rule.Hook.FORWARD, forwarded, in, out, now)) return;
        ipForwDatagrams.increment();
        if (!nfHook(Rule.Hook.POST_ROUTING, forwarded, null, out, now)) return;
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

    /** The neighbour table's transitions and its end state (null when it was never used). */
    public knetsim.node.neigh.NeighReport neighReport() {
        return arp.report();
    }

    /** The packets this stack dropped, by reason and 5-tuple (null when none). */
    public knetsim.link.drop.FlowDropReport dropReport() {
        return flowDrops.report("");
    }

    // NF_HOOK(): the filter table's verdict; DROP counts NETFILTER_DROP, REJECT also answers (ipt_REJECT).
    private boolean nfHook(Rule.Hook hook, Ipv4Packet packet, String in, String out, long now) {
        if (netfilter.size() == 0) return true; // an empty filter table accepts without reading the packet
        Rule rule = netfilter.verdict(hook, packet, in, out);
        if (rule == null || rule.target() == Rule.Target.ACCEPT) return true;
        drops.drop(SkbDropReason.NETFILTER_DROP);
        dropped(SkbDropReason.NETFILTER_DROP, packet);
        if (rule.target() == Rule.Target.REJECT) {
            icmp.send(IcmpMessage.destinationUnreachable(rule.rejectCode(), packet), packet, now);
        }
        return false;
    }

    public UdpLayer udp() {
        return udp;
    }

    public IcmpLayer icmp() {
        return icmp;
    }

    /** TCP for this host, made by {@code factory} from the stack's IP output when first needed (a socket or a segment). */
    public void enableTcp(Function<NetworkLayer, Tcp> factory) {
        this.tcpFactory = factory;
    }

    /** The host's TCP if something has made it already (never creates it), or null. */
    public Tcp tcpIfMade() {
        return tcp;
    }

    /** The host's TCP, or null when it has none. */
    public Tcp tcp() {
        if (tcp == null && tcpFactory != null) {
            tcp = tcpFactory.apply(ip);
            streamOps = new InetStreamOps(tcp);
        }
        return tcp;
    }

    // __sock_create() -> inet_create(): the socket and its proto_ops by type and protocol
    @Override
    public SocketLayer.Opened create(Syscall.Protocol protocol) {
        int id = nextSocketId++;
        Sock socket;
        ProtoOps ops;
        switch (protocol) {
            case UDP -> {
                socket = udp.open(id);
                ops = udpOps;
            }
            case ICMP -> {
                socket = icmp.openPingSocket(id);
                ops = pingOps;
            }
            case TCP -> {
                if (tcp() == null) return null;
                socket = tcp.socket(id);
                ops = streamOps;
            }
            default -> throw new IllegalArgumentException("no protocol " + protocol);
        }
        sockets.put(id, socket);
        return new SocketLayer.Opened(socket, ops);
    }

    /** socket() of a UDP or ping socket outside any process (tests). */
    public Sock openSocket(boolean ping) {
        return create(ping ? Syscall.Protocol.ICMP : Syscall.Protocol.UDP).socket();
    }

    /** The socket numbered {@code id} (its sk_rmem_alloc and friends, as ss -m shows them), or null. */
    public Sock socket(int id) {
        return sockets.get(id);
    }

    /** sk_alloc() for a socket TCP makes itself (accept()'s child): its host-wide number. */
    public int allocateSocketId() {
        return nextSocketId++;
    }

    /** A socket TCP made is known by its number from now on (transmit completions reach it). */
    public void hashSocket(Sock socket) {
        sockets.put(socket.id(), socket);
    }

    /** __sk_free(): the socket's number is no longer in use. */
    public void releaseSocket(Sock socket) {
        sockets.remove(socket.id(), socket);
    }

    /** sock_wfree() / tcp_wfree(): the driver freed an skb charged to socket {@code owner}. */
    public void txFreed(int owner, int truesize, long now) {
        Sock socket = sockets.get(owner);
        if (socket == null) return;
        if (socket instanceof TcpSock sk) {
            tcp.txFreed(sk, truesize, now); // TCP keeps its own send memory (TSQ)
            return;
        }
        socket.releaseWrite(truesize);
        wakeup.wake(socket, now);
    }

    /** dst_mtu() of the route to {@code destination} (0: no route): what TCP takes its MSS from. */
    public int routeMtu(Ipv4Address destination, long now) {
        return ipOut.dstMtu(destination, now);
    }

    /** Whether the route to {@code destination} leaves through fq with pacing on (SK_PACING_FQ for TCP). */
    public boolean routeFqPaces(Ipv4Address destination) {
        Optional<RoutingTable.Result> route = routes.lookup(destination);
        if (route.isEmpty() || route.get().route().type() != Route.Type.UNICAST) return false;
        return addrs.device(route.get().ifindex()).fqPacing();
    }

    /** The path MTU to {@code destination} (ip route get ... shows it as "mtu"), for tests: 0 without an exception. */
    public int pathMtu(Ipv4Address destination, long now) {
        return ipOut.pathMtu(destination, now);
    }

    /** The entries of the neighbour table (ip neigh), for tests. */
    public int neighbourCount() {
        return arp.neighbourCount();
    }

    /** The neighbour entry for {@code address} on {@code ifindex} (ip neigh show), or null: for tests. */
    public NeighbourEntry<?> neighbour(int ifindex, Ipv4Address address) {
        return arp.neighbour(ifindex, address);
    }

    /** inet_protos[]: the transports by protocol number. */
    public InetProtos protos() {
        return protos;
    }

    /** A neighbour timer is due: neigh_timer_handler() for every entry whose time has come. */
    public void timerExpired(long now) {
        arp.periodicWork(now);
        // ip_expire(): ICMP time exceeded (fragment reassembly) only when fragment 0 had arrived
        for (var expired : reassembler.expire(now)) {
            if (!expired.firstFragmentPresent()) continue;
            byte[] first = expired.firstFragment();
            Ipv4Packet offending = Ipv4Packet.parse(first, 0, first.length).value();
            icmp.send(IcmpMessage.timeExceeded(IcmpPacket.ICMP_EXC_FRAGTIME, offending), offending, now);
        }
        arp.timerExpired(now);
        wakeForTimers();
    }

    private void wakeForTimers() {
        long next = arp.nextTimer();
        var reassembly = reassembler.nextDeadline();
        if (reassembly.isPresent()) next = Math.min(next, reassembly.getAsLong());
        if (next != SimTime.NEVER) output.wakeAt(next);
    }

    /** Adds the fragmentation and reassembly counters (/proc/net/snmp names) at the end of a run. */
    public void publishCounters() {
        icmp.publishCounters();
        if (tcp != null) tcp.publishCounters();
        for (int i = 0; i < netfilter.size(); i++) {
            counters.counter("netfilter_rule_" + i + "_packets").add(netfilter.packets(i));
            counters.counter("netfilter_rule_" + i + "_bytes").add(netfilter.bytes(i));
        }
        fragmenter.stats().asMap().forEach((name, value) -> counters.counter(name).add(value));
        reassembler.stats().asMap().forEach((name, value) -> counters.counter(name).add(value));
    }
}
