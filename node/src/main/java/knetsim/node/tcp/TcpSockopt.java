package knetsim.node.tcp;

/** tcp.c's do_tcp_setsockopt() and do_tcp_getsockopt() with the SOL_SOCKET options TCP takes (sock.c). */
final class TcpSockopt {
    private final Tcp tcp;

    TcpSockopt(Tcp tcp) {
        this.tcp = tcp;
    }

    // do_tcp_setsockopt() / sock_setsockopt(): 0 or -errno.
    int set(TcpSock sk, Tcp.Option option, int value, long now) {
        switch (option) {
            case TCP_NODELAY -> {
                sk.nodelay = value != 0;
                if (sk.nodelay) pushAfterOption(sk, now);
            }
            case TCP_CORK -> {
                sk.cork = value != 0;
                if (!sk.cork) pushAfterOption(sk, now);
            }
            case TCP_MAXSEG -> {
                if (value != 0 && (value < 88 || value > 32767)) return -TcpProto.EINVAL;
                sk.userMss = value;
            }
            case SO_KEEPALIVE -> {
                sk.keepalive = value != 0;
                if (sk.keepalive && (sk.state == TcpState.ESTABLISHED || sk.state == TcpState.CLOSE_WAIT)) {
                    sk.keepaliveDeadline = sk.lrcvtime + tcp.sysctl.keepaliveTimeNs();
                } else if (!sk.keepalive && sk.state != TcpState.TIME_WAIT && sk.state != TcpState.FIN_WAIT2
                        && sk.state != TcpState.SYN_RECV) {
                    sk.keepaliveDeadline = TcpTimers.NEVER;
                }
            }
            case SO_SNDBUF -> {
                sk.setSndbuf(value);
                sk.userSndbuf = true;
            }
            case SO_RCVBUF -> {
                sk.setRcvbuf(value);
                sk.userRcvbuf = true;
                sk.windowClamp = TcpRcvWindow.winFromSpace(sk, sk.rcvbuf());
            }
            case SO_LINGER -> sk.lingerSec = value;
            case SO_ERROR -> {
                return -TcpProto.ENOPROTOOPT;
            }
        }
        tcp.finish(sk);
        return 0;
    }

    // tcp_push_pending_frames() after TCP_NODELAY on or TCP_CORK off: what was held goes now
    private void pushAfterOption(TcpSock sk, long now) {
        if (sk.state == TcpState.ESTABLISHED || sk.state == TcpState.CLOSE_WAIT) {
            tcp.out.pushPendingFrames(sk, TcpOutput.nonagle(sk) | TcpOutput.NAGLE_PUSH, now);
        }
    }

    // do_tcp_getsockopt() / sock_getsockopt() (SO_ERROR takes the pending error).
    static long get(TcpSock sk, Tcp.Option option) {
        return switch (option) {
            case TCP_NODELAY -> sk.nodelay ? 1 : 0;
            case TCP_CORK -> sk.cork ? 1 : 0;
            case TCP_MAXSEG -> sk.state == TcpState.CLOSE || sk.state == TcpState.LISTEN
                    ? (sk.userMss > 0 ? sk.userMss : 536) : sk.mssCache;
            case SO_KEEPALIVE -> sk.keepalive ? 1 : 0;
            case SO_SNDBUF -> sk.sndbuf();
            case SO_RCVBUF -> sk.rcvbuf();
            case SO_LINGER -> sk.lingerSec;
            case SO_ERROR -> {
                int e = sk.takePendingError();
                if (e == 0) {
                    e = sk.softError;
                    sk.softError = 0;
                }
                yield e;
            }
        };
    }
}
