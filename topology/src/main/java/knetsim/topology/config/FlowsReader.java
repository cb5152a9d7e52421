package knetsim.topology.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import knetsim.node.app.FlowSizes;

/**
 * Reads one {@code tcp-flows} entry: the senders ({@code from}) and receivers ({@code to}) as host names or
 * patterns, the size distribution, the arrival rate ({@code rate} flows/s per sender, or {@code load} of a link
 * rate), and expands it into a TcpFlows sender per host of {@code from} and a tcp-sink per host of {@code to}.
 */
final class FlowsReader {
    private static final Map<String, String> PATTERNS = Map.of("all-to-all", "all-to-all", "pairs", "pairs");

    private final TrafficReader reader;
    private final Section t;
    private final long durationNs;

    FlowsReader(TrafficReader reader, Section t, long durationNs) {
        this.reader = reader;
        this.t = t;
        this.durationNs = durationNs;
    }

    List<TrafficSpec> read() {
        List<TrafficSpec> out = new ArrayList<>();
        String name = reader.flowName(t);
        List<String> from = hosts("from", null);
        List<String> to = t.has("to") ? hosts("to", null) : from;
        String pattern = t.choice("pattern", "all-to-all", PATTERNS, "pattern");
        Long port = t.integer("port", 5001L, 1, 65535);
        FlowSizes sizes = sizes();
        Long start = t.duration("start", 0L);
        if (start != null && start >= durationNs) {
            t.bad("start", "start " + Units.formatDuration(start) + " is not before the end of the run ("
                    + Units.formatDuration(durationNs) + ")");
            start = null;
        }
        Long stop = t.duration("stop", durationNs);
        if (stop != null && start != null && stop <= start) {
            t.bad("stop", "stop " + Units.formatDuration(stop) + " must be after start " + Units.formatDuration(start));
            stop = null;
        }
        int count = t.intOr("count", 0, 0, Integer.MAX_VALUE);
        String cc = reader.congestion(t);
        boolean nodelay = t.bool("nodelay", false);
        Double load = t.has("load") ? t.number("load", null, 0, 1) : null;
        Double rate = t.has("rate") ? t.number("rate", null, 0, 1e9) : null;
        Long linkRate = t.has("link-rate") ? t.rate("link-rate", null) : null;
        if (t.has("load") == t.has("rate")) {
            t.bad(t.has("load") ? "rate" : "load", "give load (a fraction of a link rate) or rate (flows per second"
                    + " from each sender), one of them");
            return out;
        }
        if (t.has("link-rate") && !t.has("load")) t.bad("link-rate", "link-rate only goes with load");
        if ((load != null && load <= 0) || (rate != null && rate <= 0)) {
            t.bad(load != null ? "load" : "rate", "must be above 0");
            return out;
        }
        if (from == null || to == null || pattern == null || port == null || sizes == null || start == null
                || stop == null || (cc != null && cc.isEmpty()) || (load == null && rate == null)) {
            return out;
        }
        if (pattern.equals("pairs") && from.size() != to.size()) {
            t.bad("to", "pattern = pairs needs as many hosts in to as in from (" + from.size() + "), got " + to.size());
            return out;
        }
        for (String host : new LinkedHashSet<>(to)) {
            if (!reader.bindTcp(t, host, port.intValue())) return out;
            out.add(new TrafficSpec.TcpSink(host, port.intValue(), 0, 131_072, 0, 0, 0, 0));
        }
        for (int i = 0; i < from.size(); i++) {
            String sender = from.get(i);
            List<Integer> targets = new ArrayList<>();
            if (pattern.equals("pairs")) {
                if (!to.get(i).equals(sender)) targets.add(address(to.get(i)));
            } else {
                for (String h : to) if (!h.equals(sender)) targets.add(address(h));
            }
            if (targets.isEmpty()) {
                t.bad("to", sender + " has no host to send to (a host never sends to itself)");
                return List.of();
            }
            double perSecond;
            if (rate != null) {
                perSecond = rate;
            } else {
                long bps = linkRate != null ? linkRate : ownRate(sender);
                if (bps <= 0) {
                    t.bad("load", sender + " has no link to take the rate from; give link-rate");
                    return List.of();
                }
                perSecond = load * bps / (8 * sizes.mean());
            }
            out.add(new TrafficSpec.TcpFlows(sender, name, targets.stream().mapToInt(Integer::intValue).toArray(),
                    port.intValue(), sizes, perSecond, start, Math.min(stop, durationNs), count, cc, nodelay));
        }
        return out;
    }

