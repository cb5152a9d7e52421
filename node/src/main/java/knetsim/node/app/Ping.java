package knetsim.node.app;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import knetsim.node.icmp.IcmpPacket;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.process.Application;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Sock;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/**
 * iputils ping on a ping socket: IP_RECVERR on, one echo request every interval, epoll_wait for
 * replies and errors until the next is due, RTT from the kernel's receive timestamp, and after the
 * last request a wait of {@code lingerNs} (ping -W) for what is still out.
 */
public final class Ping implements Application {
    /** ping -c count -i interval -s size -t ttl [-M do], starting at {@code startNs}. */
    public record Options(Ipv4Address destination, int count, long intervalNs, int size, long startNs, int ttl,
                          boolean dontFragment, long lingerNs) {
        public Options {
            if (count < 1) throw new IllegalArgumentException("ping count must be >= 1, got " + count);
            if (size < 0 || size > 65_507) throw new IllegalArgumentException("ping size must be 0..65507, got " + size);
            if (ttl < 1 || ttl > 255) throw new IllegalArgumentException("ping ttl must be 1..255, got " + ttl);
        }

        public static Options of(Ipv4Address destination, int count) {
            return new Options(destination, count, 1_000_000_000L, 56, 0, 64, false, 10_000_000_000L);
        }
    }

    private final Options options;
    private final List<Long> sentAt = new ArrayList<>(); // by request number - 1
    private final java.util.BitSet answered = new java.util.BitSet(); // by request number
    private final List<Long> rtts = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private ProcessContext context;
    private int fd, epoll, sent, received, errors;
    private boolean done;

    public Ping(Options options) {
        this.options = options;
    }

    @Override
    public void start(ProcessContext context) {
        this.context = context;
        lines.add("PING " + options.destination() + " " + options.size() + "(" + (options.size() + 28) + ") bytes of data.");
        context.sleep(options.startNs(), () -> context.call(new Syscall.Socket(Syscall.Protocol.ICMP), socket -> {
            fd = (int) ((SyscallResult.Returned) socket).value();
            call(new Syscall.SetSockOpt(fd, Syscall.Option.IP_RECVERR, 1), () ->
                call(new Syscall.SetSockOpt(fd, Syscall.Option.IP_TTL, options.ttl()), () ->
                    call(new Syscall.SetSockOpt(fd, Syscall.Option.IP_MTU_DISCOVER,
                            options.dontFragment() ? Sock.PMTUDISC_DO : Sock.PMTUDISC_WANT), () ->
                        context.call(new Syscall.EpollCreate(), ep -> {
                            epoll = (int) ((SyscallResult.Returned) ep).value();
                            call(new Syscall.EpollCtl(epoll, Syscall.EpollOp.ADD, fd, Syscall.EPOLLIN), this::sendNext);
                        }))));
        }));
    }

    private void call(Syscall call, Runnable then) {
        context.call(call, result -> then.run());
    }

    private void sendNext() {
        int sequence = ++sent;
        byte[] message = new byte[IcmpPacket.HEADER_LEN + options.size()];
        message[0] = (byte) IcmpPacket.ICMP_ECHO;
        message[6] = (byte) (sequence >>> 8);
        message[7] = (byte) sequence;
        for (int i = IcmpPacket.HEADER_LEN; i < message.length; i++) message[i] = (byte) i; // ping's fill pattern
        sentAt.add(context.now());
        context.call(new Syscall.SendTo(fd, options.destination(), 0, message, false), result -> {
            if (result instanceof SyscallResult.Failed f) {
                errors++;
                answered.set(sequence);
                // pinger(): a failed send reads the error queue first (receive_error_msg()); a local
                // error is reported there ("local error: message too long, mtu=N") and not again
                context.call(new Syscall.RecvError(fd), queued -> {
                    if (queued instanceof SyscallResult.ErrorReceived e && e.local()) {
                        lines.add(e.errno() == Errno.EMSGSIZE ? "ping: local error: message too long, mtu=" + e.info()
                                : "ping: local error: " + Errno.message(e.errno()));
                    } else {
                        lines.add("ping: sendmsg: " + Errno.message(f.errno()));
                    }
                    waitForReplies();
                });
                return;
            }
            waitForReplies();
        });
    }

