package knetsim.topology.config;

import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads the traffic list; resolves "to" (a host name or an address, with ":port" for UDP) to IPv4 bits. */
final class TrafficReader {
    private final Problems problems;
    private final Map<String, NodeSpec> nodes;
    private final long durationNs;
    final List<TrafficSpec> traffic = new ArrayList<>();
    /** traffic index -> key path, for problems found later (reachability). */
    final List<String> paths = new ArrayList<>();

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
                int ttl = t.intOr("ttl", 64, 1, 255);
                boolean df = t.bool("dont-fragment", false);
                if (count == 0 && interval != null && start != null && durationNs < Long.MAX_VALUE
                        && (durationNs - start) / interval + 1 > Integer.MAX_VALUE) {
                    // count 0 pings until the run ends, and Ping counts its requests in an int
                    t.bad(t.has("count") ? "count" : "interval", "count = 0 pings until the run ends: "
                            + ((durationNs - start) / interval + 1) + " requests every " + Units.formatDuration(interval)
                            + ", more than 2147483647; give a count or a longer interval");
                    interval = null;
                }
                return on == null || start == null || to == null || interval == null ? null
                        : new TrafficSpec.Ping(on, to[0], count, interval, size, start, ttl, df);
            }
            case "udp-cbr", "udp-poisson" -> {
                int[] to = destination(t, true);
                Long rate = t.rate("rate", null);
                // the payload carries the sequence number and the send time (8 bytes each) for the sink
                int size = t.intOr("size", 1200, 16, 65507);
                Long stop = t.duration("stop", durationNs);
                if (stop != null && start != null && stop <= start) {
                    t.bad("stop", "stop " + Units.formatDuration(stop) + " must be after start "
                            + Units.formatDuration(start));
                    stop = null;
                }
                return on == null || start == null || to == null || rate == null || stop == null ? null
                        : new TrafficSpec.UdpSend(on, to[0], to[1], app.equals("udp-poisson"), rate, size, start,
                        Math.min(stop, durationNs));
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
            default -> {
                int port = t.intOr("port", 7, 1, 65535);
                if (!bind(t, on, port)) return null;
                return on == null || start == null ? null : new TrafficSpec.UdpEcho(on, port, start);
            }
        }
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
