package knetsim.node.app;

import java.util.Arrays;
import java.util.List;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.process.Application;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;
import knetsim.node.tcp.TcpInfo;

/**
 * A netperf TCP_RR-like client: writes a {@code requestSize}-byte request, reads the {@code responseSize}-byte
 * response, and again, {@code count} times (0: until {@code stopNs}). Each transaction's time is kept. In
 * short-flow mode ({@code shortFlows}, netperf's TCP_CRR) every request goes on a new connection, and the time
 * kept is the flow completion time: from connect() to the last byte of the response. Blocking sockets.
 */
public final class TcpRr implements Application {
    public record Options(String flow, Ipv4Address destination, int port, int requestSize, int responseSize, int count,
                          long startNs, long stopNs, boolean shortFlows, String cc, boolean nodelay) {
        public Options {
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535, got " + port);
            if (requestSize < 1 || responseSize < 1) throw new IllegalArgumentException("sizes must be > 0");
            if (count < 0) throw new IllegalArgumentException("count must be >= 0");
        }
    }

    private final Options options;
    private final TcpSamples samples = new TcpSamples();
    private long[] times = new long[64];
    private int done;
    private ProcessContext context;
    private int fd = -1;
    private long connectedNs = -1, endNs = -1, bytes, transactionStart, got;
    private String source = "?", error = "";
    private boolean finished;

    public TcpRr(Options options) {
        this.options = options;
    }

    @Override
    public void start(ProcessContext context) {
        this.context = context;
        context.sleep(options.startNs(), this::open);
    }

    private boolean more() {
        return options.count() > 0 ? done < options.count() : context.now() < options.stopNs();
    }

    private void open() {
        transactionStart = context.now();
        TcpConnect.open(context, options.destination(), options.port(),
                new TcpConnect.Settings(options.cc(), options.nodelay(), 0, 0), result -> {
                    if (result < 0) {
                        end(TcpConnect.errorName(result));
                        return;
                    }
                    fd = result;
                    if (connectedNs < 0) connectedNs = context.now();
                    context.call(new Syscall.GetSockName(fd), name -> {
                        if (name instanceof SyscallResult.SockName n) source = n.address() + ":" + n.port();
                        request();
                    });
                });
    }

    private void request() {
        if (!options.shortFlows()) transactionStart = context.now();
        got = 0;
        context.call(new Syscall.SendTo(fd, null, 0, new byte[options.requestSize()], false), sent -> {
            if (sent instanceof SyscallResult.Failed f) {
                end(Errno.name(f.errno()));
                return;
            }
            bytes += options.requestSize();
            response();
        });
    }

    private void response() {
        context.call(new Syscall.Recv(fd, options.responseSize() - (int) got, false), r -> {
            if (r instanceof SyscallResult.Failed f) {
                end(Errno.name(f.errno()));
            } else if (((SyscallResult.Read) r).data().length == 0) {
                end("ECONNRESET"); // the server went away mid-transaction
            } else {
                got += ((SyscallResult.Read) r).data().length;
                if (got < options.responseSize()) {
                    response();
                } else {
                    record(context.now() - transactionStart);
                    next();
                }
            }
        });
    }

    private void next() {
        if (!options.shortFlows()) {
            if (more()) request();
            else end("");
            return;
        }
        // TCP_CRR: close this connection (its TCP_INFO first), then a new one for the next request
        context.call(new Syscall.GetSockOpt(fd, Syscall.Option.TCP_INFO), info -> {
            if (info instanceof SyscallResult.SockOptStruct s) samples.add(context.now(), (TcpInfo) s.value());
            context.call(new Syscall.Close(fd), closed -> {
                fd = -1;
                if (more()) open();
                else end("");
            });
        });
    }

    private void record(long ns) {
        if (done == times.length) times = Arrays.copyOf(times, done * 2);
        times[done++] = ns;
    }

    private void end(String why) {
        endNs = context.now();
        finished = why.isEmpty();
        error = why;
        if (fd < 0) return;
        context.call(new Syscall.GetSockOpt(fd, Syscall.Option.TCP_INFO), info -> {
            if (info instanceof SyscallResult.SockOptStruct s) samples.add(context.now(), (TcpInfo) s.value());
            context.call(new Syscall.Close(fd), closed -> {});
        });
    }

    @Override
    public List<TcpFlowReport> report(long now) {
        return List.of(samples.report(context.name(), options.flow(), options.shortFlows() ? "crr" : "rr", source,
                options.destination() + ":" + options.port(), options.cc(), bytes, options.startNs(), connectedNs,
                endNs, finished, 0, Arrays.copyOf(times, done), error));
    }
}
