package knetsim.topology.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Reads switches and links; resolves link ends to interfaces and numbers switch ports in link order. */
final class LinkReader {
    private static final Map<String, LinkSpec.LossSpec.Model> LOSS_MODELS = Map.of(
            "none", LinkSpec.LossSpec.Model.NONE, "bernoulli", LinkSpec.LossSpec.Model.BERNOULLI,
            "gilbert-elliott", LinkSpec.LossSpec.Model.GILBERT_ELLIOTT);
    private static final Map<String, LinkSpec.QdiscSpec.Kind> QDISCS = Map.of(
            "pfifo_fast", LinkSpec.QdiscSpec.Kind.PFIFO_FAST, "pfifo", LinkSpec.QdiscSpec.Kind.PFIFO,
            "bfifo", LinkSpec.QdiscSpec.Kind.BFIFO, "tbf", LinkSpec.QdiscSpec.Kind.TBF,
            "noqueue", LinkSpec.QdiscSpec.Kind.NOQUEUE, "codel", LinkSpec.QdiscSpec.Kind.CODEL,
            "fq_codel", LinkSpec.QdiscSpec.Kind.FQ_CODEL, "red", LinkSpec.QdiscSpec.Kind.RED,
            "fq", LinkSpec.QdiscSpec.Kind.FQ);

    /** The fastest line the link model takes (LineRate). */
    static final long MAX_RATE = 1_000_000_000_000L;
    /** The longest link delay: longer is a typo, and sums of delays must stay far from overflowing. */
    static final long MAX_DELAY = 3_600_000_000_000L;

    private final Problems problems;
    private final NodeReader nodes;
    final Map<String, SwitchSpec> switches = new TreeMap<>();
    final List<LinkSpec> links = new ArrayList<>();
    private final Map<String, String> usedBy = new HashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final SwitchLoops loops = new SwitchLoops();

    LinkReader(Problems problems, NodeReader nodes) {
        this.problems = problems;
        this.nodes = nodes;
    }

    void readSwitches(Section root) {
        Section all = root.section("switches", "an object switches { sw1 { } }");
        if (all == null) return;
        for (String name : new java.util.TreeSet<>(all.obj.keySet())) {
            Section s = all.section(name, "a switch { ageing = 300s }");
            if (s == null) continue;
            if (nodes.paths.containsKey(name)) {
                problems.add(s.origin(), s.path, "\"" + name + "\" is already defined at " + nodes.paths.get(name));
                continue;
            }
            String bad = NodeReader.badName(name, false);
            if (bad != null) problems.add(s.origin(), s.path, bad);
            switches.put(name, readSwitch(s, name));
        }
    }

    private static SwitchSpec readSwitch(Section s, String name) {
        s.checkKeys(Schema.SWITCH);
        Long ageing = s.positiveDuration("ageing", 300_000_000_000L);
        int queue = s.intOr("queue", 1000, 1, 1 << 20);
        return new SwitchSpec(name, ageing == null ? 0 : ageing, 0, queue);
    }

    void readLinks(Section root) {
        List<ConfigValue> list = root.list("links", "links { a = \"h1.eth0\", b = \"sw1\", rate, delay }");
        if (list == null) return;
        for (int n = 0; n < list.size(); n++) {
            Section l = Section.of(list.get(n), "links[" + n + "]", problems,
                    "a link { a = \"h1.eth0\", b = \"sw1\", rate = 1Gbps, delay = 1ms }");
            if (l != null) readLink(l);
        }
        countPorts();
    }

    /** Gives each switch the number of ports its links made. */
    private void countPorts() {
        for (Map.Entry<String, SwitchSpec> e : switches.entrySet()) {
            SwitchSpec s = e.getValue();
            e.setValue(new SwitchSpec(s.name(), s.ageingNs(), ports.getOrDefault(s.name(), 0), s.queue()));
        }
    }

