package knetsim.topology.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import knetsim.link.ethernet.MacAddress;
import knetsim.node.netfilter.Rule;

/** Reads hosts and routers: interfaces, costs, written and gateway routes, netfilter rules, MACs. */
final class NodeReader {
    private static final Map<String, Rule.Hook> HOOKS = Map.of("prerouting", Rule.Hook.PRE_ROUTING, "input",
            Rule.Hook.LOCAL_IN, "forward", Rule.Hook.FORWARD, "output", Rule.Hook.LOCAL_OUT, "postrouting",
            Rule.Hook.POST_ROUTING);
    private static final Map<String, Rule.Target> TARGETS = Map.of("accept", Rule.Target.ACCEPT, "drop",
            Rule.Target.DROP, "reject", Rule.Target.REJECT);
    private static final Map<String, Integer> PROTOCOLS = Map.of("all", 0, "icmp", 1, "tcp", 6, "udp", 17);
    private static final long UNSET_MAC = -1;

    private final Problems problems;
    /** node -> interface names in order, when the order is known (fromResolved) rather than taken from lines. */
    private final Map<String, List<String>> interfaceOrder;
    final Map<String, NodeSpec> nodes = new TreeMap<>();
    /** node name -> its key path, "hosts.h1" or "routers.r1". */
    final Map<String, String> paths = new HashMap<>();
    /** "node.iface" of interfaces that had problems, so links to them do not report again. */
    final Set<String> broken = new HashSet<>();

    NodeReader(Problems problems, Map<String, List<String>> interfaceOrder) {
        this.problems = problems;
        this.interfaceOrder = interfaceOrder;
    }

    void read(Section root, String kind, boolean router) {
        Section all = root.section(kind, "an object of " + kind + " { name { ... } }");
        if (all == null) return;
        for (String name : new java.util.TreeSet<>(all.obj.keySet())) {
            Section s = all.section(name, "a " + (router ? "router" : "host") + " { interfaces { ... } }");
            if (s == null) continue;
            if (paths.containsKey(name)) {
                problems.add(s.origin(), s.path, "\"" + name + "\" is already defined at " + paths.get(name));
                continue;
            }
            String bad = badName(name, false);
            if (bad != null) problems.add(s.origin(), s.path, bad); // read on, so its links do not report again
            paths.put(name, s.path);
            nodes.put(name, readNode(s, name, router));
        }
    }

    /**
     * Adds a generator's nodes as specs without reading HOCON: every value the generator does not set is what
     * {@link #readNode} and {@link #readInterface} give an empty node and an interface with only an address.
     */
    void addGenerated(GeneratedNetwork network) {
        NodeSpec router = readNode(new Section(ConfigValueFactory.fromMap(Map.of(), Problems.GENERATED), "generate",
                problems), "prototype", true);
        NodeSpec host = network.hostSysctl == null ? router : readNode(new Section(ConfigValueFactory.fromMap(
                Map.of("sysctl", network.hostSysctl), Problems.GENERATED), "generate", problems), "prototype", false);
        InterfaceSpec i = readInterface(new Section(ConfigValueFactory.fromMap(Map.of("ip", "10.0.0.1/24"),
                Problems.GENERATED), "generate", problems), "eth0", 1);
        for (GeneratedNetwork.Node n : network.nodes.values()) {
            String path = (n.router() ? "routers." : "hosts.") + n.name();
            String other = paths.putIfAbsent(n.name(), path);
            if (other != null) {
                problems.at("generate", "the generator makes \"" + n.name() + "\", already defined at " + other);
                continue;
            }
            List<InterfaceSpec> ifaces = new ArrayList<>(n.interfaces().size());
            List<RouteSpec> routes = new ArrayList<>(1);
            for (GeneratedNetwork.Iface f : n.interfaces()) {
                String name = "eth" + ifaces.size();
                ifaces.add(new InterfaceSpec(name, ifaces.size() + 1, f.address(), f.prefix(), UNSET_MAC, i.mtu(),
                        i.rxQueues(), i.txQueues(), i.rxRing(), i.txRing(), i.txqueuelen(), i.rxUsecs(), i.rxFrames()));
                if (f.gateway() != 0) routes.add(new RouteSpec(0, 0, f.gateway(), name, 0, RouteSpec.Source.GATEWAY));
            }
            NodeSpec node = n.router() ? router : host;
            nodes.put(n.name(), new NodeSpec(n.name(), n.router(), node.cpus(), node.gratuitousArp(), node.costs(),
                    ifaces, routes, List.of(), node.sysctl()));
        }
    }

