package knetsim.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import knetsim.core.engine.Counters;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.core.time.SimTime;
import knetsim.link.ethernet.EtherType;
import knetsim.link.pcap.CaptureChunk;
import knetsim.link.pcap.CaptureRecord;
import knetsim.node.inet.Config;
import knetsim.node.inet.Interface;
import knetsim.node.inet.StackOutput;
import knetsim.node.ipv4.IpIdents;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.neigh.NeighbourParameters;
import knetsim.node.nic.NicTxQueue;
import knetsim.node.process.Process;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;
import knetsim.node.socket.Sock;
import knetsim.node.socket.SocketLayer;
import knetsim.node.socket.SyscallResult;
import knetsim.node.tcp.Tcp;
import knetsim.node.tcp.TcpSock;
import knetsim.node.tcp.TcpSysctl;

/**
 * The kernel of one machine: netif_receive_skb() with the receive tap and dispatch to protocol
 * handlers by EtherType (packet_type), dev_queue_xmit() towards a NIC tx queue, the IPv4 stack
 * (ARP, IP, ICMP, UDP, TCP), the system calls of the host's processes, and one timer queue for all of them.
 */
public final class Host extends LogicalProcess {
    /** Default cost of a system call's return to user space (the wake-up of a blocked caller included). */
    public static final long DEFAULT_SYSCALL_RETURN = 1_000;

    /** A protocol's receive function (packet_type.func): ip_rcv, arp_rcv...; {@code ifindex} is skb->dev. */
    public interface ProtocolHandler {
        void receive(Host host, int ifindex, SkBuff skb);
    }

    /** A frame the host sends at a given time (driver tests without an IP stack). */
    public record PlannedFrame(long time, byte[] frame, int priority) {}

    private final int[] txQueueLps; // by interface position; the raw constructor has one
    private final long xmitCost;
    private final long syscallReturn;
    private final Map<Integer, ProtocolHandler> handlers;
    private final List<PlannedFrame> plan;
    private final String captureDevice;
    private final Map<String, List<CaptureRecord>> captured = new TreeMap<>();
    private final Config inet;
    private final Map<Integer, String> captureDevices = new TreeMap<>();
    private int lastEtherType = -2;
    private ProtocolHandler lastHandler;
    private TcpSysctl tcpSysctl = TcpSysctl.linuxDefaults();
    private InetStack stack;
    private SocketLayer sockets;
    private final HostTimers timers = new HostTimers();
    private long captureSeq;
    private int captureSnaplen = knetsim.link.pcap.PcapWriter.SNAPLEN; // tcpdump -s: the most bytes a tap keeps
    private Counters.Counter rxPackets, rxBytes, rxDropped, txCompleted;

    /**
     * @param xmitCost      CPU time of dev_queue_xmit() up to the driver; the minimum delay to the tx queue
     * @param captureDevice the device name its receive tap records under; null: no capture
     */
    public Host(int txQueueLp, long xmitCost, Map<Integer, ProtocolHandler> handlers, List<PlannedFrame> plan,
                String captureDevice) {
        if (xmitCost <= 0) throw new IllegalArgumentException("xmit cost must be > 0 (it bounds the lookahead)");
        this.txQueueLps = new int[] {txQueueLp};
        this.xmitCost = xmitCost;
        this.handlers = new TreeMap<>(handlers);
        this.plan = List.copyOf(plan);
        this.captureDevice = captureDevice;
        this.inet = null;
        this.syscallReturn = DEFAULT_SYSCALL_RETURN;
    }

    /**
     * A host or router: interface i of {@code config} transmits through {@code txQueueLps[i]};
     * {@code captureDevices} names the receive tap of each captured ifindex. Its processes reach it
     * by system calls, each returning {@code syscallReturn} after the kernel is done.
     */
    public Host(int[] txQueueLps, long xmitCost, long syscallReturn, Config config,
                Map<Integer, String> captureDevices) {
        if (xmitCost <= 0) throw new IllegalArgumentException("xmit cost must be > 0 (it bounds the lookahead)");
        if (syscallReturn <= 0) throw new IllegalArgumentException("syscall return must be > 0 (it bounds the lookahead)");
        if (txQueueLps.length != config.interfaces().size()) throw new IllegalArgumentException("one tx queue per interface");
        this.txQueueLps = txQueueLps.clone();
        this.xmitCost = xmitCost;
        this.syscallReturn = syscallReturn;
        this.handlers = new TreeMap<>();
        this.plan = List.of();
        this.captureDevice = null;
        this.inet = config;
        this.captureDevices.putAll(captureDevices);
    }

    @Override
    protected void onStart() {
        rxPackets = counters().counter("rx_packets");
        rxBytes = counters().counter("rx_bytes");
        rxDropped = counters().counter("rx_dropped");
        txCompleted = counters().counter("tx_completed");
        for (PlannedFrame p : plan) schedule(p.time(), new HostMessage.Transmit(p.frame(), p.priority()));
        if (inet != null) startInet();
        afterWork();
    }

