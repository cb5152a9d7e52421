package knetsim.topology.config;

import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Expands {@code generate { kind = ... }} into ordinary hosts, routers, switches, links and traffic (a
 * {@link GeneratedNetwork}), which the loader merges under what the user wrote and then validates like any file.
 * Every generated value's origin is
 * {@link Problems#GENERATED}, so problems point at the generate key; user-written parameters (link rates and
 * the like) keep their own lines. All generators set routing = auto (the user's routing wins if written).
 * <ul>
 * <li>dumbbell: senders s1..sN on r1 (10.1.i.0/24), receivers d1..dN on r2 (10.2.i.0/24), bottleneck r1-r2 on
 * 10.0.0.0/30; optional traffic { app = udp-cbr, rate, size } adds s_i -> d_i:port and a sink on d_i.
 * <li>line: nodes = N in a chain h1, r1..r(N-2), h2; link j is 10.(j/256).(j%256).0/24.
 * <li>star: leaves = N hosts h1..hN on switch sw, one subnet from 10.0.0.0.
 * <li>tree: depth levels of L2 switches (fan-out children each), hosts at the leaves, all in one subnet from
 * 10.0.0.0; switches are named sw{level}-{index}. A tree has no loops, so learning switches suffice.
 * <li>fat-tree: k pods of routers (edge e{p}-{i}, aggregation a{p}-{i}) and (k/2)^2 core routers c{n}, k^3/4
 * hosts h{p}-{e}-{j}; every link is its own /30 from 10.0.0.0 and routing = auto picks one shortest path
 * (no ECMP). Routers rather than switches because an L2 fat tree has loops and no spanning tree here.
 * <li>two-tier: router core, edge routers e1..eE on their own /30 each from 192.168.0.0, hosts h1..hN
 * (hosts-per-edge on each edge) each on its own /24 10.(h/256).(h%256).0 (host .2, edge .1); optional
 * traffic gives every host a sink and a sender to host ((h-1+peer-offset) mod N)+1.
 * </ul>
 * Every kind takes {@code sysctl { tcp_ecn = 1, tcp_congestion_control = dctcp }}, given to each generated host.
 */
final class Generators {
    private final Section gen;
    private final GeneratedNetwork net = new GeneratedNetwork();
    private final List<Object> traffic = net.traffic;
    private int nextP2p;

    private Generators(Section gen) {
        this.gen = gen;
    }

    /** The generated network, or null (with problems) when the generate block is wrong. */
    static GeneratedNetwork expand(Section gen) {
        Map<String, String> kinds = new LinkedHashMap<>();
        for (String k : Schema.GENERATORS.keySet()) kinds.put(k, k);
        String kind = gen.choice("kind", null, kinds, "generator kind");
        if (kind == null) return null;
        gen.checkKeys(Schema.GENERATORS.get(kind));
        Generators g = new Generators(gen);
        if (gen.has("sysctl")) g.net.hostSysctl = gen.raw("sysctl"); // every generated host's sysctls
        int before = gen.problems.count();
        switch (kind) {
            case "dumbbell" -> g.dumbbell();
            case "line" -> g.line();
            case "star" -> g.star();
            case "tree" -> g.tree();
            case "two-tier" -> g.twoTier();
            default -> g.fatTree();
        }
        return gen.problems.count() > before ? null : g.net;
    }

    private void dumbbell() {
        int pairs = gen.intOr("pairs", 8, 1, 250);
        int access = template("access", "1Gbps", "1ms");
        int bottleneck = template("bottleneck", "100Mbps", "10ms");
        node(true, "r1");
        node(true, "r2");
        link(iface("r1", ip(10, 0, 0, 1), 30, null), iface("r2", ip(10, 0, 0, 2), 30, null), bottleneck);
        Section t = gen.section("traffic", "an object traffic { app = udp-cbr, rate = 10Mbps, size = 1200 } or "
                + "traffic { app = tcp-bulk, cc = cubic }");
        if (t != null) t.checkKeys(Schema.GENERATED_TRAFFIC);
        for (int i = 1; i <= pairs; i++) {
            String r1 = iface("r1", ip(10, 1, i, 1), 24, null);
            link(iface(node(false, "s" + i), ip(10, 1, i, 2), 24, ip(10, 1, i, 1)), r1, access);
            String r2 = iface("r2", ip(10, 2, i, 1), 24, null);
            link(iface(node(false, "d" + i), ip(10, 2, i, 2), 24, ip(10, 2, i, 1)), r2, access);
            if (t != null) {
                // tcp-bulk: s_i -> d_i:port with a tcp-sink on d_i (iperf3 pairs); otherwise UDP with a udp-sink
                boolean tcp = t.has("app") && "tcp-bulk".equals(t.raw("app").unwrapped());
                int port = t.intOr("port", tcp ? 5201 : 9000, 1, 65535);
                Map<String, Object> send = new LinkedHashMap<>();
                send.put("app", t.has("app") ? t.raw("app") : "udp-cbr");
                send.put("on", "s" + i);
                send.put("to", "d" + i + ":" + port);
                List<String> keys = tcp ? List.of("bytes", "duration", "cc", "nodelay", "write-size", "sndbuf", "start")
                        : List.of("rate", "size", "start", "stop");
                for (String k : Schema.GENERATED_TRAFFIC) {
                    if (t.has(k) && !keys.contains(k) && !k.equals("app") && !k.equals("port")) {
                        t.bad(k, "not a key of " + (tcp ? "tcp-bulk" : "UDP") + " traffic, expected one of "
                                + String.join(", ", keys));
                    }
                }
                for (String k : keys) {
                    if (t.has(k)) send.put(k, t.raw(k));
                }
                traffic.add(send);
                Map<String, Object> sink = new LinkedHashMap<>(Map.of("app", tcp ? "tcp-sink" : "udp-sink", "on", "d" + i,
                        "port", port));
                if (tcp && t.has("cc")) sink.put("cc", t.raw("cc")); // both ends: DCTCP needs a DCTCP listener
                traffic.add(sink);
            }
        }
    }

    private void line() {
        int n = gen.intOr("nodes", 3, 2, 65_000);
        int tpl = template("link", "1Gbps", "100us");
        String previous = null;
        for (int i = 0; i < n; i++) {
            boolean host = i == 0 || i == n - 1;
            String name = node(!host, i == 0 ? "h1" : i == n - 1 ? "h2" : "r" + i);
            if (previous != null) {
                int j = i; // link j joins node i-1 (.1) and node i (.2) on 10.(j/256).(j%256).0/24
                Integer gwLeft = previous.equals("h1") && n > 2 ? ip(10, j >> 8, j & 0xff, 2) : null;
                Integer gwRight = host && n > 2 ? ip(10, j >> 8, j & 0xff, 1) : null;
                link(iface(previous, ip(10, j >> 8, j & 0xff, 1), 24, gwLeft),
                        iface(name, ip(10, j >> 8, j & 0xff, 2), 24, gwRight), tpl);
            }
            previous = name;
        }
    }

    private void star() {
        int n = gen.intOr("leaves", 4, 1, 1 << 20);
        int tpl = template("link", "1Gbps", "10us");
        net.switches.add("sw");
        int prefix = prefixFor(n);
        for (int i = 1; i <= n; i++) {
            link(iface(node(false, "h" + i), (10 << 24) + i, prefix, null), "sw", tpl);
        }
    }

    private void tree() {
        int depth = gen.intOr("depth", 2, 1, 20);
        int fanOut = gen.intOr("fan-out", 2, 1, 1 << 20);
        if (Math.pow(fanOut, depth) > 1 << 20) {
            gen.bad("fan-out", "fan-out^depth = " + (long) Math.pow(fanOut, depth) + " hosts; at most " + (1 << 20));
            return;
        }
        int tpl = template("link", "1Gbps", "10us");
        int hostCount = (int) Math.pow(fanOut, depth);
        int prefix = prefixFor(hostCount);
        List<String> level = List.of("sw0-1");
        net.switches.add("sw0-1");
        for (int d = 1; d < depth; d++) {
            List<String> next = new ArrayList<>();
            for (String parent : level) {
                for (int c = 0; c < fanOut; c++) {
                    String name = "sw" + d + "-" + (next.size() + 1);
                    net.switches.add(name);
                    link(parent, name, tpl);
                    next.add(name);
                }
            }
            level = next;
        }
        int h = 0;
        for (String leaf : level) {
            for (int c = 0; c < fanOut; c++) {
                h++;
                link(iface(node(false, "h" + h), (10 << 24) + h, prefix, null), leaf, tpl);
            }
        }
    }

    private void fatTree() {
        Long k = gen.integer("k", 4L, 2, 16);
        if (k == null) return;
        if (k % 2 != 0) {
            gen.bad("k", "expected an even k (pods), got " + k);
            return;
        }
        int half = (int) (k / 2);
        int tpl = template("link", "10Gbps", "10us");
        for (int c = 1; c <= half * half; c++) node(true, "c" + c);
        for (int p = 1; p <= k; p++) {
            for (int i = 1; i <= half; i++) {
                String edge = node(true, "e" + p + "-" + i);
                for (int j = 1; j <= half; j++) {
                    int base = (10 << 24) + 4 * nextP2p++;
                    String host = node(false, "h" + p + "-" + i + "-" + j);
                    link(iface(edge, base + 1, 30, null), iface(host, base + 2, 30, base + 1), tpl);
                }
            }
            for (int i = 1; i <= half; i++) {
                String agg = node(true, "a" + p + "-" + i);
                for (int e = 1; e <= half; e++) p2p(agg, "e" + p + "-" + e, tpl);
                for (int j = 1; j <= half; j++) p2p("c" + ((i - 1) * half + j), agg, tpl);
            }
        }
    }

    private void twoTier() {
        int edges = gen.intOr("edges", 4, 1, 16_384);
        int perEdge = gen.intOr("hosts-per-edge", 4, 1, 1_000);
        int n = edges * perEdge;
        if (n > MAX_TWO_TIER_HOSTS) {
            gen.bad("hosts-per-edge", "edges * hosts-per-edge = " + n + " hosts; at most " + MAX_TWO_TIER_HOSTS);
            return;
        }
        int core = template("core", "10Gbps", "500us");
        int access = template("access", "1Gbps", "100us");
        Section t = gen.section("traffic", "an object traffic { app = udp-cbr, rate = 1Mbps, size = 1000 }");
        int port = 9000, offset = perEdge;
        if (t != null) {
            t.checkKeys(Schema.TWO_TIER_TRAFFIC);
            port = t.intOr("port", 9000, 1, 65535);
            if (n < 2) {
                gen.bad("traffic", "traffic needs at least 2 hosts to send between, got " + n);
                return;
            }
            offset = t.intOr("peer-offset", Math.min(perEdge, n - 1), 1, n - 1);
        }
        node(true, "core");
        for (int e = 1; e <= edges; e++) {
            String edge = node(true, "e" + e);
            p2pFrom(ip(192, 168, 0, 0), "core", edge, core);
        }
        for (int h = 1; h <= n; h++) {
            String edge = "e" + ((h - 1) / perEdge + 1);
            int subnet = (10 << 24) + (h << 8);
            link(iface(node(false, "h" + h), subnet + 2, 24, subnet + 1), iface(edge, subnet + 1, 24, null), access);
        }
        if (t == null) return;
        for (int h = 1; h <= n; h++) {
            Map<String, Object> sink = new LinkedHashMap<>();
            sink.put("app", "udp-sink");
            sink.put("on", "h" + h);
            sink.put("port", port);
            traffic.add(sink);
            Map<String, Object> send = new LinkedHashMap<>();
            send.put("app", t.has("app") ? t.raw("app") : "udp-cbr");
            send.put("on", "h" + h);
            send.put("to", "h" + ((h - 1 + offset) % n + 1) + ":" + port);
            for (String k : List.of("rate", "size", "start", "stop")) {
                if (t.has(k)) send.put(k, t.raw(k));
            }
            traffic.add(send);
        }
    }

    /** Hosts a two-tier network may have: their /24s 10.0.1.0 onwards stay below 14.0.0.0. */
    static final int MAX_TWO_TIER_HOSTS = (4 << 16) - 1;

    /** A /30 numbered from {@code base}, the next one not yet used by this generator. */
    private void p2pFrom(int base, String a, String b, int tpl) {
        int net = base + 4 * nextP2p++;
        link(iface(a, net + 1, 30, null), iface(b, net + 2, 30, null), tpl);
    }

    private void p2p(String a, String b, int tpl) {
        int base = (10 << 24) + 4 * nextP2p++;
        link(iface(a, base + 1, 30, null), iface(b, base + 2, 30, null), tpl);
    }

    /** The smallest prefix whose subnet holds n hosts besides the network and broadcast addresses. */
    private static int prefixFor(int n) {
        int prefix = 30;
        while ((1L << (32 - prefix)) - 2 < n) prefix--;
        return prefix;
    }

    private int template(String key, String rate, String delay) {
        Map<String, Object> tpl = new LinkedHashMap<>();
        tpl.put("rate", rate);
        tpl.put("delay", delay);
        Section s = gen.section(key, "an object " + key + " { rate = 1Gbps, delay = 1ms }");
        if (s != null) {
            s.checkKeys(Schema.GENERATED_LINK);
            for (Map.Entry<String, ConfigValue> e : s.obj.entrySet()) tpl.put(e.getKey(), e.getValue());
        }
        return net.template(tpl);
    }

    private String node(boolean router, String name) {
        return net.node(name, router);
    }

    /** Adds the node's next interface eth{n} and returns "node.eth{n}". */
    private String iface(String node, int address, int prefix, Integer gateway) {
        return net.iface(node, address, prefix, gateway);
    }

    private void link(String a, String b, int tpl) {
        net.link(a, b, tpl);
    }

    private static int ip(int a, int b, int c, int d) {
        return (a << 24) | (b << 16) | (c << 8) | d;
    }
}
