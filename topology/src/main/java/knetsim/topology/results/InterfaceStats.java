package knetsim.topology.results;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The per-interface view of the counters: scopes with exactly one dot ({@code h1.eth0}) are
 * interfaces, except a node's CPUs ({@code h1.cpu0}); deeper scopes are queues and links.
 */
record InterfaceStats(String scope, Map<String, Long> counters) {
    static final List<String> COLUMNS = List.of("rx_packets", "tx_packets", "rx_missed_errors", "tx_dropped",
            "qdisc_dropped", "rx_crc_errors");

    private static final Pattern CPU = Pattern.compile("cpu[0-9]+");

    static boolean isInterface(String scope) {
        int dot = scope.indexOf('.');
        return dot > 0 && dot == scope.lastIndexOf('.') && dot < scope.length() - 1 && !scope.startsWith("link.")
                && !CPU.matcher(scope.substring(dot + 1)).matches();
    }

    static List<InterfaceStats> of(RunReport report) {
        Map<String, Map<String, Long>> byScope = new TreeMap<>(Csv.NATURAL);
        for (CounterRow r : report.counters()) {
            if (isInterface(r.scope())) {
                // Should a counter appear twice for one interface, show the sum rather than pick one.
                byScope.computeIfAbsent(r.scope(), k -> new HashMap<>()).merge(r.name(), r.value(), Long::sum);
            }
        }
        List<InterfaceStats> out = new ArrayList<>();
        byScope.forEach((scope, counters) -> out.add(new InterfaceStats(scope, Collections.unmodifiableMap(counters))));
        return out;
    }

    /** The counter's value, or null when the interface did not report it. */
    Long get(String name) {
        return counters.get(name);
    }

    /** The sum of the named counters, or null when the interface reported none of them. */
    Long sum(String... names) {
        Long total = null;
        for (String n : names) {
            Long v = counters.get(n);
            if (v != null) {
                total = (total == null ? 0 : total) + v;
            }
        }
        return total;
    }
}
