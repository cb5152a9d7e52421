package knetsim.node.udp;

import java.util.Arrays;
import java.util.SplittableRandom;
import knetsim.core.engine.Counters;
import knetsim.link.wire.Parsed;
import knetsim.node.icmp.IcmpLayer;
import knetsim.node.icmp.IcmpPacket;
import knetsim.node.inet.Inet;
import knetsim.node.inet.MibCounter;
import knetsim.node.inet.NetworkLayer;
import knetsim.node.inet.SkbOwner;
import knetsim.node.inet.Transport;
import knetsim.node.ipv4.IpIdents;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.skb.SkbDropReason;
import knetsim.node.socket.DatagramSock;
import knetsim.node.socket.Errno;
import knetsim.node.socket.SocketWakeup;

/**
 * UDP over the host's IPv4 stack: the socket table, udp_sendmsg(), __udp4_lib_rcv() and
 * __udp4_lib_err(), with the counters of /proc/net/snmp's Udp line and the kernel's drop reasons.
 */
public final class UdpLayer {
    /** The largest payload one UDP datagram can carry over IPv4. */
    public static final int MAX_PAYLOAD = 65_535 - 20 - UdpDatagram.HEADER_LEN;

    private final NetworkLayer ip;
    private final Counters counters;
    private final SocketWakeup wakeup;
    private final SplittableRandom random;
    private final MibCounter outDatagrams, inCsumErrors, noPorts, rcvbufErrors, inDatagrams, inErrors;
    private final MibCounter.Drops drops;
    private final UdpSocketTable sockets = new UdpSocketTable();
    private IcmpLayer icmp;

    public UdpLayer(NetworkLayer ip, Counters counters, SocketWakeup wakeup, SplittableRandom random) {
        this.ip = ip;
        this.counters = counters;
        this.wakeup = wakeup;
        this.random = random;
        this.outDatagrams = new MibCounter(counters, "UdpOutDatagrams");
        this.inCsumErrors = new MibCounter(counters, "UdpInCsumErrors");
        this.noPorts = new MibCounter(counters, "UdpNoPorts");
        this.rcvbufErrors = new MibCounter(counters, "UdpRcvbufErrors");
        this.inDatagrams = new MibCounter(counters, "UdpInDatagrams");
        this.inErrors = new MibCounter(counters, "UdpInErrors");
        this.drops = new MibCounter.Drops(counters);
    }

    /** IP_MTU of a connected socket: dst_mtu() of the route to its peer, 0 when none. */
    public int dstMtu(Ipv4Address peer, long now) {
        return ip.dstMtu(peer, now);
    }

    /** The ICMP layer that reports errors to our sockets (the two are built together). */
    public void setIcmp(IcmpLayer icmp) {
        this.icmp = icmp;
    }

    public UdpSocket open(int id) {
        return new UdpSocket(id);
    }

    /** bind(); port 0 is an ephemeral port (inet_autobind). 0 or the errno. */
    public int bind(UdpSocket socket, Ipv4Address address, int port) {
        // __inet_bind(): the address is checked first (inet_addr_type); not ours is EADDRNOTAVAIL
        if (!ip.bindable(address)) return Errno.EADDRNOTAVAIL;
        return port == 0 ? sockets.autobind(socket, address, random) : sockets.bind(socket, address, port);
    }

    /**
     * ip4_datagram_connect(): the default peer, found by a route lookup (none: ENETUNREACH); the
     * socket takes the route's source address and, if unbound, an ephemeral port, and a random inet_id.
     */
    public int connect(UdpSocket socket, Ipv4Address address, int port) {
        if (port < 1 || port > 65535) return Errno.EINVAL;
        Ipv4Address source = ip.sourceFor(address);
        if (source == null) return Errno.ENETUNREACH;
        if (!socket.bound()) {
            int errno = bind(socket, Ipv4Address.ANY, 0);
            if (errno != 0) return errno;
        }
        sockets.rehash(socket, source);
        socket.connectTo(address, port);
        socket.setInetId(IpIdents.randomInetId(random)); // atomic_set(&inet->inet_id, get_random_u16())
        return 0;
    }

    public void close(UdpSocket socket) {
        sockets.unbind(socket);
    }

