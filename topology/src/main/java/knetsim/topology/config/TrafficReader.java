package knetsim.topology.config;

import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the traffic list; resolves "to" (a host name or an address, with ":port" for UDP) to IPv4 bits. */
final class TrafficReader {
    final Problems problems;
    final Map<String, NodeSpec> nodes;
    private final long durationNs;
    final List<TrafficSpec> traffic = new ArrayList<>();
    /** traffic index -> key path, for problems found later (reachability). */
    final List<String> paths = new ArrayList<>();

    /** The links, for tcp-flows' default link rate (a sender's own link). */
    List<LinkSpec> links = List.of();

    TrafficReader(Problems problems, Map<String, NodeSpec> nodes, long durationNs) {
        this.problems = problems;
        this.nodes = nodes;
        this.durationNs = durationNs;
    }

    void read(Section root) {
        List<ConfigValue> list = root.list("traffic", "apps { app = ping, on = h1, to = h2 }");
        if (list == null) return;
        Map<String, String> apps = new TreeMap<>();
        for (String app : Schema.APPS.keySet()) apps.put(app, app);
        for (int n = 0; n < list.size(); n++) {
            Section t = Section.of(list.get(n), "traffic[" + n + "]", problems, "an app { app = ping, on = h1 }");
            if (t == null) continue;
            String app = t.choice("app", null, apps, "app");
            if (app == null) continue;
            t.checkKeys(Schema.APPS.get(app));
            if (app.equals("tcp-flows")) {
                for (TrafficSpec spec : new FlowsReader(this, t, durationNs).read()) {
                    traffic.add(spec);
                    paths.add(t.path);
                }
                continue;
            }
            TrafficSpec spec = readApp(t, app);
            if (spec != null) {
                traffic.add(spec);
                paths.add(t.path);
            }
        }
    }