    private void readLink(Section l) {
        l.checkKeys(Schema.LINK);
        LinkSpec.Endpoint a = endpoint(l, "a");
        LinkSpec.Endpoint b = endpoint(l, "b");
        LinkSpec attributes = attributes(l);
        if (a != null && b != null && a.isSwitch() && b.isSwitch()) {
            String cycle = loops.add(a.node(), b.node());
            if (cycle != null) {
                problems.add(l.origin(), l.path, "this link closes a loop of switches (" + cycle + "): a broadcast"
                        + " would circle it for ever, and spanning tree (br_stp) is not modelled; remove a link of the loop");
                return;
            }
        }
        if (a != null && b != null && attributes != null) links.add(withEnds(attributes, a, b));
    }

    private static LinkSpec withEnds(LinkSpec l, LinkSpec.Endpoint a, LinkSpec.Endpoint b) {
        return new LinkSpec(a, b, l.rateBps(), l.delayNs(), l.jitterNs(), l.loss(), l.corruption(), l.qdisc(), l.bql());
    }

    /** A link's rate, delay, loss, qdisc ... without its ends (null ends), or null when one of them is wrong. */
    private LinkSpec attributes(Section l) {
        Long rate = l.rate("rate", null);
        if (rate != null && rate > MAX_RATE) {
            l.bad("rate", "expected a rate of at most 1Tbps, got \"" + l.obj.get("rate").unwrapped() + "\"");
            rate = null;
        }
        Long delay = l.duration("delay", null);
        if (delay != null && delay <= 0) {
            l.bad("delay", "expected a delay > 0 like 1ms (it bounds the lookahead), got \""
                    + l.obj.get("delay").unwrapped() + "\"");
            delay = null;
        } else if (delay != null && delay > MAX_DELAY) {
            l.bad("delay", "expected a delay of at most 1h (Earth to Mars is 22 minutes), got \""
                    + l.obj.get("delay").unwrapped() + "\"");
            delay = null;
        }
        Long jitter = l.duration("jitter", 0L);
        if (jitter != null && delay != null && jitter >= delay) {
            l.bad("jitter", "jitter " + Units.formatDuration(jitter) + " must be below the delay "
                    + Units.formatDuration(delay) + " so every frame's latency stays > 0");
        }
        Double corruption = l.number("corruption", 0.0, 0, 1);
        LinkSpec.LossSpec loss = LinkSpec.LossSpec.NONE;
        Section ls = l.section("loss", "an object loss { model = bernoulli, p = 0.01 }");
        if (ls != null) loss = readLoss(ls);
        LinkSpec.QdiscSpec qdisc = LinkSpec.QdiscSpec.DEFAULT;
        Section qs = l.section("qdisc", "an object qdisc { kind = pfifo, limit = 100 }");
        if (qs != null) qdisc = readQdisc(qs);
        boolean bql = l.bool("bql", true);
        if (rate == null || delay == null || jitter == null || corruption == null || loss == null
                || qdisc == null) {
            return null;
        }
        return new LinkSpec(null, null, rate, delay, jitter, loss, corruption, qdisc, bql);
    }

    /**
     * Adds a generator's switches and links as specs without reading HOCON: each link template is read once, as
     * links[i] of the first link that uses it, and generated ends are right by construction.
     */
    void addGenerated(GeneratedNetwork network) {
        SwitchSpec proto = readSwitch(new Section(ConfigValueFactory.fromMap(Map.of(), Problems.GENERATED),
                "generate", problems), "prototype");
        for (String name : network.switches) {
            if (nodes.paths.containsKey(name)) {
                problems.at("generate", "the generator makes switch \"" + name + "\", already defined at "
                        + nodes.paths.get(name));
                continue;
            }
            switches.put(name, new SwitchSpec(name, proto.ageingNs(), 0, proto.queue()));
        }
        LinkSpec[] templates = new LinkSpec[network.templates.size()];
        boolean[] read = new boolean[templates.length];
        for (int n = 0; n < network.links.size(); n++) {
            GeneratedNetwork.Link g = network.links.get(n);
            int t = g.template();
            if (!read[t]) {
                read[t] = true;
                Section l = new Section(ConfigValueFactory.fromMap(network.templates.get(t), Problems.GENERATED),
                        "links[" + n + "]", problems);
                l.checkKeys(Schema.LINK);
                templates[t] = attributes(l);
            }
            if (templates[t] == null) continue;
            links.add(withEnds(templates[t], generatedEnd(g.a()), generatedEnd(g.b())));
        }
        countPorts();
    }

