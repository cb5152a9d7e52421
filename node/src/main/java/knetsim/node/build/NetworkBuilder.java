package knetsim.node.build;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import knetsim.core.engine.InMemoryScenario;
import knetsim.core.engine.LogicalProcess;
import knetsim.link.LineRate;
import knetsim.link.Link;
import knetsim.link.bridge.Switch;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.loss.Corruption;
import knetsim.link.loss.LinkDelay;
import knetsim.link.loss.LossModel;
import knetsim.node.Host;
import knetsim.node.dev.Qdisc;
import knetsim.node.inet.Config;
import knetsim.node.ipv4.ComputedFib;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Route;
import knetsim.node.netfilter.Rule;
import knetsim.node.nic.NicRxQueue;
import knetsim.node.nic.NicTxQueue;
import knetsim.node.nic.Rss;
import knetsim.node.process.Application;
import knetsim.node.process.Process;
import knetsim.node.softirq.SoftirqWorker;

/**
 * Wires machines, switches, cables and processes into LPs: per host one Host LP, one SoftirqWorker
 * per CPU, and per interface one tx queue and its rx queues (rx queue q is served by CPU q mod cpus,
 * the tx queue's completions by CPU 0, sharing queue 0's vector); per cable one Link LP in each
 * direction; per process one Process LP. Every LP gets a scope name ("h1", "h1.cpu0",
 * "h1.eth0.tx0", "h1.eth0.rx0", "link.h1.eth0-sw1", "sw1", "h1.ping-0") for the results.
 */
public final class NetworkBuilder {
    /**
     * One machine; a router is a machine with forwarding on. {@code captureLoopback}: its lo is captured.
     * {@code computed}: routing = auto's routes in their compact form, after {@code routes} (null: none).
     */
    public record Machine(String name, int cpus, boolean forwarding, boolean arpNotify, long xmitCost, long syscallCost,
                          SoftirqWorker.Config cpu, List<Interface> interfaces, List<Route> routes, List<Rule> rules,
                          boolean captureLoopback, knetsim.node.tcp.TcpSysctl tcp, ComputedFib.Runs computed) {
        /** With no computed routes. */
        public Machine(String name, int cpus, boolean forwarding, boolean arpNotify, long xmitCost, long syscallCost,
                       SoftirqWorker.Config cpu, List<Interface> interfaces, List<Route> routes, List<Rule> rules,
                       boolean captureLoopback, knetsim.node.tcp.TcpSysctl tcp) {
            this(name, cpus, forwarding, arpNotify, xmitCost, syscallCost, cpu, interfaces, routes, rules,
                    captureLoopback, tcp, null);
        }

        /** Lo not captured, with Linux's default TCP sysctls. */
        public Machine(String name, int cpus, boolean forwarding, boolean arpNotify, long xmitCost, long syscallCost,
                       SoftirqWorker.Config cpu, List<Interface> interfaces, List<Route> routes, List<Rule> rules) {
            this(name, cpus, forwarding, arpNotify, xmitCost, syscallCost, cpu, interfaces, routes, rules, false,
                    knetsim.node.tcp.TcpSysctl.linuxDefaults());
        }
    }

    /** An interface: its address, its NIC's rings and coalescing, and whether its traffic is captured. */
    public record Interface(String name, MacAddress mac, Ipv4Address address, int prefixLength, int mtu, int rxQueues,
                            NicRxQueue.Config rx, NicTxQueue.Config tx, Supplier<Qdisc> qdisc, boolean capture) {}

    /** A cable's properties in one direction; loss models keep state, so each LP gets a fresh one. */
    public record Cable(long rateBitsPerSecond, long latencyNs, long jitterNs, Supplier<LossModel> loss,
                        double corruption) {}

    /** Where a cable ends: an interface of a machine, or a port of a switch (iface null). */
    public record End(String node, String iface) {
        public String label() {
            return iface == null ? node : node + "." + iface;
        }
    }

    private static final class MachineLps {
        Machine machine;
        int host;
        int[] cpus;
        int[] tx; // by interface position
        int[][] rx;
        int[] outLink; // the Link LP each interface transmits into
        long[] rate;
        List<Integer> processes = new ArrayList<>();
        HostFactory factory; // null: a Host with the machine's stack
    }

    /** Makes a machine's Host LP: interface i transmits through {@code txQueues[i]}; {@code captures} names each tapped ifindex. */
    public interface HostFactory {
        Host create(int[] txQueues, Config config, Map<Integer, String> captures);
    }