    private TrafficSpec readApp(Section t, String app) {
        String on = t.string("on", null, "the host the app runs on");
        if (on != null && !nodes.containsKey(on)) {
            t.bad("on", "no host or router named \"" + on + "\"");
            on = null;
        }
        Long start = t.duration("start", 0L);
        if (start != null && start >= durationNs) {
            t.bad("start", "start " + Units.formatDuration(start) + " is not before the end of the run ("
                    + Units.formatDuration(durationNs) + ")");
            start = null;
        }
        switch (app) {
            case "ping" -> {
                int[] to = destination(t, false);
                int count = t.intOr("count", 0, 0, Integer.MAX_VALUE);
                Long interval = t.positiveDuration("interval", 1_000_000_000L);
                int size = t.intOr("size", 56, 0, 65507);
                int ttl = t.has("ttl") ? t.intOr("ttl", 64, 1, 255) : 0; // 0: no -t, the route's default TTL
                Integer pmtudisc = pmtudisc(t, true);
                Long timeout = t.positiveDuration("timeout", 10_000_000_000L);
                if (count == 0 && interval != null && start != null && durationNs < Long.MAX_VALUE
                        && (durationNs - start) / interval + 1 > Integer.MAX_VALUE) {
                    // count 0 pings until the run ends, and Ping counts its requests in an int
                    t.bad(t.has("count") ? "count" : "interval", "count = 0 pings until the run ends: "
                            + ((durationNs - start) / interval + 1) + " requests every " + Units.formatDuration(interval)
                            + ", more than 2147483647; give a count or a longer interval");
                    interval = null;
                }
                return on == null || start == null || to == null || interval == null || pmtudisc == null || timeout == null
                        ? null : new TrafficSpec.Ping(on, to[0], count, interval, size, start, ttl, pmtudisc, timeout);
            }
            case "udp-cbr", "udp-poisson" -> {
                return udpSender(t, app, on, start);
            }
            case "udp-sink" -> {
                Long port = t.integer("port", null, 1, 65535);
                if (port != null && !bind(t, on, port.intValue())) port = null;
                Long rcvbuf = t.size("rcvbuf", 212_992L);
                if (rcvbuf != null && (rcvbuf <= 0 || rcvbuf > Integer.MAX_VALUE)) {
                    t.bad("rcvbuf", "expected a size > 0 like 208KiB");
                    rcvbuf = null;
                }
                Long readCost = t.duration("read-cost", 1_000L);
                return on == null || start == null || port == null || rcvbuf == null || readCost == null ? null
                        : new TrafficSpec.UdpSink(on, port.intValue(), rcvbuf.intValue(), readCost, start);
            }
            case "tcp-bulk" -> {
                return tcpBulk(t, on, start);
            }
            case "tcp-sink" -> {
                Long port = t.integer("port", null, 1, 65535);
                if (port != null && !bindTcp(t, on, port.intValue())) port = null;
                Long rcvbuf = t.size("rcvbuf", 0L);
                if (rcvbuf != null && (rcvbuf < 0 || rcvbuf > Integer.MAX_VALUE)) {
                    t.bad("rcvbuf", "expected a size like 4MiB (or 0: autotuned)");
                    rcvbuf = null;
                }
                int readSize = t.intOr("read-size", 131_072, 1, 64 << 20);
                Long readCost = t.duration("read-cost", 0L);
                int request = t.intOr("request-size", 0, 0, 64 << 20);
                int response = t.intOr("response-size", 0, 0, 64 << 20);
                if (request == 0 && t.has("response-size")) {
                    t.bad("response-size", "a response needs a request-size > 0 (the request it answers)");
                    return null;
                }
                String cc = congestion(t);
                return on == null || start == null || port == null || rcvbuf == null || readCost == null
                        || (cc != null && cc.isEmpty()) ? null
                        : new TrafficSpec.TcpSink(on, port.intValue(), rcvbuf.intValue(), readSize, readCost, request,
                        request > 0 ? Math.max(1, response) : 0, start, cc);
            }
            case "script" -> {
                return ScriptSteps.read(t, on, start, problems);
            }
            case "tcp-rr" -> {
                int[] to = destination(t, true);
                String name = flowName(t);
                int request = t.intOr("request-size", 1, 1, 64 << 20);
                int response = t.intOr("response-size", 1, 1, 64 << 20);
                int count = t.intOr("count", 0, 0, Integer.MAX_VALUE);
                Long stop = t.duration("stop", durationNs);
                if (stop != null && start != null && stop <= start) {
                    t.bad("stop", "stop " + Units.formatDuration(stop) + " must be after start " + Units.formatDuration(start));
                    stop = null;
                }
                boolean shortFlows = t.bool("short-flows", false);
                String cc = congestion(t);
                boolean nodelay = t.bool("nodelay", false);
                return on == null || start == null || to == null || stop == null || (cc != null && cc.isEmpty()) ? null
                        : new TrafficSpec.TcpRr(on, name, to[0], to[1], request, response, count, stop, shortFlows, cc,
                        nodelay, start);
            }
            default -> {
                int port = t.intOr("port", 7, 1, 65535);
                if (!bind(t, on, port)) return null;
                return on == null || start == null ? null : new TrafficSpec.UdpEcho(on, port, start);
            }
        }
    }

    private TrafficSpec udpSender(Section t, String app, String on, Long start) {
        int[] to = destination(t, true);
        // the payload carries the sequence number and the send time (8 bytes each) for the sink
        int size = t.intOr("size", 1200, 16, 65507);
        int burst = t.intOr("burst", 1, 1, 1_000_000);
        long count = t.intOr("count", 0, 0, Integer.MAX_VALUE);
        Long rate = null, interval = 0L;
        if (t.has("interval") && t.has("rate")) {
            t.bad("interval", "give rate or interval, not both (interval: a burst every interval)");
            return null;
        } else if (t.has("interval")) {
            interval = t.positiveDuration("interval", null);
            // the payload rate the bursts make, for the projection and the summary
            if (interval != null) rate = Math.max(1, (long) (burst * size * 8 * 1e9 / interval));
        } else {
            rate = t.rate("rate", null);
        }
        Long stop = t.duration("stop", durationNs);
        if (stop != null && start != null && stop <= start) {
            t.bad("stop", "stop " + Units.formatDuration(stop) + " must be after start " + Units.formatDuration(start));
            stop = null;
        }
        TrafficSpec.UdpSocket socket = udpSocket(t, on);
        return on == null || start == null || to == null || rate == null || interval == null || stop == null
                || socket == null ? null
                : new TrafficSpec.UdpSend(on, to[0], to[1], app.equals("udp-poisson"), rate, size, start,
                Math.min(stop, durationNs), socket, count, burst, interval);
    }

