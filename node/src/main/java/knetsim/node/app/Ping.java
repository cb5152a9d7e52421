package knetsim.node.app;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import knetsim.node.icmp.IcmpPacket;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.process.Application;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Sock;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/**
 * iputils ping (2024x) on a ping socket: the route check of ping4_run() (a UDP socket connected to
 * the destination, port 1025), IP_RECVERR, one echo request every interval after the previous one
 * (pinger()), its data the send time as a struct timeval then bytes counting on from 0x10, epoll_wait
 * for replies and errors, and after the last request the wait of __schedule_exit(): twice the largest
 * RTT (at least the interval) when a reply came, else the linger time (-W). Output and exit status as
 * iputils prints them.
 */
public final class Ping implements Application {
    /** sizeof(struct timeval) on a 64-bit Linux: the send time at the start of the data, when it fits (ping's "timing"). */
    public static final int TIMEVAL_LEN = 16;
    /** the destination port of ping4_run()'s probe connect(). */
    static final int PROBE_PORT = 1025;

    /**
     * ping -c count -i interval -s size -t ttl -M pmtudisc -W linger, starting at {@code startNs};
     * {@code ttl} 0 without -t (the socket keeps the route's default, ip_default_ttl 64); {@code pmtudisc} is a
     * Sock.PMTUDISC_* mode, or -1 without -M (the socket keeps its default).
     */
    public record Options(Ipv4Address destination, int count, long intervalNs, int size, long startNs, int ttl,
                          int pmtudisc, long lingerNs) {
        public Options {
            if (count < 1) throw new IllegalArgumentException("ping count must be >= 1, got " + count);
            if (size < 0 || size > 65_507) throw new IllegalArgumentException("ping size must be 0..65507, got " + size);
            if (ttl < 0 || ttl > 255) throw new IllegalArgumentException("ping ttl must be 1..255 (0: no -t), got " + ttl);
            if (pmtudisc < -1 || pmtudisc > Sock.PMTUDISC_PROBE) throw new IllegalArgumentException("bad pmtudisc " + pmtudisc);
        }

        /** {@code dontFragment}: -M do; otherwise no -M. */
        public Options(Ipv4Address destination, int count, long intervalNs, int size, long startNs, int ttl,
                       boolean dontFragment, long lingerNs) {
            this(destination, count, intervalNs, size, startNs, ttl, dontFragment ? Sock.PMTUDISC_DO : -1, lingerNs);
        }

        public static Options of(Ipv4Address destination, int count) {
            return new Options(destination, count, 1_000_000_000L, 56, 0, 0, -1, 10_000_000_000L);
        }
    }

    private final Options options;
    private final List<Long> sentAt = new ArrayList<>(); // by request number - 1: the model's own RTT, for flows.csv
    private final BitSet replied = new BitSet(); // by request number: a second reply is a duplicate
    private final List<Long> rtts = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private final PingStatistics stats = new PingStatistics();
    private ProcessContext context;
    private int fd, epoll, sent, exitStatus = -1;
    private long startTime, lastSend, exitAt = Long.MAX_VALUE;
    private boolean done;

    public Ping(Options options) {
        this.options = options;
    }

    private boolean timing() {
        return options.size() >= TIMEVAL_LEN;
    }

    @Override
    public void start(ProcessContext context) {
        this.context = context;
        context.sleep(options.startNs(), () -> context.call(new Syscall.Socket(Syscall.Protocol.ICMP), socket -> {
            fd = (int) ((SyscallResult.Returned) socket).value();
            probeRoute();
        }));
    }

    // ping4_run(): connect() a UDP socket to learn the source address; a destination without a route is fatal (exit 2)
    private void probeRoute() {
        context.call(new Syscall.Socket(Syscall.Protocol.UDP), socket -> {
            int probe = (int) ((SyscallResult.Returned) socket).value();
            context.call(new Syscall.Connect(probe, options.destination(), PROBE_PORT), connected -> {
                if (connected instanceof SyscallResult.Failed f) {
                    lines.add("ping: connect: " + Errno.message(f.errno()));
                    call(new Syscall.Close(probe), () -> exit(2));
                    return;
                }
                call(new Syscall.GetSockName(probe), () -> call(new Syscall.Close(probe), this::setUp));
            });
        });
    }

    private void setUp() {
        call(new Syscall.SetSockOpt(fd, Syscall.Option.IP_RECVERR, 1), () ->
            ttl(() ->
                mtuDiscover(() -> context.call(new Syscall.EpollCreate(), ep -> {
                    epoll = (int) ((SyscallResult.Returned) ep).value();
                    lines.add("PING " + options.destination() + " (" + options.destination() + ") " + options.size() + "("
                            + (options.size() + 28) + ") bytes of data.");
                    call(new Syscall.EpollCtl(epoll, Syscall.EpollOp.ADD, fd, Syscall.EPOLLIN), () -> {
                        startTime = context.now(); // setup(): start_time
                        sendNext();
                    });
                }))));
    }

