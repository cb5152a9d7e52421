package knetsim.node.udp;

import java.util.Arrays;
import knetsim.core.engine.Counters;
import knetsim.link.wire.Parsed;
import knetsim.node.Host;
import knetsim.node.InetStack;
import knetsim.node.icmp.IcmpPacket;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;

/**
 * UDP over the host's IPv4 stack: the socket table, udp_sendmsg() and __udp4_lib_rcv(), with the
 * counters of /proc/net/snmp's Udp line and the kernel's drop reasons.
 */
public final class UdpLayer {
    /** sk_data_ready(): wakes the reader of the socket bound to {@code port}. */
    public interface DataReady {
        void dataReady(int port, long now);
    }

    private final InetStack.NetworkLayer ip;
    private final Counters counters;
    private final DataReady dataReady;
    private final UdpSocketTable sockets = new UdpSocketTable();

    public UdpLayer(InetStack.NetworkLayer ip, Counters counters, DataReady dataReady) {
        this.ip = ip;
        this.counters = counters;
        this.dataReady = dataReady;
    }

    /** bind() on every local address. */
    public UdpSocket bind(int port, int rcvbuf) {
        return sockets.bind(Ipv4Address.ANY, port, rcvbuf);
    }

    /** udp_sendmsg(): one datagram; 0 or the errno. */
    public int send(int sourcePort, Ipv4Address destination, int destinationPort, byte[] data, long now) {
        UdpHeader header = UdpHeader.forPayload(sourcePort, destinationPort, data.length);
        int errno = ip.output(destination, UdpDatagram.PROTOCOL, new InetStack.Transport() {
            public int length() {
                return header.length() + data.length;
            }

            public void emit(byte[] b, int off, Ipv4Address source, Ipv4Address to) {
                System.arraycopy(data, 0, b, off + header.length(), data.length);
                header.emitChecksummed(b, off, source.bits(), to.bits());
            }
        }, InetStack.DEFAULT_TTL, true, false, now);
        if (errno == 0) counters.counter("UdpOutDatagrams").increment();
        return errno;
    }

    // __udp4_lib_rcv(): checksum, socket lookup (none: ICMP port unreachable), then the socket's
    // receive queue, charged by the skb's truesize (full: SOCKET_RCVBUFF).
    public void receive(Ipv4Packet packet, long now) {
        Parsed<UdpDatagram> parsed = UdpDatagram.parse(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
        if (!parsed.isOk()) {
            drop(SkbDropReason.PKT_TOO_SMALL);
            return;
        }
        UdpDatagram datagram = parsed.value();
        if (!datagram.checksumValid(packet.source().bits(), packet.destination().bits())) {
            counters.counter("UdpInCsumErrors").increment();
            drop(SkbDropReason.UDP_CSUM);
            return;
        }
        UdpSocket socket = sockets.lookup(packet.destination(), datagram.destinationPort());
        if (socket == null) {
            counters.counter("UdpNoPorts").increment();
            counters.counter("drop_" + SkbDropReason.NO_SOCKET.name()).increment();
            ip.unreachable(IcmpPacket.ICMP_PORT_UNREACH, packet, now);
            return;
        }
        byte[] data = Arrays.copyOfRange(packet.buffer(), datagram.payloadOffset(),
                datagram.payloadOffset() + datagram.payloadLength());
        // the skb the driver built for the frame: NET_SKB_PAD of headroom, Ethernet and IP inside
        int truesize = SkBuff.truesizeOf(Host.NET_SKB_PAD + 14 + packet.totalLength());
        if (!socket.enqueue(new UdpSocket.Datagram(packet.source(), datagram.sourcePort(), data, truesize, now))) {
            counters.counter("UdpRcvbufErrors").increment();
            drop(SkbDropReason.SOCKET_RCVBUFF);
            return;
        }
        dataReady.dataReady(socket.port(), now);
    }

    private void drop(SkbDropReason reason) {
        counters.counter("UdpInErrors").increment();
        counters.counter("drop_" + reason.name()).increment();
    }
}
