package knetsim.node.socket;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import knetsim.core.time.SimTime;
import knetsim.node.InetStack;
import knetsim.node.icmp.PingSocket;
import knetsim.node.udp.UdpSocket;

/**
 * The system-call side of the host's kernel: each process's file table, the socket calls on it,
 * blocking (a call that cannot complete waits, as a task sleeps on the socket's wait queue, until
 * a wake-up or its timeout) and level-triggered epoll. A plain object: the Host LP feeds it calls
 * and wake-ups and sends back what completes.
 */
public final class SocketLayer {
    /** Where completed calls go, and how the layer asks to be woken for a timeout. */
    public interface Completion {
        void complete(int pid, long callId, SyscallResult result, long now);

        void wakeAt(long time);
    }

    private static final int EEXIST = 17, ENOENT = 2;
    /** fds 0-2 are stdin, stdout and stderr: the first socket is fd 3, as in any process. */
    private static final int FIRST_FD = 3;

    private record Waiter(long callId, Syscall call, long deadline) {}

    private static final class Epoll {
        final TreeMap<Integer, Integer> interest = new TreeMap<>();
    }

    private final InetStack stack;
    private final Completion completion;
    private final TreeMap<Integer, TreeMap<Integer, Object>> files = new TreeMap<>();
    private final TreeMap<Integer, Waiter> blocked = new TreeMap<>();

    public SocketLayer(InetStack stack, Completion completion) {
        this.stack = stack;
        this.completion = completion;
    }

    /** A system call from process {@code pid}: its result, or null when it blocks. */
    public SyscallResult call(int pid, long callId, Syscall call, long now) {
        if (blocked.containsKey(pid)) throw new IllegalStateException("process " + pid + " is already in a system call");
        SyscallResult result = attempt(pid, call, now);
        if (result == null) {
            long deadline = call instanceof Syscall.EpollWait w && w.timeoutNs() >= 0 ? now + w.timeoutNs() : SimTime.NEVER;
            blocked.put(pid, new Waiter(callId, call, deadline));
            if (deadline != SimTime.NEVER) completion.wakeAt(deadline);
        }
        return result;
    }

    /**
     * Something happened on {@code socket}: every blocked call tries again, in pid order. A retried
     * call leaves the wait queue while it runs: what it does (a send that frees queued memory) may
     * wake sockets again, and that nested wake-up must neither run it a second time nor run a call
     * that has completed meanwhile.
     */
    public void wake(Sock socket, long now) {
        for (var e : List.copyOf(blocked.entrySet())) {
            int pid = e.getKey();
            Waiter waiter = e.getValue();
            if (blocked.get(pid) != waiter) continue; // completed by a nested wake-up
            // sk_write_space() wakes a writer only once half the send buffer is free again
            // (sock_def_write_space()); sk_error_report() wakes it at once: sock_wait_for_wmem() returns on sk_err
            if (waiter.call() instanceof Syscall.SendTo s && files.get(pid).get(s.fd()) instanceof Sock w
                    && !w.writeSpace() && !w.hasPendingError()) continue;
            blocked.remove(pid);
            SyscallResult result = attempt(pid, waiter.call(), now);
            if (result == null) {
                blocked.put(pid, waiter);
            } else {
                completion.complete(pid, waiter.callId(), result, now);
            }
        }
    }

    /** epoll_wait() timeouts that have come: they return no events. */
    public void timerExpired(long now) {
        for (var e : List.copyOf(blocked.entrySet())) {
            if (blocked.get(e.getKey()) != e.getValue()) continue;
            if (e.getValue().deadline() <= now) {
                blocked.remove(e.getKey());
                completion.complete(e.getKey(), e.getValue().callId(), new SyscallResult.Ready(new int[0], new int[0]), now);
            }
        }
    }

