package knetsim.topology.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A cheap lower bound on the events a run will process, from its traffic and record blocks, and the warnings for
 * what is valid but will not end in reasonable time: a ping faster than its link can send, and a projected event
 * count far above what a run processes in minutes. Warnings do not stop a run.
 */
public final class Projection {
    /** Events one packet costs on one hop (process, host, qdisc, NIC tx, link, NIC rx, softirq, ...): measured
     *  as about 23 on a 1,000-ping run over one cable (47,049 events for 2,000 packets). */
    static final long EVENTS_PER_PACKET_HOP = 23;
    /** Rough single-partition speed for the warning's time estimate (bench/README.md: 3.1-3.5 M events/s). */
    static final double EVENTS_PER_SECOND = 3e6;
    /** Above this many projected events (minutes of wall time), validate and run warn. */
    static final long WARN_EVENTS = 1_000_000_000L;
    /** Ethernet header, FCS, preamble and inter-frame gap: bytes on the wire besides the IP packet. */
    private static final int WIRE_OVERHEAD = 14 + 4 + 8 + 12;

    private Projection() {
    }

    /** At least this many events: each app's packets over one hop, and every recorded sample. */
    public static long events(Topology t) {
        long total = 0;
        for (TrafficSpec s : t.traffic()) total = saturatedAdd(total, events(s, t.durationNs()));
        if (t.record() != null) {
            total = saturatedAdd(total, (long) t.record().series().size() * (t.durationNs() / t.record().intervalNs()));
        }
        return total;
    }

    static long events(TrafficSpec s, long durationNs) {
        if (s instanceof TrafficSpec.Ping p) {
            long requests = p.count() > 0 ? p.count() : (durationNs - p.startNs()) / p.intervalNs() + 1;
            return saturatedMultiply(requests, 2 * EVENTS_PER_PACKET_HOP); // request and reply
        }
        if (s instanceof TrafficSpec.UdpSend u) {
            double packets = (double) u.rateBps() * (Math.min(u.stopNs(), durationNs) - u.startNs()) / 1e9
                    / (8.0 * (u.size() + 28));
            return (long) Math.min(Long.MAX_VALUE / 2, packets * EVENTS_PER_PACKET_HOP);
        }
        return 0;
    }

    /** The warnings for a topology that loaded without problems; {@code trafficPaths} are the apps' key paths. */
    static List<ConfigProblem> warnings(Topology t, List<String> trafficPaths, Problems origins) {
        List<ConfigProblem> out = new ArrayList<>();
        Map<String, LinkSpec> linkOf = new HashMap<>();
        boolean pings = t.traffic().stream().anyMatch(s -> s instanceof TrafficSpec.Ping);
        for (LinkSpec l : pings ? t.links() : List.<LinkSpec>of()) {
            for (LinkSpec.Endpoint e : List.of(l.a(), l.b())) if (!e.isSwitch()) linkOf.put(e.node() + "." + e.iface(), l);
        }
        for (int n = 0; n < t.traffic().size(); n++) {
            if (!(t.traffic().get(n) instanceof TrafficSpec.Ping p)) continue;
            String dev = firstHop(t.node(p.on()), p.to());
            LinkSpec link = dev == null ? null : linkOf.get(p.on() + "." + dev);
            if (link == null) continue;
            long wireBytes = Math.max(84, p.size() + 8 + 20 + WIRE_OVERHEAD);
            long frameNs = wireBytes * 8 * 1_000_000_000L / link.rateBps();
            if (p.intervalNs() < frameNs) {
                out.add(at(origins, trafficPaths.get(n) + ".interval", "interval " + Units.formatDuration(p.intervalNs())
                        + " is shorter than the " + Units.formatDuration(frameNs) + " that " + p.on() + "." + dev
                        + "'s " + Units.formatRate(link.rateBps()) + " link takes to send one request: requests pile up"
                        + " in the qdisc and are dropped, and the run takes long for nothing"));
            }
        }
        long events = events(t);
        if (events > WARN_EVENTS) {
            out.add(new ConfigProblem(origins.mainFile(), 0, "", String.format(Locale.ROOT, "at least %.1e events"
                    + " projected from the traffic and record blocks; at about %.0e events/s that is %s or more",
                    (double) events, EVENTS_PER_SECOND, wall(events / EVENTS_PER_SECOND))));
        }
        return out;
    }

    private static ConfigProblem at(Problems origins, String key, String message) {
        return origins.locate(key, message);
    }

    /** The interface the longest-prefix route to {@code to} leaves by, or null. */
    private static String firstHop(NodeSpec node, int to) {
        if (node == null) return null;
        String best = null;
        int bestLength = -1;
        for (InterfaceSpec i : node.interfaces()) {
            if (i.onSubnet(to) && i.prefixLength() > bestLength) {
                best = i.name();
                bestLength = i.prefixLength();
            }
        }
        for (RouteSpec r : node.routes()) {
            if (r.matches(to) && r.prefixLength() > bestLength) {
                best = r.dev();
                bestLength = r.prefixLength();
            }
        }
        int hop = node.computed().match(to, bestLength); // never of a prefix above, so only a longer one wins
        return hop >= 0 ? node.computed().dev()[hop] : best;
    }

    static String wall(double seconds) {
        if (seconds < 120) return String.format(Locale.ROOT, "%.0f seconds", seconds);
        if (seconds < 7200) return String.format(Locale.ROOT, "%.0f minutes", seconds / 60);
        if (seconds < 172_800) return String.format(Locale.ROOT, "%.0f hours", seconds / 3600);
        return String.format(Locale.ROOT, "%.0f days", seconds / 86_400);
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return r < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatedMultiply(long a, long b) {
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }
}
