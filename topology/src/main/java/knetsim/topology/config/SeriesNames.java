package knetsim.topology.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@code record} series can name: "target:layer:counter", where the layer says which LPs
 * are read and the counter is one they keep while the run goes on (counters published only at the
 * end, such as ReasmOKs and FragOKs, cannot be sampled). qdisc, tx and rx take an interface
 * ("r1.eth1", "h*.eth0"); softnet a node or one CPU ("h1", "h1.cpu0"); ip, icmp, udp and arp a
 * node ("h1", "r*"), read by their /proc/net/snmp names, and drop_REASON (a kernel drop reason).
 */
public final class SeriesNames {
    /** layer -> the counters it can record, as they may be written (the kernel's full name also works for qdisc, tx, rx, softnet). */
    public static final Map<String, List<String>> COUNTERS = new LinkedHashMap<>();

    static {
        COUNTERS.put("qdisc", List.of("backlog", "backlog_bytes", "backlog_packets", "drops", "dropped", "overlimits",
                "requeues", "sent_bytes", "sent_packets", "sojourn_ns", "sojourn_sum_ns",
                // tc -s qdisc statistics of codel, fq_codel, red and fq
                "count", "lastcount", "ldelay", "dropping", "maxpacket", "ecn_mark", "drop_overlimit", "ce_mark",
                "new_flow_count", "new_flows_len", "old_flows_len", "memory_used", "drop_overmemory", "marked", "early",
                "pdrop", "other", "prob_mark", "forced_mark", "prob_drop", "forced_drop", "flows", "inactive",
                "throttled_flows", "gc", "highprio", "throttled", "flows_plimit", "pkts_too_long", "horizon_drops"));
        COUNTERS.put("tx", List.of("packets", "bytes", "dropped", "restart_queue", "queue_stopped"));
        COUNTERS.put("rx", List.of("packets", "bytes", "crc_errors", "missed_errors", "length_errors", "filtered"));
        COUNTERS.put("softnet", List.of("processed", "dropped", "time_squeeze"));
        COUNTERS.put("ip", List.of("IpInReceives", "IpInHdrErrors", "IpInAddrErrors", "IpForwDatagrams",
                "IpInUnknownProtos", "IpInDelivers", "IpOutRequests", "IpOutDiscards", "IpOutNoRoutes", "IpOutTransmits",
                "IpExtInNoRoutes", "IpExtInTruncatedPkts", "IpExtInOctets", "IpExtOutOctets", "IpExtInCsumErrors",
                "IpExtInNoECTPkts", "IpExtInECT1Pkts", "IpExtInECT0Pkts", "IpExtInCEPkts"));
        // and IcmpMsgInTypeN / IcmpMsgOutTypeN for N in 0..255 (the IcmpMsg line)
        COUNTERS.put("icmp", List.of("IcmpInMsgs", "IcmpInErrors", "IcmpInCsumErrors", "IcmpInDestUnreachs",
                "IcmpInTimeExcds", "IcmpInEchos", "IcmpInEchoReps", "IcmpOutMsgs", "IcmpOutEchos", "IcmpOutEchoReps",
                "IcmpOutDestUnreachs", "IcmpOutTimeExcds", "IcmpOutRateLimitGlobal", "IcmpOutRateLimitHost"));
        COUNTERS.put("udp", List.of("UdpInDatagrams", "UdpNoPorts", "UdpInErrors", "UdpInCsumErrors",
                "UdpRcvbufErrors", "UdpOutDatagrams"));
        COUNTERS.put("arp", List.of("ArpOutRequests", "ArpInErrors"));
        // a host's Tcp and TcpExt counters (node:tcp:TcpExtTCPTimeouts); node:tcp:FLOW:metric is a socket's
        COUNTERS.put("tcp", knetsim.node.tcp.TcpMib.names());
        COUNTERS.put("bql", List.of("limit", "inflight", "limit_min", "limit_max", "hold_time"));
    }

