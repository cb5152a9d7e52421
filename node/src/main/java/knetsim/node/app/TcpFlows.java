package knetsim.node.app;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.process.Application;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;
import knetsim.node.tcp.TcpInfo;

/**
 * A flow-completion-time workload's sender (the client of the DCTCP, pFabric and HPCC studies' traffic
 * generators): connections arrive as a Poisson process of {@code flowsPerSecond}, each to a destination drawn
 * uniformly from {@code destinations}, with a size drawn from {@code sizes}. Each is a new connection: socket(),
 * non-blocking connect(), write() the size, shutdown(SHUT_WR), and wait for the server's FIN (it comes once the
 * server has read everything): that is the flow's completion. One thread with epoll drives every connection.
 * Arrivals stop at {@code stopNs} or after {@code maxFlows} (0: no limit); open connections go on.
 */
public final class TcpFlows implements Application {
    public record Options(String flow, Ipv4Address[] destinations, int port, FlowSizes sizes, double flowsPerSecond,
                          long startNs, long stopNs, int maxFlows, String cc, boolean nodelay) {
        public Options {
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535, got " + port);
            if (destinations.length == 0) throw new IllegalArgumentException("no destination");
            if (!(flowsPerSecond > 0)) throw new IllegalArgumentException("the arrival rate must be > 0");
        }
    }

    private static final int CHUNK = 65_536;
    private static final byte[] ZEROS = new byte[CHUNK];

    private enum State { CONNECTING, WRITING, WAIT_FIN }

    private static final class Flow {
        final int index;
        final long size;
        State state = State.CONNECTING;
        long written;

        Flow(int index, long size) {
            this.index = index;
            this.size = size;
        }
    }

    private final Options options;
    private final Map<Integer, Flow> open = new HashMap<>();
    private final ArrayDeque<int[]> ready = new ArrayDeque<>();
    private ProcessContext context;
    private int epfd;
    private long nextArrival;
    private boolean waiting;
    // one entry per flow, by index
    private final List<String> destinations = new ArrayList<>(), errors = new ArrayList<>();
    private int[] sourcePorts = new int[64];
    private long[] sizes = new long[64], written = new long[64], starts = new long[64], ends = new long[64],
            retrans = new long[64], segsOut = new long[64], segsIn = new long[64];
    private int n;
    private String source = "?", cc;

    public TcpFlows(Options options) {
        this.options = options;
        this.cc = options.cc();
    }

    @Override
    public void start(ProcessContext context) {
        this.context = context;
        context.sleep(options.startNs(), () -> context.call(new Syscall.EpollCreate(), ep -> {
            epfd = (int) ((SyscallResult.Returned) ep).value();
            nextArrival = context.now() + gap();
            loop();
        }));
    }

    // exponential inter-arrival time with mean 1/rate, in ns (at least 1)
    private long gap() {
        double u = context.random().nextDouble();
        return Math.max(1, Math.round(-Math.log1p(-u) / options.flowsPerSecond() * 1e9));
    }

    private boolean arriving() {
        return nextArrival < options.stopNs() && (options.maxFlows() == 0 || n < options.maxFlows());
    }

    // the event loop: a due arrival (between batches), then the ready connections one by one, then epoll_wait
    private void loop() {
        if (ready.isEmpty() && arriving() && context.now() >= nextArrival) {
            nextArrival += gap();
            arrive();
            return;
        }
        int[] event = ready.poll();
        if (event != null) {
            Flow f = open.get(event[0]);
            if (f == null) loop();
            else handle(event[0], f, event[1]);
            return;
        }
        if (!arriving() && open.isEmpty()) return; // done: nothing to wait for
        long timeout = arriving() ? Math.max(1, nextArrival - context.now()) : -1;
        context.call(new Syscall.EpollWait(epfd, 64, timeout), r -> {
            SyscallResult.Ready got = (SyscallResult.Ready) r;
            for (int i = 0; i < got.fds().length; i++) ready.add(new int[] {got.fds()[i], got.events()[i]});
            loop();
        });
    }

    // a new connection: socket(), its options, O_NONBLOCK, connect() (EINPROGRESS), then wait for EPOLLOUT
    private void arrive() {
        int index = n;
        Ipv4Address[] to = options.destinations();
        Ipv4Address dst = to.length == 1 ? to[0] : to[context.random().nextInt(to.length)];
        long size = options.sizes().sample(context.random());
        grow();
        destinations.add(dst + ":" + options.port());
        errors.add("");
        sizes[index] = size;
        starts[index] = context.now();
        ends[index] = -1;
        n++;
        context.call(new Syscall.Socket(Syscall.Protocol.TCP), s -> {
            if (s instanceof SyscallResult.Failed f) {
                errors.set(index, Errno.name(f.errno()));
                loop();
                return;
            }
            int fd = (int) ((SyscallResult.Returned) s).value();
            List<Syscall> calls = new ArrayList<>();
            if (options.cc() != null) calls.add(new Syscall.SetSockOptName(fd, Syscall.Option.TCP_CONGESTION, options.cc()));
            if (options.nodelay()) calls.add(new Syscall.SetSockOpt(fd, Syscall.Option.TCP_NODELAY, 1));
            calls.add(new Syscall.SetNonBlocking(fd, true));
            calls.add(new Syscall.Connect(fd, dst, options.port()));
            setup(fd, new Flow(index, size), calls, 0);
        });
    }