    private NodeSpec readNode(Section s, String name, boolean router) {
        s.checkKeys(Schema.NODE);
        int cpus = s.intOr("cpus", 1, 1, 1024);
        boolean garp = s.bool("gratuitous-arp", false); // arp_notify: off by default, as in Linux
        NodeSpec.Costs costs = NodeSpec.Costs.DEFAULT;
        Section c = s.section("costs", "an object costs { xmit = 1us, ... }");
        if (c != null) {
            c.checkKeys(Schema.COSTS);
            NodeSpec.Costs d = NodeSpec.Costs.DEFAULT;
            costs = new NodeSpec.Costs(or(c.positiveDuration("xmit", d.xmitNs()), d.xmitNs()),
                    or(c.positiveDuration("ip-rcv", d.ipRcvNs()), d.ipRcvNs()),
                    or(c.positiveDuration("udp-rcv", d.udpRcvNs()), d.udpRcvNs()),
                    or(c.positiveDuration("syscall", d.syscallNs()), d.syscallNs()));
        }
        List<InterfaceSpec> ifaces = new ArrayList<>();
        List<RouteSpec> gatewayRoutes = new ArrayList<>();
        Section is = s.section("interfaces", "an object interfaces { eth0 { ip = \"10.0.1.2/24\" } }");
        if (is != null) {
            for (String iname : order(name, is)) {
                Section i = is.section(iname, "an interface { ip = \"10.0.1.2/24\" }");
                if (i == null) continue;
                String bad = badName(iname, true);
                if (bad == null && iname.equals("lo")) {
                    bad = "\"lo\" is the loopback device every host and router already has (127.0.0.1/8); name the"
                            + " interface something else, like eth0";
                }
                if (bad != null) {
                    problems.add(i.origin(), i.path, bad);
                    broken.add(name + "." + iname);
                    continue;
                }
                InterfaceSpec spec = readInterface(i, iname, ifaces.size() + 1);
                if (spec == null) {
                    broken.add(name + "." + iname);
                    continue;
                }
                ifaces.add(spec);
                String gw = i.string("gateway", "", "a gateway address like \"10.0.1.1\"");
                if (gw != null && !gw.isEmpty()) {
                    Integer via = i.parsed("gateway", null, "an address", Ipv4s::parseAddress);
                    if (via != null && !spec.onSubnet(via)) {
                        i.bad("gateway", "gateway " + gw + " is outside " + iname + "'s subnet "
                                + Ipv4s.text(spec.network(), spec.prefixLength()));
                    } else if (via != null && via == spec.address()) {
                        i.bad("gateway", "gateway " + gw + " is " + iname + "'s own address");
                    } else if (via != null) {
                        gatewayRoutes.add(new RouteSpec(0, 0, via, iname, 0, RouteSpec.Source.GATEWAY));
                    }
                }
            }
        }
        checkOverlaps(s, ifaces);
        List<RouteSpec> routes = new ArrayList<>(readRoutes(s, ifaces));
        routes.addAll(gatewayRoutes);
        List<NetfilterRuleSpec> rules = readNetfilter(s, ifaces);
        return new NodeSpec(name, router, cpus, garp, costs, ifaces, routes, rules, readSysctl(s));
    }

    // sysctl -w net.ipv4.tcp_ecn=... / net.ipv4.tcp_congestion_control=... for this node
    private static NodeSpec.Sysctl readSysctl(Section s) {
        Section y = s.section("sysctl", "an object sysctl { tcp_ecn = 1, tcp_congestion_control = dctcp }");
        if (y == null) return NodeSpec.Sysctl.DEFAULT;
        y.checkKeys(Schema.SYSCTL);
        Integer ecn = null;
        if (y.has("tcp_ecn")) {
            Long v = y.integer("tcp_ecn", null, 0, 2);
            if (v != null) ecn = v.intValue();
        }
        String cc = null;
        if (y.has("tcp_congestion_control")) {
            cc = y.string("tcp_congestion_control", null, "a congestion control like \"cubic\"");
            if (cc != null && !knetsim.node.tcp.cong.CongestionRegistry.available(cc)) {
                y.bad("tcp_congestion_control", "no congestion control \"" + cc + "\", expected one of "
                        + String.join(", ", knetsim.node.tcp.cong.CongestionRegistry.names()));
                cc = null;
            }
        }
        return new NodeSpec.Sysctl(ecn, cc);
    }

