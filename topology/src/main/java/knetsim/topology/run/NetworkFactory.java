package knetsim.topology.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import knetsim.core.time.SimTime;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.loss.BernoulliLoss;
import knetsim.link.loss.GilbertElliottLoss;
import knetsim.link.loss.LossModel;
import knetsim.link.loss.NoLoss;
import knetsim.node.app.Ping;
import knetsim.node.app.Script;
import knetsim.node.app.TcpBulk;
import knetsim.node.app.TcpFlows;
import knetsim.node.app.TcpRr;
import knetsim.node.app.TcpSink;
import knetsim.node.app.UdpEcho;
import knetsim.node.app.UdpSender;
import knetsim.node.app.UdpSink;
import knetsim.node.build.NetworkBuilder;
import knetsim.node.dev.Bfifo;
import knetsim.node.dev.CodelQdisc;
import knetsim.node.dev.Fq;
import knetsim.node.dev.FqCodel;
import knetsim.node.dev.Noqueue;
import knetsim.node.dev.Pfifo;
import knetsim.node.dev.PfifoFast;
import knetsim.node.dev.Qdisc;
import knetsim.node.dev.Red;
import knetsim.node.dev.TokenBucketFilter;
import knetsim.node.ipv4.ComputedFib;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Route;
import knetsim.node.netfilter.Rule;
import knetsim.node.nic.NicRxQueue;
import knetsim.node.nic.NicTxQueue;
import knetsim.node.process.DelayedStart;
import knetsim.node.socket.Sock;
import knetsim.node.softirq.SoftirqWorker;
import knetsim.node.tcp.TcpSysctl;
import knetsim.topology.config.ComputedRoutes;
import knetsim.topology.config.InterfaceSpec;
import knetsim.topology.config.LinkSpec;
import knetsim.topology.config.NetfilterRuleSpec;
import knetsim.topology.config.NodeSpec;
import knetsim.topology.config.RouteSpec;
import knetsim.topology.config.Topology;
import knetsim.topology.config.TrafficSpec;

/** Turns a validated topology into the LPs of a run: machines, switches, cables and processes. */
public final class NetworkFactory {
    /** How long ping waits for replies after its last request (ping -W's default of 10 s). */

    private NetworkFactory() {}

    public static NetworkBuilder.Network build(Topology t) {
        NetworkBuilder b = new NetworkBuilder().seed(t.seed()).endTime(t.durationNs()).captureSnaplen(t.captureSnaplen());
        Map<String, LinkSpec> linkOf = new TreeMap<>();
        for (LinkSpec link : t.links()) {
            for (LinkSpec.Endpoint e : List.of(link.a(), link.b())) {
                if (!e.isSwitch()) linkOf.put(e.node() + "." + e.iface(), link);
            }
        }
        // routing = auto gives each router a route to every subnet: the same destinations and gateways recur
        // thousands of times, so the routes share one Ipv4Address per distinct value
        Map<Integer, Ipv4Address> addresses = new java.util.HashMap<>();
        for (NodeSpec node : t.nodes().values()) b.machine(machine(node, linkOf, t.captures(), addresses));
        t.switches().values().forEach(s -> b.bridge(s.name(), s.ageingNs(), s.queue()));
        for (LinkSpec link : t.links()) {
            long rate = link.rateBps(), delay = link.delayNs(), jitter = link.jitterNs();
            LinkSpec.LossSpec loss = link.loss();
            b.cable(end(link.a()), end(link.b()),
                    new NetworkBuilder.Cable(rate, delay, jitter, lossModel(loss), link.corruption()));
        }
        // goodput is averaged over about a hundredth of the run (a 1 ms bucket of a CBR flow would only show its packet clock)
        long bucket = Math.max(Math.max(t.durationNs() / 100, SimTime.MILLISECOND),
                t.record() != null ? t.record().intervalNs() : 0);
        int index = 0;
        for (TrafficSpec traffic : t.traffic()) {
            String name = kind(traffic) + "-" + index++;
            // a script logs its own calls (with its step names); other apps only with syscalls = all
            b.process(traffic.on(), name, application(traffic, name, t.durationNs(), bucket),
                    t.traceAllSyscalls() && !(traffic instanceof TrafficSpec.Script));
        }
        return b.build();
    }