    // bind ("address:port", "address" or ":port"), connected, ttl, tos, pmtudisc, recverr; null after a problem
    private TrafficSpec.UdpSocket udpSocket(Section t, String on) {
        boolean ok = true;
        boolean bind = t.has("bind");
        int address = 0, port = 0;
        if (bind) {
            String text = t.string("bind", null, "an address and port like \"10.0.0.1:5000\"");
            int[] parsed = text == null ? null : bindAddress(t, text, on);
            if (parsed == null) ok = false;
            else {
                address = parsed[0];
                port = parsed[1];
                if (port != 0 && !bind(t, on, port)) ok = false;
            }
        }
        boolean connected = t.bool("connected", true);
        int ttl = t.has("ttl") ? t.intOr("ttl", 64, 1, 255) : -1;
        int tos = t.has("tos") ? t.intOr("tos", 0, 0, 255) : -1;
        Integer pmtudisc = pmtudisc(t, false);
        boolean recverr = t.bool("recverr", false);
        return ok && pmtudisc != null ? new TrafficSpec.UdpSocket(bind, address, port, connected, ttl, tos, pmtudisc, recverr)
                : null;
    }

    // {address bits, port}: 0.0.0.0 or one of the node's own addresses (bind() refuses others: EADDRNOTAVAIL)
    private int[] bindAddress(Section t, String text, String on) {
        int colon = text.lastIndexOf(':');
        String address = colon < 0 ? text : text.substring(0, colon);
        int port = 0;
        try {
            if (colon >= 0) port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            t.bad("bind", "expected a port 0..65535 after the colon, got \"" + text + "\"");
            return null;
        }
        int bits;
        try {
            bits = address.isEmpty() ? 0 : Ipv4s.parseAddress(address);
        } catch (IllegalArgumentException e) {
            t.bad("bind", "expected an address and port like \"10.0.0.1:5000\", \"10.0.0.1\" or \":5000\", got \"" + text + "\"");
            return null;
        }
        NodeSpec node = on == null ? null : nodes.get(on);
        if (bits != 0 && node != null && node.interfaces().stream().noneMatch(i -> i.address() == bits)) {
            t.bad("bind", Ipv4s.text(bits) + " is not an address of " + on + " (bind() would fail with EADDRNOTAVAIL)");
            return null;
        }
        return new int[] {bits, port};
    }

    static final Map<String, Integer> PMTUDISC = Map.of("dont", 0, "want", 1, "do", 2, "probe", 3);

    /**
     * IP_MTU_DISCOVER as ping -M or the key pmtudisc gives it: -1 when neither it nor ping's older
     * dont-fragment (= do) is given; null after a problem. {@code probe}: whether "probe" is allowed.
     */
    private static Integer pmtudisc(Section t, boolean ping) {
        Map<String, Integer> modes = new TreeMap<>(PMTUDISC);
        if (!ping) modes.remove("probe");
        if (ping && t.has("dont-fragment")) {
            boolean df = t.bool("dont-fragment", false);
            if (t.has("pmtudisc")) {
                t.bad("dont-fragment", "give pmtudisc or dont-fragment, not both (dont-fragment = true is pmtudisc = do)");
                return null;
            }
            return df ? 2 : -1;
        }
        if (!t.has("pmtudisc")) return -1;
        return t.choice("pmtudisc", null, modes, "a path MTU discovery mode (IP_MTU_DISCOVER)");
    }

    private TrafficSpec tcpBulk(Section t, String on, Long start) {
        int[] to = destination(t, true);
        String name = flowName(t);
        Long bytes = t.size("bytes", 0L);
        Long duration = t.duration("duration", 0L);
        if (bytes != null && bytes < 0) {
            t.bad("bytes", "expected a size > 0 like 10MB");
            bytes = null;
        }
        if (duration != null && duration < 0) {
            t.bad("duration", "expected a duration > 0 like 10s");
            duration = null;
        }
        if (bytes != null && duration != null) {
            if (bytes > 0 && duration > 0) {
                t.bad("duration", "give bytes or duration, not both (iperf3's -n or -t)");
                return null;
            }
            // neither: iperf3's default, for as long as the run lasts
            if (bytes == 0 && duration == 0 && start != null) duration = Math.max(1, durationNs - start);
        }
        String cc = congestion(t);
        boolean nodelay = t.bool("nodelay", false);
        int writeSize = t.intOr("write-size", 131_072, 1, 64 << 20);
        Long sndbuf = t.size("sndbuf", 0L);
        if (sndbuf != null && (sndbuf < 0 || sndbuf > Integer.MAX_VALUE)) {
            t.bad("sndbuf", "expected a size like 4MiB (or 0: autotuned)");
            sndbuf = null;
        }
        return on == null || start == null || to == null || bytes == null || duration == null || sndbuf == null
                || (cc != null && cc.isEmpty()) ? null
                : new TrafficSpec.TcpBulk(on, name, to[0], to[1], bytes, duration, cc, nodelay, writeSize,
                sndbuf.intValue(), start);
    }

