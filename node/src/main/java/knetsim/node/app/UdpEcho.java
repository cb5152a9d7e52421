package knetsim.node.app;

import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.process.Application;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/** The echo service (RFC 862) over UDP: every datagram read on {@code port} is sent back to its sender. */
public final class UdpEcho implements Application {
    private final int port;
    private ProcessContext context;
    private int fd;
    private long echoed;

    public UdpEcho(int port) {
        this.port = port;
    }

    @Override
    public void start(ProcessContext context) {
        this.context = context;
        context.call(new Syscall.Socket(Syscall.Protocol.UDP), socket -> {
            fd = (int) ((SyscallResult.Returned) socket).value();
            context.call(new Syscall.Bind(fd, Ipv4Address.ANY, port), bound -> serve());
        });
    }

    private void serve() {
        context.call(new Syscall.RecvFrom(fd, false), result -> {
            if (result instanceof SyscallResult.Received r) {
                context.call(new Syscall.SendTo(fd, r.source(), r.port(), r.data(), false), sent -> {
                    if (sent instanceof SyscallResult.Returned) echoed++;
                    serve();
                });
            } else {
                serve();
            }
        });
    }

    public long echoed() {
        return echoed;
    }
}
