package knetsim.node.socket;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import knetsim.core.time.SimTime;

/**
 * The system-call side of the host's kernel: each process's file table, the socket calls on it through
 * each socket's {@link ProtoOps}, blocking and level-triggered epoll. A call that cannot complete sleeps
 * on its socket's wait queue (epoll_wait on every watched socket's) with the progress it made; a wake-up
 * only marks the socket, and {@link #runWoken} retries its sleepers once the current kernel work is done,
 * so no call ever runs nested inside another's. A plain object: the Host LP feeds it calls and wake-ups
 * and sends back what completes.
 */
public final class SocketLayer {
    /** Where completed calls go, and how the layer asks to be woken for a timeout. */
    public interface Completion {
        void complete(int pid, long callId, SyscallResult result, long now);

        void wakeAt(long time);
    }

    /** __sock_create(): a new socket of {@code protocol} with its operations, or null (EPROTONOSUPPORT). */
    public interface Families {
        Opened create(Syscall.Protocol protocol);
    }

    /** A socket and the operations of its kind. */
    public record Opened(Sock socket, ProtoOps ops) {}

    /** fds 0-2 are stdin, stdout and stderr: the first socket is fd 3, as in any process. */
    private static final int FIRST_FD = 3;

    /** An open socket in a file table: its operations and O_NONBLOCK. */
    private static final class SocketFile {
        final Sock sk;
        final ProtoOps ops;
        boolean nonBlocking;

        SocketFile(Sock sk, ProtoOps ops, boolean nonBlocking) {
            this.sk = sk;
            this.ops = ops;
            this.nonBlocking = nonBlocking;
        }
    }

    private static final class Epoll {
        final TreeMap<Integer, Integer> interest = new TreeMap<>();
    }

    /** A process as the kernel sees it here: its file table and the call it sleeps in (null: none). */
    private static final class Task {
        final int pid;
        final FileTable files = new FileTable();
        Waiter blocked;

        Task(int pid) {
            this.pid = pid;
        }
    }

    /** A sleeping call: what it has done so far ({@code progress}: bytes sent; 1 once a connect started). */
    private static final class Waiter {
        final Task task;
        final int pid;
        final long callId;
        final Syscall call;
        final long deadline;
        final List<Sock> queues = new ArrayList<>(1);
        long progress;

        Waiter(Task task, long callId, Syscall call, long deadline, long progress) {
            this.task = task;
            this.pid = task.pid;
            this.callId = callId;
            this.call = call;
            this.deadline = deadline;
            this.progress = progress;
        }
    }

    /** What one attempt came to: a result, or sleep with the progress made. */
    private static final SyscallResult SLEEP = new SyscallResult.Returned(-1);

    private final Families families;
    private final Completion completion;
    // the processes that made a call, by pid in ascending order: a host has a few, looked up on every call
    private int[] pids = new int[0];
    private Task[] tasks = new Task[0];
    private final ArrayDeque<Sock> woken = new ArrayDeque<>();
    private final TreeMap<Long, Integer> deadlines = new TreeMap<>();
    private long progress; // of the attempt that is running

    public SocketLayer(Families families, Completion completion) {
        this.families = families;
        this.completion = completion;
    }

    /** A system call from process {@code pid}: its result, or null when it sleeps. */
    public SyscallResult call(int pid, long callId, Syscall call, long now) {
        Task task = task(pid);
        if (task.blocked != null) throw new IllegalStateException("process " + pid + " is already in a system call");
        progress = 0;
        SyscallResult result = attempt(task.files, call, now);
        if (result != SLEEP) return result;
        long deadline = call instanceof Syscall.EpollWait w && w.timeoutNs() >= 0 ? now + w.timeoutNs() : SimTime.NEVER;
        sleep(new Waiter(task, callId, call, deadline, progress), now);
        return null;
    }

    /** sk_data_ready() / sk_write_space() / sk_state_change(): the socket's sleepers may proceed, once the current work is done. */
    public void wake(Sock socket) {
        if (socket.waitQueue().hasSleeper()) woken.add(socket);
    }

    /** Retries the sleepers of every woken socket, in the order the wake-ups came, until none is left. */
    public void runWoken(long now) {
        while (!woken.isEmpty()) {
            Sock socket = woken.poll();
            for (Object o : socket.waitQueue().snapshot()) { // the sleepers as they were: a retry may requeue
                Waiter waiter = (Waiter) o;
                if (waiter.task.blocked != waiter) continue; // completed meanwhile
                if (!mayRetry(waiter, socket)) continue;
                unqueue(waiter);
                progress = waiter.progress;
                SyscallResult result = attempt(waiter.task.files, waiter.call, now);
                if (result == SLEEP) {
                    waiter.progress = progress;
                    requeue(waiter, now);
                } else {
                    finish(waiter);
                    completion.complete(waiter.pid, waiter.callId, result, now);
                }
            }
        }
    }

