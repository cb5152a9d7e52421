package knetsim.topology.results;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rows a table shows when there are many: all of them, in their usual order, up to {@code n};
 * beyond that the {@code n} that rank first (most drops, most bytes), and how many were left out.
 */
record Top<T>(List<T> shown, int leftOut) {
    static <T> Top<T> of(List<T> rows, Comparator<T> usual, Comparator<T> rank, int n) {
        List<T> sorted = new ArrayList<>(rows);
        if (sorted.size() <= n) {
            sorted.sort(usual);
            return new Top<>(sorted, 0);
        }
        sorted.sort(rank.thenComparing(usual));
        return new Top<>(List.copyOf(sorted.subList(0, n)), sorted.size() - n);
    }

    /** Ranks flows: most packets lost first, then most bytes sent. */
    static final Comparator<FlowRow> FLOW_RANK = Comparator.comparingLong(FlowRow::packetsLost).reversed()
            .thenComparing(Comparator.comparingLong(FlowRow::bytesSent).reversed());

    /** Ranks interfaces: most drops first, then most packets. */
    static final Comparator<InterfaceStats> INTERFACE_RANK = Comparator
            .comparingLong((InterfaceStats s) -> -(value(s, "qdisc_dropped") + value(s, "tx_dropped") + value(s, "rx_missed_errors")))
            .thenComparingLong(s -> -(value(s, "rx_packets") + value(s, "tx_packets")));

    private static long value(InterfaceStats s, String counter) {
        Long v = s.get(counter);
        return v == null ? 0 : v;
    }
}
