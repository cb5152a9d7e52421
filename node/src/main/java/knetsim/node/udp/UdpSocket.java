package knetsim.node.udp;

import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.DatagramSock;

/** A UDP socket: its local address and port once bound, and its peer once connected. */
public final class UdpSocket extends DatagramSock {
    private Ipv4Address localAddress = Ipv4Address.ANY;
    private int localPort; // 0: not bound yet
    private Ipv4Address remoteAddress; // null: not connected
    private int remotePort;
    private int readerQueued;   // how many datagrams at the head of the queue are in udp_sk(sk)->reader_queue
    private long forwardDeficit; // up->forward_deficit: taken by the reader, not yet released from sk_rmem_alloc

    public UdpSocket(int id) {
        super(id);
    }

    public Ipv4Address localAddress() {
        return localAddress;
    }

    public int port() {
        return localPort;
    }

    public boolean bound() {
        return localPort != 0;
    }

    void bindTo(Ipv4Address address, int port) {
        this.localAddress = address;
        this.localPort = port;
    }

    public Ipv4Address remoteAddress() {
        return remoteAddress;
    }

    public int remotePort() {
        return remotePort;
    }

    public boolean connected() {
        return remoteAddress != null;
    }

    // __skb_recv_udp(): the reader queue first; when it is empty, sk_receive_queue is spliced onto it. The datagram
    // taken is released by udp_rmem_release(sk, truesize, partial = 1).
    @Override
    public Datagram dequeue() {
        if (readerQueued == 0) readerQueued = queued();
        Datagram d = poll();
        if (d == null) return null;
        readerQueued--;
        udpRmemRelease(d.truesize());
        return d;
    }

    // udp_rmem_release(): memory goes back in batches: the deficit is kept while it is under a quarter of
    // sk_rcvbuf and the reader queue still holds datagrams; then all of it is released and the receive queue spliced.
    private void udpRmemRelease(int size) {
        forwardDeficit += size;
        if (forwardDeficit < (rcvbuf() >> 2) && readerQueued > 0) return;
        uncharge(forwardDeficit);
        forwardDeficit = 0;
        readerQueued = queued(); // skb_queue_splice_tail_init(sk_queue, &up->reader_queue)
    }

    @Override
    public boolean hasPeer() {
        return connected();
    }

    public void connectTo(Ipv4Address address, int port) {
        this.remoteAddress = address;
        this.remotePort = port;
    }
}
