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
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Header;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.ipv4.RoutingTable;
import knetsim.node.neigh.ArpMessage;
import knetsim.node.neigh.ArpPacket;
import knetsim.node.neigh.NeighbourAction;
import knetsim.node.neigh.NeighbourEntry;
import knetsim.node.neigh.NeighbourParameters;

/**
 * The IPv4 protocol code of one host with one interface, the first slice of issue 4: arp_rcv,
 * ip_rcv with local delivery, ICMP echo, and ip_output through the routing table and the
 * neighbour subsystem (a packet to an unresolved next hop waits in its entry's arp_queue).
 * A plain object: the Host LP feeds it frames and timer expiries and carries out its output.
 */
public final class InetStack {
    /** The interface: its address and prefix make the connected and local routes. */
    public record Interface(int ifindex, String name, MacAddress mac, Ipv4Address address, int prefixLength, int mtu) {}

    /** What the stack needs from its host: send a frame, be woken at a time, hear echo replies. */
    public interface Output {
        void transmit(byte[] frame);

        void wakeAt(long time);

        void echoReply(Ipv4Address from, int identifier, int sequence, long now);

        /** An ICMP error about one of our echo requests reached the pinger (e.g. host unreachable). */
        void echoError(Ipv4Address from, int identifier, int sequence, int type, int code, long now);
    }

    static final int ICMP_DEST_UNREACH = 3;
    static final int ICMP_HOST_UNREACH = 1;

    static final int IPPROTO_ICMP = 1;
    static final int DEFAULT_TTL = 64;

    private final Interface device;
    private final RoutingTable routes = new RoutingTable();
    private final TreeMap<Integer, NeighbourEntry<byte[]>> neighbours = new TreeMap<>();
    private final NeighbourParameters parameters;
    private final SplittableRandom random;
    private final Output output;
    private final Counters counters;
    private int nextIdentification;

    public InetStack(Interface device, NeighbourParameters parameters, SplittableRandom random, Output output,
                     Counters counters) {
        this.device = device;
        this.parameters = parameters;
        this.random = random;
        this.output = output;
        this.counters = counters;
        routes.addConnected(device.ifindex(), device.name(), device.address(), device.prefixLength());
    }

    public Interface device() {
        return device;
    }

    // arp_rcv() -> arp_process(): answer requests for our address and learn from what is addressed to us.
    public void arpRcv(byte[] frame, long now) {
        Parsed<ArpPacket> parsed = ArpPacket.parse(frame, 14, frame.length - 14);
        if (!parsed.isOk()) {
            counters.counter("ArpInErrors").increment();
            return;
        }
        ArpPacket arp = parsed.value();
        if (arp.targetProtocolAddress() != device.address().bits()) return; // not for us: ignored
        NeighbourEntry<byte[]> entry = neighbour(arp.senderProtocolAddress());
        if (arp.isRequest()) {
            carryOut(entry, entry.requestReceived(arp.senderHardwareAddress(), now), now);
            ArpMessage reply = ArpMessage.replyTo(ArpMessage.of(arp), device.mac());
            output.transmit(frame(arp.senderHardwareAddress(), EtherType.ARP, reply.length(), reply::emit));
        } else {
            carryOut(entry, entry.replyReceived(arp.senderHardwareAddress(), now), now);
        }
        wakeForTimers();
    }

    // ip_rcv() -> ip_rcv_finish() -> ip_local_deliver(); this host does not forward.
    public void ipRcv(byte[] frame, long now) {
        counters.counter("IpInReceives").increment();
        Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(frame, 14, frame.length - 14);
        var reason = Ipv4Packet.dropReason(parsed);
        if (reason != knetsim.node.skb.SkbDropReason.NOT_DROPPED_YET) {
            // ip_rcv_core(): csum_error falls through to inhdr_error, so both count a bad checksum
            if (reason == knetsim.node.skb.SkbDropReason.IP_CSUM) counters.counter("IpInCsumErrors").increment();
            if (reason == knetsim.node.skb.SkbDropReason.PKT_TOO_SMALL) counters.counter("IpInTruncatedPkts").increment();
            else counters.counter("IpInHdrErrors").increment();
            counters.counter("drop_" + reason.name()).increment();
            return;
        }
        Ipv4Packet packet = parsed.value();
        if (!packet.destination().equals(device.address())) {
            counters.counter("IpInAddrErrors").increment(); // ip_forward is off: OTHERHOST
            return;
        }
        counters.counter("IpInDelivers").increment();
        if (packet.protocol() == IPPROTO_ICMP) icmpRcv(packet, now);
        else counters.counter("IpInUnknownProtos").increment();
    }

