package knetsim.node.socket;

/** sock_setsockopt() and do_ip_setsockopt() for the options every inet socket has. */
public final class SockOpts {
    private SockOpts() {}

    // sock_setsockopt() (SOL_SOCKET) / do_ip_setsockopt() (SOL_IP): 0, -errno, or -ENOPROTOOPT when not one of these.
    public static int set(Sock socket, Syscall.Option option, int value) {
        switch (option) {
            case SO_RCVBUF -> socket.setRcvbuf(value);
            case SO_SNDBUF -> socket.setSndbuf(value);
            case IP_TTL -> {
                if (value < 1 || value > 255) return -Errno.EINVAL;
                socket.setTtl(value);
            }
            case IP_TOS -> {
                if (value < 0 || value > 255) return -Errno.EINVAL;
                socket.setTos(value);
            }
            case IP_MTU_DISCOVER -> {
                // do_ip_setsockopt(): DONT..PROBE (INTERFACE and OMIT are not modelled)
                if (value < Sock.PMTUDISC_DONT || value > Sock.PMTUDISC_PROBE) return -Errno.EINVAL;
                socket.setPmtudisc(value);
            }
            case IP_RECVERR -> socket.setRecverr(value != 0);
            default -> {
                return -Errno.ENOPROTOOPT;
            }
        }
        return 0;
    }

    // sock_getsockopt() / do_ip_getsockopt(): the value, or null when not one of these.
    public static SyscallResult get(Sock socket, Syscall.Option option) {
        return switch (option) {
            case SO_RCVBUF -> new SyscallResult.Returned(socket.rcvbuf());
            case SO_SNDBUF -> new SyscallResult.Returned(socket.sndbuf());
            case IP_TTL -> new SyscallResult.Returned(socket.ttl());
            case IP_TOS -> new SyscallResult.Returned(socket.tos());
            case IP_MTU_DISCOVER -> new SyscallResult.Returned(socket.pmtudisc());
            case IP_RECVERR -> new SyscallResult.Returned(socket.recverr() ? 1 : 0);
            case SO_ERROR -> new SyscallResult.Returned(socket.takePendingError());
            default -> null;
        };
    }
}