    /**
     * udp_sendmsg(): one datagram ({@code destination} null: the connected peer), autobinding the
     * socket first. Each skb it builds is charged to the socket until the driver frees it. 0, the errno, or Inet.WOULD_BLOCK (send buffer full).
     */
    public int send(UdpSocket socket, Ipv4Address destination, int destinationPort, byte[] data, long now) {
        if (destination == null) {
            if (!socket.connected()) return Errno.EDESTADDRREQ;
            destination = socket.remoteAddress();
            destinationPort = socket.remotePort();
        }
        if (data.length > MAX_PAYLOAD) return Errno.EMSGSIZE;
        if (!socket.bound()) {
            int errno = bind(socket, Ipv4Address.ANY, 0);
            if (errno != 0) return errno;
        }
        // udp_sendmsg(): an explicit destination with port 0 is EINVAL (after inet_send_prepare()'s autobind)
        if (destinationPort == 0) return Errno.EINVAL;
        UdpHeader header = UdpHeader.forPayload(socket.port(), destinationPort, data.length);
        // udp_sendmsg(): saddr = inet->inet_saddr, set by bind() to a local address or by connect()
        int errno = ip.output(socket.localAddress(), destination, UdpDatagram.PROTOCOL, new Transport() {
            public int length() {
                return header.length() + data.length;
            }

            public void emit(byte[] b, int off, Ipv4Address source, Ipv4Address to) {
                System.arraycopy(data, 0, b, off + header.length(), data.length);
                header.emitChecksummed(b, off, source.bits(), to.bits());
            }
        }, socket.ttl(), socket.tos(), socket.pmtudisc(), SkbOwner.of(socket), now);
        if (errno == 0) outDatagrams.increment();
        return errno;
    }

    // __udp4_lib_rcv(): checksum, socket lookup (none: ICMP port unreachable), then the socket's
    // receive queue, charged by the skb's truesize (full: SOCKET_RCVBUFF).
    public void receive(Ipv4Packet packet, int truesize, long now) {
        Parsed<UdpDatagram> parsed = UdpDatagram.parse(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
        if (!parsed.isOk()) {
            drop(SkbDropReason.PKT_TOO_SMALL, packet);
            return;
        }
        UdpDatagram datagram = parsed.value();
        // saddr and daddr of the IP header (offsets 12 and 16), read once as ints for the checksum and the lookup
        int source = Ipv4Address.bitsAt(packet.buffer(), packet.offset() + 12);
        int destination = Ipv4Address.bitsAt(packet.buffer(), packet.offset() + 16);
        if (!datagram.checksumValid(source, destination)) {
            inCsumErrors.increment();
            drop(SkbDropReason.UDP_CSUM, packet);
            return;
        }
        UdpSocket socket = sockets.lookup(source, datagram.sourcePort(), destination, datagram.destinationPort());
        if (socket == null) {
            noPorts.increment();
            drops.drop(SkbDropReason.NO_SOCKET);
            ip.dropped(SkbDropReason.NO_SOCKET, packet);
            ip.unreachable(IcmpPacket.ICMP_PORT_UNREACH, packet, now);
            return;
        }
        byte[] data = Arrays.copyOfRange(packet.buffer(), datagram.payloadOffset(),
                datagram.payloadOffset() + datagram.payloadLength());
        // __udp_queue_rcv_skb(): -ENOMEM from __udp_enqueue_schedule_skb() counts RcvbufErrors and InErrors
        if (!socket.udpEnqueue(new DatagramSock.Datagram(packet.source(), datagram.sourcePort(), data, packet.ttl(), truesize, now))) {
            rcvbufErrors.increment();
            drop(SkbDropReason.SOCKET_RCVBUFF, packet);
            return;
        }
        wakeup.wake(socket, now);
    }

    /** udp_recvmsg() took a datagram off a socket: UdpInDatagrams counts it then, as Linux does. */
    public void delivered() {
        inDatagrams.increment();
    }

    // __udp4_lib_err(): the socket that sent the quoted datagram learns of the ICMP error.
    public void icmpError(byte[] quote, int at, int type, int code, int info, Ipv4Address from, long now) {
        Ipv4Address source = Ipv4Address.read(quote, 12), destination = Ipv4Address.read(quote, 16);
        int sourcePort = ((quote[at] & 0xff) << 8) | (quote[at + 1] & 0xff);
        int destinationPort = ((quote[at + 2] & 0xff) << 8) | (quote[at + 3] & 0xff);
        UdpSocket socket = sockets.lookupSender(source, sourcePort, destination, destinationPort);
        if (socket == null) return; // the sender is gone (__udp4_lib_err counts ICMP_MIB_INERRORS)
        icmp.deliverError(socket, socket.connected(), quote, at, type, code, info, from, now);
    }

    private void drop(SkbDropReason reason, Ipv4Packet packet) {
        inErrors.increment();
        drops.drop(reason);
        ip.dropped(reason, packet);
    }
}
