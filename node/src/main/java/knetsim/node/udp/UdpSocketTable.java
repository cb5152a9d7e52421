package knetsim.node.udp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
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

    // the bound ports in ascending order and the sockets on each: a host binds a few, and every datagram looks its
    // port up, so a binary search over ints rather than a tree of boxed keys
    private int[] ports = new int[0];
    private UdpSocket[][] onPort = new UdpSocket[0][];

    // the sockets bound to port, none when it is free
    private UdpSocket[] on(int port) {
        int at = Arrays.binarySearch(ports, port);
        return at >= 0 ? onPort[at] : NONE;
    }

    private static final UdpSocket[] NONE = new UdpSocket[0];

    // udp_lib_get_port()'s hash insert: the socket joins its port's list, last
    private void add(int port, UdpSocket socket) {
        int at = Arrays.binarySearch(ports, port);
        if (at >= 0) {
            UdpSocket[] list = Arrays.copyOf(onPort[at], onPort[at].length + 1);
            list[list.length - 1] = socket;
            onPort[at] = list;
            return;
        }
        at = -at - 1;
        int[] grownPorts = new int[ports.length + 1];
        UdpSocket[][] grown = new UdpSocket[ports.length + 1][];
        System.arraycopy(ports, 0, grownPorts, 0, at);
        System.arraycopy(onPort, 0, grown, 0, at);
        grownPorts[at] = port;
        grown[at] = new UdpSocket[] {socket};
        System.arraycopy(ports, at, grownPorts, at + 1, ports.length - at);
        System.arraycopy(onPort, at, grown, at + 1, ports.length - at);
        ports = grownPorts;
        onPort = grown;
    }

    /** bind(): 0 or EADDRINUSE when the port is taken on an overlapping address (no SO_REUSEADDR). */
    public int bind(UdpSocket socket, Ipv4Address address, int port) {
        if (socket.bound()) return Errno.EINVAL;
        for (UdpSocket other : on(port)) {
            boolean overlap = other.localAddress().equals(Ipv4Address.ANY) || address.equals(Ipv4Address.ANY)
                    || other.localAddress().equals(address);
            if (overlap) return Errno.EADDRINUSE;
        }
        socket.bindTo(address, port);
        add(port, socket);
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
            if (Arrays.binarySearch(ports, port) < 0) return bind(socket, address, port);
        }
        return Errno.EAGAIN;
    }

    /** inet_rcv_saddr set by connect() on a socket bound to INADDR_ANY: it now receives on that address only. */
    public void rehash(UdpSocket socket, Ipv4Address source) {
        if (socket.localAddress().equals(Ipv4Address.ANY)) socket.bindTo(source, socket.port());
    }

    public void unbind(UdpSocket socket) {
        int at = Arrays.binarySearch(ports, socket.port());
        if (at < 0) return;
        List<UdpSocket> list = new ArrayList<>(Arrays.asList(onPort[at]));
        list.remove(socket);
        if (!list.isEmpty()) {
            onPort[at] = list.toArray(NONE);
            return;
        }
        int[] shrunkPorts = new int[ports.length - 1];
        UdpSocket[][] shrunk = new UdpSocket[ports.length - 1][];
        System.arraycopy(ports, 0, shrunkPorts, 0, at);
        System.arraycopy(onPort, 0, shrunk, 0, at);
        System.arraycopy(ports, at + 1, shrunkPorts, at, ports.length - at - 1);
        System.arraycopy(onPort, at + 1, shrunk, at, ports.length - at - 1);
        ports = shrunkPorts;
        onPort = shrunk;
    }

    /** __udp4_lib_lookup(): the best-scoring socket for a datagram, or null (UdpNoPorts). */
    public UdpSocket lookup(Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort) {
        return lookup(source.bits(), sourcePort, destination.bits(), destinationPort);
    }

    /** __udp4_lib_lookup() on the addresses' bits, as a datagram's header holds them. */
    public UdpSocket lookup(int source, int sourcePort, int destination, int destinationPort) {
        UdpSocket best = null;
        int bestScore = -1;
        for (UdpSocket s : on(destinationPort)) {
            int score = 0;
            int local = s.localAddress().bits();
            if (local != 0) { // not INADDR_ANY
                if (local != destination) continue;
                score += 4;
            }
            if (s.connected()) {
                if (s.remoteAddress().bits() != source || s.remotePort() != sourcePort) continue;
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