    private static final class SwitchLps {
        int lp;
        long ageing;
        int queue;
        List<Switch.Port> ports = new ArrayList<>();
    }

    private final InMemoryScenario.Builder b = InMemoryScenario.builder();
    private final Map<String, MachineLps> machines = new LinkedHashMap<>();
    private final Map<String, SwitchLps> switches = new LinkedHashMap<>();
    private final Map<String, Integer> sinks = new LinkedHashMap<>();
    private final TreeMap<Integer, String> scopes = new TreeMap<>();
    private final TreeMap<Integer, String> owners = new TreeMap<>();
    private final List<long[]> edges = new ArrayList<>();
    private int captureSnaplen = knetsim.link.pcap.PcapWriter.SNAPLEN;

    public NetworkBuilder seed(long seed) {
        b.seed(seed);
        return this;
    }

    public NetworkBuilder endTime(long endTime) {
        b.endTime(endTime);
        return this;
    }

    /** tcpdump -s: every capture keeps at most this many bytes of a frame (default: whole frames). */
    public NetworkBuilder captureSnaplen(int snaplen) {
        if (snaplen < 1) throw new IllegalArgumentException("capture snaplen must be >= 1, got " + snaplen);
        this.captureSnaplen = snaplen;
        return this;
    }

    public void machine(Machine m) {
        if (taken(m.name())) throw new IllegalArgumentException("duplicate node " + m.name());
        MachineLps lps = new MachineLps();
        lps.machine = m;
        lps.host = reserve(m.name(), m.name());
        lps.cpus = new int[m.cpus()];
        for (int c = 0; c < m.cpus(); c++) lps.cpus[c] = reserve(m.name() + ".cpu" + c, m.name());
        int n = m.interfaces().size();
        lps.tx = new int[n];
        lps.rx = new int[n][];
        lps.outLink = new int[n];
        lps.rate = new long[n];
        java.util.Arrays.fill(lps.outLink, -1);
        for (int i = 0; i < n; i++) {
            Interface iface = m.interfaces().get(i);
            lps.tx[i] = reserve(m.name() + "." + iface.name() + ".tx0", m.name());
            lps.rx[i] = new int[iface.rxQueues()];
            for (int q = 0; q < iface.rxQueues(); q++) lps.rx[i][q] = reserve(m.name() + "." + iface.name() + ".rx" + q, m.name());
        }
        machines.put(m.name(), lps);
    }

    /** A learning switch; each port's egress FIFO holds up to {@code queueFrames} frames. */
    public void bridge(String name, long ageingNs, int queueFrames) {
        if (taken(name)) throw new IllegalArgumentException("duplicate node " + name);
        SwitchLps s = new SwitchLps();
        s.lp = reserve(name, name);
        s.ageing = ageingNs;
        s.queue = queueFrames;
        switches.put(name, s);
    }

    /** Machine {@code node}'s Host LP comes from {@code factory} instead of the machine's own stack (tests: raw frames, handlers). */
    public void host(String node, HostFactory factory) {
        machine(node).factory = factory;
    }

    /**
     * A node that only receives: what a cable delivers to it (End(name, null)) goes to this LP, and
     * nothing is sent back (tests: a recorder on the wire). Returns its LP id.
     */
    public int sink(String name, Supplier<? extends LogicalProcess> lp) {
        if (taken(name)) throw new IllegalArgumentException("duplicate node " + name);
        int id = reserve(name, name);
        b.define(id, lp);
        sinks.put(name, id);
        return id;
    }

    /** Any other LP, named {@code scope} and placed with node {@code owner}; its edges are the caller's ({@link #edge}). */
    public int lp(String scope, String owner, Supplier<? extends LogicalProcess> lp) {
        int id = reserve(scope, owner);
        b.define(id, lp);
        return id;
    }

    /** The LP id named {@code scope} so far ("h1", "h1.eth0.rx0", "link.h1.eth0-sw1", "h1.ping-0"). */
    public int id(String scope) {
        for (var e : scopes.entrySet()) if (e.getValue().equals(scope)) return e.getKey();
        throw new IllegalArgumentException("no LP named " + scope);
    }

    private boolean taken(String name) {
        return machines.containsKey(name) || switches.containsKey(name) || sinks.containsKey(name);
    }

    /** A process running {@code application} on machine {@code node}; returns its LP id. */
    public int process(String node, String name, Supplier<? extends Application> application) {
        return process(node, name, application, false);
    }

