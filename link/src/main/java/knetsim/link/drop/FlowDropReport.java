package knetsim.link.drop;

import knetsim.core.serial.CrossJvm;

/**
 * One LP's dropped packets by reason and 5-tuple, sent to the launcher at the end of a run.
 * {@code place} says where in the LP ("" for the LP as a whole, "qdisc", "ring", ...);
 * {@code tuples} holds five ints per entry: protocol, source, destination, source port,
 * destination port (ICMP: type and echo id); {@code bytes} are IP bytes (frame bytes for non-IP).
 */
public record FlowDropReport(String place, String[] reasons, int[] tuples, long[] packets, long[] bytes)
        implements CrossJvm {
    public int size() {
        return reasons.length;
    }
}
