package knetsim.node.udp;

import java.util.TreeMap;
import knetsim.node.ipv4.Ipv4Address;

/**
 * The bound UDP sockets of one host (udp_table): one socket per local address and port, and the
 * receive lookup of __udp4_lib_lookup(), which prefers a socket bound to the exact address over
 * one bound to INADDR_ANY.
 */
public final class UdpSocketTable {
    private final TreeMap<Long, UdpSocket> sockets = new TreeMap<>();

    private static long key(Ipv4Address address, int port) {
        return ((address.bits() & 0xffffffffL) << 16) | port;
    }

    /** bind(); an address and port already bound is EADDRINUSE (no SO_REUSEADDR here). */
    public UdpSocket bind(Ipv4Address address, int port, int rcvbuf) {
        UdpSocket socket = new UdpSocket(address, port, rcvbuf);
        if (sockets.putIfAbsent(key(address, port), socket) != null) {
            throw new IllegalStateException("EADDRINUSE: " + address + ":" + port + " is already bound");
        }
        return socket;
    }

    /** The socket a datagram to {@code destination:port} goes to, or null (UdpNoPorts). */
    public UdpSocket lookup(Ipv4Address destination, int port) {
        UdpSocket exact = sockets.get(key(destination, port));
        return exact != null ? exact : sockets.get(key(Ipv4Address.ANY, port));
    }
}
