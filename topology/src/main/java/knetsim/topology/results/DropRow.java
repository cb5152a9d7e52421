package knetsim.topology.results;

import java.util.Objects;

/** Packets dropped at one place for one reason; {@code reason} is a kernel SKB_DROP_REASON name without the prefix. */
public record DropRow(String scope, String reason, long count) {
    public DropRow {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(reason, "reason");
    }
}