    // icmp_rcv(): answer echo requests (icmp_echo), hand echo replies to the pinger.
    private void icmpRcv(Ipv4Packet packet, long now) {
        counters.counter("IcmpInMsgs").increment();
        Parsed<IcmpPacket> parsed = IcmpPacket.parse(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
        if (!parsed.isOk() || !parsed.value().checksumValid()) {
            // icmp_rcv(): a bad checksum is ICMP_CSUM, counted in IcmpInCsumErrors and IcmpInErrors
            if (parsed.isOk()) counters.counter("IcmpInCsumErrors").increment();
            counters.counter("IcmpInErrors").increment();
            return;
        }
        IcmpMessage message = IcmpMessage.of(parsed.value());
        if (message instanceof IcmpMessage.EchoRequest request) {
            counters.counter("IcmpInEchos").increment();
            if (ipOutput(packet.source(), IPPROTO_ICMP, request.reply(), now)) {
                counters.counter("IcmpOutEchoReps").increment();
            }
        } else if (message instanceof IcmpMessage.EchoReply reply) {
            counters.counter("IcmpInEchoReps").increment();
            output.echoReply(packet.source(), reply.identifier(), reply.sequence(), now);
        }
    }

    /** What ping's sendto() does: an ICMP echo request; false when there is no route. */
    public boolean ping(Ipv4Address destination, int identifier, int sequence, int dataLength, long now) {
        var request = new IcmpMessage.EchoRequest(identifier, sequence, new byte[dataLength]);
        boolean sent = ipOutput(destination, IPPROTO_ICMP, request, now);
        if (sent) counters.counter("IcmpOutEchos").increment();
        return sent;
    }

    // ip_queue_xmit()/ip_output(): route, build the header, then neigh_resolve_output().
    private boolean ipOutput(Ipv4Address destination, int protocol, IcmpMessage message, long now) {
        Optional<RoutingTable.Result> route = routes.lookup(destination);
        if (route.isEmpty()) {
            counters.counter("IpOutNoRoutes").increment();
            return false;
        }
        counters.counter("IpOutRequests").increment();
        Ipv4Header header = Ipv4Header.of(device.address(), destination, protocol, DEFAULT_TTL,
                nextIdentification++ & 0xffff, message.length());
        byte[] packet = new byte[header.length() + message.length()];
        header.emit(packet, 0);
        message.emit(packet, header.length());
        NeighbourEntry<byte[]> entry = neighbour(route.get().nextHop().bits());
        carryOut(entry, entry.resolve(packet, now), now);
        wakeForTimers();
        return true;
    }

    private NeighbourEntry<byte[]> neighbour(int address) {
        return neighbours.computeIfAbsent(address,
                a -> new NeighbourEntry<>(a, parameters, parameters.drawReachableTime(random)));
    }

    /** A neighbour timer is due: neigh_timer_handler() for every entry whose time has come. */
    public void timerExpired(long now) {
        for (NeighbourEntry<byte[]> entry : List.copyOf(neighbours.values())) {
            if (entry.nextTimer() <= now) carryOut(entry, entry.timerExpired(now), now);
        }
        wakeForTimers();
    }

    private void wakeForTimers() {
        long next = SimTime.NEVER;
        for (NeighbourEntry<byte[]> entry : neighbours.values()) next = Math.min(next, entry.nextTimer());
        if (next != SimTime.NEVER) output.wakeAt(next);
    }

    private void carryOut(NeighbourEntry<byte[]> entry, List<NeighbourAction<byte[]>> actions, long now) {
        for (NeighbourAction<byte[]> action : actions) {
            if (action instanceof NeighbourAction.SendRequest<byte[]> request) {
                arpSolicit(entry.address(), request);
            } else if (action instanceof NeighbourAction.Transmit<byte[]> transmit) {
                for (byte[] packet : transmit.packets()) {
                    output.transmit(frame(transmit.destination(), EtherType.IPV4, packet.length,
                            (b, off) -> System.arraycopy(packet, 0, b, off, packet.length)));
                }
            } else if (action instanceof NeighbourAction.Drop<byte[]> drop) {
                counters.counter("drop_" + drop.reason().name()).add(drop.packets().size());
                if (drop.reason() == knetsim.node.skb.SkbDropReason.NEIGH_FAILED) {
                    for (byte[] packet : drop.packets()) arpErrorReport(packet, now);
                }
            }
        }
    }

    // arp_error_report() -> icmp_send(HOST_UNREACH): for our own packets the error comes back to
    // the sending socket through lo; without a loopback device it is handed over directly, and
    // counted on both sides as the trip through lo would count it.
    private void arpErrorReport(byte[] packet, long now) {
        Parsed<Ipv4Packet> ip = Ipv4Packet.parse(packet, 0, packet.length);
        if (!ip.isOk() || !ip.value().source().equals(device.address()) || ip.value().protocol() != IPPROTO_ICMP) return;
        Parsed<IcmpPacket> icmp = IcmpPacket.parse(packet, ip.value().payloadOffset(), ip.value().payloadLength());
        if (!icmp.isOk() || !(IcmpMessage.of(icmp.value()) instanceof IcmpMessage.EchoRequest request)) return;
        counters.counter("IcmpOutDestUnreachs").increment();
        counters.counter("IcmpInDestUnreachs").increment();
        output.echoError(device.address(), request.identifier(), request.sequence(), ICMP_DEST_UNREACH,
                ICMP_HOST_UNREACH, now);
    }

    // arp_solicit(): a broadcast request while INCOMPLETE, unicast probes for a known address.
    private void arpSolicit(int target, NeighbourAction.SendRequest<byte[]> request) {
        ArpMessage message = ArpMessage.request(device.mac(), device.address().bits(), target);
        MacAddress to = request.broadcast() ? MacAddress.BROADCAST : request.destination();
        output.transmit(frame(to, EtherType.ARP, message.length(), message::emit));
        counters.counter("ArpOutRequests").increment();
    }

    private interface Body {
        void emit(byte[] b, int off);
    }

    private byte[] frame(MacAddress destination, int etherType, int length, Body body) {
        EthernetHeader header = EthernetHeader.untagged(destination, device.mac(), etherType);
        byte[] frame = new byte[header.length() + length];
        header.emit(frame, 0);
        body.emit(frame, header.length());
        return frame;
    }
}
