package knetsim.node.socket;

/**
 * What the datagram families share (net/core/datagram.c and sock_common_*): receiving one queued
 * datagram with a pending error first, datagram_poll(), and the common socket options. UDP and ping
 * sockets add their bind, connect, sendmsg and release.
 */
public abstract class DatagramProtoOps implements ProtoOps {
    /** The protocol's counting of a datagram handed to the reader (UDP counts UdpInDatagrams here). */
    protected void delivered() {}

    // __skb_recv_datagram(): a pending error wins over queued data; longer than asked is truncated (MSG_TRUNC)
    @Override
    public final SyscallResult recvmsg(Sock sk, int maxLength, long now) {
        int error = sk.takePendingError();
        if (error != 0) return new SyscallResult.Failed(error);
        DatagramSock.Datagram d = ((DatagramSock) sk).dequeue();
        if (d == null) return null;
        delivered();
        byte[] payload = d.payload().length <= maxLength ? d.payload() : java.util.Arrays.copyOf(d.payload(), maxLength);
        return new SyscallResult.Received(d.source(), d.sourcePort(), payload, d.ttl(), d.arrivedAt());
    }

    // datagram_poll()
    @Override
    public final int poll(Sock sk) {
        return ((DatagramSock) sk).datagramPoll();
    }

    @Override
    public final int setsockopt(Sock sk, Syscall.Option option, int value, long now) {
        return SockOpts.set(sk, option, value);
    }

    // do_ip_getsockopt(IP_MTU): the connected route's dst_mtu(), 0 when the socket has no route (ENOTCONN)
    protected int dstMtu(Sock sk, long now) {
        return 0;
    }

    @Override
    public final SyscallResult getsockopt(Sock sk, Syscall.Option option, long now) {
        if (option == Syscall.Option.IP_MTU) {
            int mtu = dstMtu(sk, now);
            return mtu > 0 ? new SyscallResult.Returned(mtu) : new SyscallResult.Failed(Errno.ENOTCONN);
        }
        SyscallResult r = SockOpts.get(sk, option);
        return r != null ? r : new SyscallResult.Failed(Errno.ENOPROTOOPT);
    }
}
