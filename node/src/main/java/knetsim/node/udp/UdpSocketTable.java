package knetsim.node.udp;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.Errno;

/**
 * The UDP sockets of one host (udp_table): bind() with its EADDRINUSE check, inet_autobind()'s
 * ephemeral port, and __udp4_lib_lookup()'s scoring, which prefers the socket that matches the
 * most of the 4-tuple (exact local address, connected peer address and port).
 */
public final class UdpSocketTable {
    /** ip_local_port_range's default. */
    public static final int EPHEMERAL_LOW = 32768, EPHEMERAL_HIGH = 60999;

    private final TreeMap<Integer, List<UdpSocket>> byPort = new TreeMap<>();

    /** bind(): 0 or EADDRINUSE when the port is taken on an overlapping address (no SO_REUSEADDR). */
    public int bind(UdpSocket socket, Ipv4Address address, int port) {
        if (socket.bound()) return Errno.EINVAL;
        for (UdpSocket other : byPort.getOrDefault(port, List.of())) {
            boolean overlap = other.localAddress().equals(Ipv4Address.ANY) || address.equals(Ipv4Address.ANY)
                    || other.localAddress().equals(address);
            if (overlap) return Errno.EADDRINUSE;
        }
        socket.bindTo(address, port);
        byPort.computeIfAbsent(port, p -> new ArrayList<>()).add(socket);
        return 0;
    }

    /**
     * udp_lib_get_port(sk, 0): an ephemeral port from a random start in 32768..60999, the next free
     * one upwards (wrapping). Linux strides by the hash table's size; the effect, a free port from a
     * random place in the range, is the same. 0 or EAGAIN when every port is taken.
     */
    public int autobind(UdpSocket socket, Ipv4Address address, SplittableRandom random) {
        int remaining = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
        int first = EPHEMERAL_LOW + random.nextInt(remaining);
        for (int i = 0; i < remaining; i++) {
            int port = EPHEMERAL_LOW + (first - EPHEMERAL_LOW + i) % remaining;
            if (!byPort.containsKey(port)) return bind(socket, address, port);
        }
        return Errno.EAGAIN;
    }

    /** inet_rcv_saddr set by connect() on a socket bound to INADDR_ANY: it now receives on that address only. */
    public void rehash(UdpSocket socket, Ipv4Address source) {
        if (socket.localAddress().equals(Ipv4Address.ANY)) socket.bindTo(source, socket.port());
    }

    public void unbind(UdpSocket socket) {
        List<UdpSocket> list = byPort.get(socket.port());
        if (list == null) return;
        list.remove(socket);
        if (list.isEmpty()) byPort.remove(socket.port());
    }

    /** __udp4_lib_lookup(): the best-scoring socket for a datagram, or null (UdpNoPorts). */
    public UdpSocket lookup(Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort) {
        UdpSocket best = null;
        int bestScore = -1;
        for (UdpSocket s : byPort.getOrDefault(destinationPort, List.of())) {
            int score = 0;
            if (!s.localAddress().equals(Ipv4Address.ANY)) {
                if (!s.localAddress().equals(destination)) continue;
                score += 4;
            }
            if (s.connected()) {
                if (!s.remoteAddress().equals(source) || s.remotePort() != sourcePort) continue;
                score += 8;
            }
            if (score > bestScore) {
                best = s;
                bestScore = score;
            }
        }
        return best;
    }

    /** __udp4_lib_err()'s lookup: the socket that sent {@code local:localPort -> remote:remotePort}. */
    public UdpSocket lookupSender(Ipv4Address local, int localPort, Ipv4Address remote, int remotePort) {
        return lookup(remote, remotePort, local, localPort);
    }
}