    private int address(String host) {
        return reader.nodes.get(host).interfaces().get(0).address();
    }

    // the rate of the link on the sender's first interface
    private long ownRate(String host) {
        NodeSpec node = reader.nodes.get(host);
        if (node.interfaces().isEmpty()) return 0;
        String iface = node.interfaces().get(0).name();
        for (LinkSpec l : reader.links) {
            for (LinkSpec.Endpoint e : List.of(l.a(), l.b())) {
                if (!e.isSwitch() && e.node().equals(host) && e.iface().equals(iface)) return l.rateBps();
            }
        }
        return 0;
    }

    // a list of host names and patterns ("h*", "h1-*"), in file order, each host once
    private List<String> hosts(String key, String def) {
        ConfigValue v = t.raw(key);
        if (v == null) {
            t.missing(key, "a list of hosts like [h1, h2] or [\"h*\"]");
            return null;
        }
        List<Object> items = v.valueType() == ConfigValueType.LIST ? new ArrayList<>((List<?>) v.unwrapped())
                : List.of(v.unwrapped());
        Set<String> hosts = new LinkedHashSet<>();
        for (Object item : items) {
            if (!(item instanceof String s)) {
                t.bad(key, "expected host names or patterns like \"h*\", got " + item);
                return null;
            }
            int before = hosts.size();
            Pattern glob = Pattern.compile(Pattern.quote(s).replace("*", "\\E[^.]*\\Q"));
            for (Map.Entry<String, NodeSpec> e : reader.nodes.entrySet()) {
                if (glob.matcher(e.getKey()).matches() && !e.getValue().interfaces().isEmpty()) hosts.add(e.getKey());
            }
            if (hosts.size() == before && !s.contains("*")) {
                t.bad(key, "no host or router named \"" + s + "\"");
                return null;
            }
            if (hosts.size() == before) {
                t.bad(key, "\"" + s + "\" matches no host");
                return null;
            }
        }
        return new ArrayList<>(hosts);
    }

    // sizes = web-search | data-mining, or sizes-file = "FILE" (SIZE PROBABILITY lines), relative to the topology file
    private FlowSizes sizes() {
        if (t.has("sizes") && t.has("sizes-file")) {
            t.bad("sizes-file", "give sizes (a named distribution) or sizes-file, not both");
            return null;
        }
        if (!t.has("sizes-file")) {
            String name = t.string("sizes", "web-search", "a distribution: web-search or data-mining");
            if (name == null) return null;
            FlowSizes named = FlowSizes.named(name);
            if (named == null) {
                t.bad("sizes", "no distribution \"" + name + "\", expected web-search or data-mining (or sizes-file)");
            }
            return named;
        }
        String file = t.string("sizes-file", null, "a file of \"SIZE PROBABILITY\" lines");
        if (file == null) return null;
        Path base = Path.of(reader.problems.mainFile()).toAbsolutePath().getParent();
        Path path = base == null ? Path.of(file) : base.resolve(file);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            t.bad("sizes-file", "cannot read " + path + ": " + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file" : e.getMessage()));
            return null;
        }
        FlowSizes.Parsed parsed = FlowSizes.parse(path.getFileName().toString(), text);
        if (parsed.problem() != null) {
            reader.problems.add(new ConfigProblem(path.toString(), parsed.problem().line(), "",
                    parsed.problem().message() + " (" + t.key("sizes-file") + ")"));
            return null;
        }
        return parsed.sizes();
    }
}