    private LinkSpec.Endpoint generatedEnd(String text) {
        int dot = text.indexOf('.');
        if (dot >= 0) return new LinkSpec.Endpoint(text.substring(0, dot), text.substring(dot + 1), false, -1);
        return new LinkSpec.Endpoint(text, null, true, ports.merge(text, 1, Integer::sum) - 1);
    }

    private LinkSpec.Endpoint endpoint(Section l, String k) {
        String text = l.string(k, null, "a node's interface like \"h1.eth0\" or a switch like \"sw1\"");
        if (text == null) return null;
        int dot = text.indexOf('.');
        String node = dot < 0 ? text : text.substring(0, dot);
        if (dot < 0) {
            if (switches.containsKey(node)) {
                int port = ports.merge(node, 1, Integer::sum) - 1;
                return new LinkSpec.Endpoint(node, null, true, port);
            }
            l.bad(k, nodes.nodes.containsKey(node) ? "\"" + node + "\" is a host or router; name its interface, "
                    + "like \"" + node + "." + firstIface(node) + "\"" : "no host, router or switch named \"" + node
                    + "\"");
            return null;
        }
        String iface = text.substring(dot + 1);
        NodeSpec spec = nodes.nodes.get(node);
        if (spec == null) {
            l.bad(k, switches.containsKey(node) ? "\"" + node + "\" is a switch; write just \"" + node
                    + "\", its ports are made by the links" : "no host or router named \"" + node + "\"");
            return null;
        }
        if (spec.iface(iface) == null && nodes.broken.contains(text)) return null;
        if (spec.iface(iface) == null) {
            l.bad(k, "\"" + node + "\" has no interface \"" + iface + "\" (" + NodeReader.subnets(spec.interfaces())
                    + ")");
            return null;
        }
        String previous = usedBy.putIfAbsent(text, l.path);
        if (previous != null) {
            l.bad(k, "interface " + text + " is already used by " + previous + "; an interface takes one link");
            return null;
        }
        return new LinkSpec.Endpoint(node, iface, false, -1);
    }

    private String firstIface(String node) {
        List<InterfaceSpec> ifaces = nodes.nodes.get(node).interfaces();
        return ifaces.isEmpty() ? "eth0" : ifaces.get(0).name();
    }

    private LinkSpec.LossSpec readLoss(Section s) {
        LinkSpec.LossSpec.Model model = s.choice("model", null, LOSS_MODELS, "loss model");
        if (model == null) {
            s.checkKeys(Schema.LOSS);
            return null;
        }
        switch (model) {
            case NONE -> {
                s.checkKeys(Set.of("model"));
                return LinkSpec.LossSpec.NONE;
            }
            case BERNOULLI -> {
                s.checkKeys(Set.of("model", "p"));
                Double p = s.number("p", null, 0, 1);
                return p == null ? null : new LinkSpec.LossSpec(model, p, 0, 0, 1);
            }
            default -> {
                s.checkKeys(Schema.LOSS);
                Double p = s.number("p", null, 0, 1);
                Double r = s.number("r", null, 0, 1);
                Double h = s.number("h", 0.0, 0, 1);
                Double k = s.number("k", 1.0, 0, 1);
                if (p != null && r != null && p + r == 0) {
                    // netem refuses it too: with both at 0 the chain never changes state
                    s.bad("r", "p and r cannot both be 0 for gilbert-elliott (p is good->bad, r is bad->good)");
                    return null;
                }
                return p == null || r == null || h == null || k == null ? null
                        : new LinkSpec.LossSpec(model, p, r, h, k);
            }
        }
    }

