package knetsim.topology.config;

import java.util.List;

/** Time series to sample every {@code intervalNs}, named "node[.iface]:layer:counter". */
public record RecordSpec(long intervalNs, List<String> series) {
    public RecordSpec {
        series = List.copyOf(series);
    }
}
