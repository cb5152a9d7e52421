package knetsim.node.script;

import java.util.LinkedHashMap;
import java.util.Map;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;

/** The symbolic constants a step may name, each with its Linux value and what it is (uapi headers). */
final class Constants {
    private Constants() {}

    /** What a constant is; a parameter accepts the constants of one kind. */
    enum Kind {
        DOMAIN("an address family like AF_INET"),
        TYPE("a socket type like SOCK_DGRAM"),
        PROTOCOL("a protocol like IPPROTO_UDP or 0"),
        OPTION("a socket option like SO_RCVBUF"),
        ERRNO("an errno like ECONNREFUSED"),
        MSG("MSG_* flags or 0"),
        SHUT("SHUT_RD, SHUT_WR or SHUT_RDWR"),
        EPOLL_OP("EPOLL_CTL_ADD, EPOLL_CTL_MOD or EPOLL_CTL_DEL"),
        EPOLL_EVENTS("EPOLL* event flags like EPOLLIN|EPOLLOUT"),
        FCNTL("F_SETFL"),
        FILE_FLAGS("O_NONBLOCK or 0"),
        SOCK_FLAGS("SOCK_NONBLOCK or 0"),
        PMTUDISC("IP_PMTUDISC_DONT, _WANT, _DO or _PROBE"),
        ORIGIN("SO_EE_ORIGIN_LOCAL or SO_EE_ORIGIN_ICMP"),
        TCP_STATE("a TCP state like TCP_ESTABLISHED");

        final String expected;

        Kind(String expected) {
            this.expected = expected;
        }
    }

    record Constant(Kind kind, long value) {}

    static final int MSG_ERRQUEUE = 0x2000, MSG_DONTWAIT = 0x40, SOCK_NONBLOCK = 0x800, O_NONBLOCK = 0x800;
    static final int IPPROTO_ICMP = 1, IPPROTO_TCP = 6, IPPROTO_UDP = 17, SOCK_STREAM = 1, SOCK_DGRAM = 2;

    private static final Map<String, Constant> TABLE = new LinkedHashMap<>();
    /** Socket options by name, with their Syscall.Option. */
    static final Map<String, Syscall.Option> OPTIONS = new LinkedHashMap<>();

