package knetsim.topology.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import knetsim.link.pcap.PcapWriter;

/** Checks that span the whole topology: addresses, captures, series, placement and reachability. */
final class Validator {
    static final String SNAPLEN_KEY = "capture-snaplen";
    /** The shortest snap length a file may give: the 14-byte Ethernet header, so every record names its EtherType. */
    static final int MIN_SNAPLEN = 14;
    private final Problems problems;
    private final Map<String, NodeSpec> nodes;
    private final Map<String, String> paths;
    private final RouteLookup routes = new RouteLookup();

    Validator(Problems problems, Map<String, NodeSpec> nodes, Map<String, String> paths) {
        this.problems = problems;
        this.nodes = nodes;
        this.paths = paths;
    }

    void duplicateAddresses() {
        Map<Integer, String> seen = new HashMap<>();
        for (NodeSpec n : nodes.values()) {
            for (InterfaceSpec i : n.interfaces()) {
                String key = paths.get(n.name()) + ".interfaces." + i.name() + ".ip";
                String other = seen.putIfAbsent(i.address(), key);
                if (other != null) problems.at(key, "address " + Ipv4s.text(i.address()) + " is already used by " + other);
            }
        }
    }

    /** Every interface must be on a link: the run builds its NIC on the cable it is plugged into. */
    void unlinked(List<LinkSpec> links) {
        Set<LinkSpec.Endpoint> used = new java.util.HashSet<>(4 * links.size() / 3 + 16); // no strings built per end
        for (LinkSpec l : links) {
            if (!l.a().isSwitch()) used.add(l.a());
            if (!l.b().isSwitch()) used.add(l.b());
        }
        for (NodeSpec n : nodes.values()) {
            for (InterfaceSpec i : n.interfaces()) {
                if (!used.contains(new LinkSpec.Endpoint(n.name(), i.name(), false, -1))) {
                    problems.at(paths.get(n.name()) + ".interfaces." + i.name(),
                            "interface " + n.name() + "." + i.name() + " is on no link; add a link or remove the interface");
                }
            }
        }
    }

    /** Expands "node.iface" patterns (* matches any run of characters) to concrete names, in node order. */
    List<String> captures(Section root) {
        List<ConfigValue> list = root.list("capture", "patterns like \"h1.eth0\" or \"r1.*\"");
        Set<String> out = new LinkedHashSet<>();
        if (list == null) return List.of();
        for (int n = 0; n < list.size(); n++) {
            ConfigValue v = list.get(n);
            String key = "capture[" + n + "]";
            String text = v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped() : null;
            if (text == null || text.indexOf('.') <= 0) {
                problems.add(v.origin(), key, "expected a pattern node.iface like \"h1.eth0\" or \"r1.*\", got "
                        + Section.describe(v));
                continue;
            }
            List<String> matched = match(text);
            if (matched.isEmpty()) {
                problems.add(v.origin(), key, "\"" + text + "\" matches no interface of any host or router");
            }
            out.addAll(matched);
        }
        return new ArrayList<>(out);
    }

    /** tcpdump -s: capture-snaplen in bytes, at least the Ethernet header; 0 is tcpdump's -s 0 (whole frames). */
    int captureSnaplen(Section root) {
        ConfigValue v = root.raw(SNAPLEN_KEY);
        if (v == null) return PcapWriter.SNAPLEN;
        Object u = v.unwrapped();
        long n = u instanceof Integer || u instanceof Long ? ((Number) u).longValue() : -1;
        if (n == 0) return PcapWriter.SNAPLEN;
        if (n < MIN_SNAPLEN || n > PcapWriter.SNAPLEN) {
            root.bad(SNAPLEN_KEY, "expected a snap length in bytes, " + MIN_SNAPLEN + ".." + PcapWriter.SNAPLEN
                    + " (at least the Ethernet header) or 0 for whole frames as tcpdump -s 0, got " + Section.describe(v));
            return PcapWriter.SNAPLEN;
        }
        return (int) n;
    }

    private List<String> match(String pattern) {
        Pattern p = glob(pattern);
        List<String> out = new ArrayList<>();
        for (NodeSpec n : nodes.values()) {
            for (InterfaceSpec i : n.interfaces()) {
                if (p.matcher(n.name() + "." + i.name()).matches()) out.add(n.name() + "." + i.name());
            }
            // every host and router has lo; a pattern names it like any interface ("h1.lo", "h1.*")
            if (p.matcher(n.name() + ".lo").matches()) out.add(n.name() + ".lo");
        }
        return out;
    }

    // "h1.cpu0": a CPU of a host or router (its softnet counters)
    private boolean isCpu(String where) {
        int dot = where.indexOf('.');
        NodeSpec node = nodes.get(where.substring(0, dot));
        String rest = where.substring(dot + 1);
        return node != null && rest.matches("cpu\\d{1,4}") && Integer.parseInt(rest.substring(3)) < node.cpus();
    }

