package knetsim.topology.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import knetsim.topology.config.RecordSpec;

/**
 * Which LP samples which counter for each recorded series "target:layer:counter". The target is a
 * node ("h1"), an interface ("h1.eth0") or a CPU ("h1.cpu0"); the layer picks the LPs and the
 * counter's kernel name: qdisc and tx read the interface's tx queue (qdisc_*, tx_*), rx its rx
 * queues (rx_*), softnet the node's CPUs (softnet_*), and any other layer (ip, icmp, udp) the
 * host's SNMP counters by their /proc/net/snmp name. A series over several LPs is their sum.
 */
public final class SeriesProbes {
    private SeriesProbes() {}

    /** LP id -> probes {series, counter}. Unknown names match nothing and are listed in {@code unmatched}. */
    public static Map<Integer, List<String[]>> resolve(RecordSpec record, Map<Integer, String> scopes, List<String> unmatched) {
        Map<Integer, List<String[]>> probes = new TreeMap<>();
        if (record == null) return probes;
        for (String series : record.series()) {
            String[] parts = series.split(":");
            if (parts.length == 4 && parts[1].equals("tcp")) continue; // a TCP flow's series: from its client's report
            if (parts.length != 3) {
                unmatched.add(series);
                continue;
            }
            String target = parts[0], layer = parts[1], counter = parts[2];
            String name = counterName(layer, counter);
            boolean found = false;
            for (var e : scopes.entrySet()) {
                if (belongs(e.getValue(), target, layer)) {
                    probes.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new String[] {series, name});
                    found = true;
                }
            }
            if (!found) unmatched.add(series);
        }
        return probes;
    }

    static String counterName(String layer, String counter) {
        return switch (layer) {
            case "qdisc" -> switch (counter) {
                case "backlog" -> "qdisc_backlog_packets";
                case "drops" -> "qdisc_dropped";
                default -> counter.startsWith("qdisc_") ? counter : "qdisc_" + counter;
            };
            case "tx", "rx", "softnet" -> counter.startsWith(layer + "_") ? counter : layer + "_" + counter;
            default -> counter;
        };
    }

    // a target may use * for any run of characters within a name ("h*", "r1.eth*")
    private static boolean belongs(String scope, String target, String layer) {
        String t = glob(target);
        return switch (layer) {
            case "qdisc", "tx" -> scope.matches(t + "\\.tx0");
            case "rx" -> scope.matches(t + "\\.rx\\d+");
            case "softnet" -> target.contains(".cpu") ? scope.matches(t) : scope.matches(t + "\\.cpu\\d+");
            default -> scope.matches(t);
        };
    }

    private static String glob(String target) {
        String[] parts = target.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) regex.append("[^.]*");
            regex.append(java.util.regex.Pattern.quote(parts[i]));
        }
        return regex.toString();
    }
}
