package knetsim.node.socket;

import knetsim.node.ipv4.Ipv4Address;

/** What a system call returns to the process. */
public sealed interface SyscallResult {
    /** A non-negative return value: an fd, a byte count, 0. */
    record Returned(long value) implements SyscallResult {}

    /** -1 with errno set. */
    record Failed(int errno) implements SyscallResult {
        @Override
        public String toString() {
            return "Failed[" + Errno.name(errno) + "]";
        }
    }

    /** recvfrom(): a datagram, its sender, its IP TTL (IP_RECVTTL) and when the kernel received it (SO_TIMESTAMPNS). */
    record Received(Ipv4Address source, int port, byte[] data, int ttl, long kernelTimeNs) implements SyscallResult {}

    /**
     * recvmsg(MSG_ERRQUEUE): sock_extended_err for an ICMP error (ee_errno, ee_type, ee_code,
     * the offender's address, ee_info) and the start of the datagram it is about, from its transport
     * header; or a local error ({@code local}: SO_EE_ORIGIN_LOCAL, as ip_local_error() queues).
     */
    record ErrorReceived(int errno, int icmpType, int icmpCode, Ipv4Address offender, byte[] original, int info,
                         boolean local) implements SyscallResult {
        /** An ICMP error (SO_EE_ORIGIN_ICMP); {@code info} is ee_info: the next-hop MTU of "fragmentation needed". */
        public ErrorReceived(int errno, int icmpType, int icmpCode, Ipv4Address offender, byte[] original, int info) {
            this(errno, icmpType, icmpCode, offender, original, info, false);
        }

        /** ip_local_error(): SO_EE_ORIGIN_LOCAL, with ee_info (the path MTU for EMSGSIZE). */
        public static ErrorReceived local(int errno, int info, Ipv4Address destination) {
            return new ErrorReceived(errno, 0, 0, destination, new byte[0], info, true);
        }
    }

    /** getsockname(): for a ping socket the port is its ident. */
    record SockName(Ipv4Address address, int port) implements SyscallResult {}

    /** epoll_wait(): the ready fds with their events; none means the timeout expired. */
    record Ready(int[] fds, int[] events) implements SyscallResult {}

    /** recv()/read() on a stream: the bytes read, none at end of stream. */
    record Read(byte[] data) implements SyscallResult {}

    /** accept(): the new fd and the peer's address. */
    record Accepted(int fd, Ipv4Address address, int port) implements SyscallResult {}

    /** getsockopt() of a name (TCP_CONGESTION). */
    record SockOptName(String name) implements SyscallResult {}

    /** getsockopt() of a struct (TCP_INFO: a knetsim.node.tcp.TcpInfo). */
    record SockOptStruct(Record value) implements SyscallResult {}
}
