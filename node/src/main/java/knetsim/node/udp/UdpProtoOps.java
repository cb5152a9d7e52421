package knetsim.node.udp;

import java.util.Arrays;
import knetsim.node.inet.Inet;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.DatagramProtoOps;
import knetsim.node.socket.Sock;
import knetsim.node.socket.SyscallResult;

/** inet_dgram_ops with udp_prot: the socket calls on a UDP socket. */
public final class UdpProtoOps extends DatagramProtoOps {
    private final UdpLayer udp;

    public UdpProtoOps(UdpLayer udp) {
        this.udp = udp;
    }

    // errors of the UDP layer are positive errnos, a full send buffer Inet.WOULD_BLOCK
    static int kernel(int errno) {
        return errno == Inet.WOULD_BLOCK ? AGAIN : -errno;
    }

    // udp_recvmsg(): UdpInDatagrams counts a datagram when the reader takes it, as Linux does
    @Override
    protected void delivered() {
        udp.delivered();
    }

    @Override
    public int bind(Sock sk, Ipv4Address address, int port) {
        return -udp.bind((UdpSocket) sk, address, port);
    }

    @Override
    public int connect(Sock sk, Ipv4Address address, int port, long now) {
        return -udp.connect((UdpSocket) sk, address, port);
    }

    // udp_sendmsg(): the pending error (sock_error()) and send memory are sock_alloc_send_pskb()'s, when the skb
    // is allocated in ip output; one datagram, all or nothing.
    @Override
    public int sendmsg(Sock sk, Ipv4Address to, int port, byte[] data, int off, int len, long now) {
        byte[] datagram = off == 0 && len == data.length ? data : Arrays.copyOfRange(data, off, off + len);
        int errno = udp.send((UdpSocket) sk, to, port, datagram, now);
        return errno == 0 ? len : kernel(errno);
    }

    // IP_MTU: the route to the connected peer (sk_dst_get())
    @Override
    protected int dstMtu(Sock sk, long now) {
        UdpSocket u = (UdpSocket) sk;
        return u.connected() ? udp.dstMtu(u.remoteAddress(), now) : 0;
    }

    @Override
    public void release(Sock sk, long now) {
        udp.close((UdpSocket) sk);
    }

    @Override
    public SyscallResult.SockName getsockname(Sock sk) {
        UdpSocket u = (UdpSocket) sk;
        return new SyscallResult.SockName(u.localAddress(), u.port());
    }

    @Override
    public SyscallResult.SockName getpeername(Sock sk) {
        UdpSocket u = (UdpSocket) sk;
        return u.connected() ? new SyscallResult.SockName(u.remoteAddress(), u.remotePort())
                : new SyscallResult.SockName(Ipv4Address.ANY, 0);
    }
}