    static String kind(TrafficSpec traffic) {
        if (traffic instanceof TrafficSpec.Ping) return "ping";
        if (traffic instanceof TrafficSpec.UdpSend s) return s.poisson() ? "udp-poisson" : "udp-cbr";
        if (traffic instanceof TrafficSpec.UdpSink) return "udp-sink";
        if (traffic instanceof TrafficSpec.TcpBulk) return "tcp-bulk";
        if (traffic instanceof TrafficSpec.TcpSink) return "tcp-sink";
        if (traffic instanceof TrafficSpec.TcpRr) return "tcp-rr";
        if (traffic instanceof TrafficSpec.Script) return "script";
        if (traffic instanceof TrafficSpec.TcpFlows) return "tcp-flows";
        return "udp-echo";
    }

    /** The flow name of a TCP client: its name key, else its process's ("tcp-bulk-0"). */
    static String flowName(TrafficSpec traffic, String process) {
        String name = traffic instanceof TrafficSpec.TcpBulk b ? b.name() : traffic instanceof TrafficSpec.TcpRr r ? r.name()
                : traffic instanceof TrafficSpec.TcpFlows f ? f.entry() : null;
        return name != null ? name : process;
    }

    private static Supplier<knetsim.node.process.Application> application(TrafficSpec traffic, String process,
                                                                          long duration, long bucket) {
        if (traffic instanceof TrafficSpec.TcpBulk s) {
            // TCP_INFO is read every bucket: the flow's cwnd/srtt series and its goodput over time
            var options = new TcpBulk.Options(flowName(traffic, process), Ipv4Address.of(s.to()), s.port(), s.bytes(),
                    s.durationNs(), s.cc(), s.nodelay(), s.writeSize(), s.sndbuf(), s.startNs(), bucket);
            return () -> new TcpBulk(options);
        }
        if (traffic instanceof TrafficSpec.TcpSink s) {
            var options = new TcpSink.Options(s.port(), s.rcvbuf(), s.readSize(), s.readCostNs(), s.requestSize(),
                    s.responseSize(), s.startNs(), s.cc());
            return () -> new TcpSink(options);
        }
        if (traffic instanceof TrafficSpec.TcpRr s) {
            var options = new TcpRr.Options(flowName(traffic, process), Ipv4Address.of(s.to()), s.port(), s.requestSize(),
                    s.responseSize(), s.count(), s.startNs(), Math.min(s.stopNs(), duration), s.shortFlows(), s.cc(),
                    s.nodelay());
            return () -> new TcpRr(options);
        }
        if (traffic instanceof TrafficSpec.Script s) {
            var options = new Script.Options(s.steps(), s.where(), s.strict());
            return () -> new DelayedStart(s.startNs(), new Script(options));
        }
        if (traffic instanceof TrafficSpec.TcpFlows f) {
            Ipv4Address[] to = java.util.Arrays.stream(f.to()).mapToObj(Ipv4Address::of).toArray(Ipv4Address[]::new);
            var options = new TcpFlows.Options(flowName(traffic, process), to, f.port(), f.sizes(), f.flowsPerSecond(),
                    f.startNs(), Math.min(f.stopNs(), duration), f.maxFlows(), f.cc(), f.nodelay());
            return () -> new TcpFlows(options);
        }
        if (traffic instanceof TrafficSpec.Ping p) {
            // count 0: until the run ends
            int count = p.count() > 0 ? p.count() : (int) Math.max(1, (duration - p.startNs()) / p.intervalNs() + 1);
            var options = new Ping.Options(Ipv4Address.of(p.to()), count, p.intervalNs(), p.size(), p.startNs(), p.ttl(),
                    p.pmtudisc(), p.timeoutNs());
            return () -> new Ping(options);
        }
        if (traffic instanceof TrafficSpec.UdpSend s) {
            long stop = s.stopNs() > 0 ? Math.min(s.stopNs(), duration) : duration;
            TrafficSpec.UdpSocket k = s.socket();
            var socket = new UdpSender.Socket(k.bind() ? Ipv4Address.of(k.bindAddress()) : null, k.bindPort(), k.connected(),
                    k.ttl(), k.tos(), k.pmtudisc(), k.recverr());
            var options = new UdpSender.Options(Ipv4Address.of(s.to()), s.port(), s.rateBps(), s.size(), s.startNs(),
                    Math.max(stop, s.startNs()), s.poisson(), socket, s.count(), s.burst(), s.intervalNs());
            return () -> new UdpSender(options);
        }
        if (traffic instanceof TrafficSpec.UdpSink s) {
            // no SO_RCVBUF call when the file asks for rmem_default: the socket keeps it undoubled
            int rcvbuf = s.rcvbuf() == Sock.RMEM_DEFAULT ? 0 : s.rcvbuf();
            // bound at time 0, reading from its start: what comes before queues in the receive buffer
            var options = new UdpSink.Options(s.port(), rcvbuf, s.readCostNs(), bucket, s.startNs());
            return () -> new UdpSink(options);
        }
        TrafficSpec.UdpEcho e = (TrafficSpec.UdpEcho) traffic;
        return () -> new DelayedStart(e.startNs(), new UdpEcho(e.port()));
    }

