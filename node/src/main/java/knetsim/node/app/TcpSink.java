package knetsim.node.app;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.process.Application;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/**
 * A TCP server (iperf3 -s, netserver): listens on {@code port}, accepts every connection and reads each with
 * recv() of {@code readSize} bytes, paying {@code readCostNs} of user time per read; at end of stream it closes
 * the connection (its FIN tells the client all was read). With {@code requestSize} > 0 it answers netperf
 * TCP_RR style: after each {@code requestSize} bytes of a connection it writes {@code responseSize} bytes back.
 * One thread with epoll, as these servers are.
 */
public final class TcpSink implements Application {
    /** {@code cc}: TCP_CONGESTION on the listener, which its connections inherit (null: the host's default). */
    public record Options(int port, int rcvbuf, int readSize, long readCostNs, int requestSize, int responseSize,
                          long startNs, String cc) {
        public Options {
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535, got " + port);
            if (readSize < 1) throw new IllegalArgumentException("read size must be > 0, got " + readSize);
            if (requestSize < 0 || responseSize < 0) throw new IllegalArgumentException("sizes must be >= 0");
        }

        public Options(int port, int rcvbuf, int readSize, long readCostNs, int requestSize, int responseSize,
                       long startNs) {
            this(port, rcvbuf, readSize, readCostNs, requestSize, responseSize, startNs, null);
        }
    }

    private static final class Conn {
        final String peer;
        final long acceptedNs;
        long bytes, firstRead = -1, lastRead = -1, requestBytes, segsOut = -1, segsIn = -1;
        boolean eof;

        Conn(String peer, long acceptedNs) {
            this.peer = peer;
            this.acceptedNs = acceptedNs;
        }
    }

    private final Options options;
    private final TreeMap<Integer, Conn> open = new TreeMap<>();
    private final List<Conn> all = new ArrayList<>();
    private ProcessContext context;
    private int listener, epfd;
    private String error = "";

    public TcpSink(Options options) {
        this.options = options;
    }

    @Override
    public void start(ProcessContext context) {
        this.context = context;
        context.sleep(options.startNs(), () -> context.call(new Syscall.Socket(Syscall.Protocol.TCP), s -> {
            listener = (int) ((SyscallResult.Returned) s).value();
            List<Syscall> setup = new ArrayList<>();
            if (options.rcvbuf() > 0) setup.add(new Syscall.SetSockOpt(listener, Syscall.Option.SO_RCVBUF, options.rcvbuf()));
            if (options.cc() != null) {
                setup.add(new Syscall.SetSockOptName(listener, Syscall.Option.TCP_CONGESTION, options.cc()));
            }
            setup.add(new Syscall.Bind(listener, Ipv4Address.ANY, options.port()));
            setup.add(new Syscall.Listen(listener, 128));
            setup.add(new Syscall.SetNonBlocking(listener, true));
            setup.add(new Syscall.EpollCreate());
            run(setup, 0);
        }));
    }

    private void run(List<Syscall> calls, int i) {
        context.call(calls.get(i), r -> {
            if (r instanceof SyscallResult.Failed f) throw new IllegalStateException(context.name() + ": " + calls.get(i)
                    + " failed: " + Errno.name(f.errno()));
            if (i + 1 < calls.size()) {
                run(calls, i + 1);
                return;
            }
            epfd = (int) ((SyscallResult.Returned) r).value();
            context.call(new Syscall.EpollCtl(epfd, Syscall.EpollOp.ADD, listener, Syscall.EPOLLIN), added -> poll());
        });
    }

    private void poll() {
        context.call(new Syscall.EpollWait(epfd, 64, -1), r -> {
            SyscallResult.Ready ready = (SyscallResult.Ready) r;
            serve(ready.fds(), 0);
        });
    }

    private void serve(int[] fds, int i) {
        if (i == fds.length) {
            poll();
            return;
        }
        if (fds[i] == listener) accept(fds, i);
        else read(fds, i);
    }

    // accept4(SOCK_NONBLOCK) until the accept queue is empty
    private void accept(int[] fds, int i) {
        context.call(new Syscall.Accept(listener, true), r -> {
            if (r instanceof SyscallResult.Accepted a) {
                Conn c = new Conn(a.address() + ":" + a.port(), context.now());
                open.put(a.fd(), c);
                all.add(c);
                context.call(new Syscall.EpollCtl(epfd, Syscall.EpollOp.ADD, a.fd(), Syscall.EPOLLIN | Syscall.EPOLLRDHUP),
                        added -> accept(fds, i));
            } else {
                serve(fds, i + 1);
            }
        });
    }

    private void read(int[] fds, int i) {
        int fd = fds[i];
        Conn c = open.get(fd);
        if (c == null) {
            serve(fds, i + 1);
            return;
        }
        context.call(new Syscall.Recv(fd, options.readSize(), true), r -> {
            if (r instanceof SyscallResult.Read read && read.data().length > 0) {
                long n = read.data().length;
                if (c.firstRead < 0) c.firstRead = context.now();
                c.lastRead = context.now();
                c.bytes += n;
                c.requestBytes += n;
                Runnable next = () -> respond(fd, c, () -> serve(fds, i + 1));
                if (options.readCostNs() > 0) context.sleep(options.readCostNs(), next);
                else next.run();
            } else if (r instanceof SyscallResult.Read) {
                c.eof = true;
                open.remove(fd);
                // the socket's segment counts (flows.csv's packets), then close()
                context.call(new Syscall.GetSockOpt(fd, Syscall.Option.TCP_INFO), info -> {
                    if (info instanceof SyscallResult.SockOptStruct s && s.value() instanceof knetsim.node.tcp.TcpInfo t) {
                        c.segsOut = t.segsOut();
                        c.segsIn = t.segsIn();
                    }
                    context.call(new Syscall.Close(fd), closed -> serve(fds, i + 1));
                });
            } else {
                SyscallResult.Failed f = (SyscallResult.Failed) r;
                if (f.errno() != Errno.EAGAIN) {
                    if (error.isEmpty()) error = Errno.name(f.errno());
                    open.remove(fd);
                    context.call(new Syscall.Close(fd), closed -> serve(fds, i + 1));
                } else {
                    serve(fds, i + 1);
                }
            }
        });
    }

    // netserver's TCP_RR: a response for every whole request read (written with the socket made blocking)
    private void respond(int fd, Conn c, Runnable then) {
        if (options.requestSize() == 0 || c.requestBytes < options.requestSize()) {
            then.run();
            return;
        }
        c.requestBytes -= options.requestSize();
        context.call(new Syscall.SetNonBlocking(fd, false), b -> context.call(
                new Syscall.SendTo(fd, null, 0, new byte[Math.max(1, options.responseSize())], false),
                sent -> context.call(new Syscall.SetNonBlocking(fd, true), nb -> respond(fd, c, then))));
    }

    @Override
    public List<TcpSinkReport> report(long now) {
        List<TcpSinkReport> reports = new ArrayList<>();
        for (Conn c : all) {
            reports.add(new TcpSinkReport(context.name(), ":" + options.port(), c.peer, c.bytes, c.acceptedNs,
                    c.firstRead, c.lastRead, c.eof, c.segsOut, c.segsIn));
        }
        return reports;
    }
}
