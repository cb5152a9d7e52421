package knetsim.node.app;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/**
 * The start of a TCP client (iperf3's and netperf's): socket(), the options asked for (SO_SNDBUF, SO_RCVBUF,
 * TCP_NODELAY, TCP_CONGESTION), then a blocking connect(). {@code then} gets the fd, or a negative errno when a
 * step failed.
 */
final class TcpConnect {
    private TcpConnect() {}

    /** Socket options of a client; 0 / null: the system's default. */
    record Settings(String cc, boolean nodelay, int sndbuf, int rcvbuf) {}

    static void open(ProcessContext context, Ipv4Address to, int port, Settings settings, IntConsumer then) {
        context.call(new Syscall.Socket(Syscall.Protocol.TCP), socket -> {
            if (socket instanceof SyscallResult.Failed f) {
                then.accept(-f.errno());
                return;
            }
            int fd = (int) ((SyscallResult.Returned) socket).value();
            List<Syscall> options = new ArrayList<>();
            if (settings.sndbuf() > 0) options.add(new Syscall.SetSockOpt(fd, Syscall.Option.SO_SNDBUF, settings.sndbuf()));
            if (settings.rcvbuf() > 0) options.add(new Syscall.SetSockOpt(fd, Syscall.Option.SO_RCVBUF, settings.rcvbuf()));
            if (settings.nodelay()) options.add(new Syscall.SetSockOpt(fd, Syscall.Option.TCP_NODELAY, 1));
            if (settings.cc() != null) options.add(new Syscall.SetSockOptName(fd, Syscall.Option.TCP_CONGESTION, settings.cc()));
            options.add(new Syscall.Connect(fd, to, port));
            next(context, options, 0, fd, then);
        });
    }

    private static void next(ProcessContext context, List<Syscall> calls, int i, int fd, IntConsumer then) {
        context.call(calls.get(i), r -> {
            if (r instanceof SyscallResult.Failed f) {
                context.call(new Syscall.Close(fd), closed -> then.accept(-f.errno()));
            } else if (i + 1 == calls.size()) {
                then.accept(fd);
            } else {
                next(context, calls, i + 1, fd, then);
            }
        });
    }

    static String errorName(int negativeErrno) {
        return Errno.name(-negativeErrno);
    }
}