    private void startInet() {
        SplittableRandom stackRandom = random().split();
        SplittableRandom tcpRandom = random().split();
        IpIdents idents = new IpIdents(random().split());
        stack = new InetStack(inet, NeighbourParameters.linuxDefaults(), stackRandom, idents, new StackOutput() {
            @Override
            public void transmit(int ifindex, byte[] frame, int owner) {
                transmit(ifindex, frame, owner, 0);
            }

            @Override
            public void transmit(int ifindex, byte[] frame, int owner, long tstamp) {
                // handed over by the stack: the skb shares it until written, and the driver sends it as it is
                SkBuff skb = SkBuff.sharing(SkBuff.NET_SKB_PAD, frame);
                skb.setOwnerSocket(owner);
                skb.setTimestamp(tstamp);
                send(txQueueLps[positionOf(ifindex)], xmitCost, new NicTxQueue.Xmit(skb));
            }

            // netif_rx(): the backlog is run by this host's softirq, dev_queue_xmit()'s cost later
            @Override
            public void loopback(byte[] frame, int owner) {
                schedule(xmitCost, new HostMessage.Loopback(frame, owner));
            }

            @Override
            public void wakeAt(long time) {
                timers.wakeAt(HostTimers.STACK, time);
            }
        }, (socket, now) -> sockets.wake(socket), counters());
        stack.enableTcp(ip -> new Tcp(ip, tcpContext, counters(), tcpRandom, tcpSysctl));
        sockets = new SocketLayer(stack, new SocketLayer.Completion() {
            @Override
            public void complete(int pid, long callId, SyscallResult result, long now) {
                send(pid, syscallReturn, new Process.SyscallReturn(callId, result));
            }

            @Override
            public void wakeAt(long time) {
                timers.wakeAt(HostTimers.SOCKETS, time);
            }
        });
        handlers.put(EtherType.ARP, (host, ifindex, skb) -> stack.arpRcv(ifindex, skb.copyBytes(), now()));
        // ip_rcv() parses the skb's bytes in place: it never writes into them (ip_forward() works on its own copy)
        handlers.put(EtherType.IPV4, (host, ifindex, skb) ->
                stack.ipRcv(ifindex, skb.readArray(), skb.readOffset(), skb.len(), now()));
        stack.start(now());
    }

    /** What TCP needs from its host: socket numbers, wake-ups, the timer queue and path MTUs. */
    private final Tcp.Context tcpContext = new Tcp.Context() {
        @Override
        public int allocateSocketId() {
            return stack.allocateSocketId();
        }

        @Override
        public void socketCreated(TcpSock socket) {
            stack.hashSocket(socket);
        }

        @Override
        public void releaseSocketId(Sock socket) {
            stack.releaseSocket(socket);
        }

        @Override
        public void wake(TcpSock socket, long now) {
            sockets.wake(socket);
        }

        @Override
        public void wakeAt(long deadline) {
            timers.wakeAt(HostTimers.TCP, deadline);
        }

        @Override
        public int pathMtu(Ipv4Address destination, long now) {
            return stack.routeMtu(destination, now);
        }

        @Override
        public boolean fqPaces(Ipv4Address destination) {
            return stack.routeFqPaces(destination);
        }
    };

    @Override
    protected void onEvent(Payload payload) {
        if (payload instanceof HostMessage.Receive r) {
            netifReceiveSkb(r.ifindex(), r.skb());
        } else if (payload instanceof HostMessage.Loopback l) {
            // __netif_receive_skb() on lo: its taps (libpcap keeps the incoming copy only), then ip_rcv()
            String lo = captureDevices.get(knetsim.node.dev.Loopback.IFINDEX);
            if (lo != null) tap(lo, l.frame(), 0, l.frame().length);
            stack.loopbackRcv(l.frame(), l.owner(), now());
        } else if (payload instanceof HostMessage.Transmit t) {
            SkBuff skb = SkBuff.allocate(SkBuff.NET_SKB_PAD, t.frame().length);
            System.arraycopy(t.frame(), 0, skb.buffer(), skb.put(t.frame().length), t.frame().length);
            skb.setPriority(t.priority());
            devQueueXmit(skb);
        } else if (payload instanceof HostMessage.TxCompleted c) {
            txCompleted.add(c.packets());
            for (int i = 0; i < c.owners().length; i++) stack.txFreed(c.owners()[i], c.truesizes()[i], now());
        } else if (payload instanceof HostMessage.Timer t) {
            if (timers.fire(t.deadline())) runTimers();
        } else if (payload instanceof HostMessage.SystemCall c) {
            if (sockets == null) throw new IllegalStateException("a host without an IP stack takes no system calls");
            SyscallResult result = sockets.call(sender(), c.callId(), c.call(), now());
            if (result != null) send(sender(), syscallReturn, new Process.SyscallReturn(c.callId(), result));
        } else {
            throw new IllegalArgumentException("Host cannot handle " + payload.getClass().getSimpleName());
        }
        afterWork();
    }

