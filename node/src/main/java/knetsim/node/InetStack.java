package knetsim.node;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import knetsim.core.engine.Counters;
import knetsim.core.time.SimTime;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.wire.Parsed;
import knetsim.node.icmp.IcmpMessage;
import knetsim.node.icmp.IcmpPacket;
import knetsim.node.icmp.IcmpLayer;
import knetsim.node.ipv4.Fragmenter;
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
import knetsim.node.udp.UdpDatagram;
import knetsim.node.udp.UdpLayer;
import knetsim.node.udp.UdpSocket;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Sock;
import knetsim.node.socket.SocketWakeup;

/**
 * The IPv4 protocol code of one host or router, and its wiring: ip_rcv with local delivery (ip_defrag,
 * then ICMP or UDP) or ip_forward, the netfilter hooks and the sockets. ARP and the neighbour table
 * live in {@link ArpLayer} (a packet to an unresolved next hop waits in its entry's arp_queue), the
 * output side with the path MTU exceptions in {@link IpOutput}. A plain object: the Host LP feeds it
 * frames and timer expiries and carries out its output.
 */
public final class InetStack {
    /** An interface: its address and prefix make the connected and local routes. */
    public record Interface(int ifindex, String name, MacAddress mac, Ipv4Address address, int prefixLength, int mtu) {}

    /**
     * The configuration: interfaces, routes written by hand, ip_forward, the filter table's rules,
     * and arp_notify (a gratuitous ARP for each address when the interface comes up; Linux's default is off).
     */
    public record Config(List<Interface> interfaces, List<Route> routes, boolean forwarding, List<Rule> rules,
                         boolean arpNotify) {
        public Config(List<Interface> interfaces, List<Route> routes, boolean forwarding, List<Rule> rules) {
            this(interfaces, routes, forwarding, rules, false);
        }

        public Config(List<Interface> interfaces, List<Route> routes, boolean forwarding) {
            this(interfaces, routes, forwarding, List.of(), false);
        }

        /** The interface with {@code ifindex}. */
        public Interface device(int ifindex) {
            // Called several times per packet. The builder numbers interfaces 1, 2, ... in order, so look there first.
            int guess = ifindex - 1;
            if (guess >= 0 && guess < interfaces.size() && interfaces.get(guess).ifindex() == ifindex) return interfaces.get(guess);
            for (Interface i : interfaces) if (i.ifindex() == ifindex) return i;
            throw new IllegalArgumentException("no interface " + ifindex);
        }

        /** Whether {@code address} is one of the interfaces' addresses. */
        public boolean isLocal(Ipv4Address address) {
            for (Interface i : interfaces) if (i.address().equals(address)) return true;
            return false;
        }
    }

    /** What the stack needs from its host: the wire, a wake-up, and the waiters on its sockets to wake. */
    public interface Output extends SocketWakeup {
        /** dev_queue_xmit() of a frame; {@code owner} is the socket it is charged to, or -1. */
        void transmit(int ifindex, byte[] frame, int owner);

        void wakeAt(long time);
    }

    static final int IPPROTO_ICMP = 1;
    public static final int DEFAULT_TTL = 64;
    /** Linux errno values that sendto() returns. */
    public static final int EMSGSIZE = Errno.EMSGSIZE, ENETUNREACH = Errno.ENETUNREACH;
    /** Not an errno: ip output found the sender's send buffer full (sock_alloc_send_pskb() would sleep). */
    public static final int WOULD_BLOCK = -1;

    private final Config config;
    private final RoutingTable routes = new RoutingTable();
    private final Fragmenter fragmenter = new Fragmenter();
    private final Reassembler reassembler = new Reassembler();
    private final Netfilter netfilter;
    private final UdpLayer udp;
    private final IcmpLayer icmp;
    private final ArpLayer arp;
    private final IpOutput ipOut;
    private final Output output;
    private final Counters counters;
    private final knetsim.link.drop.FlowDrops drops = new knetsim.link.drop.FlowDrops();
    private final TreeMap<Integer, Sock> sockets = new TreeMap<>();
    private int nextSocketId = 1;

    public InetStack(Config config, NeighbourParameters parameters, SplittableRandom random, Output output,
                     Counters counters) {
        this.config = config;
        this.output = output;
        this.counters = counters;
        this.netfilter = new Netfilter(config.rules());
        NetworkLayer ip = new NetworkLayer() {
            public int output(Ipv4Address source, Ipv4Address destination, int protocol, Transport payload, int ttl,
                              int tos, int pmtudisc, int owner, long now) {
                return ipOut.ipOutput(source, destination, protocol, payload, ttl, tos, pmtudisc, owner, now);
            }

            public boolean isLocal(Ipv4Address address) {
                return config.isLocal(address);
            }

            public Ipv4Address sourceFor(Ipv4Address destination) {
                Optional<RoutingTable.Result> route = routes.lookup(destination);
                if (route.isEmpty() || route.get().route().type() != Route.Type.UNICAST) return null;
                return config.device(route.get().ifindex()).address();
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
                drops.ip(reason.name(), packet.buffer(), packet.offset(), packet.totalLength());
            }
        };
        this.udp = new UdpLayer(ip, counters, output, random.split());
        this.icmp = new IcmpLayer(ip, counters, output, udp::icmpError);
        udp.setIcmp(icmp);
        this.arp = new ArpLayer(config, parameters, random, output, counters, icmp, new ArpLayer.Stack() {
            public void txFreed(int owner, int truesize, long now) {
                InetStack.this.txFreed(owner, truesize, now);
            }

            public void wakeForTimers() {
                InetStack.this.wakeForTimers();
            }

            public void dropped(SkbDropReason reason, byte[] packet) {
                drops.ip(reason.name(), packet, 0, packet.length);
            }
        });
        this.ipOut = new IpOutput(config, routes, fragmenter, counters, sockets::get, this::nfHook, arp);
        for (Interface i : config.interfaces()) routes.addConnected(i.ifindex(), i.name(), i.address(), i.prefixLength());
        for (Route r : config.routes()) routes.add(r);
    }

