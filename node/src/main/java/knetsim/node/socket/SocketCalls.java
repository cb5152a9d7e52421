package knetsim.node.socket;

/**
 * The socket system calls on one socket (net/socket.c): each turns into its {@link ProtoOps} operation, and
 * the blocking policy is applied here: a result, EAGAIN for a non-blocking caller, or sleep with the progress
 * made ({@link SocketLayer#progress}) for a blocking one.
 */
final class SocketCalls {
    private SocketCalls() {}

    /** progress of a connect(): the handshake was started, the call now waits for its outcome. */
    private static final long CONNECT_STARTED = 1;

    static SyscallResult attempt(SocketLayer layer, FileTable table, Sock sk, ProtoOps ops,
                                 boolean nonBlocking, Syscall call, long now) {
        // the calls of every datagram first
        if (call instanceof Syscall.SendTo s) return sendmsg(layer, sk, ops, nonBlocking || s.nonBlocking(), s, now);
        if (call instanceof Syscall.RecvFrom r) return recvmsg(sk, ops, nonBlocking || r.nonBlocking(), Integer.MAX_VALUE, now);
        if (call instanceof Syscall.Bind b) return result(ops.bind(sk, b.address(), b.port()));
        if (call instanceof Syscall.Connect c) return connect(layer, sk, ops, nonBlocking, c, now);
        if (call instanceof Syscall.SetSockOpt o) return result(ops.setsockopt(sk, o.option(), o.value(), now));
        if (call instanceof Syscall.SetSockOptName o) return result(ops.setsockopt(sk, o.option(), o.value()));
        if (call instanceof Syscall.GetSockOpt o) return ops.getsockopt(sk, o.option(), now);
        if (call instanceof Syscall.Recv r) {
            if (r.maxLength() < 0) return SocketLayer.failed(Errno.EINVAL);
            return recvmsg(sk, ops, nonBlocking || r.nonBlocking(), r.maxLength(), now);
        }
        if (call instanceof Syscall.RecvError) {
            SyscallResult.ErrorReceived error = sk.dequeueError();
            return error != null ? error : SocketLayer.failed(Errno.EAGAIN);
        }
        if (call instanceof Syscall.GetSockName) return ops.getsockname(sk);
        if (call instanceof Syscall.SetNonBlocking n) {
            layer.setNonBlocking(table, n.fd(), n.nonBlocking());
            return new SyscallResult.Returned(0);
        }
        if (call instanceof Syscall.Listen l) return result(ops.listen(sk, l.backlog()));
        if (call instanceof Syscall.Accept a) return accept(layer, table, sk, ops, nonBlocking, a, now);
        if (call instanceof Syscall.Shutdown s) {
            if (s.how() < 0 || s.how() > 2) return SocketLayer.failed(Errno.EINVAL);
            return result(ops.shutdown(sk, s.how(), now));
        }
        throw new IllegalArgumentException("unknown system call " + call);
    }

    static SyscallResult result(int value) {
        return value >= 0 ? new SyscallResult.Returned(value) : SocketLayer.failed(-value);
    }

    // __sys_connect() -> inet_stream_connect(): a non-blocking caller gets EINPROGRESS and reads the outcome
    // from SO_ERROR later; a blocking one sleeps until the handshake is done (inet_wait_for_connect()).
    private static SyscallResult connect(SocketLayer layer, Sock sk, ProtoOps ops, boolean nonBlocking,
                                         Syscall.Connect c, long now) {
        if (layer.progress() != CONNECT_STARTED) {
            int r = ops.connect(sk, c.address(), c.port(), now);
            if (r != ProtoOps.IN_PROGRESS) return result(r);
            if (nonBlocking) return SocketLayer.failed(Errno.EINPROGRESS);
            layer.setProgress(CONNECT_STARTED);
        }
        int r = ops.connectResult(sk);
        return r == ProtoOps.AGAIN ? SocketLayer.sleepResult() : result(r);
    }

    // __sys_sendto() -> sock_sendmsg(): a blocking sender sleeps for send memory (sock_wait_for_wmem(),
    // sk_stream_wait_memory()) and goes on where it stopped; what was copied before an error is returned.
    private static SyscallResult sendmsg(SocketLayer layer, Sock sk, ProtoOps ops, boolean nonBlocking,
                                         Syscall.SendTo s, long now) {
        byte[] data = s.data();
        long done = layer.progress();
        do {
            int n = ops.sendmsg(sk, s.address(), s.port(), data, (int) done, data.length - (int) done, now);
            if (n == ProtoOps.AGAIN || (n == 0 && data.length > done)) {
                if (nonBlocking) return done > 0 ? new SyscallResult.Returned(done) : SocketLayer.failed(Errno.EAGAIN);
                layer.setProgress(done);
                return SocketLayer.sleepResult();
            }
            if (n < 0) return done > 0 ? new SyscallResult.Returned(done) : SocketLayer.failed(-n);
            done += n;
        } while (done < data.length);
        return new SyscallResult.Returned(done);
    }

    // sock_recvmsg(): nothing there sleeps (sk_wait_data(), __skb_wait_for_more_packets()) or is EAGAIN.
    private static SyscallResult recvmsg(Sock sk, ProtoOps ops, boolean nonBlocking, int maxLength, long now) {
        SyscallResult r = ops.recvmsg(sk, maxLength, now);
        if (r != null) return r;
        return nonBlocking ? SocketLayer.failed(Errno.EAGAIN) : SocketLayer.sleepResult();
    }

    // __sys_accept4() -> inet_accept(): the child gets the lowest free fd, SOCK_NONBLOCK as asked.
    private static SyscallResult accept(SocketLayer layer, FileTable table, Sock sk, ProtoOps ops,
                                        boolean nonBlocking, Syscall.Accept a, long now) {
        int errno = ops.acceptable(sk);
        if (errno < 0) return SocketLayer.failed(-errno);
        Sock child = ops.accept(sk, now);
        if (child == null) return nonBlocking ? SocketLayer.failed(Errno.EAGAIN) : SocketLayer.sleepResult();
        int fd = layer.installChild(table, child, ops, a.nonBlockingChild());
        SyscallResult.SockName peer = ops.getpeername(child);
        return new SyscallResult.Accepted(fd, peer.address(), peer.port());
    }
}
