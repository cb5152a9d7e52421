package knetsim.node.app;

import java.util.List;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.process.Application;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/**
 * A UDP traffic source on a connected socket, as iperf's client: datagrams of {@code size} bytes at
 * {@code rateBps} of payload, evenly spaced (udp-cbr) or with exponential gaps of the same mean
 * (udp-poisson), from {@code startNs} until {@code stopNs}. Each payload starts with the sequence
 * number and the send time (8 bytes each, big-endian) for the sink. Sends block when the socket's
 * send buffer is full; a late sender sends at once and keeps its schedule, as iperf does.
 */
public final class UdpSender implements Application {
    public static final int HEADER = 16;

    public record Options(Ipv4Address destination, int port, long rateBps, int size, long startNs, long stopNs,
                          boolean poisson) {
        public Options {
            if (size < HEADER) throw new IllegalArgumentException("udp sender size must be >= " + HEADER + " bytes, got " + size);
            if (rateBps <= 0) throw new IllegalArgumentException("udp sender rate must be > 0, got " + rateBps);
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535, got " + port);
            if (stopNs < startNs) throw new IllegalArgumentException("stop " + stopNs + " is before start " + startNs);
        }

        /** The mean gap between datagrams. */
        public double intervalNs() {
            return size * 8 * 1e9 / rateBps;
        }
    }

    private final Options options;
    private ProcessContext context;
    private int fd;
    private String source = "?";
    private long sequence, packets, bytes, failed;
    private String firstError = "";
    private double nextAt;

    public UdpSender(Options options) {
        this.options = options;
    }

    @Override
    public void start(ProcessContext context) {
        this.context = context;
        context.sleep(options.startNs(), () -> context.call(new Syscall.Socket(Syscall.Protocol.UDP), socket -> {
            fd = (int) ((SyscallResult.Returned) socket).value();
            context.call(new Syscall.Connect(fd, options.destination(), options.port()), connected ->
                context.call(new Syscall.GetSockName(fd), name -> {
                    if (name instanceof SyscallResult.SockName n) source = n.address() + ":" + n.port();
                    nextAt = options.startNs();
                    send();
                }));
        }));
    }

    private void send() {
        byte[] payload = new byte[options.size()];
        long now = context.now();
        for (int i = 0; i < 8; i++) {
            payload[i] = (byte) (sequence >>> (56 - 8 * i));
            payload[8 + i] = (byte) (now >>> (56 - 8 * i));
        }
        context.call(new Syscall.SendTo(fd, null, 0, payload, false), result -> {
            if (result instanceof SyscallResult.Returned) {
                sequence++;
                packets++;
                bytes += options.size();
            } else if (result instanceof SyscallResult.Failed f) {
                failed++; // e.g. ECONNREFUSED after a port unreachable: the datagram was not sent
                if (firstError.isEmpty()) firstError = Errno.name(f.errno());
            }
            nextAt += options.poisson() ? -Math.log(1 - context.random().nextDouble()) * options.intervalNs()
                    : options.intervalNs();
            if ((long) nextAt >= options.stopNs()) return;
            context.sleep(Math.max(0, (long) nextAt - context.now()), this::send);
        });
    }

    @Override
    public List<UdpSenderReport> report(long now) {
        return List.of(new UdpSenderReport(context == null ? "" : context.name(), source,
                options.destination() + ":" + options.port(), packets, bytes, failed, firstError));
    }

    public long packets() {
        return packets;
    }

    public long failedSends() {
        return failed;
    }

    public String firstError() {
        return firstError;
    }
}
