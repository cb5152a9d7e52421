package knetsim.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import knetsim.core.engine.Counters;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.Payload;
import knetsim.link.pcap.CaptureChunk;
import knetsim.link.pcap.CaptureRecord;
import knetsim.node.nic.NicTxQueue;
import knetsim.link.ethernet.EtherType;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.neigh.NeighbourParameters;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;

/**
 * The kernel of one machine, for now only its edge to the driver: netif_receive_skb() with the
 * receive tap and dispatch to protocol handlers by EtherType (packet_type), and dev_queue_xmit()
 * towards a NIC tx queue. The IP stack, ARP and sockets plug in here as handlers (issue 4).
 */
public final class Host extends LogicalProcess {
    /** NET_SKB_PAD: headroom drivers reserve in front of received frames. */
    public static final int NET_SKB_PAD = 64;

    public sealed interface Message extends Payload
            permits Receive, TxCompleted, Transmit, StackTimer, SendPing, SendUdp, SinkRead {}

    /** netif_receive_skb(): a frame that came in on interface {@code ifindex}; data is at its Ethernet header. */
    public record Receive(int ifindex, SkBuff skb) implements Message {
        @Override
        public long fingerprint() {
            return skb.contentHash() * 31 + ifindex;
        }
    }

    /** The driver freed these transmitted skbs (the point where socket write memory is released). */
    public record TxCompleted(int ifindex, int packets, long bytes) implements Message {
        @Override
        public long fingerprint() {
            return (ifindex * 31L + packets) * 31 + bytes;
        }
    }

    /** Self event: send a planned frame now. */
    record Transmit(byte[] frame, int priority) implements Message {
        @Override
        public long fingerprint() {
            return new knetsim.link.Frame(frame, true).fingerprint() * 31 + priority;
        }
    }

    /** Self event: the IPv4 stack asked to be woken (neighbour timers); stale generations are ignored. */
    record StackTimer(long generation) implements Message {
        @Override
        public long fingerprint() {
            return generation;
        }
    }

    /** Self event: the next planned ping. */
    record SendPing(int index) implements Message {
        @Override
        public long fingerprint() {
            return index;
        }
    }

    /** Self event: datagram {@code n} of UDP sender {@code sender}. */
    record SendUdp(int sender, int n) implements Message {
        @Override
        public long fingerprint() {
            return sender * 1_000_003L + n;
        }
    }

    /** Self event: the sink reading on {@code port} finishes one recvfrom(). */
    record SinkRead(int port) implements Message {
        @Override
        public long fingerprint() {
            return port;
        }
    }

    /** A constant-rate UDP sender (until Process actors exist): {@code count} datagrams of {@code size} bytes. */
    public record UdpSender(long start, long interval, int count, Ipv4Address destination, int destinationPort,
                            int sourcePort, int size) {}

    /** A UDP reader bound to {@code port}: blocked in recvfrom until woken, {@code readCost} per datagram. */
    public record UdpSink(int port, int rcvbuf, long readCost) {}

    /** What runs on the host until Process actors exist. */
    public record Apps(List<Ping> pings, List<UdpSender> udpSenders, List<UdpSink> udpSinks) {
        public static Apps pings(List<Ping> pings) {
            return new Apps(pings, List.of(), List.of());
        }
    }

    /** One echo request of a ping plan, as `ping -c` sends them ({@code -t ttl}). */
    public record Ping(long time, Ipv4Address destination, int identifier, int sequence, int dataLength, int ttl,
                       boolean dontFragment) {
        public Ping(long time, Ipv4Address destination, int identifier, int sequence, int dataLength) {
            this(time, destination, identifier, sequence, dataLength, InetStack.DEFAULT_TTL, false);
        }

        public Ping(long time, Ipv4Address destination, int identifier, int sequence, int dataLength, int ttl) {
            this(time, destination, identifier, sequence, dataLength, ttl, false);
        }
    }

    /** An echo reply that came back: the round-trip time, as ping prints it. */
    public record PingReply(int sequence, long sentAt, long rtt) {}

    /**
     * An error about an echo request, as ping prints "From X icmp_seq=N Destination Host Unreachable";
     * a negative type is a local error, -errno from sendto() (no route, message too long).
     */
    public record PingError(int sequence, Ipv4Address from, int type, int code, long at) {
        public String text() {
            if (type == -InetStack.ENETUNREACH) return "Network is unreachable";
            if (type == -InetStack.EMSGSIZE) return "Message too long";
            if (type == 11) return code == 0 ? "Time to live exceeded" : "Frag reassembly time exceeded";
            return switch (code) {
                case 0 -> "Destination Net Unreachable";
                case 1 -> "Destination Host Unreachable";
                case 3 -> "Destination Port Unreachable";
                default -> "Destination Unreachable, code " + code;
            };
        }
    }

    /** A protocol's receive function (packet_type.func): ip_rcv, arp_rcv...; {@code ifindex} is skb->dev. */
    public interface ProtocolHandler {
        void receive(Host host, int ifindex, SkBuff skb);
    }

