package knetsim.node.app;

import java.util.List;
import java.util.function.Consumer;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.process.Application;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/**
 * A UDP traffic source, as iperf's client: datagrams of {@code size} bytes at {@code rateBps} of payload,
 * evenly spaced (udp-cbr) or with exponential gaps of the same mean (udp-poisson), from {@code startNs}
 * until {@code stopNs} or {@code count} datagrams; in bursts of {@code burst} back to back, the gap then
 * between bursts ({@code intervalNs}, or what keeps the rate). Its socket ({@link Socket}) is connected
 * unless asked otherwise (then sendto() names the destination each time), optionally bound, with the IP
 * options asked for. Each payload starts with the sequence number and the send time (8 bytes each,
 * big-endian) for the sink. Sends block when the socket's send buffer is full; a late sender sends at once
 * and keeps its schedule, as iperf does.
 */
public final class UdpSender implements Application {
    public static final int HEADER = 16;

    /**
     * The socket: bind() to {@code bindAddress}:{@code bindPort} first (null: no bind), connect() it or not,
     * then IP_TTL, IP_TOS, IP_MTU_DISCOVER (each -1: left alone) and IP_RECVERR.
     */
    public record Socket(Ipv4Address bindAddress, int bindPort, boolean connected, int ttl, int tos, int pmtudisc,
                         boolean recverr) {
        public static final Socket DEFAULT = new Socket(null, 0, true, -1, -1, -1, false);
    }

    public record Options(Ipv4Address destination, int port, long rateBps, int size, long startNs, long stopNs,
                          boolean poisson, Socket socket, long count, int burst, long burstIntervalNs) {
        public Options(Ipv4Address destination, int port, long rateBps, int size, long startNs, long stopNs, boolean poisson) {
            this(destination, port, rateBps, size, startNs, stopNs, poisson, Socket.DEFAULT, 0, 1, 0);
        }

        public Options {
            if (burst < 1) throw new IllegalArgumentException("burst must be >= 1, got " + burst);
            if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
            if (size < HEADER) throw new IllegalArgumentException("udp sender size must be >= " + HEADER + " bytes, got " + size);
            if (rateBps <= 0) throw new IllegalArgumentException("udp sender rate must be > 0, got " + rateBps);
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535, got " + port);
            if (stopNs < startNs) throw new IllegalArgumentException("stop " + stopNs + " is before start " + startNs);
        }

        /** The mean gap between bursts (between datagrams, with no burst). */
        public double intervalNs() {
            return burstIntervalNs > 0 ? burstIntervalNs : burst * (size * 8 * 1e9 / rateBps);
        }
    }

    private final Options options;
    private ProcessContext context;
    private int fd;
    private String source = "?";
    private long sequence, packets, bytes, failed, attempts;
    private int inBurst;
    private String firstError = "";
    private double nextAt;
    // what runs when a sendto() returns and when the gap is over, made once rather than per datagram
    private final Consumer<SyscallResult> onSent = this::sent;
    private final Runnable sendNext = this::send;

    public UdpSender(Options options) {
        this.options = options;
    }

    @Override
    public void start(ProcessContext context) {
        this.context = context;
        Socket sk = options.socket();
        context.sleep(options.startNs(), () -> context.call(new Syscall.Socket(Syscall.Protocol.UDP), socket -> {
            fd = (int) ((SyscallResult.Returned) socket).value();
            Runnable connect = () -> {
                if (sk.connected()) {
                    context.call(new Syscall.Connect(fd, options.destination(), options.port()), connected -> begin());
                } else {
                    begin();
                }
            };
            Runnable options4 = () -> option(Syscall.Option.IP_TTL, sk.ttl(), () -> option(Syscall.Option.IP_TOS, sk.tos(),
                    () -> option(Syscall.Option.IP_MTU_DISCOVER, sk.pmtudisc(),
                            () -> option(Syscall.Option.IP_RECVERR, sk.recverr() ? 1 : -1, connect))));
            if (sk.bindAddress() == null) options4.run();
            else context.call(new Syscall.Bind(fd, sk.bindAddress(), sk.bindPort()), bound -> {
                if (bound instanceof SyscallResult.Failed f) throw new IllegalStateException(context.name() + ": bind to "
                        + sk.bindAddress() + ":" + sk.bindPort() + " failed: " + Errno.name(f.errno()));
                options4.run();
            });
        }));
    }

    // setsockopt(IPPROTO_IP, ...) when the option was asked for (value >= 0)
    private void option(Syscall.Option option, int value, Runnable then) {
        if (value < 0) then.run();
        else context.call(new Syscall.SetSockOpt(fd, option, value), set -> then.run());
    }

    private void begin() {
        context.call(new Syscall.GetSockName(fd), name -> {
            if (name instanceof SyscallResult.SockName n) source = n.address() + ":" + n.port();
            nextAt = options.startNs();
            send();
        });
    }

    private void send() {
        byte[] payload = new byte[options.size()];
        long now = context.now();
        for (int i = 0; i < 8; i++) {
            payload[i] = (byte) (sequence >>> (56 - 8 * i));
            payload[8 + i] = (byte) (now >>> (56 - 8 * i));
        }
        boolean connected = options.socket().connected();
        attempts++;
        context.call(new Syscall.SendTo(fd, connected ? null : options.destination(), connected ? 0 : options.port(),
                payload, false), onSent);
    }

    // sendto() returned: count the datagram or the error, then the next one
    private void sent(SyscallResult result) {
        if (result instanceof SyscallResult.Returned) {
            sequence++;
            packets++;
            bytes += options.size();
        } else if (result instanceof SyscallResult.Failed f) {
            failed++; // e.g. ECONNREFUSED after a port unreachable: the datagram was not sent
            if (firstError.isEmpty()) firstError = Errno.name(f.errno());
        }
        if (attempts == 1 && source.endsWith(":0")) {
            // an unbound socket got its port at the first sendto() (inet_autobind())
            context.call(new Syscall.GetSockName(fd), name -> {
                if (name instanceof SyscallResult.SockName n) source = n.address() + ":" + n.port();
                next();
            });
            return;
        }
        next();
    }

    // the next datagram of the burst at once, else the next burst after the gap
    private void next() {
        if (options.count() > 0 && attempts >= options.count()) return;
        if (++inBurst < options.burst()) {
            send();
            return;
        }
        inBurst = 0;
        nextAt += options.poisson() ? -Math.log(1 - context.random().nextDouble()) * options.intervalNs()
                : options.intervalNs();
        if ((long) nextAt >= options.stopNs()) return;
        context.sleep(Math.max(0, (long) nextAt - context.now()), sendNext);
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
