package knetsim.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import knetsim.core.engine.InMemoryScenario;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.LpGraph;
import knetsim.core.engine.Payload;
import knetsim.core.engine.Scenario;
import knetsim.core.time.SimTime;
import knetsim.link.Frame;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.loss.DropList;
import knetsim.link.loss.LossModel;
import knetsim.link.loss.NoLoss;
import knetsim.node.build.NetworkBuilder;
import knetsim.node.dev.PfifoFast;
import knetsim.node.dev.Qdisc;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Route;
import knetsim.node.netfilter.Rule;
import knetsim.node.nic.NicRxQueue;
import knetsim.node.nic.NicTxQueue;
import knetsim.node.process.Application;
import knetsim.node.process.Process;
import knetsim.node.softirq.SoftirqWorker;
import knetsim.node.tcp.TcpSysctl;

/**
 * The test harness: hosts, routers, cables, processes, injectors and wire recorders described by
 * name and wired by {@link NetworkBuilder} (the builder topology's runs use), then looked up by
 * name after the run: {@code net.host("b")}, {@code net.process("a", "app-0")},
 * {@code net.lp("b.eth0.tx0")}. LP scopes are the builder's: "a", "a.cpu0", "a.eth0.tx0",
 * "a.eth0.rx0", "link.a.eth0-b.eth0", "a.app-0", plus "inject.b.eth0" and each recorder's name.
 * A built net is the scenario to run.
 */
public final class TestNet implements Scenario {
    public static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:0a"), MAC_B = MacAddress.parse("02:00:00:00:00:0b");
    public static final Ipv4Address IP_A = Ipv4Address.parse("10.0.0.1"), IP_B = Ipv4Address.parse("10.0.0.2");
    /** dev_queue_xmit()'s cost: the delay from a host to its tx queue. */
    public static final long XMIT_COST = 200;
    /** What entering a system call costs a process, and what returning from one costs the host. */
    public static final long SYSCALL_COST = 1_000, SYSCALL_RETURN = Host.DEFAULT_SYSCALL_RETURN;
    public static final long RATE = 1_000_000_000L, LATENCY = 50_000;
    /** An injector's first frame leaves it at this time, the next ones every {@link #INJECT_GAP}; each takes 1 us to the rx queue. */
    public static final long INJECT_AT = 100_000, INJECT_GAP = 10_000, INJECT_DELAY = 1_000;

    private final NetworkBuilder.Network network;
    private final InMemoryScenario scenario;

    private TestNet(NetworkBuilder.Network network) {
        this.network = network;
        this.scenario = network.scenario();
    }

