package knetsim.topology.run;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import knetsim.core.run.RunResult;
import knetsim.core.run.SortedCounters;
import knetsim.core.serial.CrossJvm;
import knetsim.link.drop.FlowDropReport;
import knetsim.topology.results.DropRow;

/**
 * Every loss of a run, by place and reason: the totals from the counters each piece keeps (a
 * cable's lost and corrupted frames, a ring's rx_missed_errors, a qdisc's drops, a switch port's
 * tx_dropped, the stack's drop_REASON counters), and the per-5-tuple records the drop sites kept
 * (FlowDrops), named with the same places so the two can be matched.
 */
final class DropAccounting {
    static final String LINK_LOSS = "LINK_LOSS";
    static final String LINK_CORRUPTED = "LINK_CORRUPTED";

    /** Dropped packets of one 5-tuple at one place for one reason. */
    record Attributed(String place, String reason, int protocol, int source, int destination, int sourcePort,
                      int destinationPort, long packets, long bytes) {}

    private final Map<Integer, String> scopes;
    private final Set<String> nodes;

    DropAccounting(Map<Integer, String> scopes, Collection<String> nodeNames) {
        this.scopes = scopes;
        this.nodes = new TreeSet<>(nodeNames);
    }

    /** drops.csv's rows: every nonzero drop counter as (place, reason, count). */
    List<DropRow> totals(SortedMap<Integer, SortedCounters> counters) {
        TreeMap<String, TreeMap<String, Long>> byPlace = new TreeMap<>();
        counters.forEach((lp, values) -> {
            String scope = scopes.get(lp);
            values.forEachCounter((name, value) -> {
                if (value == 0) return;
                String[] placeAndReason = classify(scope, name);
                if (placeAndReason != null) {
                    byPlace.computeIfAbsent(placeAndReason[0], k -> new TreeMap<>()).merge(placeAndReason[1], value, Long::sum);
                }
            });
        });
        List<DropRow> rows = new ArrayList<>();
        byPlace.forEach((place, reasons) -> reasons.forEach((reason, n) -> rows.add(new DropRow(place, reason, n))));
        return rows;
    }

    // which counters are drops, and where: null for every other counter
    private String[] classify(String scope, String name) {
        if (scope.startsWith("link.")) {
            if (name.equals("lost")) return new String[] {linkPlace(scope), LINK_LOSS};
            if (name.equals("corrupted")) return new String[] {linkPlace(scope), LINK_CORRUPTED};
            return null;
        }
        if (name.startsWith("drop_")) {
            String reason = name.substring(5);
            return new String[] {place(scope, "", reason), reason};
        }
        String queue = queueOf(scope);
        if (queue != null) {
            String iface = scope.substring(0, scope.length() - queue.length() - 1);
            if (queue.startsWith("rx")) {
                if (name.equals("rx_missed_errors")) return new String[] {iface + " ring", "FULL_RING"};
                if (name.equals("rx_length_errors")) return new String[] {iface + " ring", "PKT_TOO_SMALL"};
            } else {
                if (name.equals("qdisc_dropped")) return new String[] {iface + " qdisc", "QDISC_DROP"};
                if (name.equals("tx_dropped")) return new String[] {iface + " driver", "PKT_TOO_BIG"};
            }
            return null; // rx_crc_errors: counted on the cable that corrupted the frame
        }
        int dot = name.indexOf('.');
        if (dot > 0 && name.startsWith("port") && !scope.contains(".")) { // a switch port's counters
            String port = name.substring(0, dot), counter = name.substring(dot + 1);
            if (counter.equals("tx_dropped")) return new String[] {place(scope, port, "QDISC_DROP"), "QDISC_DROP"};
            if (counter.equals("rx_dropped")) {
                return new String[] {place(scope, port, "MAC_INVALID_SOURCE"), "MAC_INVALID_SOURCE"};
            }
        }
        if (name.equals("rx_length_errors") && !scope.contains(".")) return new String[] {scope, "PKT_TOO_SMALL"};
        return null;
    }

    /** What the drop sites attributed to 5-tuples, under the same places as {@link #totals}. */
    List<Attributed> attributed(RunResult result) {
        List<Attributed> all = new ArrayList<>();
        result.reports().forEach((lp, reports) -> {
            String scope = scopes.get(lp);
            for (CrossJvm r : reports) {
                if (!(r instanceof FlowDropReport d)) continue;
                for (int i = 0; i < d.size(); i++) {
                    int[] t = d.tuples();
                    all.add(new Attributed(place(scope, d.place(), d.reasons()[i]), d.reasons()[i], t[i * 5],
                            t[i * 5 + 1], t[i * 5 + 2], t[i * 5 + 3], t[i * 5 + 4], d.packets()[i], d.bytes()[i]));
                }
            }
        });
        return all;
    }

    /** The place of a drop, from the LP's scope and where in it: "link a->b", "r1.eth0 qdisc", "h2 socket". */
    String place(String scope, String within, String reason) {
        if (scope.startsWith("link.")) return linkPlace(scope);
        String queue = queueOf(scope);
        if (queue != null) return scope.substring(0, scope.length() - queue.length() - 1) + " " + within;
        if (within.startsWith("port")) return scope + "." + within + (reason.equals("QDISC_DROP") ? " queue" : "");
        return scope + " " + layer(reason);
    }

    // the stack's part that drops for a reason, as a reader looks for it
    static String layer(String reason) {
        if (reason.startsWith("NEIGH_")) return "neighbour";
        if (reason.equals("CPU_BACKLOG")) return "backlog";
        if (reason.equals("NETFILTER_DROP")) return "netfilter";
        if (reason.contains("FRAG")) return "reassembly";
        if (reason.equals("NO_SOCKET") || reason.startsWith("SOCKET_") || reason.equals("PROTO_MEM")) return "socket";
        if (reason.startsWith("UDP_")) return "udp";
        if (reason.startsWith("TCP_")) return "tcp";
        if (reason.startsWith("ICMP_")) return "icmp";
        return "ip";
    }

    // "link.r1.eth1-r2.eth0" -> "link r1.eth1->r2.eth0": the '-' after which a node's name starts
    String linkPlace(String scope) {
        String ends = scope.substring("link.".length());
        for (int i = ends.indexOf('-'); i > 0; i = ends.indexOf('-', i + 1)) {
            String rest = ends.substring(i + 1);
            int dot = rest.indexOf('.');
            if (nodes.contains(dot < 0 ? rest : rest.substring(0, dot))) {
                return "link " + ends.substring(0, i) + "->" + rest;
            }
        }
        return "link " + ends;
    }

    // "h1.eth0.tx0" -> "tx0"; null for a scope that is not a NIC queue
    // "h1.eth0.tx0" -> "tx0": the third of exactly three parts when it is (tx|rx) and digits; called for
    // every counter of a run, so no regex and no split
    static String queueOf(String scope) {
        if (scope.startsWith("link.")) return null;
        int first = scope.indexOf('.');
        int second = first < 0 ? -1 : scope.indexOf('.', first + 1);
        if (second < 0 || scope.indexOf('.', second + 1) >= 0) return null;
        int at = second + 1, n = scope.length();
        if (n - at < 3 || !(scope.startsWith("tx", at) || scope.startsWith("rx", at))) return null;
        for (int i = at + 2; i < n; i++) {
            char c = scope.charAt(i);
            if (c < '0' || c > '9') return null;
        }
        return scope.substring(at);
    }
}