    /** Longest node name: it becomes part of file names and of every counter's scope. */
    static final int MAX_NAME = 64;
    /** Linux's IFNAMSIZ less the terminating NUL. */
    static final int MAX_IFNAME = 15;

    /**
     * Why {@code name} cannot name a node (or, with {@code iface}, an interface), or null when it can: letters,
     * digits, '-' and '_', and for interfaces '.' (eth0.100), never leading. Names become file names (pcap/h1.eth0.pcap)
     * and columns of the results, so nothing that could leave the results folder or hide in a terminal gets in.
     */
    static String badName(String name, boolean iface) {
        int max = iface ? MAX_IFNAME : MAX_NAME;
        String what = iface ? "an interface name" : "a name";
        String rule = iface ? "letters, digits, '-', '_' and '.', starting with a letter, digit or '_', at most "
                + max + " characters (IFNAMSIZ)" : "letters, digits, '-' and '_', starting with a letter, digit or '_',"
                + " at most " + max + " characters ('.' separates a node from its interface)";
        boolean ok = !name.isEmpty() && name.length() <= max && name.charAt(0) != '.' && name.charAt(0) != '-';
        for (int k = 0; ok && k < name.length(); k++) {
            char c = name.charAt(k);
            ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
                    || iface && c == '.';
        }
        return ok ? null : "\"" + printable(name) + "\" is not " + what + ": use " + rule;
    }

