package knetsim.node.socket;

import java.util.ArrayDeque;
import knetsim.node.ipv4.Ipv4Address;

/**
 * A datagram socket (UDP, ping): the common sock plus sk_receive_queue of whole datagrams charged against
 * sk_rcvbuf by truesize, and the send-memory test of sock_alloc_send_pskb() its transport applies.
 */
public abstract class DatagramSock extends Sock {
    /** A queued datagram; {@code truesize} is what it is charged against sk_rcvbuf. */
    public record Datagram(Ipv4Address source, int sourcePort, byte[] payload, int ttl, int truesize, long arrivedAt) {}

    private final ArrayDeque<Datagram> receiveQueue = new ArrayDeque<>();
    private long rmemAlloc;

    protected DatagramSock(int id) {
        super(id);
    }

    /** __sock_queue_rcv_skb(): refused once what is queued exceeds sk_rcvbuf, so it may overshoot by one. */
    public boolean enqueue(Datagram datagram) {
        if (rmemAlloc > rcvbuf()) return false;
        rmemAlloc += datagram.truesize();
        receiveQueue.add(datagram);
        return true;
    }

    /** skb_recv_datagram(): the oldest datagram, uncharged, or null. */
    public Datagram dequeue() {
        Datagram d = receiveQueue.poll();
        if (d != null) rmemAlloc -= d.truesize();
        return d;
    }

    public int queued() {
        return receiveQueue.size();
    }

    public long rmemAlloc() {
        return rmemAlloc;
    }

    /** sock_alloc_send_pskb(): the pending error first (sock_error()), then send memory; 0, the errno, or -1 to sleep. */
    public int allocSendSkb() {
        int error = takePendingError();
        if (error != 0) return error;
        return writable() ? 0 : -1;
    }

    /** datagram_poll(): readable with data or an error, writable with half the send buffer free. */
    public int datagramPoll() {
        int events = 0;
        if (queued() > 0) events |= Syscall.EPOLLIN;
        if (hasPendingError() || hasQueuedError()) events |= Syscall.EPOLLERR;
        if (writeSpace()) events |= Syscall.EPOLLOUT;
        return events;
    }
}