    private void setup(int fd, Flow f, List<Syscall> calls, int i) {
        context.call(calls.get(i), r -> {
            boolean connect = i + 1 == calls.size();
            if (r instanceof SyscallResult.Failed failed && !(connect && failed.errno() == Errno.EINPROGRESS)) {
                fail(fd, f, failed.errno());
            } else if (!connect) {
                setup(fd, f, calls, i + 1);
            } else {
                open.put(fd, f);
                context.call(new Syscall.EpollCtl(epfd, Syscall.EpollOp.ADD, fd, Syscall.EPOLLOUT), added -> loop());
            }
        });
    }

    private void handle(int fd, Flow f, int events) {
        switch (f.state) {
            case CONNECTING -> context.call(new Syscall.GetSockOpt(fd, Syscall.Option.SO_ERROR), r -> {
                int error = r instanceof SyscallResult.Returned v ? (int) v.value() : Errno.EINVAL;
                if (error != 0) {
                    fail(fd, f, error);
                } else if ((events & (Syscall.EPOLLOUT | Syscall.EPOLLERR | Syscall.EPOLLHUP)) == 0) {
                    loop();
                } else {
                    f.state = State.WRITING;
                    context.call(new Syscall.GetSockName(fd), name -> {
                        if (name instanceof SyscallResult.SockName sn) {
                            sourcePorts[f.index] = sn.port();
                            source = sn.address().toString();
                        }
                        write(fd, f);
                    });
                }
            });
            case WRITING -> write(fd, f);
            case WAIT_FIN -> context.call(new Syscall.Recv(fd, CHUNK, true), r -> {
                if (r instanceof SyscallResult.Read read && read.data().length == 0) finish(fd, f);
                else if (r instanceof SyscallResult.Failed x && x.errno() != Errno.EAGAIN) fail(fd, f, x.errno());
                else loop(); // EAGAIN, or data from a server that should send none
            });
        }
    }

    // write() until the size is written (then shutdown(SHUT_WR) and wait for the FIN) or EAGAIN
    private void write(int fd, Flow f) {
        if (f.written >= f.size) {
            f.state = State.WAIT_FIN;
            context.call(new Syscall.Shutdown(fd, 1), done ->
                    context.call(new Syscall.EpollCtl(epfd, Syscall.EpollOp.MOD, fd, Syscall.EPOLLIN), mod -> loop()));
            return;
        }
        long left = f.size - f.written;
        byte[] data = left >= CHUNK ? ZEROS : Arrays.copyOf(ZEROS, (int) left);
        context.call(new Syscall.SendTo(fd, null, 0, data, true), r -> {
            if (r instanceof SyscallResult.Returned w) {
                f.written += w.value();
                written[f.index] = f.written;
                write(fd, f);
            } else if (r instanceof SyscallResult.Failed x && x.errno() == Errno.EAGAIN) {
                loop();
            } else {
                fail(fd, f, ((SyscallResult.Failed) r).errno());
            }
        });
    }

    // completion: the client's last TCP_INFO, then close()
    private void finish(int fd, Flow f) {
        ends[f.index] = context.now();
        context.call(new Syscall.GetSockOpt(fd, Syscall.Option.TCP_INFO), r -> {
            if (r instanceof SyscallResult.SockOptStruct s && s.value() instanceof TcpInfo info) {
                retrans[f.index] = info.totalRetrans();
                segsOut[f.index] = info.segsOut();
                segsIn[f.index] = info.segsIn();
                cc = info.congestionControl();
            }
            close(fd);
        });
    }

    private void fail(int fd, Flow f, int errno) {
        errors.set(f.index, Errno.name(errno));
        close(fd);
    }

    private void close(int fd) {
        boolean registered = open.remove(fd) != null;
        if (!registered) {
            context.call(new Syscall.Close(fd), closed -> loop());
            return;
        }
        context.call(new Syscall.EpollCtl(epfd, Syscall.EpollOp.DEL, fd, 0),
                del -> context.call(new Syscall.Close(fd), closed -> loop()));
    }

    private void grow() {
        if (n < sizes.length) return;
        int m = n * 2;
        sourcePorts = Arrays.copyOf(sourcePorts, m);
        sizes = Arrays.copyOf(sizes, m);
        written = Arrays.copyOf(written, m);
        starts = Arrays.copyOf(starts, m);
        ends = Arrays.copyOf(ends, m);
        retrans = Arrays.copyOf(retrans, m);
        segsOut = Arrays.copyOf(segsOut, m);
        segsIn = Arrays.copyOf(segsIn, m);
    }

    @Override
    public List<TcpFlowsReport> report(long now) {
        return List.of(new TcpFlowsReport(context.name(), options.flow(), source, cc == null ? "" : cc, options.port(),
                destinations.toArray(String[]::new), Arrays.copyOf(sourcePorts, n), Arrays.copyOf(sizes, n),
                Arrays.copyOf(written, n), Arrays.copyOf(starts, n), Arrays.copyOf(ends, n), Arrays.copyOf(retrans, n),
                Arrays.copyOf(segsOut, n), Arrays.copyOf(segsIn, n), errors.toArray(String[]::new)));
    }
}
