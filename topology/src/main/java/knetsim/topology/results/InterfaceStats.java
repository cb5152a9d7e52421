package knetsim.topology.results;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-interface view of the counters: scopes with exactly one dot ({@code h1.eth0}) are
 * interfaces, except a node's CPUs ({@code h1.cpu0}); deeper scopes are queues and links.
 */
record InterfaceStats(String scope, Map<String, Long> counters) {
    static final List<String> COLUMNS = List.of("rx_packets", "tx_packets", "rx_missed_errors", "tx_dropped",
            "qdisc_dropped", "rx_crc_errors");

    static boolean isInterface(String scope) {
        int dot = scope.indexOf('.');
        return dot > 0 && dot == scope.lastIndexOf('.') && dot < scope.length() - 1 && !scope.startsWith("link.")
                && !isCpu(scope, dot + 1);
    }

    // "cpu" and at least one digit from {@code at} to the end (h1.cpu0 is a CPU, not an interface)
    private static boolean isCpu(String scope, int at) {
        if (!scope.startsWith("cpu", at) || scope.length() - at < 4) return false;
        for (int i = at + 3; i < scope.length(); i++) {
            if (scope.charAt(i) < '0' || scope.charAt(i) > '9') return false;
        }
        return true;
    }

    // counter rows come grouped by scope (a 100,000-host run has millions): each scope is classified once,
    // grouped by hash, and only the interfaces' names are sorted, once
    static List<InterfaceStats> of(RunReport report) {
        Map<String, Map<String, Long>> byScope = new HashMap<>();
        String lastScope = null;
        Map<String, Long> last = null;
        for (CounterRow r : report.counters()) {
            if (!r.scope().equals(lastScope)) {
                lastScope = r.scope();
                last = isInterface(lastScope) ? byScope.computeIfAbsent(lastScope, k -> new HashMap<>()) : null;
            }
            // Should a counter appear twice for one interface, show the sum rather than pick one.
            if (last != null) last.merge(r.name(), r.value(), Long::sum);
        }
        List<String> scopes = new ArrayList<>(byScope.keySet());
        scopes.sort(Csv.NATURAL);
        List<InterfaceStats> out = new ArrayList<>(scopes.size());
        for (String scope : scopes) out.add(new InterfaceStats(scope, Collections.unmodifiableMap(byScope.get(scope))));
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