    /** A process whose system calls are logged for syscalls.csv when {@code traced}. */
    public int process(String node, String name, Supplier<? extends Application> application, boolean traced) {
        MachineLps m = machine(node);
        int lp = reserve(node + "." + name, node);
        m.processes.add(lp);
        long syscall = m.machine.syscallCost();
        int host = m.host;
        String processName = node + "/" + name;
        b.define(lp, () -> new Process(host, syscall, processName, application.get(), traced));
        edge(lp, host, syscall);
        edge(host, lp, syscall);
        return lp;
    }

    /** A full-duplex cable: a Link LP for each direction. */
    public void cable(End a, End z, Cable cable) {
        cable(a, z, cable, cable);
    }

    /** A cable whose directions differ (rate, delay, loss): {@code aToZ} carries what a sends. No Link LP out of a sink. */
    public void cable(End a, End z, Cable aToZ, Cable zToA) {
        boolean aSends = !sinks.containsKey(a.node()), zSends = !sinks.containsKey(z.node());
        if (!aSends && !zSends) throw new IllegalArgumentException("a cable between two sinks");
        // a direction's Link LP lives with its sender: what crosses to another machine is the frame
        // after the cable's latency, which is what makes placement's lookahead
        int ab = aSends ? reserve("link." + a.label() + "-" + z.label(), a.node()) : -1;
        int za = zSends ? reserve("link." + z.label() + "-" + a.label(), z.node()) : -1;
        if (aSends) attach(a, ab, za, aToZ);
        if (zSends) attach(z, za, ab, zToA);
        if (aSends) define(ab, z, aToZ);
        if (zSends) define(za, a, zToA);
    }

    // The sending side: the interface's tx queue (or the switch port) feeds {@code out}; {@code in} arrives.
    private void attach(End end, int out, int in, Cable cable) {
        long minimumFrame = new LineRate(cable.rateBitsPerSecond()).minimumFrameNanos();
        if (end.iface() == null) {
            SwitchLps s = switches.get(end.node());
            if (s == null) throw new IllegalArgumentException("no switch " + end.node());
            if (in < 0) throw new IllegalArgumentException("a switch cannot be cabled to a sink");
            s.ports.add(new Switch.Port(in, out, cable.rateBitsPerSecond(), s.queue));
            edge(s.lp, out, minimumFrame);
            return;
        }
        MachineLps m = machine(end.node());
        int i = position(m, end.iface());
        if (m.outLink[i] >= 0) throw new IllegalArgumentException(end.label() + " is on two cables");
        m.outLink[i] = out;
        m.rate[i] = cable.rateBitsPerSecond();
        edge(m.tx[i], out, minimumFrame);
    }

    // The Link LP of one direction and its edges to what receives: a switch, or the rx queues (RSS).
    private void define(int link, End to, Cable cable) {
        LinkDelay delay = new LinkDelay(cable.latencyNs(), cable.jitterNs(), false);
        int[] receivers;
        if (to.iface() == null && sinks.containsKey(to.node())) {
            receivers = new int[] {sinks.get(to.node())};
        } else if (to.iface() == null) {
            receivers = new int[] {switches.get(to.node()).lp};
        } else {
            MachineLps m = machine(to.node());
            receivers = m.rx[position(m, to.iface())];
        }
        for (int r : receivers) edge(link, r, delay.minimumDelay());
        int[] rs = receivers.clone();
        b.define(link, () -> new Link(rs, Rss.DEFAULT, delay.copy(), cable.loss().get(), new Corruption(cable.corruption())));
    }

    private MachineLps machine(String node) {
        MachineLps m = machines.get(node);
        if (m == null) throw new IllegalArgumentException("no machine " + node);
        return m;
    }

    private static int position(MachineLps m, String iface) {
        List<Interface> list = m.machine.interfaces();
        for (int i = 0; i < list.size(); i++) if (list.get(i).name().equals(iface)) return i;
        throw new IllegalArgumentException("no interface " + m.machine.name() + "." + iface);
    }

    private int reserve(String scope, String owner) {
        int lp = b.reserve();
        scopes.put(lp, scope);
        owners.put(lp, owner);
        return lp;
    }

    /** An edge: {@code from} sends to {@code to} no sooner than {@code delay} after its own time. */
    public void edge(int from, int to, long delay) {
        edges.add(new long[] {from, to, delay});
    }