    /** A frame the host sends at a given time (until applications exist). */
    public record PlannedFrame(long time, byte[] frame, int priority) {}

    private final int[] txQueueLps; // by interface position; the raw constructor has one
    private final long xmitCost;
    private final Map<Integer, ProtocolHandler> handlers;
    private final List<PlannedFrame> plan;
    private final String captureDevice;
    private final Map<String, List<CaptureRecord>> captured = new TreeMap<>();
    private final InetStack.Config inet;
    private final Map<Integer, String> captureDevices = new TreeMap<>();
    private final List<Ping> pings;
    private final Apps apps;
    private final Map<Integer, knetsim.node.udp.UdpSocket> sinkSockets = new TreeMap<>();
    private final Map<Integer, UdpSink> sinks = new TreeMap<>();
    private final Map<Integer, List<Long>> sinkReads = new TreeMap<>();
    private final java.util.Set<Integer> sinkBusy = new java.util.TreeSet<>();
    private final List<PingReply> pingReplies = new ArrayList<>();
    private final List<PingError> pingErrors = new ArrayList<>();
    private InetStack stack;
    private long wakeGeneration;
    private long wakeAt = knetsim.core.time.SimTime.NEVER;
    private long captureSeq;
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
        this.pings = List.of();
        this.apps = Apps.pings(List.of());
    }

    /** A host with one IPv4 interface (ARP, IPv4, ICMP echo) that sends the planned pings. */
    public Host(int txQueueLp, long xmitCost, InetStack.Interface inet, List<Ping> pings, String captureDevice) {
        this(new int[] {txQueueLp}, xmitCost, new InetStack.Config(List.of(inet), List.of(), false), pings,
                captureDevice == null ? Map.of() : Map.of(inet.ifindex(), captureDevice));
    }

    /**
     * A host or router: interface i of {@code config} transmits through {@code txQueueLps[i]};
     * {@code captureDevices} names the receive tap of each captured ifindex.
     */
    public Host(int[] txQueueLps, long xmitCost, InetStack.Config config, List<Ping> pings,
                Map<Integer, String> captureDevices) {
        this(txQueueLps, xmitCost, config, Apps.pings(pings), captureDevices);
    }

    /** A host or router running {@code apps}. */
    public Host(int[] txQueueLps, long xmitCost, InetStack.Config config, Apps apps, Map<Integer, String> captureDevices) {
        if (xmitCost <= 0) throw new IllegalArgumentException("xmit cost must be > 0 (it bounds the lookahead)");
        if (txQueueLps.length != config.interfaces().size()) throw new IllegalArgumentException("one tx queue per interface");
        this.txQueueLps = txQueueLps.clone();
        this.xmitCost = xmitCost;
        this.handlers = new TreeMap<>();
        this.plan = List.of();
        this.captureDevice = null;
        this.inet = config;
        this.pings = List.copyOf(apps.pings());
        this.apps = apps;
        this.captureDevices.putAll(captureDevices);
    }

    @Override
    protected void onStart() {
        rxPackets = counters().counter("rx_packets");
        rxBytes = counters().counter("rx_bytes");
        rxDropped = counters().counter("rx_dropped");
        txCompleted = counters().counter("tx_completed");
        for (PlannedFrame p : plan) schedule(p.time(), new Transmit(p.frame(), p.priority()));
        if (inet != null) startInet();
    }

    private void startInet() {
        stack = new InetStack(inet, NeighbourParameters.linuxDefaults(), random().split(), new InetStack.Output() {
            @Override
            public void transmit(int ifindex, byte[] frame) {
                SkBuff skb = SkBuff.allocate(NET_SKB_PAD, frame.length);
                System.arraycopy(frame, 0, skb.buffer(), skb.put(frame.length), frame.length);
                send(txQueueLps[positionOf(ifindex)], xmitCost, new NicTxQueue.Xmit(skb));
            }

            @Override
            public void wakeAt(long time) {
                if (time < wakeAt || wakeAt < now()) {
                    wakeAt = time;
                    schedule(Math.max(0, time - now()), new StackTimer(++wakeGeneration));
                }
            }

            @Override
            public void echoReply(Ipv4Address from, int identifier, int sequence, long at) {
                for (Ping p : pings) {
                    if (p.sequence() == sequence && p.identifier() == identifier) {
                        pingReplies.add(new PingReply(sequence, p.time(), at - p.time()));
                    }
                }
            }

            @Override
            public void echoError(Ipv4Address from, int identifier, int sequence, int type, int code, long at) {
                pingErrors.add(new PingError(sequence, from, type, code, at));
            }

            @Override
            public void dataReady(int port, long at) {
                // sk_data_ready() wakes the reader blocked in recvfrom(); it reads after its cost
                if (sinks.containsKey(port) && sinkBusy.add(port)) schedule(sinks.get(port).readCost(), new SinkRead(port));
            }
        }, counters());
        handlers.put(EtherType.ARP, (host, ifindex, skb) -> stack.arpRcv(ifindex, skb.copyBytes(), now()));
        handlers.put(EtherType.IPV4, (host, ifindex, skb) -> stack.ipRcv(ifindex, skb.copyBytes(), now()));
        for (int i = 0; i < pings.size(); i++) schedule(pings.get(i).time(), new SendPing(i));
        for (UdpSink sink : apps.udpSinks()) {
            sinks.put(sink.port(), sink);
            sinkSockets.put(sink.port(), stack.udpBind(sink.port(), sink.rcvbuf()));
            sinkReads.put(sink.port(), new ArrayList<>());
        }
        for (int i = 0; i < apps.udpSenders().size(); i++) schedule(apps.udpSenders().get(i).start(), new SendUdp(i, 0));
    }

    @Override
    protected void onEvent(Payload payload) {
        if (payload instanceof Receive r) {
            netifReceiveSkb(r.ifindex(), r.skb());
        } else if (payload instanceof Transmit t) {
            SkBuff skb = SkBuff.allocate(NET_SKB_PAD, t.frame().length);
            System.arraycopy(t.frame(), 0, skb.buffer(), skb.put(t.frame().length), t.frame().length);
            skb.setPriority(t.priority());
            devQueueXmit(skb);
        } else if (payload instanceof TxCompleted c) {
            txCompleted.add(c.packets());
        } else if (payload instanceof StackTimer t) {
            if (t.generation() == wakeGeneration) {
                wakeAt = knetsim.core.time.SimTime.NEVER;
                stack.timerExpired(now());
            }
        } else if (payload instanceof SendUdp u) {
            UdpSender sender = apps.udpSenders().get(u.sender());
            byte[] data = new byte[sender.size()];
            data[0] = (byte) (u.n() >>> 8);
            data[1] = (byte) u.n();
            stack.udpSend(sender.sourcePort(), sender.destination(), sender.destinationPort(), data, now());
            if (u.n() + 1 < sender.count()) schedule(sender.interval(), new SendUdp(u.sender(), u.n() + 1));
        } else if (payload instanceof SinkRead r) {
            var socket = sinkSockets.get(r.port());
            if (socket.receive() != null) {
                counters().counter("UdpInDatagrams").increment(); // udp_recvmsg() counts it
                sinkReads.get(r.port()).add(now());
            }
            if (socket.queued() > 0) schedule(sinks.get(r.port()).readCost(), new SinkRead(r.port()));
            else sinkBusy.remove(r.port());
        } else if (payload instanceof SendPing p) {
            Ping ping = pings.get(p.index());
            int errno = stack.ping(ping.destination(), ping.identifier(), ping.sequence(), ping.dataLength(), ping.ttl(),
                    ping.dontFragment(), now());
            if (errno != 0) pingErrors.add(new PingError(ping.sequence(), null, -errno, 0, now()));
        } else {
            throw new IllegalArgumentException("Host cannot handle " + payload.getClass().getSimpleName());
        }
    }

    // __netif_receive_skb_core(): taps see every frame, then the handler of its EtherType.
    private void netifReceiveSkb(int ifindex, SkBuff skb) {
        rxPackets.increment();
        rxBytes.add(skb.len());
        String device = captureDevice != null ? captureDevice : captureDevices.get(ifindex);
        if (device != null) {
            byte[] bytes = skb.copyBytes();
            captured.computeIfAbsent(device, d -> new ArrayList<>())
                    .add(new CaptureRecord(now(), id(), captureSeq++, bytes, bytes.length));
        }
        int etherType = skb.len() >= 14
                ? ((skb.buffer()[skb.data() + 12] & 0xff) << 8) | (skb.buffer()[skb.data() + 13] & 0xff) : -1;
        ProtocolHandler handler = handlers.get(etherType);
        if (handler == null) {
            rxDropped.increment(); // no packet_type for this protocol
            skb.setDropReason(SkbDropReason.UNHANDLED_PROTO);
            return;
        }
        handler.receive(this, ifindex, skb);
    }

    /** dev_queue_xmit(): hand a whole Ethernet frame to the tx queue. */
    public void devQueueXmit(SkBuff skb) {
        send(txQueueLps[0], xmitCost, new NicTxQueue.Xmit(skb));
    }

    public long time() {
        return now();
    }

    /** Echo replies received for the ping plan, in order. */
    public List<PingReply> pingReplies() {
        return pingReplies;
    }

    /** When the sink on {@code port} returned from each recvfrom(). */
    public List<Long> sinkReads(int port) {
        return sinkReads.get(port);
    }

    /** ICMP errors about the ping plan's requests, in order. */
    public List<PingError> pingErrors() {
        return pingErrors;
    }

    private int positionOf(int ifindex) {
        List<InetStack.Interface> interfaces = inet.interfaces();
        for (int i = 0; i < interfaces.size(); i++) if (interfaces.get(i).ifindex() == ifindex) return i;
        throw new IllegalArgumentException("no interface " + ifindex);
    }

    @Override
    protected void onFinish() {
        if (stack != null) stack.publishCounters();
    }

    @Override
    protected List<CaptureChunk> reports() {
        List<CaptureChunk> chunks = new ArrayList<>();
        captured.forEach((device, records) -> chunks.addAll(CaptureChunk.split(device, records)));
        return chunks;
    }
}
