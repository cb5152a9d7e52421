package knetsim.topology.config;

import java.util.List;
import java.util.Map;

/**
 * A validated, fully resolved topology. {@code nodes} holds hosts and routers sorted by name; {@code captures}
 * are concrete "node.iface" names; {@code record} is null when the file has no record block. {@code sha256} is
 * of the original file's bytes and {@code resolvedJson} is what {@link TopologyLoader#fromResolved} rebuilds
 * this from on another JVM. {@code warnings} are what is valid but will not go well (an event storm), shown by
 * validate and run, which go on. {@code traceAllSyscalls}: every process's system calls go to syscalls.csv, not
 * only those of scripts ({@code syscalls = all}). {@code captureSnaplen}: the most bytes a capture keeps of a frame
 * ({@code capture-snaplen}, tcpdump -s).
 */
public record Topology(long seed, long durationNs, Routing routing, Map<String, NodeSpec> nodes,
                       Map<String, SwitchSpec> switches, List<LinkSpec> links, List<TrafficSpec> traffic,
                       List<String> captures, RecordSpec record, Map<String, Integer> placement, String sha256,
                       String resolvedJson, List<ConfigProblem> warnings, boolean traceAllSyscalls,
                       int captureSnaplen) {

    public enum Routing { MANUAL, AUTO }

    /** A topology whose syscalls.csv logs only script processes ({@code syscalls = scripts}) and whose captures keep whole frames. */
    public Topology(long seed, long durationNs, Routing routing, Map<String, NodeSpec> nodes,
                    Map<String, SwitchSpec> switches, List<LinkSpec> links, List<TrafficSpec> traffic,
                    List<String> captures, RecordSpec record, Map<String, Integer> placement, String sha256,
                    String resolvedJson, List<ConfigProblem> warnings) {
        this(seed, durationNs, routing, nodes, switches, links, traffic, captures, record, placement, sha256,
                resolvedJson, warnings, false, knetsim.link.pcap.PcapWriter.SNAPLEN);
    }

    public Topology {
        nodes = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(nodes));
        switches = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(switches));
        links = List.copyOf(links);
        traffic = List.copyOf(traffic);
        captures = List.copyOf(captures);
        placement = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(placement));
        warnings = List.copyOf(warnings);
    }

    /** The host or router called {@code name}, or null. */
    public NodeSpec node(String name) {
        return nodes.get(name);
    }
}