    // TCP_CONGESTION by name: null for the default, "" after a problem was reported
    String congestion(Section t) {
        String cc = t.string("cc", "", "a congestion control like \"cubic\"");
        if (cc == null) return "";
        if (cc.isEmpty()) return null;
        if (!knetsim.node.tcp.cong.CongestionRegistry.available(cc)) {
            t.bad("cc", "no congestion control \"" + cc + "\", expected one of "
                    + String.join(", ", knetsim.node.tcp.cong.CongestionRegistry.names()));
            return "";
        }
        return cc;
    }

    // the flow's name in flows.csv and its series (h1:tcp:NAME:cwnd): letters, digits, - and _
    String flowName(Section t) {
        String name = t.string("name", "", "a flow name like \"bulk1\"");
        if (name == null || name.isEmpty()) return null;
        if (!name.matches("[A-Za-z0-9_-]+")) {
            t.bad("name", "expected letters, digits, - or _ (it names series like h1:tcp:" + "NAME:cwnd), got \"" + name + "\"");
            return null;
        }
        return name;
    }

    private final java.util.Map<String, String> tcpBound = new java.util.HashMap<>();

    // Two TCP servers on one node and port would fail at run time with EADDRINUSE: say so now.
    boolean bindTcp(Section t, String on, int port) {
        if (on == null) return true;
        String other = tcpBound.putIfAbsent(on + ":" + port, t.path);
        if (other == null) return true;
        t.bad("port", "TCP port " + port + " on " + on + " is already bound by " + other + " (EADDRINUSE)");
        return false;
    }

    /** {address, port}: port -1 for ping; a host name means its first interface's address. */
    private int[] destination(Section t, boolean withPort) {
        String expected = withPort ? "a host or address with a port, like \"h4:9000\" or \"10.0.2.2:9000\""
                : "a host or address, like \"h2\" or \"10.0.2.2\"";
        String text = t.string("to", null, expected);
        if (text == null) return null;
        int colon = text.lastIndexOf(':');
        int port = -1;
        String target = text;
        if (withPort) {
            if (colon < 0) {
                t.bad("to", "expected " + expected + ", got \"" + text + "\" (no port)");
                return null;
            }
            target = text.substring(0, colon);
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = 0;
            }
            if (port < 1 || port > 65535) {
                t.bad("to", "expected a port 1..65535 after the colon, got \"" + text + "\"");
                return null;
            }
        } else if (colon >= 0) {
            t.bad("to", "expected " + expected + ", got \"" + text + "\" (ping takes no port)");
            return null;
        }
        NodeSpec node = nodes.get(target);
        if (node != null) {
            if (node.interfaces().isEmpty()) {
                t.bad("to", "\"" + target + "\" has no interfaces, so no address to send to");
                return null;
            }
            return new int[] {node.interfaces().get(0).address(), port};
        }
        if (!target.matches("[0-9.]+")) {
            t.bad("to", "no host or router named \"" + target + "\"");
            return null;
        }
        try {
            return new int[] {Ipv4s.parseAddress(target), port};
        } catch (IllegalArgumentException e) {
            t.bad("to", "expected " + expected + ", got \"" + text + "\"");
            return null;
        }
    }

    private final java.util.Map<String, String> bound = new java.util.HashMap<>();

    // Two servers on one node and port would fail at run time with EADDRINUSE: say so now.
    private boolean bind(Section t, String on, int port) {
        if (on == null) return true;
        String other = bound.putIfAbsent(on + ":" + port, t.path);
        if (other == null) return true;
        t.bad("port", "UDP port " + port + " on " + on + " is already bound by " + other + " (EADDRINUSE)");
        return false;
    }
}