    // ping4_run(): IP_TTL only with -t (iputils sets it, with IP_MULTICAST_TTL, when the option was given)
    private void ttl(Runnable then) {
        if (options.ttl() == 0) then.run();
        else call(new Syscall.SetSockOpt(fd, Syscall.Option.IP_TTL, options.ttl()), then);
    }

    private void mtuDiscover(Runnable then) {
        if (options.pmtudisc() < 0) then.run();
        else call(new Syscall.SetSockOpt(fd, Syscall.Option.IP_MTU_DISCOVER, options.pmtudisc()), then);
    }

    private void call(Syscall call, Runnable then) {
        context.call(call, result -> then.run());
    }

    // ping4_send_probe(): the echo request; the data is 0x00, 0x01, ... with the send time over its first 16 bytes
    private void sendNext() {
        int sequence = ++sent;
        long now = context.now();
        lastSend = now; // pinger(): cur_time
        byte[] message = new byte[IcmpPacket.HEADER_LEN + options.size()];
        message[0] = (byte) IcmpPacket.ICMP_ECHO;
        message[6] = (byte) (sequence >>> 8);
        message[7] = (byte) sequence;
        for (int i = 0; i < options.size(); i++) message[IcmpPacket.HEADER_LEN + i] = (byte) i; // setup()'s fill
        if (timing()) writeTimeval(message, IcmpPacket.HEADER_LEN, now);
        sentAt.add(now);
        context.call(new Syscall.SendTo(fd, options.destination(), 0, message, false), result -> {
            stats.transmitted = sent; // advance_ntransmitted(), also after a hard local error
            if (sent == options.count()) scheduleExit();
            if (result instanceof SyscallResult.Failed f) sendFailed(f.errno());
            else waitForReplies();
        });
    }

    /** gettimeofday() as a struct timeval in the host's (x86-64, little-endian) byte order: tv_sec, tv_usec, 8 bytes each. */
    static void writeTimeval(byte[] to, int at, long timeNs) {
        long us = timeNs / 1000;
        long sec = us / 1_000_000, usec = us % 1_000_000;
        for (int i = 0; i < 8; i++) {
            to[at + i] = (byte) (sec >>> (8 * i));
            to[at + 8 + i] = (byte) (usec >>> (8 * i));
        }
    }

    static long readTimevalUs(byte[] from, int at) {
        long sec = 0, usec = 0;
        for (int i = 7; i >= 0; i--) {
            sec = (sec << 8) | (from[at + i] & 0xff);
            usec = (usec << 8) | (from[at + 8 + i] & 0xff);
        }
        return sec * 1_000_000 + usec;
    }

    // pinger()'s error handling: EMSGSIZE is an error of its own; otherwise the error queue says what happened
    private void sendFailed(int errno) {
        if (errno == Errno.EMSGSIZE) {
            stats.errors++;
            lines.add("ping: sendmsg: " + Errno.message(errno));
            waitForReplies();
            return;
        }
        context.call(new Syscall.RecvError(fd), queued -> {
            boolean icmp = queued instanceof SyscallResult.ErrorReceived e && !e.local() && error(e);
            if (queued instanceof SyscallResult.ErrorReceived e && e.local()) localError(e);
            if (icmp) lines.add("ping: sendmsg: " + Errno.message(errno)); // hard_local_error with i == 0
            waitForReplies();
        });
    }

    // receive_error_msg(), SO_EE_ORIGIN_LOCAL
    private void localError(SyscallResult.ErrorReceived e) {
        stats.errors++;
        lines.add(e.errno() == Errno.EMSGSIZE ? "ping: local error: message too long, mtu=" + e.info()
                : "ping: local error: " + Errno.message(e.errno()));
    }

    // __schedule_exit(): after the last request, 2 x the largest RTT (at least the interval) if a reply came, else -W
    private void scheduleExit() {
        long wait = stats.received > 0 ? Math.max(2 * stats.tmax * 1000, options.intervalNs()) : options.lingerNs();
        exitAt = context.now() + wait;
    }

    // main_loop(): exit once every request is answered or failed, or at the exit timer; else wait for the next
    private void waitForReplies() {
        if (done) return;
        if (stats.received + stats.errors >= options.count()) {
            finish();
            return;
        }
        long deadline = sent < options.count() ? lastSend + options.intervalNs() : exitAt;
        long timeout = deadline - context.now();
        if (timeout <= 0) {
            if (sent < options.count()) sendNext();
            else finish();
            return;
        }
        context.call(new Syscall.EpollWait(epoll, 1, timeout), result -> {
            SyscallResult.Ready ready = (SyscallResult.Ready) result;
            if (ready.fds().length == 0) waitForReplies();
            else if ((ready.events()[0] & Syscall.EPOLLERR) != 0) context.call(new Syscall.RecvError(fd), this::queuedError);
            else context.call(new Syscall.RecvFrom(fd, true), this::reply);
        });
    }

