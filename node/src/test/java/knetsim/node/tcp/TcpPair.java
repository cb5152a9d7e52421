package knetsim.node.tcp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Predicate;
import knetsim.core.engine.Counters;
import knetsim.node.inet.Inet;
import knetsim.node.inet.NetworkLayer;
import knetsim.node.inet.Transport;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Header;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.socket.Sock;

/**
 * Two hosts' TCP connected by a simulated path, no actors: each direction has a propagation delay, a rate
 * (serialisation) with a drop-tail queue, a drop predicate and Bernoulli loss from a seeded random; a small
 * event loop in virtual time carries segments and drives the timers through nextDeadline/timerExpired.
 * Transmit completions (tcp_wfree) come when a segment has been serialised. Every segment sent is recorded.
 */
final class TcpPair {
    static final Ipv4Address A = Ipv4Address.parse("10.0.0.1"), B = Ipv4Address.parse("10.0.0.2");

    /** A segment as it left a host (arrivals: as it arrived), with the ECN field of its IP header. */
    record Sent(long time, Host from, TcpHeader header, int payload, boolean dropped, int ecn) {
        Sent(long time, Host from, TcpHeader header, int payload, boolean dropped) {
            this(time, from, header, payload, dropped, 0);
        }

        boolean has(int flag) {
            return header.has(flag);
        }
    }

    private record Event(long time, long order, Runnable action) {}

    private final PriorityQueue<Event> events = new PriorityQueue<>((x, y) -> x.time != y.time
            ? Long.compare(x.time, y.time) : Long.compare(x.order, y.order));
    private long order;
    long now;
    final Host a, b;
    final List<Sent> sent = new ArrayList<>();
    /** Segments as they arrived (time of arrival, sender). */
    final List<Sent> arrivals = new ArrayList<>();

    TcpPair(TcpSysctl sysctl, long oneWayDelayNs, long rateBps, int queueLimit, long seed) {
        this(sysctl, sysctl, oneWayDelayNs, rateBps, queueLimit, seed);
    }

    /** Hosts with their own sysctls (a: the client side, b: the server side). */
    TcpPair(TcpSysctl sysctlA, TcpSysctl sysctlB, long oneWayDelayNs, long rateBps, int queueLimit, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        a = new Host("a", A, sysctlA, random.split());
        b = new Host("b", B, sysctlB, random.split());
        a.link = new Link(a, b, oneWayDelayNs, rateBps, queueLimit, random.split());
        b.link = new Link(b, a, oneWayDelayNs, rateBps, queueLimit, random.split());
    }

    static TcpSysctl reno() {
        return TcpSysctl.linuxDefaults().with(s -> s.congestionControl("reno"));
    }

    void at(long time, Runnable action) {
        events.add(new Event(time, order++, action));
    }

    /** Runs events up to and including {@code until}. */
    void runUntil(long until) {
        while (!events.isEmpty() && events.peek().time <= until) {
            Event e = events.poll();
            now = e.time;
            e.action.run();
        }
        now = Math.max(now, until);
    }

    /** Runs until {@code done} holds (checked after each event) or {@code limit}; true when it held. */
    boolean runUntil(java.util.function.BooleanSupplier done, long limit) {
        while (!done.getAsBoolean()) {
            if (events.isEmpty() || events.peek().time > limit) {
                now = Math.max(now, limit);
                return false;
            }
            Event e = events.poll();
            now = e.time;
            e.action.run();
        }
        return true;
    }

    /** The segments sent so far, one line each (time in us, host, flags, relative seq/ack, length, SACK). */
    String trace() {
        StringBuilder out = new StringBuilder();
        long isnA = sent.isEmpty() ? 0 : sent.get(0).header.seq();
        long isnB = sent.stream().filter(x -> x.from == b).findFirst().map(x -> x.header.seq()).orElse(0L);
        for (Sent x : sent) {
            long base = x.from == a ? isnA : isnB, other = x.from == a ? isnB : isnA;
            out.append(x.time / 1000).append(' ').append(x.from).append(' ').append(TcpHeader.flagString(x.header.flags()))
                    .append(" seq ").append((x.header.seq() - base) & 0xffffffffL).append(" ack ")
                    .append((x.header.ack() - other) & 0xffffffffL).append(" len ").append(x.payload)
                    .append(" win ").append(x.header.window());
            long[] sb = x.header.options().sackBlocks();
            for (int i = 0; i < sb.length; i += 2) {
                out.append(" sack ").append((sb[i] - other) & 0xffffffffL).append('-').append((sb[i + 1] - other) & 0xffffffffL);
            }
            if (x.dropped) out.append(" DROPPED");
            out.append('\n');
        }
        return out.toString();
    }

    List<Sent> from(Host h) {
        return sent.stream().filter(s -> s.from == h).toList();
    }

