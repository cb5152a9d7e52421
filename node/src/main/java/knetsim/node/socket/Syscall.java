package knetsim.node.socket;

import knetsim.node.ipv4.Ipv4Address;

/**
 * The socket system calls a Process makes to its Host's kernel. Each is one message; the kernel
 * answers with a {@link SyscallResult}, at once or, for a blocking call, when it can complete.
 */
public sealed interface Syscall {
    /** socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP) or the ping socket (SOCK_DGRAM, IPPROTO_ICMP): the fd. */
    record Socket(Protocol protocol) implements Syscall {}

    enum Protocol { UDP, ICMP }

    /** bind(); port 0 picks an ephemeral port. EADDRINUSE when taken. */
    record Bind(int fd, Ipv4Address address, int port) implements Syscall {}

    /** connect() on a datagram socket: the default destination, and only its datagrams are received. */
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
        IP_RECVERR
    }

    /**
     * sendto() ({@code address} null: send() on a connected socket). For a ping socket
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

    int EPOLLIN = 0x001, EPOLLOUT = 0x004, EPOLLERR = 0x008;
}