    /** The earliest epoll_wait() timeout, or SimTime.NEVER. */
    public long nextDeadline() {
        return deadlines.isEmpty() ? SimTime.NEVER : deadlines.firstKey();
    }

    /** epoll_wait() timeouts that have come: they return no events. */
    public void timerExpired(long now) {
        for (Task task : tasks.clone()) { // in pid order
            Waiter waiter = task.blocked;
            if (waiter == null || waiter.deadline > now) continue;
            finish(waiter);
            completion.complete(waiter.pid, waiter.callId, new SyscallResult.Ready(new int[0], new int[0]), now);
        }
    }

    // sk_write_space() wakes a writer only once it can make progress (sock_def_write_space(): half the send
    // buffer free; sk_stream_write_space()); sk_error_report() wakes it at once.
    private boolean mayRetry(Waiter waiter, Sock socket) {
        if (!(waiter.call instanceof Syscall.SendTo)) return true;
        SocketFile file = socketFile(waiter.task.files, ((Syscall.SendTo) waiter.call).fd());
        if (file == null) return true;
        return (file.ops.poll(socket) & (Syscall.EPOLLOUT | Syscall.EPOLLERR | Syscall.EPOLLHUP)) != 0
                || socket.hasPendingError();
    }

    private void sleep(Waiter waiter, long now) {
        waiter.task.blocked = waiter;
        if (waiter.deadline != SimTime.NEVER) {
            deadlines.merge(waiter.deadline, 1, Integer::sum);
            completion.wakeAt(waiter.deadline);
        }
        requeue(waiter, now);
    }

    // prepare_to_wait(): on the socket the call is about; epoll_wait on every watched socket (ep_ptable_queue_proc)
    private void requeue(Waiter waiter, long now) {
        FileTable table = waiter.task.files;
        if (waiter.call instanceof Syscall.EpollWait w && table.get(w.epollFd()) instanceof Epoll epoll) {
            for (int fd : epoll.interest.keySet()) {
                if (table.get(fd) instanceof SocketFile f) enqueue(waiter, f.sk);
            }
        } else {
            SocketFile f = socketFile(table, fdOf(waiter.call));
            if (f != null) enqueue(waiter, f.sk);
        }
    }

    private static void enqueue(Waiter waiter, Sock sk) {
        sk.waitQueue().add(waiter);
        waiter.queues.add(sk);
    }

    private void unqueue(Waiter waiter) {
        for (Sock sk : waiter.queues) sk.waitQueue().remove(waiter);
        waiter.queues.clear();
    }

    // the call leaves for good: its epoll_wait() timeout no longer counts
    private void finish(Waiter waiter) {
        waiter.task.blocked = null;
        unqueue(waiter);
        if (waiter.deadline != SimTime.NEVER) deadlines.computeIfPresent(waiter.deadline, (d, n) -> n == 1 ? null : n - 1);
    }

    private static SocketFile socketFile(FileTable table, int fd) {
        return table.get(fd) instanceof SocketFile f ? f : null;
    }

    // current: the process with its file table, made at its first call
    private Task task(int pid) {
        int at = java.util.Arrays.binarySearch(pids, pid);
        if (at >= 0) return tasks[at];
        at = -at - 1;
        Task task = new Task(pid);
        pids = insert(pids, at, pid);
        Task[] grown = new Task[tasks.length + 1];
        System.arraycopy(tasks, 0, grown, 0, at);
        grown[at] = task;
        System.arraycopy(tasks, at, grown, at + 1, tasks.length - at);
        tasks = grown;
        return task;
    }

    // a copy of a with value put at index at
    private static int[] insert(int[] a, int at, int value) {
        int[] grown = new int[a.length + 1];
        System.arraycopy(a, 0, grown, 0, at);
        grown[at] = value;
        System.arraycopy(a, at, grown, at + 1, a.length - at);
        return grown;
    }

    private SyscallResult attempt(FileTable table, Syscall call, long now) {
        if (call instanceof Syscall.Socket s) {
            Opened opened = families.create(s.protocol());
            if (opened == null) return new SyscallResult.Failed(Errno.EPROTONOSUPPORT);
            return new SyscallResult.Returned(install(table, new SocketFile(opened.socket(), opened.ops(), false)));
        }
        if (call instanceof Syscall.EpollCreate) return new SyscallResult.Returned(install(table, new Epoll()));
        if (call instanceof Syscall.EpollCtl c) return Epolls.ctl(table, c, SocketFile.class);
        if (call instanceof Syscall.EpollWait w) return epollWait(table, w);
        if (call instanceof Syscall.Close c) return close(table, c.fd(), now);
        int fd = fdOf(call);
        Object file = table.get(fd);
        if (file == null) return failed(Errno.EBADF);
        if (!(file instanceof SocketFile f)) return failed(Errno.ENOTSOCK); // sockfd_lookup()
        return SocketCalls.attempt(this, table, f.sk, f.ops, f.nonBlocking, call, now);
    }