    private LinkSpec.QdiscSpec readQdisc(Section s) {
        LinkSpec.QdiscSpec.Kind kind = s.choice("kind", null, QDISCS, "qdisc");
        if (kind == null) {
            s.checkKeys(Schema.QDISC);
            return null;
        }
        if (kind.ordinal() >= LinkSpec.QdiscSpec.Kind.NOQUEUE.ordinal()) return QdiscReader.read(kind, s);
        switch (kind) {
            case PFIFO_FAST -> {
                s.checkKeys(Set.of("kind"));
                return LinkSpec.QdiscSpec.DEFAULT;
            }
            case PFIFO -> {
                s.checkKeys(Set.of("kind", "limit"));
                Long limit = s.integer("limit", 0L, 1, Integer.MAX_VALUE);
                return limit == null ? null : new LinkSpec.QdiscSpec(kind, limit, 0, 0, 0);
            }
            case BFIFO -> {
                s.checkKeys(Set.of("kind", "limit"));
                Long limit = s.size("limit", 0L);
                if (limit != null && limit > Integer.MAX_VALUE) {
                    s.bad("limit", "expected a limit of at most 2147483647 bytes (a u32 in the kernel, an int here), got \""
                            + s.obj.get("limit").unwrapped() + "\"");
                    return null;
                }
                return limit == null ? null : new LinkSpec.QdiscSpec(kind, limit, 0, 0, 0);
            }
            default -> {
                s.checkKeys(Schema.QDISC);
                Long rate = s.rate("rate", null);
                Long burst = s.size("burst", null);
                if (burst != null && burst <= 0) {
                    s.bad("burst", "expected a burst > 0 like 32KiB");
                    burst = null;
                }
                Long limit = s.has("limit") ? s.size("limit", null) : Long.valueOf(0);
                Long latency = s.has("latency") ? s.positiveDuration("latency", null) : Long.valueOf(0);
                if (s.has("limit") == s.has("latency")) {
                    s.problems.add(s.origin(), s.key(s.has("limit") ? "latency" : "limit"),
                            "tbf needs exactly one of limit (bytes) or latency (a duration)");
                    return null;
                }
                if (rate == null || burst == null || limit == null || latency == null) return null;
                // TokenBucketFilter: the bucket (burst's time at the rate) and the latency's bytes must fit a long
                BigInteger bucketNs = BigInteger.valueOf(burst).multiply(BigInteger.valueOf(8_000_000_000L))
                        .divide(BigInteger.valueOf(rate));
                if (bucketNs.compareTo(BigInteger.valueOf(Long.MAX_VALUE / 4)) > 0) {
                    s.bad("burst", "a burst of " + Units.formatSize(burst) + " at " + Units.formatRate(rate)
                            + " is a bucket of " + bucketNs.divide(BigInteger.valueOf(86_400_000_000_000L))
                            + " days; expected a burst that the rate sends in under a century");
                    return null;
                }
                BigInteger latencyBytes = BigInteger.valueOf(rate / 8).multiply(BigInteger.valueOf(latency))
                        .divide(BigInteger.valueOf(1_000_000_000L)).add(BigInteger.valueOf(burst));
                if (latencyBytes.compareTo(BigInteger.valueOf(Long.MAX_VALUE / 4)) > 0) {
                    s.bad("latency", "latency " + Units.formatDuration(latency) + " at " + Units.formatRate(rate)
                            + " is a queue of " + latencyBytes + " bytes; expected a shorter latency");
                    return null;
                }
                return new LinkSpec.QdiscSpec(kind, limit, rate, burst, latency);
            }
        }
    }
}