    /** Two hosts on one Ethernet segment: a 10.0.0.1/24 (MAC_A) and b 10.0.0.2/24 (MAC_B), eth0 each, captured, a 1 Gbit/s 50 us cable. */
    public static Builder lan() {
        Builder b = new Builder();
        b.host("a", eth("eth0", MAC_A, IP_A, 24));
        b.host("b", eth("eth0", MAC_B, IP_B, 24));
        b.cable("a.eth0", "b.eth0");
        return b;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static Iface eth(String name, MacAddress mac, Ipv4Address address, int prefixLength) {
        return new Iface(name, mac, address, prefixLength);
    }

    public static Iface eth(String name, String mac, String address) {
        return new Iface(name, MacAddress.parse(mac), Ipv4Address.parse(address), 24);
    }

    // ---- lookups by name

    public InMemoryScenario scenario() {
        return scenario;
    }

    public NetworkBuilder.Network network() {
        return network;
    }

    /** The LP id of scope {@code scope}. */
    public int id(String scope) {
        return network.id(scope);
    }

    /** The LP named {@code scope}, as created for the last run. */
    public <T extends LogicalProcess> T lp(String scope) {
        return scenario.lp(id(scope));
    }

    public Host host(String name) {
        return lp(name);
    }

    public Process process(String host, String name) {
        return lp(host + "." + name);
    }

    /** The application of process {@code name} on {@code host}. */
    @SuppressWarnings("unchecked")
    public <A extends Application> A app(String host, String name) {
        return (A) process(host, name).application();
    }

    // ---- the scenario

    @Override
    public LpGraph graph() {
        return scenario.graph();
    }

    @Override
    public long seed() {
        return scenario.seed();
    }

    @Override
    public long endTime() {
        return scenario.endTime();
    }

    @Override
    public LogicalProcess createLp(int lpId) {
        return scenario.createLp(lpId);
    }

    /** Whole nodes per partition, in the order they were declared: a cut only ever crosses cables. */
    @Override
    public int[] partitionOf(int partitions) {
        List<String> nodes = network.owners().values().stream().distinct().toList();
        int[] of = new int[graph().lpCount()];
        network.owners().forEach((lp, node) -> of[lp] = (int) ((long) nodes.indexOf(node) * partitions / nodes.size()));
        return of;
    }

    // ---- the description

    /** An interface; by default MTU 1500, one rx queue, Linux's ring and coalescing defaults, pfifo_fast 1000, captured. */
    public static final class Iface {
        final String name;
        final MacAddress mac;
        final Ipv4Address address;
        final int prefixLength;
        int mtu = 1500, rxQueues = 1;
        NicRxQueue.Config rx = NicRxQueue.Config.linuxDefaults();
        NicTxQueue.Config tx = NicTxQueue.Config.linuxDefaults();
        Supplier<Qdisc> qdisc = () -> new PfifoFast(1000);
        boolean capture = true;

        Iface(String name, MacAddress mac, Ipv4Address address, int prefixLength) {
            this.name = name;
            this.mac = mac;
            this.address = address;
            this.prefixLength = prefixLength;
        }

        public Iface mtu(int v) { mtu = v; return this; }
        public Iface rxQueues(int v) { rxQueues = v; return this; }
        public Iface rx(NicRxQueue.Config v) { rx = v; return this; }
        public Iface tx(NicTxQueue.Config v) { tx = v; return this; }
        public Iface qdisc(Supplier<Qdisc> v) { qdisc = v; return this; }
        public Iface capture(boolean v) { capture = v; return this; }

        NetworkBuilder.Interface toBuilder() {
            return new NetworkBuilder.Interface(name, mac, address, prefixLength, mtu, rxQueues, rx, tx, qdisc, capture);
        }
    }

    /** A host or router; by default one CPU, Linux's softirq defaults and TCP sysctls, xmit 200 ns, system calls 1 us each way. */
    public static final class HostSpec {
        final String name;
        final List<Iface> ifaces;
        int cpus = 1;
        boolean forwarding, arpNotify, captureLo;
        long xmitCost = XMIT_COST, syscallCost = SYSCALL_COST;
        SoftirqWorker.Config cpu = SoftirqWorker.Config.linuxDefaults();
        final List<Route> routes = new ArrayList<>();
        final List<Rule> rules = new ArrayList<>();
        TcpSysctl tcp = TcpSysctl.linuxDefaults();
        NetworkBuilder.HostFactory factory;

        HostSpec(String name, List<Iface> ifaces) {
            this.name = name;
            this.ifaces = ifaces;
        }

        public HostSpec cpus(int v) { cpus = v; return this; }
        public HostSpec forwarding(boolean v) { forwarding = v; return this; }
        public HostSpec arpNotify(boolean v) { arpNotify = v; return this; }
        /** lo is captured too, as "name.lo". */
        public HostSpec captureLo(boolean v) { captureLo = v; return this; }
        public HostSpec xmitCost(long v) { xmitCost = v; return this; }
        public HostSpec syscallCost(long v) { syscallCost = v; return this; }
        public HostSpec cpu(SoftirqWorker.Config v) { cpu = v; return this; }
        public HostSpec route(Route v) { routes.add(v); return this; }
        /** A default route via {@code gateway}. */
        public HostSpec defaultVia(Ipv4Address gateway) { return route(Route.via(Ipv4Address.ANY, 0, gateway, 0, null, 0)); }
        public HostSpec rules(List<Rule> v) { rules.addAll(v); return this; }
        public HostSpec tcp(TcpSysctl v) { tcp = v; return this; }

        /**
         * A host without an IP stack: it transmits {@code plan} on eth0 and hands received frames to
         * {@code handlers} by EtherType (the driver path's tests); its receive tap records as "name.eth0" when captured.
         */
        public HostSpec raw(Map<Integer, Host.ProtocolHandler> handlers, List<Host.PlannedFrame> plan) {
            long xmit = xmitCost;
            String device = ifaces.get(0).capture ? name + "." + ifaces.get(0).name : null;
            factory = (txs, config, captures) -> new Host(txs[0], xmit, handlers, plan, device);
            return this;
        }

        NetworkBuilder.Machine toBuilder() {
            return new NetworkBuilder.Machine(name, cpus, forwarding, arpNotify, xmitCost, syscallCost, cpu,
                    ifaces.stream().map(Iface::toBuilder).toList(), List.copyOf(routes), List.copyOf(rules), captureLo, tcp);
        }
    }

    /** A full-duplex cable between two ends ("a.eth0", or a recorder's name); 1 Gbit/s, 50 us, lossless both ways by default. */
    public static final class CableSpec {
        final String a, z;
        long rate = RATE, latency = LATENCY, jitter;
        Supplier<LossModel> lossAtoZ = () -> NoLoss.INSTANCE, lossZtoA = () -> NoLoss.INSTANCE;
        double corruptionAtoZ, corruptionZtoA;

        CableSpec(String a, String z) {
            this.a = a;
            this.z = z;
        }

        public CableSpec rate(long v) { rate = v; return this; }
        public CableSpec latency(long v) { latency = v; return this; }
        public CableSpec jitter(long v) { jitter = v; return this; }
        /** The loss model of what the first end sends (a fresh one per run). */
        public CableSpec lossAtoZ(Supplier<LossModel> v) { lossAtoZ = v; return this; }
        public CableSpec lossZtoA(Supplier<LossModel> v) { lossZtoA = v; return this; }
        public CableSpec loss(Supplier<LossModel> v) { lossAtoZ = v; lossZtoA = v; return this; }
        /** Drops exactly these frames (counted from 1) of what the first end sends. */
        public CableSpec dropAtoZ(long... frames) { return lossAtoZ(() -> new DropList(frames)); }
        public CableSpec dropZtoA(long... frames) { return lossZtoA(() -> new DropList(frames)); }
        /** Corrupts frames the first end sends with this probability (the receiver sees a bad FCS). */
        public CableSpec corruptionAtoZ(double p) { corruptionAtoZ = p; return this; }

        NetworkBuilder.Cable direction(boolean fromA) {
            return new NetworkBuilder.Cable(rate, latency, jitter, fromA ? lossAtoZ : lossZtoA,
                    fromA ? corruptionAtoZ : corruptionZtoA);
        }
    }

    private record Proc(String host, String name, Application app) {}

    public static final class Builder {
        private long seed = 1, endTime = SimTime.NEVER;
        private final Map<String, HostSpec> hosts = new LinkedHashMap<>();
        private final Map<String, Supplier<? extends LogicalProcess>> recorders = new LinkedHashMap<>();
        private final List<CableSpec> cables = new ArrayList<>();
        private final List<Proc> processes = new ArrayList<>();
        private final Map<String, List<byte[]>> injections = new LinkedHashMap<>();
        private int appsA, appsB;
        private int captureSnaplen = knetsim.link.pcap.PcapWriter.SNAPLEN;

        public Builder seed(long v) { seed = v; return this; }
        /** tcpdump -s: every capture keeps at most this many bytes of a frame. */
        public Builder captureSnaplen(int v) { captureSnaplen = v; return this; }
        public Builder endTime(long v) { endTime = v; return this; }

        public HostSpec host(String name, Iface... ifaces) {
            if (ifaces.length == 0) throw new IllegalArgumentException("a host needs an interface");
            HostSpec h = new HostSpec(name, List.of(ifaces));
            if (hosts.putIfAbsent(name, h) != null) throw new IllegalArgumentException("duplicate host " + name);
            return h;
        }

        /** A host with IP forwarding on. */
        public HostSpec router(String name, Iface... ifaces) {
            return host(name, ifaces).forwarding(true);
        }

        /** Host {@code name} as declared so far. */
        public HostSpec spec(String name) {
            HostSpec h = hosts.get(name);
            if (h == null) throw new IllegalArgumentException("no host " + name);
            return h;
        }

        /** A node that records what a cable delivers to it and sends nothing. */
        public Builder recorder(String name, Supplier<? extends LogicalProcess> lp) {
            recorders.put(name, lp);
            return this;
        }

        public CableSpec cable(String a, String z) {
            CableSpec c = new CableSpec(a, z);
            cables.add(c);
            return c;
        }

        /** The cable with end {@code end} as declared so far. */
        public CableSpec cableOf(String end) {
            for (CableSpec c : cables) if (c.a.equals(end) || c.z.equals(end)) return c;
            throw new IllegalArgumentException("no cable at " + end);
        }

        public Builder process(String host, String name, Application app) {
            processes.add(new Proc(host, name, app));
            return this;
        }

        /** Processes "app-0", "app-1", ... on a, in this order. */
        public Builder a(Application... apps) {
            for (Application app : apps) process("a", "app-" + appsA++, app);
            return this;
        }

        /** Processes "app-0", "app-1", ... on b. */
        public Builder b(Application... apps) {
            for (Application app : apps) process("b", "app-" + appsB++, app);
            return this;
        }

        /** Raw frames put into {@code iface}'s rx queue 0 from {@link #INJECT_AT}, every {@link #INJECT_GAP} (padded to 60 bytes). */
        public Builder inject(String iface, List<byte[]> frames) {
            injections.put(iface, List.copyOf(frames));
            return this;
        }

        public TestNet build() {
            NetworkBuilder nb = new NetworkBuilder().seed(seed).endTime(endTime).captureSnaplen(captureSnaplen);
            for (HostSpec h : hosts.values()) {
                nb.machine(h.toBuilder());
                if (h.factory != null) nb.host(h.name, h.factory);
            }
            recorders.forEach(nb::sink);
            for (CableSpec c : cables) nb.cable(end(c.a), end(c.z), c.direction(true), c.direction(false));
            injections.forEach((iface, frames) -> {
                int rx = nb.id(iface + ".rx0");
                String owner = iface.substring(0, iface.indexOf('.'));
                int lp = nb.lp("inject." + iface, owner, () -> new Injector(rx, frames));
                nb.edge(lp, rx, INJECT_DELAY);
            });
            for (Proc p : processes) nb.process(p.host(), p.name(), p::app);
            return new TestNet(nb.build());
        }

        private static NetworkBuilder.End end(String label) {
            int dot = label.indexOf('.');
            return dot < 0 ? new NetworkBuilder.End(label, null) : new NetworkBuilder.End(label.substring(0, dot), label.substring(dot + 1));
        }
    }

    /** Puts raw frames into an rx queue as if they came off the wire. */
    static final class Injector extends LogicalProcess {
        record Inject(int index) implements Payload {
            @Override
            public long fingerprint() {
                return index;
            }
        }

        final int target;
        final List<byte[]> frames;

        Injector(int target, List<byte[]> frames) {
            this.target = target;
            this.frames = frames;
        }

        @Override
        protected void onStart() {
            for (int i = 0; i < frames.size(); i++) schedule(INJECT_AT + INJECT_GAP * i, new Inject(i));
        }

        @Override
        protected void onEvent(Payload payload) {
            byte[] f = frames.get(((Inject) payload).index());
            send(target, INJECT_DELAY, new Frame(f.length >= 60 ? f : java.util.Arrays.copyOf(f, 60), true));
        }
    }

    /** Records every payload delivered to it and when (a wire recorder). */
    public static class Recorder extends LogicalProcess {
        public final List<Long> arrivals = new ArrayList<>();
        public final List<Frame> frames = new ArrayList<>();

        @Override
        protected void onStart() {}

        @Override
        protected void onEvent(Payload payload) {
            arrivals.add(now());
            if (payload instanceof Frame frame) frames.add(frame);
        }
    }
}