    private static Supplier<LossModel> lossModel(LinkSpec.LossSpec loss) {
        return switch (loss.model()) {
            case NONE -> () -> NoLoss.INSTANCE;
            case BERNOULLI -> () -> new BernoulliLoss(loss.p());
            case GILBERT_ELLIOTT -> () -> GilbertElliottLoss.netem(loss.p(), loss.r(), 1 - loss.h(), 1 - loss.k());
        };
    }

    private static NetworkBuilder.End end(LinkSpec.Endpoint e) {
        return new NetworkBuilder.End(e.node(), e.isSwitch() ? null : e.iface());
    }

    private static NetworkBuilder.Machine machine(NodeSpec node, Map<String, LinkSpec> linkOf, List<String> captures,
                                                  Map<Integer, Ipv4Address> addresses) {
        NodeSpec.Costs costs = node.costs();
        SoftirqWorker.Config defaults = SoftirqWorker.Config.linuxDefaults();
        SoftirqWorker.Config cpu = new SoftirqWorker.Config(defaults.netdevBudget(), defaults.budgetTime(),
                defaults.napiWeight(), costs.ipRcvNs() + costs.udpRcvNs(), defaults.cleanCost(), defaults.doorbell());
        List<NetworkBuilder.Interface> interfaces = new ArrayList<>();
        for (InterfaceSpec i : node.interfaces()) {
            String device = node.name() + "." + i.name();
            NicRxQueue.Config rx = new NicRxQueue.Config(i.rxRing(), i.rxUsecs() * SimTime.MICROSECOND, i.rxFrames(),
                    false, NicRxQueue.Config.linuxDefaults().irqLatency());
            LinkSpec link = linkOf.get(device);
            NicTxQueue.Config tx = new NicTxQueue.Config(i.txRing(), NicTxQueue.Config.linuxDefaults().txUsecs(), 0,
                    NicTxQueue.Config.linuxDefaults().irqLatency(), i.mtu() + 18, link == null || link.bql());
            interfaces.add(new NetworkBuilder.Interface(i.name(), MacAddress.of(i.mac()), Ipv4Address.of(i.address()),
                    i.prefixLength(), i.mtu(), i.rxQueues(), rx, tx,
                    qdisc(link == null ? LinkSpec.QdiscSpec.DEFAULT : link.qdisc(), i), captures.contains(device)));
        }
        List<Route> routes = new ArrayList<>();
        Map<String, Integer> ifindexOf = new java.util.HashMap<>();
        Ipv4Address gateway = null; // the last route's: routes written by a generator often share one gateway
        String lastDev = null;
        int lastIfindex = 0;
        for (RouteSpec r : node.routes()) {
            if (r.dev() != null && !r.dev().equals(lastDev)) {
                lastDev = r.dev();
                lastIfindex = ifindexOf.computeIfAbsent(r.dev(), d -> node.iface(d).ifindex());
            }
            if (gateway == null || gateway.bits() != r.via()) gateway = addresses.computeIfAbsent(r.via(), Ipv4Address::of);
            routes.add(Route.via(addresses.computeIfAbsent(r.to(), Ipv4Address::of), r.prefixLength(), gateway,
                    r.dev() == null ? 0 : lastIfindex, r.dev(), r.metric()));
        }
        List<Rule> rules = new ArrayList<>();
        for (NetfilterRuleSpec n : node.netfilter()) rules.add(rule(n));
        return new NetworkBuilder.Machine(node.name(), node.cpus(), node.router(), node.gratuitousArp(), costs.xmitNs(),
                costs.syscallNs(), cpu, interfaces, routes, rules, captures.contains(node.name() + ".lo"),
                tcpSysctl(node.sysctl()), computed(node, addresses));
    }

