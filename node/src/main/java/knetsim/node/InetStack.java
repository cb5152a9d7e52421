package knetsim.node;

import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import knetsim.core.engine.Counters;
import knetsim.core.time.SimTime;
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
 * The IPv4 stack of one host or router (af_inet.c's inet_init() and inet_create()): its wiring, the sockets
 * and the entry points the Host LP calls. A plain object: the Host LP feeds it frames and timer expiries and
 * carries out its output. The protocol code is split as net/ipv4 is: ip_rcv() and ip_local_deliver() in
 * {@link IpInput} (ip_input.c), ip_forward() in {@link IpForward} (ip_forward.c), the output side with the
 * path MTU exceptions in {@link IpOutput} (ip_output.c, route.c's PMTU), the FIB in {@link RoutingTable}
 * (route.c, fib_trie.c), NF_HOOK() in {@link NfHooks}, ARP and the neighbour table in {@link ArpLayer}
 * (a packet to an unresolved next hop waits in its entry's arp_queue).
 */
public final class InetStack implements SocketLayer.Families {
    private final InetAddrList addrs;
    private final RoutingTable routes = new RoutingTable();
    private final Fragmenter fragmenter = new Fragmenter();
    private final Reassembler reassembler = new Reassembler();
    private final NfHooks nf;
    private final UdpLayer udp;
    private final IcmpLayer icmp;
    private final ArpLayer arp;
    private final IpOutput ipOut;
    private final IpInput input;
    private final StackOutput output;
    private final SocketWakeup wakeup;
    private final Counters counters;
    private final knetsim.link.drop.FlowDrops flowDrops = new knetsim.link.drop.FlowDrops();
    private final NetworkLayer ip;
    private final InetProtos protos = new InetProtos();
    private final TreeMap<Integer, Sock> sockets = new TreeMap<>();
    private final UdpProtoOps udpOps;
    private final PingProtoOps pingOps;
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
        this.addrs = new InetAddrList(config);
        this.output = output;
        this.wakeup = wakeup;
        this.counters = counters;
        MibCounter.Drops drops = new MibCounter.Drops(counters);
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
                return addrs.bindable(address);
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
        this.nf = new NfHooks(new Netfilter(config.rules()), icmp, drops, flowDrops);
        this.ipOut = new IpOutput(addrs, routes, fragmenter, counters, nf, arp, idents, this::loopbackXmit);
        IpForward forward = new IpForward(addrs, routes, fragmenter, ipOut, icmp, nf, counters, drops, flowDrops);
        this.input = new IpInput(config, addrs, reassembler, protos, nf, forward, counters, drops, flowDrops,
                this::wakeForTimers);
        InetInit.addTcp(protos, this, input);
        routes.addLoopback();
        for (Interface i : config.interfaces()) routes.addConnected(i.ifindex(), i.name(), i.address(), i.prefixLength());
        for (Route r : config.routes()) routes.add(r);
        if (config.computed() != null) routes.addComputed(new knetsim.node.ipv4.ComputedFib(config.computed()));
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
        input.rcv(ifindex, frame, 0, frame.length, IpInput.DRIVER_SKB, now);
    }

    /**
     * ip_rcv() of the {@code length} frame bytes at {@code offset} of a driver's skb, read in place: nothing here
     * writes into them (ip_forward() copies before the TTL changes), so the caller must not change them afterwards.
     */
    public void ipRcv(int ifindex, byte[] buffer, int offset, int length, long now) {
        input.rcv(ifindex, buffer, offset, length, IpInput.DRIVER_SKB, now);
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
        input.rcv(Loopback.IFINDEX, frame, 0, frame.length, knetsim.node.skb.SkBuff.truesizeOf(frame.length), now);
    }

    /** ip route show table TABLE, for tests. */
    public java.util.List<Route> routes(RoutingTable.Table table) {
        return routes.routes(table);
    }

    /** The neighbour table's transitions and its end state (null when it was never used). */
    public knetsim.node.neigh.NeighReport neighReport() {
        return arp.report();
    }

    /** The packets this stack dropped, by reason and 5-tuple (null when none). */
    public knetsim.link.drop.FlowDropReport dropReport() {
        return flowDrops.report("");
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
        nf.publishCounters(counters);
        fragmenter.stats().asMap().forEach((name, value) -> counters.counter(name).add(value));
        reassembler.stats().asMap().forEach((name, value) -> counters.counter(name).add(value));
    }
}
