package knetsim.node.afinet;

import java.util.Arrays;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.Errno;
import knetsim.node.socket.ProtoOps;
import knetsim.node.socket.Sock;
import knetsim.node.socket.SockOpts;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;
import knetsim.node.tcp.Tcp;
import knetsim.node.tcp.TcpSock;
import knetsim.node.tcp.TcpState;

/** inet_stream_ops with tcp_prot (net/ipv4/af_inet.c): the socket calls on a TCP socket, carried out by {@link Tcp}. */
public final class InetStreamOps implements ProtoOps {
    /** What one recvfrom() without a length reads at most (a 64 KiB user buffer). */
    static final int DEFAULT_READ = 65_536;

    private final Tcp tcp;

    public InetStreamOps(Tcp tcp) {
        this.tcp = tcp;
    }

    @Override
    public int bind(Sock sk, Ipv4Address address, int port) {
        return tcp.bind((TcpSock) sk, address, port);
    }

    // inet_stream_connect(): the SYN is out, the outcome comes later
    @Override
    public int connect(Sock sk, Ipv4Address address, int port, long now) {
        int r = tcp.connect((TcpSock) sk, address, port, now);
        return r == 0 ? IN_PROGRESS : r;
    }

    @Override
    public int connectResult(Sock sk) {
        int r = tcp.connectResult((TcpSock) sk);
        return r == Tcp.WOULD_BLOCK ? AGAIN : r;
    }

    @Override
    public int listen(Sock sk, int backlog) {
        return tcp.listen((TcpSock) sk, backlog);
    }

    // inet_accept() -> inet_csk_accept(): only a listener accepts
    @Override
    public int acceptable(Sock sk) {
        return ((TcpSock) sk).state() == TcpState.LISTEN ? 0 : -Errno.EINVAL;
    }

    @Override
    public Sock accept(Sock sk, long now) {
        return tcp.accept((TcpSock) sk, now);
    }

    // tcp_sendmsg(): the destination of sendto() is ignored on a connection
    @Override
    public int sendmsg(Sock sk, Ipv4Address to, int port, byte[] data, int off, int len, long now) {
        int r = tcp.sendmsg((TcpSock) sk, data, off, len, now);
        return r == Tcp.WOULD_BLOCK ? AGAIN : r;
    }

    // tcp_recvmsg(): up to maxLength bytes, none at end of stream
    @Override
    public SyscallResult recvmsg(Sock sk, int maxLength, long now) {
        byte[] into = new byte[Math.min(maxLength, maxLength == Integer.MAX_VALUE ? DEFAULT_READ : maxLength)];
        int r = tcp.recvmsg((TcpSock) sk, into, 0, into.length, now);
        if (r == Tcp.WOULD_BLOCK) return null;
        if (r < 0) return new SyscallResult.Failed(-r);
        return new SyscallResult.Read(r == into.length ? into : Arrays.copyOf(into, r));
    }

    @Override
    public int poll(Sock sk) {
        return tcp.poll((TcpSock) sk);
    }

    // do_tcp_setsockopt() for SOL_TCP and the SOL_SOCKET options TCP handles itself; the rest as every inet socket
    @Override
    public int setsockopt(Sock sk, Syscall.Option option, int value, long now) {
        Tcp.Option o = tcpOption(option);
        if (o != null) return tcp.setsockopt((TcpSock) sk, o, value, now);
        if (option == Syscall.Option.TCP_CONGESTION || option == Syscall.Option.TCP_INFO) return -Errno.EINVAL;
        return SockOpts.set(sk, option, value);
    }

    @Override
    public int setsockopt(Sock sk, Syscall.Option option, String value) {
        if (option != Syscall.Option.TCP_CONGESTION) return -Errno.EINVAL;
        return tcp.setCongestion((TcpSock) sk, value);
    }

    @Override
    public SyscallResult getsockopt(Sock sk, Syscall.Option option, long now) {
        TcpSock t = (TcpSock) sk;
        if (option == Syscall.Option.TCP_INFO) return new SyscallResult.SockOptStruct(t.info(now));
        if (option == Syscall.Option.TCP_CONGESTION) return new SyscallResult.SockOptName(t.info(now).congestionControl());
        if (option == Syscall.Option.IP_MTU) {
            int mtu = tcp.dstMtu(t, now);
            return mtu > 0 ? new SyscallResult.Returned(mtu) : new SyscallResult.Failed(Errno.ENOTCONN);
        }
        if (option == Syscall.Option.SO_ERROR) return new SyscallResult.Returned(tcp.getsockopt(t, Tcp.Option.SO_ERROR));
        Tcp.Option o = tcpOption(option);
        if (o != null) return new SyscallResult.Returned(tcp.getsockopt(t, o));
        SyscallResult r = SockOpts.get(sk, option);
        return r != null ? r : new SyscallResult.Failed(Errno.ENOPROTOOPT);
    }

    private static Tcp.Option tcpOption(Syscall.Option option) {
        return switch (option) {
            case TCP_NODELAY -> Tcp.Option.TCP_NODELAY;
            case TCP_CORK -> Tcp.Option.TCP_CORK;
            case TCP_MAXSEG -> Tcp.Option.TCP_MAXSEG;
            case SO_KEEPALIVE -> Tcp.Option.SO_KEEPALIVE;
            case SO_SNDBUF -> Tcp.Option.SO_SNDBUF;
            case SO_RCVBUF -> Tcp.Option.SO_RCVBUF;
            default -> null;
        };
    }

    @Override
    public int shutdown(Sock sk, int how, long now) {
        return tcp.shutdown((TcpSock) sk, how, now);
    }

    @Override
    public void release(Sock sk, long now) {
        tcp.close((TcpSock) sk, now);
    }

    // inet_getname()
    @Override
    public SyscallResult.SockName getsockname(Sock sk) {
        TcpSock t = (TcpSock) sk;
        return new SyscallResult.SockName(t.localAddress(), t.localPort());
    }

    // inet_getname(peer = 1)
    @Override
    public SyscallResult.SockName getpeername(Sock sk) {
        TcpSock t = (TcpSock) sk;
        return new SyscallResult.SockName(t.remoteAddress(), t.remotePort());
    }
}