    /** The scenario, the scope name of every LP, the node (machine or switch) each LP belongs to, and each machine's Host LP. */
    public record Network(InMemoryScenario scenario, Map<Integer, String> scopes, Map<Integer, String> owners,
                          Map<String, Integer> hosts) {
        /** The LP id named {@code scope}. */
        public int id(String scope) {
            for (var e : scopes.entrySet()) if (e.getValue().equals(scope)) return e.getKey();
            throw new IllegalArgumentException("no LP named " + scope);
        }
    }

    public Network build() {
        Map<String, Integer> hosts = new LinkedHashMap<>();
        for (MachineLps m : machines.values()) {
            defineMachine(m);
            hosts.put(m.machine.name(), m.host);
        }
        for (SwitchLps s : switches.values()) {
            List<Switch.Port> ports = List.copyOf(s.ports);
            long ageing = s.ageing;
            b.define(s.lp, () -> new Switch(ports, ageing));
        }
        for (long[] e : edges) b.edge((int) e[0], (int) e[1], e[2]);
        return new Network(b.build(), java.util.Collections.unmodifiableSortedMap(scopes),
                java.util.Collections.unmodifiableSortedMap(owners), hosts);
    }

    private void defineMachine(MachineLps m) {
        Machine machine = m.machine;
        List<knetsim.node.inet.Interface> inet = new ArrayList<>();
        Map<Integer, String> captures = new TreeMap<>();
        List<List<SoftirqWorker.Napi>> napis = new ArrayList<>();
        for (int c = 0; c < machine.cpus(); c++) napis.add(new ArrayList<>());
        for (int i = 0; i < machine.interfaces().size(); i++) {
            Interface iface = machine.interfaces().get(i);
            int ifindex = i + 1;
            String device = machine.name() + "." + iface.name();
            if (m.outLink[i] < 0) throw new IllegalArgumentException(device + " is not on any cable");
            inet.add(new knetsim.node.inet.Interface(ifindex, iface.name(), iface.mac(), iface.address(), iface.prefixLength(),
                    iface.mtu(), iface.qdisc().get().pacesSockets()));
            if (iface.capture()) captures.put(ifindex, device);
            int tx = m.tx[i], link = m.outLink[i], cpu0 = m.cpus[0];
            long rate = m.rate[i];
            int snaplen = captureSnaplen;
            b.define(tx, () -> new NicTxQueue(iface.tx(), iface.qdisc().get(), rate, link, cpu0,
                    iface.capture() ? device : null, snaplen));
            edge(m.host, tx, machine.xmitCost());
            edge(tx, cpu0, iface.tx().irqLatency());
            edge(cpu0, tx, machine.cpu().doorbell());
            for (int q = 0; q < iface.rxQueues(); q++) {
                int cpuIndex = q % machine.cpus();
                int cpu = m.cpus[cpuIndex], rx = m.rx[i][q];
                b.define(rx, () -> new NicRxQueue(iface.rx(), iface.mac().toLong(), cpu));
                edge(rx, cpu, iface.rx().irqLatency());
                edge(cpu, rx, machine.cpu().doorbell());
                napis.get(cpuIndex).add(new SoftirqWorker.Napi(rx, q == 0 ? tx : -1, ifindex, iface.name() + "_rx_queue_" + q));
            }
        }
        if (machine.captureLoopback()) {
            captures.put(knetsim.node.dev.Loopback.IFINDEX, machine.name() + "." + knetsim.node.dev.Loopback.NAME);
        }
        for (int c = 0; c < machine.cpus(); c++) {
            int cpu = m.cpus[c];
            List<SoftirqWorker.Napi> list = List.copyOf(napis.get(c));
            int host = m.host;
            b.define(cpu, () -> new SoftirqWorker(machine.cpu(), host, list));
            edge(cpu, host, machine.cpu().packetCost());
        }
        Config config = new Config(List.copyOf(inet), List.copyOf(machine.routes()),
                machine.forwarding(), List.copyOf(machine.rules()), machine.arpNotify(), machine.computed());
        int[] txs = m.tx.clone();
        HostFactory factory = m.factory;
        int snaplen = captureSnaplen;
        if (factory != null) {
            b.define(m.host, () -> factory.create(txs.clone(), config, Map.copyOf(captures)).withCaptureSnaplen(snaplen));
            return;
        }
        b.define(m.host, () -> new Host(txs, machine.xmitCost(), machine.syscallCost(), config, captures)
                .withTcpSysctl(machine.tcp()).withCaptureSnaplen(snaplen));
    }
}
