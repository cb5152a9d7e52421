package knetsim.node.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;
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
        // one-way delays as distinct values with counts (a long per datagram grew with virtual time), bytes per
        // bucket as a growing primitive array (about 100 buckets per run)
        final DelaySamples delays = new DelaySamples();
        long[] buckets = new long[0];
        int bucketEnd; // buckets up to here were reached (the array grows ahead of them)
    }

    private final Options options;
    private final TreeMap<String, Flow> flows = new TreeMap<>(); // by "address:port", the order of the report
    // the same flows by address bits and port: a datagram finds its flow without building the text key, which is
    // made once per sender; the flow of the last datagram is kept too, since a sink mostly reads one sender
    private final HashMap<Long, Flow> bySender = new HashMap<>();
    private long lastSender = -1;
    private Flow lastFlow;
    // datagrams read and when the first and the last were (a time per datagram grew with virtual time)
    private long reads, firstRead = -1, lastRead = -1;
    private ProcessContext context;
    private int fd;
    private String local = "?";
    // recvfrom(fd, blocking), the same call every time: made once, as is what runs on its return
    private Syscall.RecvFrom recvFrom;
    private final Consumer<SyscallResult> onRead = this::onRead;
    private final Runnable readAgain = this::read;

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
        if (recvFrom == null) recvFrom = new Syscall.RecvFrom(fd, false);
        context.call(recvFrom, onRead);
    }

    // recvfrom() returned: account the datagram, spend the read cost, then read again
    private void onRead(SyscallResult result) {
        if (result instanceof SyscallResult.Received r) account(r);
        if (options.readCostNs() > 0) context.sleep(options.readCostNs(), readAgain);
        else read();
    }

    private void account(SyscallResult.Received r) {
        reads++;
        if (firstRead < 0) firstRead = context.now();
        lastRead = context.now();
        long sender = (r.source().bits() & 0xffffffffL) << 16 | r.port();
        Flow flow = lastFlow;
        if (flow == null || sender != lastSender) {
            flow = bySender.computeIfAbsent(sender, k -> flows.computeIfAbsent(r.source() + ":" + r.port(), t -> new Flow()));
            lastFlow = flow;
            lastSender = sender;
        }
        flow.packets++;
        flow.bytes += r.data().length;
        if (flow.first < 0) flow.first = r.kernelTimeNs();
        flow.last = r.kernelTimeNs();
        int bucket = Math.toIntExact(r.kernelTimeNs() / options.bucketNs());
        if (bucket >= flow.buckets.length) {
            flow.buckets = java.util.Arrays.copyOf(flow.buckets, Math.max(bucket + 1, flow.buckets.length * 2));
        }
        flow.buckets[bucket] += r.data().length;
        flow.bucketEnd = Math.max(flow.bucketEnd, bucket + 1);
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
        if (flow.delays.total() > 1) flow.jitter += (Math.abs(transit - flow.lastTransit) - flow.jitter) / 16;
        flow.lastTransit = transit;
    }

    /** How many times recvfrom() returned a datagram to the program. */
    public long reads() {
        return reads;
    }

    /** When recvfrom() first returned a datagram to the program; -1 before that. */
    public long firstReadNs() {
        return firstRead;
    }

    /** When recvfrom() last returned a datagram to the program; -1 before the first. */
    public long lastReadNs() {
        return lastRead;
    }

    @Override
    public List<UdpFlowReport> report(long now) {
        List<UdpFlowReport> reports = new ArrayList<>();
        flows.forEach((source, f) -> {
            long[] buckets = java.util.Arrays.copyOf(f.buckets, f.bucketEnd);
            long lost = Math.max(0, f.highest + 1 - f.packets);
            reports.add(new UdpFlowReport(context.name(), source, local, f.packets, f.bytes, lost, f.outOfOrder,
                    f.delays.values(), f.delays.counts(), f.jitter, f.first, f.last,
                    options.bucketNs(), buckets));
        });
        return reports;
    }
}
