package knetsim.topology.results;

import java.util.Objects;

/** One flow's packets dropped at one place for one reason (flow_drops.csv); {@code bytes} are IP bytes. */
public record FlowDropRow(String flow, String place, String reason, long packets, long bytes) {
    public FlowDropRow {
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(place, "place");
        Objects.requireNonNull(reason, "reason");
    }
}