    static {
        put(Kind.DOMAIN, "AF_INET", 2);
        put(Kind.TYPE, "SOCK_STREAM", SOCK_STREAM);
        put(Kind.TYPE, "SOCK_DGRAM", SOCK_DGRAM);
        put(Kind.PROTOCOL, "IPPROTO_IP", 0);
        put(Kind.PROTOCOL, "IPPROTO_ICMP", IPPROTO_ICMP);
        put(Kind.PROTOCOL, "IPPROTO_TCP", IPPROTO_TCP);
        put(Kind.PROTOCOL, "IPPROTO_UDP", IPPROTO_UDP);
        // the value is the option's number at its level (asm-generic/socket.h, linux/in.h, linux/tcp.h)
        option("SO_ERROR", 4, Syscall.Option.SO_ERROR);
        option("SO_SNDBUF", 7, Syscall.Option.SO_SNDBUF);
        option("SO_RCVBUF", 8, Syscall.Option.SO_RCVBUF);
        option("SO_KEEPALIVE", 9, Syscall.Option.SO_KEEPALIVE);
        option("IP_TOS", 1, Syscall.Option.IP_TOS);
        option("IP_TTL", 2, Syscall.Option.IP_TTL);
        option("IP_MTU_DISCOVER", 10, Syscall.Option.IP_MTU_DISCOVER);
        option("IP_RECVERR", 11, Syscall.Option.IP_RECVERR);
        option("IP_MTU", 14, Syscall.Option.IP_MTU);
        option("TCP_NODELAY", 1, Syscall.Option.TCP_NODELAY);
        option("TCP_MAXSEG", 2, Syscall.Option.TCP_MAXSEG);
        option("TCP_CORK", 3, Syscall.Option.TCP_CORK);
        option("TCP_INFO", 11, Syscall.Option.TCP_INFO);
        option("TCP_CONGESTION", 13, Syscall.Option.TCP_CONGESTION);
        for (int e = 1; e < 134; e++) {
            String name = Errno.name(e);
            if (!name.startsWith("errno ")) put(Kind.ERRNO, name, e);
        }
        put(Kind.ERRNO, "EWOULDBLOCK", Errno.EAGAIN);
        put(Kind.MSG, "MSG_DONTWAIT", MSG_DONTWAIT);
        put(Kind.MSG, "MSG_ERRQUEUE", MSG_ERRQUEUE);
        put(Kind.SHUT, "SHUT_RD", 0);
        put(Kind.SHUT, "SHUT_WR", 1);
        put(Kind.SHUT, "SHUT_RDWR", 2);
        put(Kind.EPOLL_OP, "EPOLL_CTL_ADD", 1);
        put(Kind.EPOLL_OP, "EPOLL_CTL_DEL", 2);
        put(Kind.EPOLL_OP, "EPOLL_CTL_MOD", 3);
        put(Kind.EPOLL_EVENTS, "EPOLLIN", Syscall.EPOLLIN);
        put(Kind.EPOLL_EVENTS, "EPOLLOUT", Syscall.EPOLLOUT);
        put(Kind.EPOLL_EVENTS, "EPOLLERR", Syscall.EPOLLERR);
        put(Kind.EPOLL_EVENTS, "EPOLLHUP", Syscall.EPOLLHUP);
        put(Kind.EPOLL_EVENTS, "EPOLLRDHUP", Syscall.EPOLLRDHUP);
        put(Kind.FCNTL, "F_SETFL", 4);
        put(Kind.FILE_FLAGS, "O_NONBLOCK", O_NONBLOCK);
        put(Kind.SOCK_FLAGS, "SOCK_NONBLOCK", SOCK_NONBLOCK);
        put(Kind.PMTUDISC, "IP_PMTUDISC_DONT", 0);
        put(Kind.PMTUDISC, "IP_PMTUDISC_WANT", 1);
        put(Kind.PMTUDISC, "IP_PMTUDISC_DO", 2);
        put(Kind.PMTUDISC, "IP_PMTUDISC_PROBE", 3);
        put(Kind.ORIGIN, "SO_EE_ORIGIN_LOCAL", 1);
        put(Kind.ORIGIN, "SO_EE_ORIGIN_ICMP", 2);
        for (knetsim.node.tcp.TcpState s : knetsim.node.tcp.TcpState.values()) {
            put(Kind.TCP_STATE, "TCP_" + s.name(), s.ordinal() + 1); // include/net/tcp_states.h: TCP_ESTABLISHED = 1
        }
    }

    private static void put(Kind kind, String name, long value) {
        TABLE.putIfAbsent(name, new Constant(kind, value));
    }

    private static void option(String name, int value, Syscall.Option option) {
        put(Kind.OPTION, name, value);
        OPTIONS.put(name, option);
    }

    /** The constant, or null when no such name is known. */
    static Constant get(String name) {
        return TABLE.get(name);
    }

    /** The names of {@code kind} whose bits make {@code value}, joined by |, or the number when none does. */
    static String flags(Kind kind, long value) {
        if (value == 0) return "0";
        StringBuilder s = new StringBuilder();
        long left = value;
        for (var e : TABLE.entrySet()) {
            long v = e.getValue().value();
            if (e.getValue().kind() == kind && v != 0 && (left & v) == v) {
                if (s.length() > 0) s.append('|');
                s.append(e.getKey());
                left &= ~v;
            }
        }
        if (left != 0) {
            if (s.length() > 0) s.append('|');
            s.append("0x").append(Long.toHexString(left));
        }
        return s.toString();
    }

    /** The name of {@code kind} with exactly {@code value}, or the number. */
    static String name(Kind kind, long value) {
        for (var e : TABLE.entrySet()) {
            if (e.getValue().kind() == kind && e.getValue().value() == value) return e.getKey();
        }
        return Long.toString(value);
    }
}
