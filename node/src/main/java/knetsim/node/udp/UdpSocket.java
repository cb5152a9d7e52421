package knetsim.node.udp;

import java.util.ArrayDeque;
import knetsim.node.ipv4.Ipv4Address;

/**
 * A bound UDP socket's receive side: its queue and the memory charged to it. A datagram is
 * refused when the memory already queued exceeds sk_rcvbuf, as __udp_enqueue_schedule_skb()
 * checks it, so the queue may go over the limit by one datagram, as Linux's does.
 */
public final class UdpSocket {
    /** rmem_default: the receive buffer a socket gets without SO_RCVBUF. */
    public static final int RMEM_DEFAULT = 212_992;

    /** A queued datagram; {@code truesize} is what it is charged against sk_rcvbuf. */
    public record Datagram(Ipv4Address source, int sourcePort, byte[] payload, int truesize, long arrivedAt) {}

    private final Ipv4Address address;
    private final int port;
    private final int rcvbuf;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private long rmemAlloc;

    public UdpSocket(Ipv4Address address, int port, int rcvbuf) {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not 1..65535");
        if (rcvbuf < 1) throw new IllegalArgumentException("rcvbuf must be positive, got " + rcvbuf);
        this.address = address;
        this.port = port;
        this.rcvbuf = rcvbuf;
    }

    /** Queues a datagram; false when the receive buffer is full (SOCKET_RCVBUFF, UdpRcvbufErrors). */
    public boolean enqueue(Datagram datagram) {
        if (rmemAlloc > rcvbuf) return false;
        rmemAlloc += datagram.truesize();
        queue.add(datagram);
        return true;
    }

    /** udp_recvmsg(): the oldest datagram, uncharged, or null when none is queued. */
    public Datagram receive() {
        Datagram d = queue.poll();
        if (d != null) rmemAlloc -= d.truesize();
        return d;
    }

    public Ipv4Address address() {
        return address;
    }

    public int port() {
        return port;
    }

    public int queued() {
        return queue.size();
    }

    public long rmemAlloc() {
        return rmemAlloc;
    }
}
