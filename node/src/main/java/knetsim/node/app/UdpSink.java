package knetsim.node.app;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import knetsim.node.process.Application;
import knetsim.node.process.ProcessContext;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;

/**
 * A UDP receiver bound to a port, blocked in recvfrom() until the kernel wakes it, spending
 * {@code readCostNs} of user time on each datagram. Per sender it counts datagrams and bytes,
 * loss and reordering by the sequence number a {@link UdpSender} writes, one-way delay and jitter.
 */
public final class UdpSink implements Application {
    /**
     * @param rcvbuf  SO_RCVBUF to ask for (the kernel doubles it), or 0 to keep rmem_default
     * @param startNs when it starts reading: the socket is bound at time 0 and datagrams queue until then
     */
    public record Options(int port, int rcvbuf, long readCostNs, long bucketNs, long startNs) {
        public Options(int port, int rcvbuf, long readCostNs, long bucketNs) {
            this(port, rcvbuf, readCostNs, bucketNs, 0);
        }

        public Options {
            if (startNs < 0) throw new IllegalArgumentException("start must be >= 0");
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be 1..65535, got " + port);
            if (bucketNs <= 0) throw new IllegalArgumentException("bucket must be > 0");
        }
    }

    private static final class Flow {
        long packets, bytes, highest = -1, outOfOrder, lastTransit, first = -1, last;
        double jitter;
        final List<Long> delays = new ArrayList<>();
        final TreeMap<Long, Long> buckets = new TreeMap<>();
    }

    private final Options options;
    private final TreeMap<String, Flow> flows = new TreeMap<>();
    // the flow of the last datagram read: a sink mostly reads one sender, so its key is not rebuilt per datagram
    private knetsim.node.ipv4.Ipv4Address lastSource;
    private int lastPort = -1;
    private Flow lastFlow;
    private final List<Long> readTimes = new ArrayList<>();
    private ProcessContext context;
    private int fd;
    private String local = "?";

    public UdpSink(Options options) {
        this.options = options;
    }

    @Override
    public void start(ProcessContext context) {
        this.context = context;
        context.call(new Syscall.Socket(Syscall.Protocol.UDP), socket -> {
            fd = (int) ((SyscallResult.Returned) socket).value();
            context.call(new Syscall.Bind(fd, knetsim.node.ipv4.Ipv4Address.ANY, options.port()), bound -> {
                if (bound instanceof SyscallResult.Failed f) throw new IllegalStateException(context.name()
                        + ": bind to port " + options.port() + " failed: " + knetsim.node.socket.Errno.name(f.errno()));
                local = ":" + options.port();
                if (options.rcvbuf() > 0) {
                    context.call(new Syscall.SetSockOpt(fd, Syscall.Option.SO_RCVBUF, options.rcvbuf()), set -> firstRead());
                } else {
                    firstRead();
                }
            });
        });
    }

    // the program sleeps until its start time with the socket bound: what arrives meanwhile queues (or is
    // dropped when the receive buffer is full)
    private void firstRead() {
        long wait = options.startNs() - context.now();
        if (wait > 0) context.sleep(wait, this::read);
        else read();
    }

    private void read() {
        context.call(new Syscall.RecvFrom(fd, false), result -> {
            if (result instanceof SyscallResult.Received r) account(r);
            if (options.readCostNs() > 0) context.sleep(options.readCostNs(), this::read);
            else read();
        });
    }

    private void account(SyscallResult.Received r) {
        readTimes.add(context.now());
        Flow flow = lastFlow;
        if (flow == null || r.port() != lastPort || !r.source().equals(lastSource)) {
            flow = flows.computeIfAbsent(r.source() + ":" + r.port(), k -> new Flow());
            lastFlow = flow;
            lastSource = r.source();
            lastPort = r.port();
        }
        flow.packets++;
        flow.bytes += r.data().length;
        if (flow.first < 0) flow.first = r.kernelTimeNs();
        flow.last = r.kernelTimeNs();
        flow.buckets.merge(r.kernelTimeNs() / options.bucketNs(), (long) r.data().length, Long::sum);
        if (r.data().length < UdpSender.HEADER) return;
        long sequence = 0, sentAt = 0;
        for (int i = 0; i < 8; i++) {
            sequence = (sequence << 8) | (r.data()[i] & 0xff);
            sentAt = (sentAt << 8) | (r.data()[8 + i] & 0xff);
        }
        if (sequence < flow.highest) flow.outOfOrder++;
        flow.highest = Math.max(flow.highest, sequence);
        long transit = r.kernelTimeNs() - sentAt;
        flow.delays.add(transit);
        // RFC 3550 interarrival jitter: J += (|D| - J) / 16
        if (flow.delays.size() > 1) flow.jitter += (Math.abs(transit - flow.lastTransit) - flow.jitter) / 16;
        flow.lastTransit = transit;
    }

    /** When each recvfrom() returned a datagram to the program. */
    public List<Long> readTimes() {
        return readTimes;
    }

    @Override
    public List<UdpFlowReport> report(long now) {
        List<UdpFlowReport> reports = new ArrayList<>();
        flows.forEach((source, f) -> {
            int n = f.buckets.isEmpty() ? 0 : (int) (f.buckets.lastKey() + 1);
            long[] buckets = new long[n];
            f.buckets.forEach((b, v) -> buckets[(int) (long) b] = v);
            long lost = Math.max(0, f.highest + 1 - f.packets);
            reports.add(new UdpFlowReport(context.name(), source, local, f.packets, f.bytes, lost, f.outOfOrder,
                    f.delays.stream().mapToLong(Long::longValue).toArray(), f.jitter, f.first, f.last,
                    options.bucketNs(), buckets));
        });
        return reports;
    }
}