    // run_timer_softirq(): every source whose deadline has come, in a fixed order
    private void runTimers() {
        long now = now();
        if (timers.take(HostTimers.STACK, now)) stack.timerExpired(now);
        if (timers.take(HostTimers.SOCKETS, now)) {
            sockets.timerExpired(now);
            long next = sockets.nextDeadline();
            if (next != SimTime.NEVER) timers.wakeAt(HostTimers.SOCKETS, next);
        }
        if (timers.take(HostTimers.TCP, now)) {
            Tcp tcp = stack.tcp();
            tcp.timerExpired(now);
            long next = tcp.nextDeadline();
            if (next != SimTime.NEVER) timers.wakeAt(HostTimers.TCP, next);
        }
    }

    // The end of the kernel work of one event: woken sleepers run (never nested in the work that woke
    // them), then one self event for the timer queue's earliest deadline, if a new one is needed.
    private void afterWork() {
        if (sockets != null) sockets.runWoken(now());
        long deadline = timers.toArm(now());
        if (deadline != SimTime.NEVER) schedule(Math.max(0, deadline - now()), new HostMessage.Timer(deadline));
    }

    // __netif_receive_skb_core(): taps see every frame, then the handler of its EtherType.
    private void netifReceiveSkb(int ifindex, SkBuff skb) {
        rxPackets.increment();
        rxBytes.add(skb.len());
        String device = captureDevice != null ? captureDevice
                : captureDevices.isEmpty() ? null : captureDevices.get(ifindex);
        if (device != null) tap(device, skb.readArray(), skb.readOffset(), skb.len());
        byte[] b = skb.readArray();
        int at = skb.readOffset();
        int etherType = skb.len() >= 14 ? ((b[at + 12] & 0xff) << 8) | (b[at + 13] & 0xff) : -1;
        // the handlers are set when the host starts; most frames repeat the last EtherType (no boxed lookup)
        if (etherType != lastEtherType) {
            lastHandler = handlers.get(etherType);
            lastEtherType = etherType;
        }
        ProtocolHandler handler = lastHandler;
        if (handler == null) {
            rxDropped.increment(); // no packet_type for this protocol
            skb.setDropReason(SkbDropReason.UNHANDLED_PROTO);
            return;
        }
        handler.receive(this, ifindex, skb);
    }

    // packet_rcv() of a capturing socket on {@code device}: a copy of the frame's first snaplen bytes
    private void tap(String device, byte[] buffer, int offset, int length) {
        captured.computeIfAbsent(device, d -> new ArrayList<>())
                .add(CaptureRecord.copy(now(), id(), captureSeq++, buffer, offset, length, captureSnaplen));
    }

    /** dev_queue_xmit(): hand a whole Ethernet frame to the tx queue. */
    public void devQueueXmit(SkBuff skb) {
        send(txQueueLps[0], xmitCost, new NicTxQueue.Xmit(skb));
    }

    /** The host's net.ipv4.tcp_* sysctls (before the run starts). */
    public Host withTcpSysctl(TcpSysctl sysctl) {
        this.tcpSysctl = sysctl;
        return this;
    }

    /** tcpdump -s: the most bytes its taps keep of a frame (before the run starts). */
    public Host withCaptureSnaplen(int snaplen) {
        if (snaplen < 1) throw new IllegalArgumentException("capture snaplen must be >= 1, got " + snaplen);
        this.captureSnaplen = snaplen;
        return this;
    }

    public long time() {
        return now();
    }

    /** The IPv4 stack, for tests that look inside (null on a raw host). */
    public InetStack stack() {
        return stack;
    }

    private int positionOf(int ifindex) {
        List<Interface> interfaces = inet.interfaces();
        // Called for every packet sent. The builder numbers interfaces 1, 2, ... in order, so look there first.
        int guess = ifindex - 1;
        if (guess >= 0 && guess < interfaces.size() && interfaces.get(guess).ifindex() == ifindex) return guess;
        for (int i = 0; i < interfaces.size(); i++) if (interfaces.get(i).ifindex() == ifindex) return i;
        throw new IllegalArgumentException("no interface " + ifindex);
    }

    // TCP keeps its counters in its own table until the run ends (TcpMib.publish): a series reads them live
    @Override
    protected double sample(String counter) {
        if (stack != null && counter.startsWith("Tcp")) {
            knetsim.node.tcp.TcpMib m = knetsim.node.tcp.TcpMib.byName(counter);
            if (m != null) return stack.tcpIfMade() == null ? 0 : stack.tcpIfMade().mib(m);
        }
        return super.sample(counter);
    }

    @Override
    protected void onFinish() {
        if (stack != null) stack.publishCounters();
    }

    @Override
    protected List<? extends knetsim.core.serial.CrossJvm> reports() {
        List<knetsim.core.serial.CrossJvm> chunks = new ArrayList<>();
        captured.forEach((device, records) -> chunks.addAll(CaptureChunk.split(device, records)));
        var dropped = stack == null ? null : stack.dropReport();
        if (dropped != null) chunks.add(dropped);
        var neigh = stack == null ? null : stack.neighReport();
        if (neigh != null) chunks.add(neigh);
        return chunks;
    }
}
