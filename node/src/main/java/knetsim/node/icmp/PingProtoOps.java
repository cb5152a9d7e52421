package knetsim.node.icmp;

import knetsim.node.inet.Inet;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.DatagramSock;
import knetsim.node.socket.Errno;
import knetsim.node.socket.ProtoOps;
import knetsim.node.socket.Sock;
import knetsim.node.socket.SockOpts;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/** inet_sockraw_ops with ping_prot: the socket calls on a ping socket (SOCK_DGRAM, IPPROTO_ICMP). */
public final class PingProtoOps implements ProtoOps {
    private final IcmpLayer icmp;

    public PingProtoOps(IcmpLayer icmp) {
        this.icmp = icmp;
    }

    // ping_bind(): the port is the ident
    @Override
    public int bind(Sock sk, Ipv4Address address, int port) {
        return -icmp.bind((PingSocket) sk, port);
    }

    @Override
    public int connect(Sock sk, Ipv4Address address, int port, long now) {
        return -Errno.EINVAL;
    }

    // ping_v4_sendmsg(): one echo request, all or nothing
    @Override
    public int sendmsg(Sock sk, Ipv4Address to, int port, byte[] data, int off, int len, long now) {
        if (to == null) return -Errno.EDESTADDRREQ;
        byte[] message = off == 0 && len == data.length ? data : java.util.Arrays.copyOfRange(data, off, off + len);
        int errno = icmp.sendEcho((PingSocket) sk, to, message, now);
        if (errno == Inet.WOULD_BLOCK) return AGAIN;
        return errno == 0 ? len : -errno;
    }

    // ping_recvmsg(): a pending error first, then the oldest reply
    @Override
    public SyscallResult recvmsg(Sock sk, int maxLength, long now) {
        int error = sk.takePendingError();
        if (error != 0) return new SyscallResult.Failed(error);
        DatagramSock.Datagram d = ((DatagramSock) sk).dequeue();
        if (d == null) return null;
        byte[] payload = d.payload().length <= maxLength ? d.payload() : java.util.Arrays.copyOf(d.payload(), maxLength);
        return new SyscallResult.Received(d.source(), d.sourcePort(), payload, d.ttl(), d.arrivedAt());
    }

    @Override
    public int poll(Sock sk) {
        return ((DatagramSock) sk).datagramPoll();
    }

    @Override
    public int setsockopt(Sock sk, Syscall.Option option, int value) {
        return SockOpts.set(sk, option, value);
    }

    @Override
    public SyscallResult getsockopt(Sock sk, Syscall.Option option, long now) {
        SyscallResult r = SockOpts.get(sk, option);
        return r != null ? r : new SyscallResult.Failed(Errno.ENOPROTOOPT);
    }

    @Override
    public void release(Sock sk, long now) {
        icmp.close((PingSocket) sk);
    }

    @Override
    public SyscallResult.SockName getsockname(Sock sk) {
        return new SyscallResult.SockName(Ipv4Address.ANY, ((PingSocket) sk).ident());
    }
}