    private static Pattern glob(String pattern) {
        StringBuilder re = new StringBuilder();
        String[] parts = pattern.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) re.append(".*");
            re.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(re.toString());
    }

    /** The shortest record interval: finer than the NIC's microsecond coalescing shows nothing new. */
    static final long MIN_RECORD_INTERVAL = 1_000;
    /** The most samples one series may take: series.csv and the plots hold every one of them. */
    static final long MAX_SAMPLES = 1_000_000;

    RecordSpec record(Section root, Long durationNs) {
        Section r = root.section("record", "an object record { interval = 1ms, series = [ ... ] }");
        if (r == null) return null;
        r.checkKeys(Schema.RECORD);
        Long interval = r.positiveDuration("interval", null);
        if (interval != null && interval < MIN_RECORD_INTERVAL) {
            r.bad("interval", "expected a record interval of at least 1us, got " + Units.formatDuration(interval));
            interval = null;
        } else if (interval != null && durationNs != null && durationNs / interval > MAX_SAMPLES) {
            r.bad("interval", "interval " + Units.formatDuration(interval) + " over " + Units.formatDuration(durationNs)
                    + " is " + durationNs / interval + " samples per series, more than " + MAX_SAMPLES
                    + "; use an interval of at least " + Units.formatDuration(ceilDiv(durationNs, MAX_SAMPLES)));
            interval = null;
        }
        List<ConfigValue> list = r.list("series", "names like \"r1.eth1:qdisc:backlog\"");
        List<String> series = new ArrayList<>();
        for (int n = 0; list != null && n < list.size(); n++) {
            ConfigValue v = list.get(n);
            String key = r.key("series") + "[" + n + "]";
            String text = v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped() : "";
            int colon = text.indexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                problems.add(v.origin(), key, "expected node[.iface]:layer:counter like \"r1.eth1:qdisc:backlog\", got "
                        + Section.describe(v));
                continue;
            }
            String[] parts = text.split(":", -1);
            if (parts.length == 4 && parts[1].equals("tcp")) {
                // a TCP flow's per-socket series: node:tcp:flow:metric (recorded for every TCP client anyway)
                if (!parts[2].matches("[A-Za-z0-9_-]+") || !Schema.TCP_METRICS.contains(parts[3])) {
                    problems.add(v.origin(), key, "expected node:tcp:flow:metric with a metric of "
                            + String.join(", ", Schema.TCP_METRICS) + ", like \"h1:tcp:bulk:cwnd\", got " + Section.describe(v));
                    continue;
                }
            }
            String where = text.substring(0, colon);
            Pattern glob = glob(where);
            boolean found = where.contains(".") ? !match(where).isEmpty() || isCpu(where)
                    : nodes.keySet().stream().anyMatch(name -> glob.matcher(name).matches());
            if (!found) problems.add(v.origin(), key, "\"" + where + "\" matches no host, router or interface");
            String wrong = SeriesNames.problem(text);
            if (wrong != null) problems.add(v.origin(), key, wrong);
            series.add(text);
        }
        return interval == null ? null : new RecordSpec(interval, series);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Qdisc limits the run would refuse: what qdisc_create() would answer with EINVAL. */
    void qdiscs(List<LinkSpec> links) {
        for (LinkSpec l : links) {
            for (LinkSpec.Endpoint e : List.of(l.a(), l.b())) {
                NodeSpec n = e.isSwitch() ? null : nodes.get(e.node());
                InterfaceSpec i = n == null ? null : n.iface(e.iface());
                if (i == null) continue;
                LinkSpec.QdiscSpec.Kind kind = l.qdisc().kind();
                if (i.txqueuelen() >= 1 && i.txqueuelen() <= 32_767) continue; // x mtu fits an int: nothing to check
                String key = paths.get(n.name()) + ".interfaces." + i.name() + ".txqueuelen";
                if (kind == LinkSpec.QdiscSpec.Kind.PFIFO_FAST && i.txqueuelen() == 0) {
                    problems.at(key, "pfifo_fast refuses a tx_queue_len of 0 (pfifo_fast_init: EINVAL); use"
                            + " txqueuelen >= 1, or a qdisc with its own limit on the link");
                } else if (kind == LinkSpec.QdiscSpec.Kind.BFIFO && l.qdisc().limit() == 0
                        && (long) i.txqueuelen() * i.mtu() > Integer.MAX_VALUE) {
                    problems.at(key, "bfifo without a limit takes txqueuelen x mtu = " + (long) i.txqueuelen() * i.mtu()
                            + " bytes, more than 2147483647; give the qdisc a limit or a smaller txqueuelen");
                }
            }
        }
    }

    /** node -> member index; {@code members} 0 skips the member checks (a member JVM rebuilding the model). */
    Map<String, Integer> placement(Section root, Set<String> allNodes, int members) {
        Map<String, Integer> out = new TreeMap<>();
        Section p = root.section("placement", "an object placement { h1 = 0 }");
        if (p != null) {
            for (String node : new TreeMap<>(p.obj).keySet()) {
                if (!allNodes.contains(node)) {
                    p.bad(node, "no host, router or switch named \"" + node + "\"");
                    continue;
                }
                Long index = p.integer(node, null, 0, Integer.MAX_VALUE);
                if (index != null && members > 0 && index >= members) {
                    p.bad(node, "member index " + index + " does not exist: there " + (members == 1 ? "is 1 member (0)"
                            : "are " + members + " members (0.." + (members - 1) + ")"));
                } else if (index != null) {
                    out.put(node, index.intValue());
                }
            }
        }
        if (members > allNodes.size() && !allNodes.isEmpty()) {
            problems.add(new ConfigProblem(problems.mainFile(), 0, "members", members + " members but only "
                    + allNodes.size() + " nodes to place; use at most " + allNodes.size()));
        }
        return out;
    }

    /**
     * Walks the route tables from each app to its destination (and back, for ping), reporting where it stops.
     * Traffic to an address that no node owns is meant to fail (ARP failure, an ICMP unreachable): where its walk
     * stops is a warning, returned, not a problem (a routing loop stays one).
     */
    List<ConfigProblem> reachability(List<TrafficSpec> traffic, List<String> trafficPaths, Segments segments) {
        java.util.Set<Integer> owned = new java.util.HashSet<>();
        for (NodeSpec node : nodes.values()) for (InterfaceSpec i : node.interfaces()) owned.add(i.address());
        List<ConfigProblem> warnings = new ArrayList<>();
        for (int n = 0; n < traffic.size(); n++) {
            TrafficSpec t = traffic.get(n);
            int to = t instanceof TrafficSpec.Ping p ? p.to() : t instanceof TrafficSpec.UdpSend u ? u.to()
                    : t instanceof TrafficSpec.TcpBulk b ? b.to() : t instanceof TrafficSpec.TcpRr r ? r.to() : 0;
            if (!(t instanceof TrafficSpec.Ping) && !(t instanceof TrafficSpec.UdpSend) && !(t instanceof TrafficSpec.TcpBulk)
                    && !(t instanceof TrafficSpec.TcpRr)) {
                continue;
            }
            boolean twoWay = !(t instanceof TrafficSpec.UdpSend); // ping replies, TCP's ACKs
            String key = trafficPaths.get(n) + ".to";
            Walk there = walk(nodes.get(t.on()), to, segments);
            // a routing loop is a mistake in the file, wherever it leads
            if (there.failure != null && !owned.contains(to) && !there.failure.startsWith(LOOP)) {
                warnings.add(problems.locate(key, "no node owns " + Ipv4s.text(to) + ": the traffic will fail ("
                        + there.failure + ")"));
            } else if (there.failure != null) {
                problems.at(key, Ipv4s.text(to) + " is unreachable from " + t.on() + ": " + there.failure);
            } else if (twoWay && there.source != 0) {
                Walk back = walk(there.reached, there.source, segments);
                if (back.failure != null) {
                    problems.at(key, "replies from " + Ipv4s.text(to) + " cannot get back to " + t.on() + " ("
                            + Ipv4s.text(there.source) + "): " + back.failure);
                }
            }
        }
        return warnings;
    }

    private static final String LOOP = "routing loop";

    private record Walk(NodeSpec reached, int source, String failure) {
    }

    private Walk walk(NodeSpec from, int to, Segments segments) {
        List<String> path = new ArrayList<>();
        NodeSpec cur = from;
        int source = 0;
        while (true) {
            path.add(cur.name());
            for (InterfaceSpec i : cur.interfaces()) {
                if (i.address() == to) return new Walk(cur, source == 0 ? to : source, null);
            }
            if (cur != from && !cur.router()) {
                return fail("the packet reaches host " + cur.name() + ", which does not forward", path);
            }
            Hop hop = routes.lookup(cur, to);
            if (hop == null) return fail("stops at " + cur.name() + ", which has no route to " + Ipv4s.text(to), path);
            if (source == 0) source = cur.iface(hop.dev).address();
            Segments.Member next = segments.owner(cur.name(), hop.dev, hop.nextHop);
            if (next == null) {
                String what = hop.nextHop == to ? "no node on " + cur.name() + "." + hop.dev + "'s segment has "
                        + Ipv4s.text(to) : "gateway " + Ipv4s.text(hop.nextHop) + " is not on " + cur.name() + "."
                        + hop.dev + "'s segment";
                return fail("stops at " + cur.name() + ": " + what, path);
            }
            if (path.contains(next.node().name())) {
                path.add(next.node().name());
                return fail(LOOP, path);
            }
            cur = next.node();
        }
    }

    private static Walk fail(String why, List<String> path) {
        return new Walk(null, 0, why + " (path " + String.join(" -> ", path) + ")");
    }

    record Hop(String dev, int nextHop) {
    }
}