    // ping4_parse_reply() -> gather_statistics()
    private void reply(SyscallResult result) {
        if (result instanceof SyscallResult.Received r && r.data().length >= IcmpPacket.HEADER_LEN) {
            byte[] data = r.data();
            int sequence = request(((data[6] & 0xff) << 8) | (data[7] & 0xff));
            if (sequence >= 1) {
                boolean duplicate = replied.get(sequence);
                if (duplicate) stats.repeats++;
                else {
                    replied.set(sequence);
                    stats.received++;
                    rtts.add(r.kernelTimeNs() - sentAt.get(sequence - 1));
                }
                StringBuilder line = new StringBuilder().append(data.length).append(" bytes from ").append(r.source())
                        .append(": icmp_seq=").append(sequence & 0xffff).append(" ttl=").append(r.ttl());
                if (data.length < options.size() + IcmpPacket.HEADER_LEN) line.append(" (truncated)");
                else {
                    if (timing()) {
                        // the receive time (SO_TIMESTAMP, microseconds) less the send time the reply carries back
                        long triptime = Math.max(0, r.kernelTimeNs() / 1000 - readTimevalUs(data, IcmpPacket.HEADER_LEN));
                        stats.rtt(triptime);
                        line.append(" time=").append(PingStatistics.time(triptime)).append(" ms");
                    }
                    if (duplicate) line.append(" (DUP!)");
                }
                lines.add(line.toString());
            }
        }
        waitForReplies();
    }

    private void queuedError(SyscallResult result) {
        if (result instanceof SyscallResult.ErrorReceived e) {
            if (e.local()) localError(e);
            else error(e);
        }
        waitForReplies();
    }

    // receive_error_msg(), SO_EE_ORIGIN_ICMP: "From X icmp_seq=N <what>" about one of our requests
    private boolean error(SyscallResult.ErrorReceived e) {
        if (e.original().length < IcmpPacket.HEADER_LEN || (e.original()[0] & 0xff) != IcmpPacket.ICMP_ECHO) return false;
        int sequence = request(((e.original()[6] & 0xff) << 8) | (e.original()[7] & 0xff));
        if (sequence < 1) return false;
        stats.errors++;
        lines.add("From " + e.offender() + " icmp_seq=" + (sequence & 0xffff) + " "
                + describe(e.icmpType(), e.icmpCode(), e.info()));
        return true;
    }

    /** pr_icmph(): the text of an ICMP error. */
    static String describe(int type, int code, int info) {
        if (type == IcmpPacket.ICMP_TIME_EXCEEDED) {
            return switch (code) {
                case 0 -> "Time to live exceeded";
                case 1 -> "Frag reassembly time exceeded";
                default -> "Time exceeded, Bad Code: " + code;
            };
        }
        return switch (code) {
            case 0 -> "Destination Net Unreachable";
            case 1 -> "Destination Host Unreachable";
            case 2 -> "Destination Protocol Unreachable";
            case 3 -> "Destination Port Unreachable";
            case 4 -> "Frag needed and DF set (mtu = " + info + ")";
            case 5 -> "Source Route Failed";
            case 6 -> "Destination Net Unknown";
            case 7 -> "Destination Host Unknown";
            case 8 -> "Source Host Isolated";
            case 9 -> "Destination Net Prohibited";
            case 10 -> "Destination Host Prohibited";
            case 11 -> "Destination Net Unreachable for Type of Service";
            case 12 -> "Destination Host Unreachable for Type of Service";
            case 13 -> "Packet filtered";
            case 14 -> "Precedence Violation";
            case 15 -> "Precedence Cutoff";
            default -> "Dest Unreachable, Bad Code: " + code;
        };
    }

    // icmp_seq is 16 bits on the wire: the latest request sent with those low bits, or 0 if none was
    private int request(int wireSequence) {
        long request = sent - ((sent - wireSequence) & 0xffffL);
        return request >= 1 ? (int) request : 0;
    }

    private void finish() {
        if (done) return;
        lines.addAll(stats.summary(options.destination().toString(), lastSend - startTime, timing()));
        exit(stats.exitStatus());
    }

    private void exit(int status) {
        done = true;
        exitStatus = status;
    }

    /** The RTTs of the replies so far, in arrival order, in nanoseconds as the model measured them. */
    public List<Long> rtts() {
        return rtts;
    }

    /** What ping printed; while it still runs (the run ended first), with the statistics of an interrupted ping. */
    public List<String> lines() {
        if (done || lines.isEmpty()) return lines;
        List<String> all = new ArrayList<>(lines);
        all.addAll(stats.summary(options.destination().toString(), lastSend - startTime, timing()));
        return all;
    }

    /** ping's exit status: 0 with a reply, 1 without, 2 when it could not start (no route); as if interrupted while it runs. */
    public int exitStatus() {
        return exitStatus >= 0 ? exitStatus : stats.exitStatus();
    }

    public int transmitted() {
        return sent;
    }

    public int received() {
        return (int) stats.received;
    }

    public int errors() {
        return (int) stats.errors;
    }

    @Override
    public List<PingReport> report(long now) {
        long[] rttArray = rtts.stream().mapToLong(Long::longValue).toArray();
        return List.of(new PingReport(context == null ? "" : context.name(), options.destination().toString(), options.size(), sent,
                received(), errors(), rttArray, lines().toArray(new String[0]), exitStatus()));
    }
}