    private SyscallResult attempt(int pid, Syscall call, long now) {
        TreeMap<Integer, Object> table = files.computeIfAbsent(pid, p -> new TreeMap<>());
        if (call instanceof Syscall.Socket s) {
            return new SyscallResult.Returned(install(table, stack.openSocket(s.protocol() == Syscall.Protocol.ICMP)));
        }
        if (call instanceof Syscall.EpollCreate) return new SyscallResult.Returned(install(table, new Epoll()));
        if (call instanceof Syscall.EpollCtl c) return epollCtl(table, c);
        if (call instanceof Syscall.EpollWait w) return epollWait(table, w);
        if (call instanceof Syscall.Close c) return close(table, c.fd());
        int fd = fdOf(call);
        if (!(table.get(fd) instanceof Sock socket)) return new SyscallResult.Failed(Errno.EBADF);
        if (call instanceof Syscall.Bind b) {
            return result(socket instanceof UdpSocket u ? stack.udp().bind(u, b.address(), b.port())
                    : stack.icmp().bind((PingSocket) socket, b.port()), 0);
        }
        if (call instanceof Syscall.Connect c) {
            if (!(socket instanceof UdpSocket u)) return new SyscallResult.Failed(Errno.EINVAL);
            return result(stack.udp().connect(u, c.address(), c.port()), 0);
        }
        if (call instanceof Syscall.SetSockOpt o) return setSockOpt(socket, o);
        if (call instanceof Syscall.SendTo s) return sendTo(socket, s, now);
        if (call instanceof Syscall.RecvFrom r) return recvFrom(socket, r);
        if (call instanceof Syscall.RecvError) {
            SyscallResult.ErrorReceived error = socket.dequeueError();
            return error != null ? error : new SyscallResult.Failed(Errno.EAGAIN);
        }
        if (call instanceof Syscall.GetSockName) {
            return socket instanceof UdpSocket u ? new SyscallResult.SockName(u.localAddress(), u.port())
                    : new SyscallResult.SockName(knetsim.node.ipv4.Ipv4Address.ANY, ((PingSocket) socket).ident());
        }
        throw new IllegalArgumentException("unknown system call " + call);
    }

    // close(): a socket is unhashed and, as eventpoll_release() does on the file's last close,
    // leaves every epoll set that watches it; an epoll fd just goes.
    private SyscallResult close(TreeMap<Integer, Object> table, int fd) {
        Object file = table.remove(fd);
        if (file == null) return new SyscallResult.Failed(Errno.EBADF);
        if (file instanceof Sock socket) {
            for (Object other : table.values()) if (other instanceof Epoll epoll) epoll.interest.remove(fd);
            stack.closeSocket(socket);
        }
        return new SyscallResult.Returned(0);
    }

    private static int fdOf(Syscall call) {
        if (call instanceof Syscall.Bind b) return b.fd();
        if (call instanceof Syscall.Connect c) return c.fd();
        if (call instanceof Syscall.SetSockOpt o) return o.fd();
        if (call instanceof Syscall.SendTo s) return s.fd();
        if (call instanceof Syscall.RecvFrom r) return r.fd();
        if (call instanceof Syscall.RecvError r) return r.fd();
        if (call instanceof Syscall.GetSockName g) return g.fd();
        throw new IllegalArgumentException("no fd in " + call);
    }

    // get_unused_fd_flags(): the lowest free descriptor.
    private static int install(TreeMap<Integer, Object> table, Object file) {
        int fd = FIRST_FD;
        while (table.containsKey(fd)) fd++;
        table.put(fd, file);
        return fd;
    }

    private static SyscallResult result(int errno, long value) {
        return errno == 0 ? new SyscallResult.Returned(value) : new SyscallResult.Failed(errno);
    }

    private static SyscallResult setSockOpt(Sock socket, Syscall.SetSockOpt o) {
        switch (o.option()) {
            case SO_RCVBUF -> socket.setRcvbuf(o.value());
            case SO_SNDBUF -> socket.setSndbuf(o.value());
            case IP_TTL -> {
                if (o.value() < 1 || o.value() > 255) return new SyscallResult.Failed(Errno.EINVAL);
                socket.setTtl(o.value());
            }
            case IP_TOS -> {
                if (o.value() < 0 || o.value() > 255) return new SyscallResult.Failed(Errno.EINVAL);
                socket.setTos(o.value());
            }
            case IP_MTU_DISCOVER -> socket.setPmtudisc(o.value());
            case IP_RECVERR -> socket.setRecverr(o.value() != 0);
        }
        return new SyscallResult.Returned(0);
    }

