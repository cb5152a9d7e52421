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

    /**
     * __sock_queue_rcv_skb() (ping sockets): refused once sk_rmem_alloc >= sk_rcvbuf, checked before the datagram
     * is added, so the queue may overshoot by one.
     */
    public boolean enqueue(Datagram datagram) {
        if (rmemAlloc >= rcvbuf()) return false;
        add(datagram);
        return true;
    }

    /**
     * __udp_enqueue_schedule_skb() of Linux 6.18: refused when rmem + truesize would exceed sk_rcvbuf, unless nothing
     * is charged (an empty queue takes one datagram of any size). rmem is sk_rmem_alloc, which still holds what the
     * reader has taken but not yet released (udp_rmem_release()). skb_condense() above half the buffer changes no
     * truesize here: the skbs are linear, and SKB_TRUESIZE(skb_end_offset) is what they already carry.
     */
    public boolean udpEnqueue(Datagram datagram) {
        long rmem = rmemAlloc, rcvbuf = rcvbuf();
        if (rmem + datagram.truesize() > rcvbuf && (rcvbuf > Integer.MAX_VALUE >> 1 || rmem != 0)) return false;
        add(datagram);
        return true;
    }

    private void add(Datagram datagram) {
        rmemAlloc += datagram.truesize();
        receiveQueue.add(datagram);
    }

    /** skb_recv_datagram(): the oldest datagram, uncharged, or null. */
    public Datagram dequeue() {
        Datagram d = receiveQueue.poll();
        if (d != null) uncharge(d.truesize());
        return d;
    }

    /** Takes the oldest datagram off the queue without touching sk_rmem_alloc (a protocol releases it its way). */
    protected Datagram poll() {
        return receiveQueue.poll();
    }

    /** atomic_sub(size, &sk->sk_rmem_alloc). */
    protected void uncharge(long truesize) {
        rmemAlloc -= truesize;
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

    /** inet_daddr set (a connected socket): its datagrams are numbered from its own inet_id. */
    public boolean hasPeer() {
        return false;
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