    // inet_addr_type(): 0.0.0.0, a local address, a broadcast one (limited or an interface's
    // subnet) or multicast may be bound; anything else is EADDRNOTAVAIL (ip_nonlocal_bind 0).
    private boolean inetAddrTypeBindable(Ipv4Address address) {
        int bits = address.bits();
        if (bits == 0 || bits == -1 || (bits >>> 28) == 0xe || config.isLocal(address)) return true;
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
        counters.counter("IpInReceives").increment();
        Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(frame, 14, frame.length - 14);
        SkbDropReason reason = Ipv4Packet.dropReason(parsed);
        if (reason != SkbDropReason.NOT_DROPPED_YET) {
            // ip_rcv_core(): csum_error falls through to inhdr_error, so both count a bad checksum
            if (reason == SkbDropReason.IP_CSUM) counters.counter("IpInCsumErrors").increment();
            if (reason == SkbDropReason.PKT_TOO_SMALL) counters.counter("IpInTruncatedPkts").increment();
            else counters.counter("IpInHdrErrors").increment();
            counters.counter("drop_" + reason.name()).increment();
            drops.ip(reason.name(), frame, 14, frame.length - 14);
            return;
        }
        Ipv4Packet packet = parsed.value();
        String in = config.device(ifindex).name();
        if (!nfHook(Rule.Hook.PRE_ROUTING, packet, in, null, now)) return;
        if (config.isLocal(packet.destination())) {
            ipLocalDeliver(packet, in, now);
        } else if (config.forwarding()) {
            ipForward(packet, in, now);
        } else {
            counters.counter("IpInAddrErrors").increment();
            counters.counter("drop_" + SkbDropReason.OTHERHOST.name()).increment();
            dropped(SkbDropReason.OTHERHOST, packet);
        }
    }