    // routing = auto's routes as the FIB keeps them: the same runs and subnets, each next hop's device resolved
    private static ComputedFib.Runs computed(NodeSpec node, Map<Integer, Ipv4Address> addresses) {
        ComputedRoutes c = node.computed();
        if (c.runStart().length == 0) return null;
        Ipv4Address[] gateways = new Ipv4Address[c.via().length];
        int[] ifindexes = new int[gateways.length];
        for (int h = 0; h < gateways.length; h++) {
            gateways[h] = addresses.computeIfAbsent(c.via()[h], Ipv4Address::of);
            ifindexes[h] = node.iface(c.dev()[h]).ifindex();
        }
        return new ComputedFib.Runs(c.subnets(), c.runStart(), c.runHop(), gateways, ifindexes, c.dev());
    }

    // the node's net.ipv4.tcp_* over Linux's defaults
    private static TcpSysctl tcpSysctl(NodeSpec.Sysctl s) {
        return TcpSysctl.linuxDefaults().with(b -> {
            if (s.tcpEcn() != null) b.ecn(s.tcpEcn());
            if (s.tcpCongestionControl() != null) b.congestionControl(s.tcpCongestionControl());
            return b;
        });
    }

    private static Supplier<Qdisc> qdisc(LinkSpec.QdiscSpec q, InterfaceSpec i) {
        long limit = q.limit();
        return switch (q.kind()) {
            case PFIFO_FAST -> () -> new PfifoFast(i.txqueuelen());
            case PFIFO -> () -> new Pfifo((int) (limit > 0 ? limit : i.txqueuelen()));
            case BFIFO -> () -> new Bfifo((int) (limit > 0 ? limit : (long) i.txqueuelen() * i.mtu()));
            case TBF -> () -> new TokenBucketFilter(q.rateBps(), q.burstBytes(), limit > 0 ? limit
                    : Math.max(q.burstBytes(), q.rateBps() / 8 * q.latencyNs() / SimTime.SECOND + q.burstBytes()));
            default -> aqm(q, i.mtu() + 14);
        };
    }

    // the qdiscs of issue 12, with the kernel's defaults for what the file leaves out; mtu is psched_mtu(dev)
    private static Supplier<Qdisc> aqm(LinkSpec.QdiscSpec q, int mtu) {
        long ms = SimTime.MILLISECOND;
        return switch (q.kind()) {
            case NOQUEUE -> Noqueue::new;
            case CODEL -> () -> new CodelQdisc((int) q.option("limit", CodelQdisc.DEFAULT_LIMIT),
                    q.option("target", 5 * ms), q.option("interval", 100 * ms), q.option("ecn", 0) == 1,
                    q.option("ce_threshold", -1), mtu);
            case FQ_CODEL -> () -> new FqCodel((int) q.option("limit", FqCodel.DEFAULT_LIMIT),
                    (int) q.option("flows", FqCodel.DEFAULT_FLOWS), (int) q.option("quantum", mtu),
                    q.option("target", 5 * ms), q.option("interval", 100 * ms),
                    q.option("memory_limit", FqCodel.DEFAULT_MEMORY_LIMIT), q.option("ecn", 1) == 1,
                    q.option("ce_threshold", -1), (int) q.option("drop_batch", FqCodel.DEFAULT_DROP_BATCH), mtu);
            case RED -> () -> new Red(q.limit(), q.option("min", 0), q.option("max", 0), (int) q.option("avpkt", 1000),
                    (int) q.option("burst", 0), q.option("probability", 0.02), q.option("bandwidth", 10_000_000),
                    q.option("ecn", 0) == 1, q.option("harddrop", 0) == 1);
            default -> () -> new Fq((int) q.option("limit", Fq.DEFAULT_LIMIT),
                    (int) q.option("flow_limit", Fq.DEFAULT_FLOW_LIMIT), (int) q.option("quantum", 2L * mtu),
                    (int) q.option("initial_quantum", 10L * mtu),
                    q.options().containsKey("maxrate") ? q.option("maxrate", 0) / 8 : Fq.UNLIMITED,
                    q.option("horizon", Fq.DEFAULT_HORIZON));
        };
    }

    private static Rule rule(NetfilterRuleSpec n) {
        Rule rule = Rule.on(n.hook(), n.target());
        if (n.sourceLength() > 0) rule = rule.withSource(Ipv4Address.of(n.source()), n.sourceLength());
        if (n.destinationLength() > 0) rule = rule.withDestination(Ipv4Address.of(n.destination()), n.destinationLength());
        if (n.protocol() > 0) rule = rule.withPorts(n.protocol(), n.sourcePort(), n.destinationPort());
        if (n.in() != null) rule = rule.withInInterface(n.in());
        if (n.out() != null) rule = rule.withOutInterface(n.out());
        return rule;
    }
}
