package knetsim.node.socket;

import knetsim.node.ipv4.Ipv4Address;

/**
 * The socket system calls a Process makes to its Host's kernel. Each is one message; the kernel
 * answers with a {@link SyscallResult}, at once or, for a blocking call, when it can complete.
 */
public sealed interface Syscall {
    /**
     * socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP), the ping socket (SOCK_DGRAM, IPPROTO_ICMP) or
     * socket(AF_INET, SOCK_STREAM, IPPROTO_TCP): the fd.
     */
    record Socket(Protocol protocol) implements Syscall {}

    enum Protocol { UDP, ICMP, TCP }

    /** bind(); port 0 picks an ephemeral port. EADDRINUSE when taken. */
    record Bind(int fd, Ipv4Address address, int port) implements Syscall {}

    /**
     * connect(): on a datagram socket the default destination (only its datagrams are received); on a stream
     * socket the handshake (blocking until it completes, or EINPROGRESS on a non-blocking fd, then SO_ERROR).
     */
    record Connect(int fd, Ipv4Address address, int port) implements Syscall {}

    /** setsockopt() for the options we model (see {@link Option}). */
    record SetSockOpt(int fd, Option option, int value) implements Syscall {}

    enum Option {
        /** SO_RCVBUF: Linux doubles the value asked for. */
        SO_RCVBUF,
        /** SO_SNDBUF: doubled too. */
        SO_SNDBUF,
        /** IP_TTL. */
        IP_TTL,
        /** IP_TOS: the TOS byte of what the socket sends (0..255; a datagram socket keeps it as given). */
        IP_TOS,
        /** IP_MTU_DISCOVER: 2 = IP_PMTUDISC_DO (never fragment: EMSGSIZE), 1 = WANT (DF when it fits). */
        IP_MTU_DISCOVER,
        /** IP_RECVERR: ICMP errors are queued for recvmsg(MSG_ERRQUEUE), even on an unconnected socket. */
        IP_RECVERR,
        /** TCP_NODELAY: no Nagle. */
        TCP_NODELAY,
        /** TCP_CORK: only full segments until uncorked. */
        TCP_CORK,
        /** TCP_MAXSEG: the MSS (set before connect, read any time). */
        TCP_MAXSEG,
        /** TCP_CONGESTION: the congestion control by name (see {@link SetSockOptName}, SockOptName). */
        TCP_CONGESTION,
        /** TCP_INFO (getsockopt only): struct tcp_info. */
        TCP_INFO,
        /** SO_KEEPALIVE. */
        SO_KEEPALIVE,
        /** SO_ERROR (getsockopt only): the pending error, cleared. */
        SO_ERROR,
        /** IP_MTU (getsockopt only): dst_mtu() of a connected socket's route, path MTU included; ENOTCONN when unconnected. */
        IP_MTU
    }

    /** setsockopt() with a string value: TCP_CONGESTION ("cubic", "reno"). */
    record SetSockOptName(int fd, Option option, String value) implements Syscall {}

    /** getsockopt(): Returned(value), SockOptName (TCP_CONGESTION) or SockOptStruct (TCP_INFO). */
    record GetSockOpt(int fd, Option option) implements Syscall {}

    /** fcntl(F_SETFL, O_NONBLOCK): every later call on the fd is non-blocking (or blocking again). */
    record SetNonBlocking(int fd, boolean nonBlocking) implements Syscall {}

    /** listen(): the accept queue holds min(backlog, somaxconn). */
    record Listen(int fd, int backlog) implements Syscall {}

    /** accept4(): the new connection's fd and peer (SockName); {@code nonBlockingChild} is SOCK_NONBLOCK. */
    record Accept(int fd, boolean nonBlockingChild) implements Syscall {}

    /** recv()/read() of at most {@code maxLength} bytes: Read, empty at end of stream. */
    record Recv(int fd, int maxLength, boolean nonBlocking) implements Syscall {}

    /** shutdown(): SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2. */
    record Shutdown(int fd, int how) implements Syscall {}

    /**
     * sendto() ({@code address} null: send() on a connected socket). On a stream socket it returns the bytes
     * taken: all of them when blocking (it sleeps for send memory and resumes where it stopped), or what fitted
     * when non-blocking (EAGAIN for none). For a ping socket
     * {@code data} is the ICMP echo header and payload; the kernel sets the identifier and checksum.
     */
    record SendTo(int fd, Ipv4Address address, int port, byte[] data, boolean nonBlocking) implements Syscall {}

    /** recvfrom(): the oldest datagram; blocks until one arrives unless {@code nonBlocking} (EAGAIN). */
    record RecvFrom(int fd, boolean nonBlocking) implements Syscall {}

    /** recvmsg(MSG_ERRQUEUE): the oldest queued ICMP error (IP_RECVERR), never blocks. */
    record RecvError(int fd) implements Syscall {}

    record Close(int fd) implements Syscall {}

    /** getsockname(): the local address and port (0.0.0.0 and 0 before bind). */
    record GetSockName(int fd) implements Syscall {}

    /** epoll_create1(): an epoll instance's fd. */
    record EpollCreate() implements Syscall {}

    /** epoll_ctl(): add, modify or remove the events watched on {@code fd}. */
    record EpollCtl(int epollFd, EpollOp op, int fd, int events) implements Syscall {}

    enum EpollOp { ADD, MOD, DEL }

    /** epoll_wait(), level-triggered: ready fds at once, or block until one is or the timeout (-1: none). */
    record EpollWait(int epollFd, int maxEvents, long timeoutNs) implements Syscall {}

    int EPOLLIN = 0x001, EPOLLOUT = 0x004, EPOLLERR = 0x008, EPOLLHUP = 0x010, EPOLLRDHUP = 0x2000;
}