    // ip_local_deliver(): reassemble fragments (ip_defrag), then the protocol's handler.
    private void ipLocalDeliver(Ipv4Packet packet, String in, long now) {
        if (packet.isFragment()) {
            byte[] bytes = java.util.Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.totalLength());
            var outcome = reassembler.accept(bytes, now);
            wakeForTimers();
            if (outcome instanceof Reassembler.Dropped dropped) {
                counters.counter("drop_" + dropped.reason().name()).increment();
                drops.ip(dropped.reason().name(), bytes, 0, bytes.length);
            }
            if (!(outcome instanceof Reassembler.Reassembled whole)) return;
            packet = Ipv4Packet.parse(whole.datagram(), 0, whole.datagram().length).value();
        }
        if (!nfHook(Rule.Hook.LOCAL_IN, packet, in, null, now)) return;
        counters.counter("IpInDelivers").increment();
        if (packet.protocol() == IPPROTO_ICMP) icmp.receive(packet, now);
        else if (packet.protocol() == UdpDatagram.PROTOCOL) udp.receive(packet, now);
        else counters.counter("IpInUnknownProtos").increment();
    }

    // ip_forward(): TTL, route, decrement with an incremental checksum, on to the next hop.
    private void ipForward(Ipv4Packet packet, String in, long now) {
        if (packet.ttl() <= 1) {
            counters.counter("IpInHdrErrors").increment(); // too_many_hops
            icmp.send(IcmpMessage.timeExceeded(IcmpPacket.ICMP_EXC_TTL, packet), packet, now);
            return;
        }
        Optional<RoutingTable.Result> route = routes.lookup(packet.destination());
        if (route.isEmpty() || route.get().route().type() != Route.Type.UNICAST) {
            counters.counter("IpInNoRoutes").increment(); // ip_route_input_slow() -> ip_error()
            counters.counter("drop_" + SkbDropReason.IP_INNOROUTES.name()).increment();
            dropped(SkbDropReason.IP_INNOROUTES, packet);
            icmp.send(IcmpMessage.destinationUnreachable(IcmpPacket.ICMP_NET_UNREACH, packet), packet, now);
            return;
        }
        Interface outDevice = config.device(route.get().ifindex());
        // ip_exceeds_mtu(): DF and longer than the next hop's MTU is FragFails and fragmentation needed
        if (packet.totalLength() > outDevice.mtu() && packet.dontFragment()) {
            byte[] whole = java.util.Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.totalLength());
            fragmenter.fragment(whole, outDevice.mtu()); // counts FragFails
            counters.counter("drop_" + SkbDropReason.PKT_TOO_BIG.name()).increment();
            dropped(SkbDropReason.PKT_TOO_BIG, packet);
            icmp.send(IcmpMessage.fragmentationNeeded(outDevice.mtu(), packet), packet, now);
            return;
        }
        byte[] copy = java.util.Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.totalLength());
        Ipv4Packet.decreaseTtl(copy, 0);
        Ipv4Packet forwarded = Ipv4Packet.parse(copy, 0, copy.length).value();
        String out = outDevice.name();
        if (!nfHook(Rule.Hook.FORWARD, forwarded, in, out, now)) return;
        counters.counter("IpForwDatagrams").increment();
        if (!nfHook(Rule.Hook.POST_ROUTING, forwarded, null, out, now)) return;
        if (copy.length <= outDevice.mtu()) {
            ipOut.resolve(route.get(), new OutPacket(copy, -1), now);
        } else if (fragmenter.fragment(copy, outDevice.mtu()) instanceof Fragmenter.Fragments f) {
            // ip_finish_output() -> ip_fragment(): a datagram without DF is split for the next hop
            for (byte[] fragment : f.fragments()) ipOut.resolve(route.get(), new OutPacket(fragment, -1), now);
        }
    }

    // kfree_skb_reason(): which flow the dropped packet belonged to (FlowMonitor-style attribution).
    private void dropped(SkbDropReason reason, Ipv4Packet packet) {
        drops.ip(reason.name(), packet.buffer(), packet.offset(), packet.totalLength());
    }

    /** The packets this stack dropped, by reason and 5-tuple (null when none). */
    public knetsim.link.drop.FlowDropReport dropReport() {
        return drops.report("");
    }

    // NF_HOOK(): the filter table's verdict; DROP counts NETFILTER_DROP, REJECT also answers (ipt_REJECT).
    private boolean nfHook(Rule.Hook hook, Ipv4Packet packet, String in, String out, long now) {
        Rule rule = netfilter.verdict(hook, packet, in, out);
        if (rule == null || rule.target() == Rule.Target.ACCEPT) return true;
        counters.counter("drop_" + SkbDropReason.NETFILTER_DROP.name()).increment();
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

    /** socket(): a new UDP or ping socket, known by its id until {@link #closeSocket}. */
    public Sock openSocket(boolean ping) {
        int id = nextSocketId++;
        Sock socket = ping ? icmp.openPingSocket(id) : udp.open(id);
        sockets.put(id, socket);
        return socket;
    }

    /** close(): unhashed at once; send memory still in flight is released as the driver frees it. */
    public void closeSocket(Sock socket) {
        if (socket instanceof UdpSocket u) udp.close(u);
        else if (socket instanceof knetsim.node.icmp.PingSocket p) icmp.close(p);
    }

    /** sock_wfree(): the driver freed an skb charged to socket {@code owner}; wakes a blocked writer. */
    public void txFreed(int owner, int truesize, long now) {
        Sock socket = sockets.get(owner);
        if (socket == null) return;
        socket.releaseWrite(truesize);
        output.wake(socket, now);
    }

    /** What an outgoing packet of {@code length} IP bytes is charged: the skb dev_queue_xmit() gets. */
    public static int truesizeOfPacket(int length) {
        return knetsim.node.skb.SkBuff.truesizeOf(Host.NET_SKB_PAD + 14 + length);
    }

    /** A transport's bytes, written once the route has chosen the source address (UDP's checksum needs it). */
    public interface Transport {
        int length();

        void emit(byte[] b, int off, Ipv4Address source, Ipv4Address destination);
    }

    /** What a transport protocol needs from IP: sending, and ICMP errors about what it received. */
    public interface NetworkLayer {
        /**
         * ip_queue_xmit() with the sender's IP_MTU_DISCOVER mode (see IpOutput#ipOutput), charged to socket {@code owner} (-1: none): 0 or the errno.
         * {@code source} is the bound saddr (inet_saddr, or the address an ICMP reply answers for); null or
         * 0.0.0.0 takes the output interface's address, as the route lookup's fl4_src does.
         */
        int output(Ipv4Address source, Ipv4Address destination, int protocol, Transport payload, int ttl, int tos,
                   int pmtudisc, int owner, long now);

        /** ip_route_connect(): the source address a datagram to {@code destination} would get, or null (no route). */
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
        default void dropped(SkbDropReason reason, Ipv4Packet packet) {}
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
        for (int i = 0; i < netfilter.size(); i++) {
            counters.counter("netfilter_rule_" + i + "_packets").add(netfilter.packets(i));
            counters.counter("netfilter_rule_" + i + "_bytes").add(netfilter.bytes(i));
        }
        fragmenter.stats().asMap().forEach((name, value) -> counters.counter(name).add(value));
        reassembler.stats().asMap().forEach((name, value) -> counters.counter(name).add(value));
    }
}