    /** One direction of the path. */
    final class Link {
        final Host from, to;
        long delayNs;
        long rateBps;
        int queueLimit;
        double loss;
        boolean blackhole;
        /**
         * The queue is a router's further on (a bottleneck behind a fast NIC): the sender's driver frees each
         * segment at once (tcp_wfree), so TSQ does not hold the sender back. Default: the sender's own NIC queue.
         */
        boolean routerQueue;
        Predicate<Sent> drop = s -> false;
        /** Extra delay for a segment (reordering, delay spikes). */
        java.util.function.ToLongFunction<Sent> extraDelay = s -> 0;
        /** A router's MTU on the path (0: none): bigger DF packets are dropped with "fragmentation needed". */
        int mtu;
        private final SplittableRandom random;
        private long busyUntil;
        private int queued;
        long drops;
        /** Step ECN marking: an ECT packet that finds this many or more queued becomes CE (0: off); {@link #marks} counts. */
        int markThreshold;
        long marks;

        /** Packets waiting or in serialisation now. */
        int queued() {
            return queued;
        }

        Link(Host from, Host to, long delayNs, long rateBps, int queueLimit, SplittableRandom random) {
            this.from = from;
            this.to = to;
            this.delayNs = delayNs;
            this.rateBps = rateBps;
            this.queueLimit = queueLimit;
            this.random = random;
        }

        void send(byte[] packet, int owner) {
            Ipv4Packet p = Ipv4Packet.parse(packet, 0, packet.length).value();
            TcpHeader h = TcpSegment.parse(packet, p.payloadOffset(), p.payloadLength()).value().header();
            int payload = p.payloadLength() - h.length();
            if (mtu > 0 && packet.length > mtu) { // the router's icmp_send(ICMP_FRAG_NEEDED), quoting 28 bytes
                byte[] quote = java.util.Arrays.copyOf(packet, 28);
                sent.add(new Sent(now, from, h, payload, true));
                int size = Inet.truesizeOfPacket(packet.length);
                if (owner >= 0) at(now, () -> from.txFreed(owner, size)); // freed by the driver before the router drops it
                at(now + delayNs, () -> from.tcp.err(quote, 20, 3, 4, mtu, now));
                return;
            }
            int ecn = p.ecn();
            boolean lost = drop.test(new Sent(now, from, h, payload, false, ecn)) || blackhole
                    || (loss > 0 && random.nextDouble() < loss) || queued >= queueLimit;
            sent.add(new Sent(now, from, h, payload, lost, ecn));
            int truesize = Inet.truesizeOfPacket(packet.length);
            if (queued >= queueLimit) {
                drops++;
                if (owner >= 0) at(now, () -> from.txFreed(owner, truesize));
                return;
            }
            if (markThreshold > 0 && queued >= markThreshold && (ecn == 1 || ecn == 2)) { // INET_ECN_set_ce()
                int oldWord = ((packet[0] & 0xff) << 8) | (packet[1] & 0xff);
                packet[1] |= 3;
                int check = ((packet[10] & 0xff) << 8) | (packet[11] & 0xff);
                check = knetsim.node.ipv4.InternetChecksum.update(check, oldWord, oldWord | 3);
                packet[10] = (byte) (check >>> 8);
                packet[11] = (byte) check;
                marks++;
            }
            if (routerQueue && owner >= 0) at(now, () -> from.txFreed(owner, truesize));
            queued++;
            long start = Math.max(now, busyUntil);
            long txNs = rateBps > 0 ? (packet.length + 14) * 8L * 1_000_000_000L / rateBps : 0;
            busyUntil = start + txNs;
            long done = busyUntil;
            at(done, () -> {
                queued--;
                if (owner >= 0 && !routerQueue) from.txFreed(owner, truesize);
            });
            if (lost) {
                drops++;
                return;
            }
            Sent record = sent.get(sent.size() - 1);
            int arrivedEcn = Ipv4Packet.parse(packet, 0, packet.length).value().ecn();
            at(done + delayNs + extraDelay.applyAsLong(record), () -> {
                arrivals.add(new Sent(now, from, record.header(), record.payload(), false, arrivedEcn));
                to.deliver(packet);
            });
        }
    }

    /** One host: its Tcp with a fake IP layer and context. */
    final class Host implements Tcp.Context {
        final String name;
        final Ipv4Address address;
        final Counters counters = new Counters();
        final Tcp tcp;
        Link link;
        int mtu = 1500;
        int nextId = 1;
        final HashMap<Integer, TcpSock> sockets = new HashMap<>();
        final List<TcpSock> created = new ArrayList<>();
        Consumer<TcpSock> onWake = sk -> {};
        long wakeups;

        Host(String name, Ipv4Address address, TcpSysctl sysctl, SplittableRandom random) {
            this.name = name;
            this.address = address;
            this.tcp = new Tcp(new Ip(this), this, counters, random, sysctl);
        }

