package knetsim.topology.results;

import java.util.Objects;

/**
 * Packets dropped at one place for one reason. {@code place} names where ("link r1.eth1->r2.eth0",
 * "r1.eth0 qdisc", "h2.eth0 ring", "h2 socket"); {@code reason} is a kernel SKB_DROP_REASON name
 * without the prefix, or LINK_LOSS / LINK_CORRUPTED for what the cable did.
 */
public record DropRow(String place, String reason, long count) {
    public DropRow {
        Objects.requireNonNull(place, "place");
        Objects.requireNonNull(reason, "reason");
    }
}
