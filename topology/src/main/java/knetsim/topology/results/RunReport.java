package knetsim.topology.results;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a finished (or aborted) run reports, computed by the launcher. {@code summary} keeps
 * its insertion order, which is the order of keys in summary.json; its values may be null (a
 * lookahead that does not exist). {@code pcapFiles} are paths relative to the results directory of
 * captures that are already written.
 */
public record RunReport(Map<String, Object> summary, List<CounterRow> counters, List<DropRow> drops,
                        List<FlowRow> flows, List<SeriesPoint> series, List<String> pcapFiles,
                        List<FlowDropRow> flowDrops, List<FctRow> fct) {
    public RunReport {
        fct = List.copyOf(fct);
        summary = Collections.unmodifiableMap(new LinkedHashMap<>(summary));
        counters = List.copyOf(counters);
        drops = List.copyOf(drops);
        flows = List.copyOf(flows);
        series = List.copyOf(series);
        pcapFiles = List.copyOf(pcapFiles);
        flowDrops = List.copyOf(flowDrops);
    }

    /** A report without tcp-flows connections. */
    public RunReport(Map<String, Object> summary, List<CounterRow> counters, List<DropRow> drops,
                     List<FlowRow> flows, List<SeriesPoint> series, List<String> pcapFiles, List<FlowDropRow> flowDrops) {
        this(summary, counters, drops, flows, series, pcapFiles, flowDrops, List.of());
    }

    /** A report without per-flow drop attribution. */
    public RunReport(Map<String, Object> summary, List<CounterRow> counters, List<DropRow> drops,
                     List<FlowRow> flows, List<SeriesPoint> series, List<String> pcapFiles) {
        this(summary, counters, drops, flows, series, pcapFiles, List.of());
    }
}