        TcpSock socket() {
            TcpSock sk = tcp.socket(nextId++);
            sockets.put(sk.id(), sk);
            return sk;
        }

        long mib(TcpMib m) {
            return tcp.mib(m);
        }

        void deliver(byte[] packet) {
            tcp.rcv(Ipv4Packet.parse(packet, 0, packet.length).value(), now);
        }

        void txFreed(int owner, int truesize) {
            TcpSock sk = sockets.get(owner);
            if (sk != null) tcp.txFreed(sk, truesize, now);
        }

        public int allocateSocketId() {
            return nextId++;
        }

        public void socketCreated(TcpSock socket) {
            sockets.put(socket.id(), socket);
            created.add(socket);
        }

        public void releaseSocketId(Sock socket) {
            // kept in the map: transmit completions may still arrive; the test inspects the socket afterwards
        }

        public void wake(TcpSock socket, long when) {
            wakeups++;
            at(when, () -> onWake.accept(socket));
        }

        public void wakeAt(long deadline) {
            at(Math.max(deadline, now), () -> {
                if (tcp.nextDeadline() <= now) tcp.timerExpired(now);
            });
        }

        public int pathMtu(Ipv4Address destination, long when) {
            return mtu;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** ip_queue_xmit() reduced to building the IPv4 packet and handing it to the link. */
    private final class Ip implements NetworkLayer {
        private final Host host;
        private int ident;

        Ip(Host host) {
            this.host = host;
        }

        public int output(Ipv4Address source, Ipv4Address destination, int protocol, Transport payload,
                          int ttl, int tos, int pmtudisc, int owner, long when) {
            if (20 + payload.length() > host.mtu && pmtudisc == Sock.PMTUDISC_DO) return -90;
            Ipv4Address from = source == null || source.equals(Ipv4Address.ANY) ? host.address : source;
            Ipv4Header h = new Ipv4Header(tos, ident++ & 0xffff, Ipv4Packet.IP_DF, 0, ttl, protocol, from, destination,
                    new byte[0], payload.length());
            byte[] packet = new byte[h.length() + payload.length()];
            h.emit(packet, 0);
            payload.emit(packet, h.length(), from, destination);
            host.link.send(packet, owner);
            return 0;
        }

        public Ipv4Address sourceFor(Ipv4Address destination) {
            return host.address;
        }

        public boolean isLocal(Ipv4Address address) {
            return address.equals(host.address);
        }

        public boolean bindable(Ipv4Address address) {
            return address.equals(host.address);
        }

        public void updatePmtu(Ipv4Address destination, int mtu, long when) {
            host.mtu = Math.min(host.mtu, mtu);
        }

        public void unreachable(int code, Ipv4Packet offending, long when) {}
    }

    /** An iperf-like flow: a client on a writes {@code bytes} (then closes if asked), a server on b reads all of it. */
    final class Flow {
        final TcpSock listener, client;
        TcpSock server;
        final long bytes;
        long written, received;
        boolean closeWhenDone;
        /** Bytes the server may read per wake-up; 0: everything. Reads stop while {@code readPaused}. */
        int readChunk;
        boolean readPaused;
        long lastByteAt = -1;
        private final byte[] wbuf = new byte[65536], rbuf = new byte[65536];

        Flow(int port, long bytes) {
            this.bytes = bytes;
            listener = b.socket();
            b.tcp.bind(listener, B, port);
            b.tcp.listen(listener, 128);
            client = a.socket();
            a.tcp.connect(client, B, port, now);
            a.onWake = sk -> pump();
            b.onWake = sk -> drain();
            for (int i = 0; i < wbuf.length; i++) wbuf[i] = (byte) i;
        }

        void pump() {
            if (client.state() != TcpState.ESTABLISHED && client.state() != TcpState.CLOSE_WAIT) return;
            while (written < bytes) {
                int at = (int) (written % wbuf.length);
                int n = a.tcp.sendmsg(client, wbuf, at, (int) Math.min(wbuf.length - at, bytes - written), now);
                if (n <= 0) break;
                written += n;
            }
            if (written == bytes && closeWhenDone && client.state() == TcpState.ESTABLISHED) a.tcp.close(client, now);
        }

        void drain() {
            if (server == null) server = b.tcp.accept(listener, now);
            if (server == null || readPaused) return;
            while (true) {
                int want = readChunk > 0 ? readChunk : rbuf.length;
                int n = b.tcp.recvmsg(server, rbuf, 0, want, now);
                if (n <= 0) break;
                for (int i = 0; i < n; i++) {
                    if (rbuf[i] != (byte) ((received + i) % 65536)) throw new AssertionError("corrupt byte at " + (received + i));
                }
                received += n;
                if (received == bytes) lastByteAt = now;
                if (readChunk > 0) break;
            }
        }

        boolean done() {
            return received == bytes;
        }
    }
}
