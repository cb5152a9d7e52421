package knetsim.node.app;

import java.util.List;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.process.Application;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/**
 * An iperf3-like TCP client: connects to {@code destination:port}, then writes {@code writeSize}-byte buffers
 * as fast as the socket takes them, {@code bytes} in all or for {@code durationNs}; then shutdown(SHUT_WR) and
 * it waits for the server's FIN, which comes once the server has read everything: the flow's completion.
 * The socket is non-blocking after connect and the client sleeps in epoll_wait, so that it can read TCP_INFO
 * every {@code sampleNs} (iperf3's interval reports) whatever the socket is doing.
 */
public final class TcpBulk implements Application {
    public record Options(String flow, Ipv4Address destination, int port, long bytes, long durationNs, String cc,
                          boolean nodelay, int writeSize, int sndbuf, long startNs, long sampleNs) {
        public Options {
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535, got " + port);
            if ((bytes > 0) == (durationNs > 0)) throw new IllegalArgumentException("give bytes or a duration, not both");
            if (writeSize < 1) throw new IllegalArgumentException("write size must be > 0, got " + writeSize);
            if (sampleNs <= 0) throw new IllegalArgumentException("sampling interval must be > 0");
        }
    }

    private final Options options;
    private final TcpSamples samples = new TcpSamples();
    private ProcessContext context;
    private int fd = -1, epfd = -1;
    private long written, connectedNs = -1, endNs = -1, nextSample;
    private boolean shut, finished;
    private String source = "?", error = "";
    private byte[] buffer;

    public TcpBulk(Options options) {
        this.options = options;
    }

    @Override
    public void start(ProcessContext context) {
        this.context = context;
        buffer = new byte[options.writeSize()];
        context.sleep(options.startNs(), () -> TcpConnect.open(context, options.destination(), options.port(),
                new TcpConnect.Settings(options.cc(), options.nodelay(), options.sndbuf(), 0), this::connected));
    }

    private void connected(int result) {
        if (result < 0) {
            error = TcpConnect.errorName(result);
            return;
        }
        fd = result;
        connectedNs = context.now();
        nextSample = connectedNs;
        context.call(new Syscall.GetSockName(fd), name -> {
            if (name instanceof SyscallResult.SockName n) source = n.address() + ":" + n.port();
            context.call(new Syscall.SetNonBlocking(fd, true), nb -> context.call(new Syscall.EpollCreate(), ep -> {
                epfd = (int) ((SyscallResult.Returned) ep).value();
                context.call(new Syscall.EpollCtl(epfd, Syscall.EpollOp.ADD, fd, Syscall.EPOLLOUT), added -> pump());
            }));
        });
    }

    private boolean writingDone() {
        return options.bytes() > 0 ? written >= options.bytes()
                : context.now() >= connectedNs + options.durationNs();
    }

    // iperf3's loop: interval report when due, else write until EAGAIN, then sleep for writability (or the FIN)
    private void pump() {
        if (context.now() >= nextSample) {
            nextSample += options.sampleNs() * Math.max(1, (context.now() - nextSample) / options.sampleNs() + 1);
            context.call(new Syscall.GetSockOpt(fd, Syscall.Option.TCP_INFO), info -> {
                if (info instanceof SyscallResult.SockOptStruct s) samples.add(context.now(), (knetsim.node.tcp.TcpInfo) s.value());
                pump();
            });
            return;
        }
        if (!shut && writingDone()) {
            shut = true;
            context.call(new Syscall.Shutdown(fd, 1), done ->
                    context.call(new Syscall.EpollCtl(epfd, Syscall.EpollOp.MOD, fd, Syscall.EPOLLIN), mod -> pump()));
            return;
        }
        if (shut) {
            context.call(new Syscall.Recv(fd, 65_536, true), r -> {
                if (r instanceof SyscallResult.Read read && read.data().length == 0) finish("");
                else if (r instanceof SyscallResult.Failed f && f.errno() != Errno.EAGAIN) finish(Errno.name(f.errno()));
                else if (r instanceof SyscallResult.Failed) sleep();
                else pump(); // the server sent data: not expected from a sink, read and go on
            });
            return;
        }
        long left = options.bytes() > 0 ? options.bytes() - written : buffer.length;
        byte[] data = left >= buffer.length ? buffer : java.util.Arrays.copyOf(buffer, (int) left);
        context.call(new Syscall.SendTo(fd, null, 0, data, true), r -> {
            if (r instanceof SyscallResult.Returned n) {
                written += n.value();
                pump();
            } else if (r instanceof SyscallResult.Failed f && f.errno() == Errno.EAGAIN) {
                sleep();
            } else {
                finish(Errno.name(((SyscallResult.Failed) r).errno()));
            }
        });
    }

    private void sleep() {
        long timeout = Math.max(1, nextSample - context.now());
        if (options.bytes() == 0 && !shut) timeout = Math.min(timeout, Math.max(1, connectedNs + options.durationNs() - context.now()));
        context.call(new Syscall.EpollWait(epfd, 1, timeout), ready -> pump());
    }

    // the end: the last TCP_INFO, then close()
    private void finish(String why) {
        endNs = context.now();
        finished = why.isEmpty();
        error = why;
        context.call(new Syscall.GetSockOpt(fd, Syscall.Option.TCP_INFO), info -> {
            if (info instanceof SyscallResult.SockOptStruct s) samples.add(context.now(), (knetsim.node.tcp.TcpInfo) s.value());
            context.call(new Syscall.Close(fd), closed -> {});
        });
    }

    @Override
    public List<TcpFlowReport> report(long now) {
        return List.of(samples.report(context.name(), options.flow(), "bulk", source,
                options.destination() + ":" + options.port(), options.cc(), written, options.startNs(), connectedNs,
                endNs, finished, options.sampleNs(), new long[0], error));
    }
}