    // fcntl(F_SETFL, O_NONBLOCK)
    void setNonBlocking(FileTable table, int fd, boolean on) {
        if (table.get(fd) instanceof SocketFile f) f.nonBlocking = on;
    }

    // accept4(): the child gets the lowest free fd
    int installChild(FileTable table, Sock child, ProtoOps ops, boolean nonBlocking) {
        return install(table, new SocketFile(child, ops, nonBlocking));
    }

    long progress() {
        return progress;
    }

    void setProgress(long progress) {
        this.progress = progress;
    }

    static SyscallResult sleepResult() {
        return SLEEP;
    }

    // close(): a socket is released and, as eventpoll_release() does on the file's last close,
    // leaves every epoll set that watches it; an epoll fd just goes.
    private SyscallResult close(FileTable table, int fd, long now) {
        Object file = table.remove(fd);
        if (file == null) return failed(Errno.EBADF);
        if (file instanceof SocketFile f) {
            for (int i = 0; i < table.end(); i++) if (table.get(i) instanceof Epoll epoll) epoll.interest.remove(fd);
            f.ops.release(f.sk, now);
        }
        return new SyscallResult.Returned(0);
    }

    static int fdOf(Syscall call) {
        if (call instanceof Syscall.SendTo s) return s.fd(); // the calls of every datagram first
        if (call instanceof Syscall.RecvFrom r) return r.fd();
        if (call instanceof Syscall.Bind b) return b.fd();
        if (call instanceof Syscall.Connect c) return c.fd();
        if (call instanceof Syscall.SetSockOpt o) return o.fd();
        if (call instanceof Syscall.SetSockOptName o) return o.fd();
        if (call instanceof Syscall.GetSockOpt o) return o.fd();
        if (call instanceof Syscall.SetNonBlocking n) return n.fd();
        if (call instanceof Syscall.Recv r) return r.fd();
        if (call instanceof Syscall.RecvError r) return r.fd();
        if (call instanceof Syscall.GetSockName g) return g.fd();
        if (call instanceof Syscall.Listen l) return l.fd();
        if (call instanceof Syscall.Accept a) return a.fd();
        if (call instanceof Syscall.Shutdown s) return s.fd();
        throw new IllegalArgumentException("no fd in " + call);
    }

    // get_unused_fd_flags(): the lowest free descriptor.
    private static int install(FileTable table, Object file) {
        return table.install(FIRST_FD, file);
    }

    static SyscallResult failed(int errno) {
        return new SyscallResult.Failed(errno);
    }

    // ep_poll(): the ready fds in order; none and a timeout other than 0 sleeps.
    private static SyscallResult epollWait(FileTable table, Syscall.EpollWait w) {
        if (!(table.get(w.epollFd()) instanceof Epoll epoll)) return failed(Errno.EBADF);
        if (w.maxEvents() < 1) return failed(Errno.EINVAL);
        List<int[]> ready = new ArrayList<>();
        for (var e : epoll.interest.entrySet()) {
            if (ready.size() == w.maxEvents()) break;
            if (!(table.get(e.getKey()) instanceof SocketFile f)) continue; // closed: dropped from the set
            int mask = f.ops.poll(f.sk);
            // EPOLLERR and EPOLLHUP are always reported, asked for or not
            int events = (mask & e.getValue()) | (mask & (Syscall.EPOLLERR | Syscall.EPOLLHUP));
            if (events != 0) ready.add(new int[] {e.getKey(), events});
        }
        if (ready.isEmpty() && w.timeoutNs() != 0) return SLEEP;
        int[] fds = new int[ready.size()], events = new int[ready.size()];
        for (int i = 0; i < ready.size(); i++) {
            fds[i] = ready.get(i)[0];
            events[i] = ready.get(i)[1];
        }
        return new SyscallResult.Ready(fds, events);
    }

    /** epoll_ctl() on a table whose sockets are of {@code socketFile}'s class. */
    private static final class Epolls {
        static SyscallResult ctl(FileTable table, Syscall.EpollCtl c, Class<?> socketFile) {
            if (!(table.get(c.epollFd()) instanceof Epoll epoll) || !socketFile.isInstance(table.get(c.fd()))) {
                return failed(Errno.EBADF);
            }
            boolean present = epoll.interest.containsKey(c.fd());
            switch (c.op()) {
                case ADD -> {
                    if (present) return failed(Errno.EEXIST);
                    epoll.interest.put(c.fd(), c.events());
                }
                case MOD -> {
                    if (!present) return failed(Errno.ENOENT);
                    epoll.interest.put(c.fd(), c.events());
                }
                case DEL -> {
                    if (epoll.interest.remove(c.fd()) == null) return failed(Errno.ENOENT);
                }
            }
            return new SyscallResult.Returned(0);
        }
    }
}