    // udp_sendmsg()/ping_v4_sendmsg(): the address and route checks come first; the pending error
    // (sock_error) and send memory are sock_alloc_send_pskb()'s, when the skb is allocated (ip output).
    private SyscallResult sendTo(Sock socket, Syscall.SendTo s, long now) {
        int errno;
        if (socket instanceof UdpSocket u) {
            errno = stack.udp().send(u, s.address(), s.port(), s.data(), now);
        } else if (s.address() == null) {
            errno = Errno.EDESTADDRREQ;
        } else {
            errno = stack.icmp().sendEcho((PingSocket) socket, s.address(), s.data(), now);
        }
        // sock_wait_for_wmem(): a blocking sender sleeps until woken; a non-blocking one gets EAGAIN
        if (errno == InetStack.WOULD_BLOCK) return s.nonBlocking() ? new SyscallResult.Failed(Errno.EAGAIN) : null;
        return result(errno, s.data().length);
    }

    // __skb_recv_udp(): a pending error wins over queued data; nothing queued blocks or is EAGAIN.
    private SyscallResult recvFrom(Sock socket, Syscall.RecvFrom r) {
        int error = socket.takePendingError();
        if (error != 0) return new SyscallResult.Failed(error);
        Sock.Datagram d = socket.dequeue();
        if (d == null) return r.nonBlocking() ? new SyscallResult.Failed(Errno.EAGAIN) : null;
        if (socket instanceof UdpSocket) stack.udp().delivered();
        return new SyscallResult.Received(d.source(), d.sourcePort(), d.payload(), d.ttl(), d.arrivedAt());
    }

    private static SyscallResult epollCtl(TreeMap<Integer, Object> table, Syscall.EpollCtl c) {
        if (!(table.get(c.epollFd()) instanceof Epoll epoll) || !(table.get(c.fd()) instanceof Sock)) {
            return new SyscallResult.Failed(Errno.EBADF);
        }
        boolean present = epoll.interest.containsKey(c.fd());
        switch (c.op()) {
            case ADD -> {
                if (present) return new SyscallResult.Failed(EEXIST);
                epoll.interest.put(c.fd(), c.events());
            }
            case MOD -> {
                if (!present) return new SyscallResult.Failed(ENOENT);
                epoll.interest.put(c.fd(), c.events());
            }
            case DEL -> {
                if (epoll.interest.remove(c.fd()) == null) return new SyscallResult.Failed(ENOENT);
            }
        }
        return new SyscallResult.Returned(0);
    }

    // ep_poll(): the ready fds in order; none and a timeout other than 0 blocks.
    private static SyscallResult epollWait(TreeMap<Integer, Object> table, Syscall.EpollWait w) {
        if (!(table.get(w.epollFd()) instanceof Epoll epoll)) return new SyscallResult.Failed(Errno.EBADF);
        if (w.maxEvents() < 1) return new SyscallResult.Failed(Errno.EINVAL);
        List<int[]> ready = new ArrayList<>();
        for (var e : epoll.interest.entrySet()) {
            if (ready.size() == w.maxEvents()) break;
            if (!(table.get(e.getKey()) instanceof Sock socket)) continue; // closed: dropped from the set
            // EPOLLERR is always reported, asked for or not
            int events = (readiness(socket) & e.getValue()) | (readiness(socket) & Syscall.EPOLLERR);
            if (events != 0) ready.add(new int[] {e.getKey(), events});
        }
        if (ready.isEmpty() && w.timeoutNs() != 0) return null;
        int[] fds = new int[ready.size()], events = new int[ready.size()];
        for (int i = 0; i < ready.size(); i++) {
            fds[i] = ready.get(i)[0];
            events[i] = ready.get(i)[1];
        }
        return new SyscallResult.Ready(fds, events);
    }

    // datagram_poll(): readable with data or an error, writable with half the send buffer free.
    private static int readiness(Sock socket) {
        int events = 0;
        if (socket.queued() > 0) events |= Syscall.EPOLLIN;
        if (socket.hasPendingError() || socket.hasQueuedError()) events |= Syscall.EPOLLERR;
        if (socket.writeSpace()) events |= Syscall.EPOLLOUT;
        return events;
    }
}
