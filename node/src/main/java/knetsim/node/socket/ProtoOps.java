package knetsim.node.socket;

import knetsim.node.ipv4.Ipv4Address;

/**
 * struct proto_ops: what the socket layer calls for one kind of socket (inet_dgram_ops for UDP, ping's, and
 * inet_stream_ops for TCP). Results follow the kernel: >= 0 success, -errno failure; {@code -EAGAIN} means the
 * operation cannot progress now, and the socket layer then returns EAGAIN to a non-blocking caller or puts a
 * blocking one on the socket's wait queue with the progress it made (a blocked call resumes where it stopped).
 */
public interface ProtoOps {
    /** -EAGAIN: nothing possible now. */
    int AGAIN = -Errno.EAGAIN;
    /** connect() started and completes later (-EINPROGRESS). */
    int IN_PROGRESS = -Errno.EINPROGRESS;

    // inet_bind()
    int bind(Sock sk, Ipv4Address address, int port);

    // inet_dgram_connect() / inet_stream_connect(): 0, IN_PROGRESS (see connectResult), or -errno.
    int connect(Sock sk, Ipv4Address address, int port, long now);

    // __inet_stream_connect() woken: 0 once connected, -errno when it failed, AGAIN while in progress.
    default int connectResult(Sock sk) {
        return 0;
    }

    // inet_listen()
    default int listen(Sock sk, int backlog) {
        return -Errno.EOPNOTSUPP;
    }

    // inet_accept(): 0 when a connection may be taken (see accept), -errno (EINVAL: not listening).
    default int acceptable(Sock sk) {
        return -Errno.EOPNOTSUPP;
    }

    // inet_csk_accept(): an established child, or null when the accept queue is empty.
    default Sock accept(Sock sk, long now) {
        return null;
    }

    // inet_sendmsg(): bytes taken from data[off, off + len) (may be fewer than len), AGAIN, or -errno.
    int sendmsg(Sock sk, Ipv4Address to, int port, byte[] data, int off, int len, long now);

    // inet_recvmsg(): what the call returns, or null when nothing is there yet (EAGAIN or sleep).
    SyscallResult recvmsg(Sock sk, int maxLength, long now);

    // sock->ops->poll(): EPOLL* bits.
    int poll(Sock sk);

    // sock_common_setsockopt(): 0 or -errno.
    int setsockopt(Sock sk, Syscall.Option option, int value, long now);

    // setsockopt() with a string value (TCP_CONGESTION): 0 or -errno.
    default int setsockopt(Sock sk, Syscall.Option option, String value) {
        return -Errno.ENOPROTOOPT;
    }

    // sock_common_getsockopt(): Returned, SockOptName, SockOptStruct, or Failed.
    SyscallResult getsockopt(Sock sk, Syscall.Option option, long now);

    // inet_shutdown(): 0 or -errno.
    default int shutdown(Sock sk, int how, long now) {
        return -Errno.EOPNOTSUPP;
    }

    // inet_release()
    void release(Sock sk, long now);

    // inet_getname()
    SyscallResult.SockName getsockname(Sock sk);

    // inet_getname(peer = 1): the connected peer (0.0.0.0 and 0 when none).
    default SyscallResult.SockName getpeername(Sock sk) {
        return new SyscallResult.SockName(knetsim.node.ipv4.Ipv4Address.ANY, 0);
    }
}