    private static final java.util.regex.Pattern ICMP_MSG =
            java.util.regex.Pattern.compile("IcmpMsg(In|Out)Type(0|[1-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|25[0-5])");

    /** Names knetsim used before it took nstat's: IpExt counters live in /proc/net/netstat's IpExt line. */
    private static final Map<String, String> RENAMED = Map.of("IpInNoRoutes", "IpExtInNoRoutes",
            "IpInTruncatedPkts", "IpExtInTruncatedPkts", "IpInCsumErrors", "IpExtInCsumErrors");

    private SeriesNames() {}

    /** The counter an LP keeps for a recorded name: "qdisc:backlog" reads qdisc_backlog_packets. */
    public static String counterName(String layer, String counter) {
        return switch (layer) {
            case "qdisc" -> switch (counter) {
                case "backlog" -> "qdisc_backlog_packets";
                case "drops" -> "qdisc_dropped";
                default -> counter.startsWith("qdisc_") ? counter : "qdisc_" + counter;
            };
            case "tx", "rx", "softnet", "bql" -> counter.startsWith(layer + "_") ? counter : layer + "_" + counter;
            default -> counter;
        };
    }

    /** What is wrong with a series name (its target is checked elsewhere), or null when it can be recorded. */
    public static String problem(String series) {
        String[] parts = series.split(":", -1);
        // a TCP socket's series "node:tcp:flow:metric" is checked with the traffic it names (Validator)
        if (parts.length == 4 && parts[1].equals("tcp")) return null;
        if (parts.length != 3) {
            return "expected target:layer:counter like \"r1.eth1:qdisc:backlog\" (three parts), got \"" + series + "\"";
        }
        String target = parts[0], layer = parts[1], counter = parts[2];
        List<String> valid = COUNTERS.get(layer);
        if (valid == null) {
            return "\"" + layer + "\" is not a layer that can be recorded; valid layers: " + String.join(", ", COUNTERS.keySet());
        }
        if (counter.contains("*")) {
            return "a counter cannot be a pattern (only the target can: \"h*\", \"r1.eth*\"); valid " + layer
                    + " counters: " + String.join(", ", valid);
        }
        boolean ok = valid.contains(counter) || valid.stream().anyMatch(v -> counterName(layer, v).equals(counter))
                || (layer.equals("icmp") && ICMP_MSG.matcher(counter).matches())
                || (!layer.equals("qdisc") && !layer.equals("tx") && !layer.equals("rx") && !layer.equals("softnet") && !layer.equals("bql")
                    && counter.startsWith("drop_") && isDropReason(counter.substring(5)));
        if (!ok) {
            String near = RENAMED.getOrDefault(counter, nearest(counter, valid));
            return "\"" + counter + "\" is not a " + layer + " counter" + (near == null ? "" : " (did you mean " + near + "?)")
                    + "; valid " + layer + " counters: " + String.join(", ", valid);
        }
        boolean iface = target.contains(".") && !target.matches(".*\\.cpu[0-9*]*");
        boolean needsIface = layer.equals("qdisc") || layer.equals("tx") || layer.equals("rx") || layer.equals("bql");
        if (needsIface && !iface) return "layer " + layer + " is kept per interface: name one, like \"" + target + ".eth0:"
                + layer + ":" + counter + "\"";
        if (!needsIface && !layer.equals("softnet") && target.contains(".")) {
            return "layer " + layer + " is kept per node: name the node, like \"" + target.substring(0, target.indexOf('.'))
                    + ":" + layer + ":" + counter + "\"";
        }
        if (layer.equals("softnet") && iface) return "layer softnet is kept per CPU: name the node or a CPU (\"h1.cpu0\")";
        return null;
    }

    private static boolean isDropReason(String name) {
        try {
            return knetsim.node.skb.SkbDropReason.valueOf(name).isDrop();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // the valid name closest to a typo (edit distance at most 3), or null
    private static String nearest(String typo, List<String> valid) {
        String best = null;
        int bestDistance = 4;
        for (String v : valid) {
            int d = distance(typo.toLowerCase(), v.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = v;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