    /** The name with anything outside printable ASCII shown as \\uXXXX, so a right-to-left mark cannot hide. */
    static String printable(String name) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < name.length() && k < 80; k++) {
            char c = name.charAt(k);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') b.append(c);
            else b.append(String.format("\\u%04x", (int) c));
        }
        return name.length() > 80 ? b + "..." : b.toString();
    }

    /** Interface names in file order (by line, then by name with numbers compared as numbers). */
    private List<String> order(String node, Section is) {
        List<String> given = interfaceOrder.get(node);
        if (given != null && given.size() == is.obj.size() && is.obj.keySet().containsAll(given)) return given;
        List<String> names = new ArrayList<>(is.obj.keySet());
        names.sort(Comparator.<String>comparingInt(n -> is.obj.get(n).origin().lineNumber())
                .thenComparing(NodeReader::natural));
        return names;
    }

    /** Compares "eth2" before "eth10". */
    static int natural(String a, String b) {
        String pa = a.replaceAll("\\d+$", ""), pb = b.replaceAll("\\d+$", "");
        int c = pa.compareTo(pb);
        if (c != 0) return c;
        String na = a.substring(pa.length()), nb = b.substring(pb.length());
        if (na.length() != nb.length()) return na.length() - nb.length();
        return na.compareTo(nb);
    }

    private InterfaceSpec readInterface(Section i, String name, int ifindex) {
        i.checkKeys(Schema.INTERFACE);
        int[] prefix = i.parsed("ip", null, "address/prefix like \"10.0.1.2/24\"", Ipv4s::parsePrefix);
        if (prefix != null && prefix[1] < 31) {
            int mask = Ipv4s.mask(prefix[1]);
            if ((prefix[0] & ~mask) == 0 || (prefix[0] | mask) == -1) {
                i.bad("ip", Ipv4s.text(prefix[0], prefix[1]) + " is the subnet's network or broadcast address;"
                        + " expected a host address");
                prefix = null;
            }
        }
        long mac = UNSET_MAC;
        String macText = i.string("mac", "", "a MAC address like \"02:00:00:00:01:02\"");
        if (macText != null && !macText.isEmpty()) {
            try {
                mac = MacAddress.parse(macText).toLong();
                if (MacAddress.isGroup(mac)) {
                    i.bad("mac", "expected a unicast MAC address (first octet even), got \"" + macText + "\"");
                } else if (mac == 0) {
                    // is_valid_ether_addr(): neither a group address nor all zeros
                    i.bad("mac", "00:00:00:00:00:00 is not a valid MAC address (is_valid_ether_addr)");
                }
            } catch (IllegalArgumentException e) {
                i.bad("mac", "expected a MAC address like \"02:00:00:00:01:02\", got \"" + macText + "\"");
            }
        }
        int mtu = i.intOr("mtu", 1500, 68, 65535);
        int rxq = i.intOr("rx-queues", 1, 1, 256);
        int txq = i.intOr("tx-queues", 1, 1, 256);
        if (txq > 1) {
            // refuse rather than run something other than what the file says
            i.bad("tx-queues", "only 1 tx queue per interface is modelled so far (no XPS), got " + txq);
            txq = 1;
        }
        int rxRing = i.intOr("rx-ring", 256, 1, 1 << 16);
        int txRing = i.intOr("tx-ring", 256, 1, 1 << 16);
        int txqlen = i.intOr("txqueuelen", 1000, 0, Integer.MAX_VALUE);
        int rxUsecs = i.intOr("rx-usecs", 3, 0, 1 << 20);
        int rxFrames = i.intOr("rx-frames", 0, 0, 1 << 16);
        if (prefix == null) return null;
        return new InterfaceSpec(name, ifindex, prefix[0], prefix[1], mac, mtu, rxq, txq, rxRing, txRing, txqlen,
                rxUsecs, rxFrames);
    }

    private void checkOverlaps(Section s, List<InterfaceSpec> ifaces) {
        for (int x = 0; x < ifaces.size(); x++) {
            for (int y = 0; y < x; y++) {
                InterfaceSpec a = ifaces.get(y), b = ifaces.get(x);
                int shorter = Math.min(a.prefixLength(), b.prefixLength());
                if (((a.address() ^ b.address()) & Ipv4s.mask(shorter)) == 0) {
                    String key = s.key("interfaces." + b.name() + ".ip");
                    problems.at(key, "subnet " + Ipv4s.text(b.network(), b.prefixLength()) + " overlaps "
                            + a.name() + "'s " + Ipv4s.text(a.network(), a.prefixLength()) + " on the same node");
                }
            }
        }
    }

    private List<RouteSpec> readRoutes(Section s, List<InterfaceSpec> ifaces) {
        List<ConfigValue> list = s.list("routes", "routes { to = \"10.0.2.0/24\", via = \"10.0.1.1\" }");
        List<RouteSpec> routes = new ArrayList<>();
        if (list == null) return routes;
        for (int n = 0; n < list.size(); n++) {
            Section r = Section.of(list.get(n), s.key("routes") + "[" + n + "]", problems,
                    "a route { to = \"10.0.2.0/24\", via = \"10.0.1.1\" }");
            if (r == null) continue;
            r.checkKeys(Schema.ROUTE);
            int[] to = r.parsed("to", null, "a prefix like \"10.0.2.0/24\" or default",
                    t -> t.equals("default") ? new int[] {0, 0} : Ipv4s.parsePrefix(t));
            Integer via = r.parsed("via", null, "a gateway address like \"10.0.1.1\"", Ipv4s::parseAddress);
            int metric = r.intOr("metric", 0, 0, Integer.MAX_VALUE);
            if (to != null && (to[0] & ~Ipv4s.mask(to[1])) != 0) {
                r.bad("to", Ipv4s.text(to[0], to[1]) + " has host bits set; expected "
                        + Ipv4s.text(to[0] & Ipv4s.mask(to[1]), to[1]));
                to = null;
            }
            InterfaceSpec dev = null;
            if (via != null) {
                for (InterfaceSpec i : ifaces) {
                    if (i.onSubnet(via) && i.address() != via) {
                        dev = i;
                        break;
                    }
                }
                if (dev == null) {
                    r.bad("via", "via " + Ipv4s.text(via) + " is not on a connected subnet (" + subnets(ifaces)
                            + ")");
                }
            }
            if (to != null && dev != null) {
                routes.add(new RouteSpec(to[0], to[1], via, dev.name(), metric, RouteSpec.Source.WRITTEN));
            }
        }
        return routes;
    }

    static String subnets(List<InterfaceSpec> ifaces) {
        if (ifaces.isEmpty()) return "the node has no interfaces";
        List<String> out = new ArrayList<>();
        for (InterfaceSpec i : ifaces) out.add(i.name() + " " + Ipv4s.text(i.network(), i.prefixLength()));
        return String.join(", ", out);
    }

    private List<NetfilterRuleSpec> readNetfilter(Section s, List<InterfaceSpec> ifaces) {
        List<ConfigValue> list = s.list("netfilter", "rules { hook = forward, target = drop }");
        List<NetfilterRuleSpec> rules = new ArrayList<>();
        if (list == null) return rules;
        Set<String> names = new HashSet<>();
        for (InterfaceSpec i : ifaces) names.add(i.name());
        for (int n = 0; n < list.size(); n++) {
            Section r = Section.of(list.get(n), s.key("netfilter") + "[" + n + "]", problems,
                    "a rule { hook = forward, target = drop }");
            if (r == null) continue;
            r.checkKeys(Schema.NETFILTER);
            Rule.Hook hook = r.choice("hook", null, HOOKS, "hook");
            Rule.Target target = r.choice("target", null, TARGETS, "target");
            Integer protocol = r.choice("protocol", 0, PROTOCOLS, "protocol");
            int[] src = r.parsed("source", new int[] {0, 0}, "a prefix like \"10.0.1.0/24\"", NodeReader::prefixOrHost);
            int[] dst = r.parsed("destination", new int[] {0, 0}, "a prefix like \"10.0.1.0/24\"",
                    NodeReader::prefixOrHost);
            int sport = r.intOr("source-port", -1, 0, 65535);
            int dport = r.intOr("destination-port", -1, 0, 65535);
            if ((sport >= 0 || dport >= 0) && protocol != null && protocol != 6 && protocol != 17) {
                r.bad(r.has("source-port") ? "source-port" : "destination-port",
                        "a port match needs protocol = udp or tcp");
            }
            String in = r.string("in", "", "an interface name");
            String out = r.string("out", "", "an interface name");
            for (String[] dir : new String[][] {{"in", in}, {"out", out}}) {
                if (dir[1] != null && !dir[1].isEmpty() && !names.contains(dir[1])) {
                    r.bad(dir[0], "no interface \"" + dir[1] + "\" on this node (" + subnets(ifaces) + ")");
                }
            }
            if (hook != null && in != null && !in.isEmpty()
                    && (hook == Rule.Hook.LOCAL_OUT || hook == Rule.Hook.POST_ROUTING)) {
                r.bad("in", "\"in\" does not apply to the output and postrouting hooks");
            }
            if (hook != null && out != null && !out.isEmpty()
                    && (hook == Rule.Hook.PRE_ROUTING || hook == Rule.Hook.LOCAL_IN)) {
                r.bad("out", "\"out\" does not apply to the prerouting and input hooks");
            }
            if (hook != null && target != null && protocol != null && src != null && dst != null) {
                rules.add(new NetfilterRuleSpec(hook, target, protocol, src[0], src[1], dst[0], dst[1], sport, dport,
                        in == null || in.isEmpty() ? null : in, out == null || out.isEmpty() ? null : out));
            }
        }
        return rules;
    }

    private static int[] prefixOrHost(String text) {
        return text.contains("/") ? Ipv4s.parsePrefix(text) : new int[] {Ipv4s.parseAddress(text), 32};
    }

    /** Gives every interface without a written MAC the next free 02:00:00:00:00:01.. in node and ifindex order. */
    void assignMacs() {
        Map<Long, String> taken = new HashMap<>();
        for (NodeSpec n : nodes.values()) {
            for (InterfaceSpec i : n.interfaces()) {
                if (i.mac() == UNSET_MAC) continue;
                String key = paths.get(n.name()) + ".interfaces." + i.name() + ".mac";
                String other = taken.putIfAbsent(i.mac(), key);
                if (other != null) {
                    problems.at(key, "MAC " + MacAddress.of(i.mac()) + " is already used by " + other);
                }
            }
        }
        long next = 0x0200_0000_0001L;
        for (Map.Entry<String, NodeSpec> e : nodes.entrySet()) {
            NodeSpec n = e.getValue();
            List<InterfaceSpec> ifaces = new ArrayList<>();
            for (InterfaceSpec i : n.interfaces()) {
                if (i.mac() == UNSET_MAC) {
                    while (taken.containsKey(next)) next++;
                    i = i.withMac(next++);
                }
                ifaces.add(i);
            }
            e.setValue(new NodeSpec(n.name(), n.router(), n.cpus(), n.gratuitousArp(), n.costs(), ifaces, n.routes(),
                    n.netfilter(), n.sysctl()));
        }
    }

    private static long or(Long value, long def) {
        return value == null ? def : value;
    }
}
