package knetsim.node.icmp;

import knetsim.node.inet.Inet;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.Errno;
import knetsim.node.socket.DatagramProtoOps;
import knetsim.node.socket.Sock;
import knetsim.node.socket.SyscallResult;

/** inet_sockraw_ops with ping_prot: the socket calls on a ping socket (SOCK_DGRAM, IPPROTO_ICMP). */
public final class PingProtoOps extends DatagramProtoOps {
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

    @Override
    public void release(Sock sk, long now) {
        icmp.close((PingSocket) sk);
    }

    @Override
    public SyscallResult.SockName getsockname(Sock sk) {
        return new SyscallResult.SockName(Ipv4Address.ANY, ((PingSocket) sk).ident());
    }
}
