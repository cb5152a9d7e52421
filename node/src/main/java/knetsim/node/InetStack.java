package knetsim.node;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import knetsim.core.engine.Counters;
import knetsim.core.time.SimTime;
import knetsim.link.ethernet.EtherType;
import knetsim.link.ethernet.EthernetHeader;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.wire.Parsed;
import knetsim.node.icmp.IcmpMessage;
import knetsim.node.icmp.IcmpPacket;
import knetsim.node.icmp.IcmpLayer;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Header;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.ipv4.Route;
import knetsim.node.ipv4.RoutingTable;
import knetsim.node.neigh.ArpMessage;
import knetsim.node.neigh.ArpPacket;
import knetsim.node.neigh.NeighbourAction;
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
import knetsim.node.socket.SyscallResult;

/**
 * The IPv4 protocol code of one host or router: arp_rcv, ip_rcv with local delivery or ip_forward,
 * ICMP echo and errors (rate-limited), and ip_output through the routing table and the neighbour
 * subsystem (a packet to an unresolved next hop waits in its entry's arp_queue). A plain object:
 * the Host LP feeds it frames and timer expiries and carries out its output.
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
    }

    /** gc_thresh1: below this many entries neigh_periodic_work() collects nothing. */
    public static final int GC_THRESH1 = 128;
    /** gc_stale_time, and the period of neigh_periodic_work() (base_reachable_time / 2). */
    public static final long GC_STALE_TIME = 60 * SimTime.SECOND, GC_INTERVAL = 15 * SimTime.SECOND;

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

    /** ip_rt_mtu_expires (600 s) and ip_rt_min_pmtu (512 + 20 + 20): the life and floor of a learned path MTU. */
    public static final long IP_RT_MTU_EXPIRES = 600 * SimTime.SECOND;
    public static final int IP_RT_MIN_PMTU = 552;

    /** A fib_nh_exception's PMTU: the lowered MTU to one destination, until {@code expires}; locked below the floor. */
    record PmtuException(int mtu, boolean locked, long expires) {}

    /** A packet on its way out and the socket whose send memory it holds (-1: the kernel's own). */
    record OutPacket(byte[] bytes, int owner) {}

    private final Config config;
    private final RoutingTable routes = new RoutingTable();
    private final TreeMap<Long, NeighbourEntry<OutPacket>> neighbours = new TreeMap<>();
    private final NeighbourParameters parameters;
    private final knetsim.node.ipv4.Fragmenter fragmenter = new knetsim.node.ipv4.Fragmenter();
    private final knetsim.node.ipv4.Reassembler reassembler = new knetsim.node.ipv4.Reassembler();
    private final Netfilter netfilter;
    private final UdpLayer udp;
    private final IcmpLayer icmp;
    private final SplittableRandom random;
    private final Output output;
    private final Counters counters;
    private final TreeMap<Integer, Sock> sockets = new TreeMap<>();
    private final TreeMap<Integer, PmtuException> pmtuExceptions = new TreeMap<>(); // by destination
    private int nextIdentification;
    private int nextSocketId = 1;
    private long nextGc = SimTime.NEVER;
    private long lastNow; // the time of the call being served, for entries created deep inside it

    public InetStack(Config config, NeighbourParameters parameters, SplittableRandom random, Output output,
                     Counters counters) {
        this.config = config;
        this.parameters = parameters;
        this.random = random;
        this.output = output;
        this.counters = counters;
        this.netfilter = new Netfilter(config.rules());
        NetworkLayer ip = new NetworkLayer() {
            public int output(Ipv4Address source, Ipv4Address destination, int protocol, Transport payload, int ttl,
                              int pmtudisc, int owner, long now) {
                return ipOutput(source, destination, protocol, payload, ttl, pmtudisc, owner, now);
            }

            public Ipv4Address sourceFor(Ipv4Address destination) {
                Optional<RoutingTable.Result> route = routes.lookup(destination);
                if (route.isEmpty() || route.get().route().type() != Route.Type.UNICAST) return null;
                return device(route.get().ifindex()).address();
            }

            public boolean bindable(Ipv4Address address) {
                return inetAddrTypeBindable(address);
            }

            public void updatePmtu(Ipv4Address destination, int mtu, long now) {
                ipRtUpdatePmtu(destination, mtu, now);
            }

            public void unreachable(int code, Ipv4Packet offending, long now) {
                icmp.send(IcmpMessage.destinationUnreachable(code, offending), offending, now);
            }
        };
        this.udp = new UdpLayer(ip, counters, output, random.split());
        this.icmp = new IcmpLayer(ip, counters, output, udp::icmpError);
        udp.setIcmp(icmp);
        for (Interface i : config.interfaces()) routes.addConnected(i.ifindex(), i.name(), i.address(), i.prefixLength());
        for (Route r : config.routes()) routes.add(r);
    }

    private Interface device(int ifindex) {
        List<Interface> interfaces = config.interfaces();
        // Called several times per packet. The builder numbers interfaces 1, 2, ... in order, so look there first.
        int guess = ifindex - 1;
        if (guess >= 0 && guess < interfaces.size() && interfaces.get(guess).ifindex() == ifindex) return interfaces.get(guess);
        for (Interface i : interfaces) if (i.ifindex() == ifindex) return i;
        throw new IllegalArgumentException("no interface " + ifindex);
    }

    private boolean isLocal(Ipv4Address address) {
        for (Interface i : config.interfaces()) if (i.address().equals(address)) return true;
        return false;
    }

    // inet_addr_type(): 0.0.0.0, a local address, a broadcast one (limited or an interface's
    // subnet) or multicast may be bound; anything else is EADDRNOTAVAIL (ip_nonlocal_bind 0).
    private boolean inetAddrTypeBindable(Ipv4Address address) {
        int bits = address.bits();
        if (bits == 0 || bits == -1 || (bits >>> 28) == 0xe || isLocal(address)) return true;
        for (Interface i : config.interfaces()) {
            int host = i.prefixLength() >= 31 ? 0 : -1 >>> i.prefixLength();
            if (host != 0 && ((i.address().bits() | host) == bits)) return true;
        }
        return false;
    }

    /** The interfaces come up: with arp_notify, a gratuitous ARP request for each address (arp_send(ARPOP_REQUEST, sip = tip)). */
    public void start(long now) {
        if (!config.arpNotify()) return;
        for (Interface i : config.interfaces()) {
            ArpMessage announce = ArpMessage.request(i.mac(), i.address().bits(), i.address().bits());
            output.transmit(i.ifindex(), frame(i.ifindex(), MacAddress.BROADCAST, EtherType.ARP, announce.length(),
                    announce::emit), -1);
            counters.counter("ArpOutRequests").increment();
        }
    }

    // arp_rcv() -> arp_process(): answer requests for a local address (arp_ignore 0: any of ours)
    // and learn the sender of what is addressed to us.
    public void arpRcv(int ifindex, byte[] frame, long now) {
        lastNow = now;
        Parsed<ArpPacket> parsed = ArpPacket.parse(frame, 14, frame.length - 14);
        if (!parsed.isOk()) {
            counters.counter("ArpInErrors").increment();
            return;
        }
        ArpPacket arp = parsed.value();
        if (!isLocal(Ipv4Address.of(arp.targetProtocolAddress()))) {
            // not for us, but an entry we already have learns the sender's new address (gratuitous ARP;
            // arp_accept 0: no entry is created for it)
            NeighbourEntry<OutPacket> known = neighbours.get(((long) ifindex << 32) | (arp.senderProtocolAddress() & 0xffffffffL));
            if (known != null && known.state() != knetsim.node.neigh.NudState.NONE) {
                carryOut(ifindex, known, known.update(arp.senderHardwareAddress(), knetsim.node.neigh.NudState.STALE,
                        true, now), now);
                wakeForTimers();
            }
            return;
        }
        NeighbourEntry<OutPacket> entry = neighbour(ifindex, arp.senderProtocolAddress());
        if (arp.isRequest()) {
            carryOut(ifindex, entry, entry.requestReceived(arp.senderHardwareAddress(), now), now);
            ArpMessage reply = ArpMessage.replyTo(ArpMessage.of(arp), device(ifindex).mac());
            output.transmit(ifindex, frame(ifindex, arp.senderHardwareAddress(), EtherType.ARP, reply.length(), reply::emit), -1);
        } else {
            carryOut(ifindex, entry, entry.replyReceived(arp.senderHardwareAddress(), now), now);
        }
        wakeForTimers();
    }

    // ip_rcv() -> ip_rcv_finish(): ip_local_deliver() or ip_forward().
    public void ipRcv(int ifindex, byte[] frame, long now) {
        lastNow = now;
        counters.counter("IpInReceives").increment();
        Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(frame, 14, frame.length - 14);
        SkbDropReason reason = Ipv4Packet.dropReason(parsed);
        if (reason != SkbDropReason.NOT_DROPPED_YET) {
            // ip_rcv_core(): csum_error falls through to inhdr_error, so both count a bad checksum
            if (reason == SkbDropReason.IP_CSUM) counters.counter("IpInCsumErrors").increment();
            if (reason == SkbDropReason.PKT_TOO_SMALL) counters.counter("IpInTruncatedPkts").increment();
            else counters.counter("IpInHdrErrors").increment();
            counters.counter("drop_" + reason.name()).increment();
            return;
        }
        Ipv4Packet packet = parsed.value();
        String in = device(ifindex).name();
        if (!nfHook(Rule.Hook.PRE_ROUTING, packet, in, null, now)) return;
        if (isLocal(packet.destination())) {
            ipLocalDeliver(packet, in, now);
        } else if (config.forwarding()) {
            ipForward(packet, in, now);
        } else {
            counters.counter("IpInAddrErrors").increment();
            counters.counter("drop_" + SkbDropReason.OTHERHOST.name()).increment();
        }
    }

    // ip_local_deliver(): reassemble fragments (ip_defrag), then the protocol's handler.
    private void ipLocalDeliver(Ipv4Packet packet, String in, long now) {
        if (packet.isFragment()) {
            byte[] bytes = java.util.Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.totalLength());
            var outcome = reassembler.accept(bytes, now);
            wakeForTimers();
            if (outcome instanceof knetsim.node.ipv4.Reassembler.Dropped dropped) {
                counters.counter("drop_" + dropped.reason().name()).increment();
            }
            if (!(outcome instanceof knetsim.node.ipv4.Reassembler.Reassembled whole)) return;
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
            icmp.send(IcmpMessage.destinationUnreachable(IcmpPacket.ICMP_NET_UNREACH, packet), packet, now);
            return;
        }
        Interface outDevice = device(route.get().ifindex());
        // ip_exceeds_mtu(): DF and longer than the next hop's MTU is FragFails and fragmentation needed
        if (packet.totalLength() > outDevice.mtu() && packet.dontFragment()) {
            byte[] whole = java.util.Arrays.copyOfRange(packet.buffer(), packet.offset(), packet.offset() + packet.totalLength());
            fragmenter.fragment(whole, outDevice.mtu()); // counts FragFails
            counters.counter("drop_" + SkbDropReason.PKT_TOO_BIG.name()).increment();
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
            resolve(route.get(), new OutPacket(copy, -1), now);
        } else if (fragmenter.fragment(copy, outDevice.mtu()) instanceof knetsim.node.ipv4.Fragmenter.Fragments f) {
            // ip_finish_output() -> ip_fragment(): a datagram without DF is split for the next hop
            for (byte[] fragment : f.fragments()) resolve(route.get(), new OutPacket(fragment, -1), now);
        }
    }

    // NF_HOOK(): the filter table's verdict; DROP counts NETFILTER_DROP, REJECT also answers (ipt_REJECT).
    private boolean nfHook(Rule.Hook hook, Ipv4Packet packet, String in, String out, long now) {
        Rule rule = netfilter.verdict(hook, packet, in, out);
        if (rule == null || rule.target() == Rule.Target.ACCEPT) return true;
        counters.counter("drop_" + SkbDropReason.NETFILTER_DROP.name()).increment();
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
         * ip_queue_xmit() with the sender's IP_MTU_DISCOVER mode (see ipOutput), charged to socket {@code owner} (-1: none): 0 or the errno.
         * {@code source} is the bound saddr (inet_saddr, or the address an ICMP reply answers for); null or
         * 0.0.0.0 takes the output interface's address, as the route lookup's fl4_src does.
         */
        int output(Ipv4Address source, Ipv4Address destination, int protocol, Transport payload, int ttl, int pmtudisc,
                   int owner, long now);

        /** ip_route_connect(): the source address a datagram to {@code destination} would get, or null (no route). */
        Ipv4Address sourceFor(Ipv4Address destination);

        /** inet_addr_valid_or_nonlocal() with ip_nonlocal_bind 0: may a socket bind to {@code address}? */
        boolean bindable(Ipv4Address address);

        /** ipv4_sk_update_pmtu(): "fragmentation needed" said the path to {@code destination} takes only {@code mtu}. */
        void updatePmtu(Ipv4Address destination, int mtu, long now);

        /** icmp_send(ICMP_DEST_UNREACH, code) about {@code offending}. */
        void unreachable(int code, Ipv4Packet offending, long now);
    }

    // ip_queue_xmit()/ip_output() -> ip_finish_output(): route, header, fragment above the MTU.
    // __ip_make_skb(): IP_PMTUDISC_DO always sets DF (and __ip_append_data() refuses what does not
    // fit with EMSGSIZE); IP_PMTUDISC_WANT sets it when the datagram fits (ip_dont_fragment());
    // IP_PMTUDISC_DONT never does (ICMP replies and errors: the ICMP socket's mode).
    private int ipOutput(Ipv4Address source, Ipv4Address destination, int protocol, Transport payload, int ttl,
                         int pmtudisc, int owner, long now) {
        lastNow = now;
        Optional<RoutingTable.Result> route = routes.lookup(destination);
        if (route.isEmpty() || route.get().route().type() != Route.Type.UNICAST) {
            counters.counter("IpOutNoRoutes").increment();
            counters.counter("drop_" + SkbDropReason.IP_OUTNOROUTES.name()).increment();
            return ENETUNREACH;
        }
        Interface out = device(route.get().ifindex());
        PmtuException learned = pmtuException(destination, now);
        int mtu = learned != null ? learned.mtu() : out.mtu(); // dst_mtu(): ipv4_mtu() prefers a live rt_pmtu
        boolean fits = Ipv4Packet.HEADER_LEN + payload.length() <= mtu;
        if (!fits && pmtudisc == Sock.PMTUDISC_DO) {
            // __ip_append_data(): ip_local_error(EMSGSIZE, info = the path MTU) for IP_RECVERR sockets
            Sock socket = sockets.get(owner);
            if (socket != null && socket.recverr()) {
                socket.queueError(SyscallResult.ErrorReceived.local(EMSGSIZE, mtu, destination));
            }
            return EMSGSIZE;
        }
        // sock_alloc_send_pskb(): the socket's pending error (sock_error()), then its send memory
        Sock sender = sockets.get(owner);
        if (sender != null) {
            int error = sender.takePendingError();
            if (error != 0) return error;
            if (!sender.writable()) return WOULD_BLOCK;
        }
        // ip_dont_fragment(): WANT sets DF only when the path MTU is not locked
        boolean df = pmtudisc == Sock.PMTUDISC_DO
                || (pmtudisc == Sock.PMTUDISC_WANT && fits && (learned == null || !learned.locked()));
        int flags = df ? Ipv4Packet.IP_DF : 0;
        counters.counter("IpOutRequests").increment();
        // ip_route_output_flow() keeps a saddr the caller fixed; only an unset one becomes the device's (inet_select_addr)
        Ipv4Address from = source == null || source.equals(Ipv4Address.ANY) ? out.address() : source;
        Ipv4Header header = new Ipv4Header(0, nextIdentification++ & 0xffff, flags, 0, ttl, protocol,
                from, destination, new byte[0], payload.length());
        byte[] packet = new byte[header.length() + payload.length()];
        header.emit(packet, 0);
        payload.emit(packet, header.length(), from, destination);
        Ipv4Packet built = Ipv4Packet.parse(packet, 0, packet.length).value();
        // nf_hook_slow(): a packet the filter drops (DROP or REJECT) is -EPERM to the sender
        if (!nfHook(Rule.Hook.LOCAL_OUT, built, null, out.name(), now)) return Errno.EPERM;
        if (!nfHook(Rule.Hook.POST_ROUTING, built, null, out.name(), now)) return Errno.EPERM;
        if (fits) {
            resolve(route.get(), charge(packet, owner), now);
        } else if (fragmenter.fragment(packet, mtu) instanceof knetsim.node.ipv4.Fragmenter.Fragments f) {
            for (byte[] fragment : f.fragments()) resolve(route.get(), charge(fragment, owner), now);
        }
        return 0;
    }

    // ipv4_mtu(): a PMTU exception counts until it expires (then the route's own MTU is back).
    private PmtuException pmtuException(Ipv4Address destination, long now) {
        PmtuException e = pmtuExceptions.get(destination.bits());
        if (e != null && now >= e.expires()) {
            pmtuExceptions.remove(destination.bits());
            return null;
        }
        return e;
    }

    // __ip_rt_update_pmtu(): only ever lowers the MTU to a destination; below ip_rt_min_pmtu the
    // floor is used and the MTU locked (no more DF); an unchanged one is not renewed until half its
    // life is gone; update_or_create_fnhe() keeps it for ip_rt_mtu_expires.
    private void ipRtUpdatePmtu(Ipv4Address destination, int mtu, long now) {
        Optional<RoutingTable.Result> route = routes.lookup(destination);
        if (route.isEmpty() || route.get().route().type() != Route.Type.UNICAST) return;
        PmtuException current = pmtuException(destination, now);
        int old = current != null ? current.mtu() : device(route.get().ifindex()).mtu();
        if (old < mtu) return;
        boolean lock = false;
        if (mtu < IP_RT_MIN_PMTU) {
            lock = true;
            mtu = Math.min(old, IP_RT_MIN_PMTU);
        }
        if (current != null && current.mtu() == mtu && !lock && now < current.expires() - IP_RT_MTU_EXPIRES / 2) return;
        pmtuExceptions.put(destination.bits(), new PmtuException(mtu, lock, now + IP_RT_MTU_EXPIRES));
    }

    /** The path MTU to {@code destination} (ip route get ... shows it as "mtu"), for tests: 0 without an exception. */
    public int pathMtu(Ipv4Address destination, long now) {
        PmtuException e = pmtuException(destination, now);
        return e == null ? 0 : e.mtu();
    }

    // sock_alloc_send_skb(): the skb is charged to its socket's sk_wmem_alloc until it is freed.
    private OutPacket charge(byte[] packet, int owner) {
        Sock socket = sockets.get(owner);
        if (socket != null) socket.chargeWrite(truesizeOfPacket(packet.length));
        return new OutPacket(packet, socket == null ? -1 : owner);
    }

    // kfree_skb() of a packet that never reached the driver.
    private void freeUnsent(OutPacket packet, long now) {
        if (packet.owner() >= 0) txFreed(packet.owner(), truesizeOfPacket(packet.bytes().length), now);
    }

    // ip_finish_output2() -> neigh_resolve_output().
    private void resolve(RoutingTable.Result route, OutPacket packet, long now) {
        NeighbourEntry<OutPacket> entry = neighbour(route.ifindex(), route.nextHop().bits());
        carryOut(route.ifindex(), entry, entry.resolve(packet, now), now);
        wakeForTimers();
    }

    private NeighbourEntry<OutPacket> neighbour(int ifindex, int address) {
        return neighbours.computeIfAbsent(((long) ifindex << 32) | (address & 0xffffffffL), a -> {
            if (neighbours.size() + 1 >= GC_THRESH1 && nextGc == SimTime.NEVER) nextGc = lastNow + GC_INTERVAL;
            return new NeighbourEntry<>(address, parameters, parameters.drawReachableTime(random), lastNow);
        });
    }

    // neigh_periodic_work(): with gc_thresh1 entries or more, unused and failed entries go.
    private void collectGarbage(long now) {
        nextGc = SimTime.NEVER;
        if (neighbours.size() < GC_THRESH1) return;
        int before = neighbours.size();
        neighbours.values().removeIf(entry -> entry.collectable(now, GC_STALE_TIME));
        counters.counter("periodic_gc_runs").increment();
        counters.counter("destroys").add(before - neighbours.size());
        if (neighbours.size() >= GC_THRESH1) nextGc = now + GC_INTERVAL;
    }

    /** The entries of the neighbour table (ip neigh), for tests. */
    public int neighbourCount() {
        return neighbours.size();
    }

    /** The neighbour entry for {@code address} on {@code ifindex} (ip neigh show), or null: for tests. */
    public NeighbourEntry<?> neighbour(int ifindex, Ipv4Address address) {
        return neighbours.get(((long) ifindex << 32) | (address.bits() & 0xffffffffL));
    }

    /** A neighbour timer is due: neigh_timer_handler() for every entry whose time has come. */
    public void timerExpired(long now) {
        lastNow = now;
        if (nextGc <= now) collectGarbage(now);
        // ip_expire(): ICMP time exceeded (fragment reassembly) only when fragment 0 had arrived
        for (var expired : reassembler.expire(now)) {
            if (!expired.firstFragmentPresent()) continue;
            byte[] first = expired.firstFragment();
            Ipv4Packet offending = Ipv4Packet.parse(first, 0, first.length).value();
            icmp.send(IcmpMessage.timeExceeded(IcmpPacket.ICMP_EXC_FRAGTIME, offending), offending, now);
        }
        for (var e : List.copyOf(neighbours.entrySet())) {
            NeighbourEntry<OutPacket> entry = e.getValue();
            if (entry.nextTimer() <= now) carryOut((int) (e.getKey() >>> 32), entry, entry.timerExpired(now), now);
        }
        wakeForTimers();
    }

    private void wakeForTimers() {
        long next = SimTime.NEVER;
        for (NeighbourEntry<OutPacket> entry : neighbours.values()) next = Math.min(next, entry.nextTimer());
        next = Math.min(next, nextGc);
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

    private void carryOut(int ifindex, NeighbourEntry<OutPacket> entry, List<NeighbourAction<OutPacket>> actions,
                          long now) {
        for (NeighbourAction<OutPacket> action : actions) {
            if (action instanceof NeighbourAction.SendRequest<OutPacket> request) {
                arpSolicit(ifindex, entry.address(), request);
            } else if (action instanceof NeighbourAction.Transmit<OutPacket> transmit) {
                for (OutPacket packet : transmit.packets()) {
                    byte[] bytes = packet.bytes();
                    output.transmit(ifindex, frame(ifindex, transmit.destination(), EtherType.IPV4, bytes.length,
                            (b, off) -> System.arraycopy(bytes, 0, b, off, bytes.length)), packet.owner());
                }
            } else if (action instanceof NeighbourAction.Drop<OutPacket> drop) {
                counters.counter("drop_" + drop.reason().name()).add(drop.packets().size());
                for (OutPacket packet : drop.packets()) {
                    if (drop.reason() == SkbDropReason.NEIGH_FAILED) arpErrorReport(packet.bytes(), now);
                    freeUnsent(packet, now);
                }
            }
        }
    }

    // arp_error_report() -> icmp_send(HOST_UNREACH); for our own packets, back to the socket.
    private void arpErrorReport(byte[] packet, long now) {
        Parsed<Ipv4Packet> ip = Ipv4Packet.parse(packet, 0, packet.length);
        if (!ip.isOk()) return;
        if (!isLocal(ip.value().source())) {
            icmp.send(IcmpMessage.destinationUnreachable(IcmpPacket.ICMP_HOST_UNREACH, ip.value()), ip.value(), now);
            return;
        }
        icmp.localError(packet, IcmpPacket.ICMP_DEST_UNREACH, IcmpPacket.ICMP_HOST_UNREACH, now);
    }

    // arp_solicit(): a broadcast request while INCOMPLETE, unicast probes for a known address.
    private void arpSolicit(int ifindex, int target, NeighbourAction.SendRequest<OutPacket> request) {
        Interface device = device(ifindex);
        ArpMessage message = ArpMessage.request(device.mac(), device.address().bits(), target);
        MacAddress to = request.broadcast() ? MacAddress.BROADCAST : request.destination();
        output.transmit(ifindex, frame(ifindex, to, EtherType.ARP, message.length(), message::emit), -1);
        counters.counter("ArpOutRequests").increment();
    }

    private interface Body {
        void emit(byte[] b, int off);
    }

    private byte[] frame(int ifindex, MacAddress destination, int etherType, int length, Body body) {
        EthernetHeader header = EthernetHeader.untagged(destination, device(ifindex).mac(), etherType);
        byte[] frame = new byte[header.length() + length];
        header.emit(frame, 0);
        body.emit(frame, header.length());
        return frame;
    }
}
