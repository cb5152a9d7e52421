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
     * the offender's address) and the start of the datagram it is about, from its transport header.
     */
    record ErrorReceived(int errno, int icmpType, int icmpCode, Ipv4Address offender, byte[] original)
            implements SyscallResult {}

    /** getsockname(): for a ping socket the port is its ident. */
    record SockName(Ipv4Address address, int port) implements SyscallResult {}

    /** epoll_wait(): the ready fds with their events; none means the timeout expired. */
    record Ready(int[] fds, int[] events) implements SyscallResult {}
}