    // the main loop: epoll_wait until the next request is due (or the linger time after the last)
    private void waitForReplies() {
        long deadline = sent < options.count() ? options.startNs() + sent * options.intervalNs()
                : sentAt.get(sent - 1) + options.lingerNs();
        if (sent == options.count() && allAnswered()) {
            finish();
            return;
        }
        long timeout = deadline - context.now();
        if (timeout <= 0) {
            if (sent < options.count()) sendNext();
            else finish();
            return;
        }
        context.call(new Syscall.EpollWait(epoll, 1, timeout), result -> {
            SyscallResult.Ready ready = (SyscallResult.Ready) result;
            if (ready.fds().length == 0) waitForReplies();
            else if ((ready.events()[0] & Syscall.EPOLLERR) != 0) context.call(new Syscall.RecvError(fd), this::error);
            else context.call(new Syscall.RecvFrom(fd, true), this::reply);
        });
    }

    private void reply(SyscallResult result) {
        if (result instanceof SyscallResult.Received r && r.data().length >= IcmpPacket.HEADER_LEN) {
            int sequence = request(((r.data()[6] & 0xff) << 8) | (r.data()[7] & 0xff));
            if (sequence >= 1 && !answered.get(sequence)) {
                answered.set(sequence);
                received++;
                long rtt = r.kernelTimeNs() - sentAt.get(sequence - 1);
                rtts.add(rtt);
                lines.add(String.format(Locale.ROOT, "%d bytes from %s: icmp_seq=%d ttl=%d time=%s ms", r.data().length,
                        r.source(), sequence & 0xffff, r.ttl(), millis(rtt)));
            }
        }
        waitForReplies();
    }

    private void error(SyscallResult result) {
        if (result instanceof SyscallResult.ErrorReceived e && e.original().length >= IcmpPacket.HEADER_LEN) {
            int sequence = request(((e.original()[6] & 0xff) << 8) | (e.original()[7] & 0xff));
            if (sequence >= 1 && !answered.get(sequence)) {
                answered.set(sequence);
                errors++;
                lines.add("From " + e.offender() + " icmp_seq=" + (sequence & 0xffff) + " "
                        + describe(e.icmpType(), e.icmpCode(), e.info()));
            }
        }
        waitForReplies();
    }

    static String describe(int type, int code, int info) {
        if (type == IcmpPacket.ICMP_TIME_EXCEEDED) return code == 0 ? "Time to live exceeded" : "Frag reassembly time exceeded";
        return switch (code) {
            case 0 -> "Destination Net Unreachable";
            case 1 -> "Destination Host Unreachable";
            case 3 -> "Destination Port Unreachable";
            case 4 -> "Frag needed and DF set (mtu = " + info + ")";
            default -> "Dest Unreachable, Bad Code: " + code;
        };
    }

    // icmp_seq is 16 bits on the wire: the latest request sent with those low bits, or 0 if none was
    private int request(int wireSequence) {
        long request = sent - ((sent - wireSequence) & 0xffffL);
        return request >= 1 ? (int) request : 0;
    }

    private boolean allAnswered() {
        return answered.cardinality() == sent;
    }

    private void finish() {
        if (done) return;
        done = true;
        lines.addAll(summary());
    }

    private List<String> summary() {
        List<String> out = new ArrayList<>();
        out.add("--- " + options.destination() + " ping statistics ---");
        int loss = sent == 0 ? 0 : (int) (100L * (sent - received) / sent);
        out.add(sent + " packets transmitted, " + received + " received" + (errors > 0 ? ", +" + errors + " errors" : "")
                + ", " + loss + "% packet loss");
        if (!rtts.isEmpty()) {
            long min = Long.MAX_VALUE, max = 0;
            double sum = 0, sumSquares = 0;
            for (long r : rtts) {
                min = Math.min(min, r);
                max = Math.max(max, r);
                sum += r;
                sumSquares += (double) r * r;
            }
            double avg = sum / rtts.size(), mdev = Math.sqrt(Math.max(0, sumSquares / rtts.size() - avg * avg));
            out.add("rtt min/avg/max/mdev = " + millis(min) + "/" + millis(avg) + "/" + millis(max) + "/" + millis(mdev) + " ms");
        }
        return out;
    }

    private static String millis(double ns) {
        return String.format(Locale.ROOT, "%.3f", ns / 1e6);
    }

    /** The RTTs of the replies so far, in arrival order. */
    public List<Long> rtts() {
        return rtts;
    }

    public List<String> lines() {
        return done ? lines : concat(lines, summary());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    public int transmitted() {
        return sent;
    }

    public int received() {
        return received;
    }

    public int errors() {
        return errors;
    }

    @Override
    public List<PingReport> report(long now) {
        long[] rttArray = rtts.stream().mapToLong(Long::longValue).toArray();
        return List.of(new PingReport(context == null ? "" : context.name(), options.destination().toString(), options.size(), sent, received,
                errors, rttArray, lines().toArray(new String[0])));
    }
}
