package knetsim.core.engine;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import knetsim.topology.config.Topology;
import knetsim.topology.config.TopologyLoader;
import knetsim.topology.run.TopologyScenario;

/**
 * Counts the events of a topology run by (LP class, payload class), on the plain loop, and divides
 * them by the datagrams and segments delivered (UdpInDatagrams + TcpInSegs): the event budget per
 * delivered packet. A bench tool, not model code: it reads each LP's head event by reflection.
 * Usage: {@code java -cp knetsim-bench.jar knetsim.core.engine.EventCensus [--duration 50ms] FILE}.
 */
public final class EventCensus {
    private EventCensus() {}

    public static void main(String[] args) throws Exception {
        String duration = "50ms";
        Path file = null;
        Path countersOut = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--duration")) duration = args[++i];
            else if (args[i].equals("--counters")) countersOut = Path.of(args[++i]);
            else file = Path.of(args[i]);
        }
        Topology topology = TopologyLoader.load(file, List.of("duration=" + duration), 1);
        TopologyScenario scenario = new TopologyScenario(topology.resolvedJson());
        Field pendingField = LogicalProcess.class.getDeclaredField("pending");
        pendingField.setAccessible(true);
        LpGraph graph = scenario.graph();
        int n = graph.lpCount();
        LogicalProcess[] lps = new LogicalProcess[n];
        TimeHeap heap = new TimeHeap(n);
        Consumer<Event> toTarget = e -> {
            lps[e.targetLp()].enqueue(e);
            heap.lower(e.targetLp(), e.time());
        };
        for (int i = 0; i < n; i++) {
            lps[i] = scenario.createLp(i);
            lps[i].attach(i, graph, scenario.seed());
        }
        for (int i = 0; i < n; i++) {
            lps[i].start();
            if (lps[i].hasOutput()) lps[i].drainOutbox(toTarget);
            heap.set(i, lps[i].nextEventTime());
        }
        Map<String, long[]> census = new HashMap<>();
        long total = 0;
        long end = scenario.endTime();
        while (heap.minKey() < end) {
            int i = heap.minSlot();
            LogicalProcess lp = lps[i];
            @SuppressWarnings("unchecked")
            Event head = ((PriorityQueue<Event>) pendingField.get(lp)).peek();
            String self = head.originLp() == i ? " (self)" : "";
            String key = lp.getClass().getSimpleName() + " <- " + head.payload().getClass().getSimpleName() + self;
            census.computeIfAbsent(key, k -> new long[1])[0]++;
            total++;
            lp.processNext();
            if (lp.hasOutput()) lp.drainOutbox(toTarget);
            heap.set(i, lp.nextEventTime());
        }
        long delivered = 0;
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            LogicalProcess lp = lps[i];
            lp.finish();
            delivered += lp.counters().get("UdpInDatagrams") + lp.counters().get("TcpInSegs");
            for (Map.Entry<String, Long> c : lp.counters().snapshot().entrySet()) {
                lines.add(i + " " + scenario.network().scopes().get(i) + " " + c.getKey() + " " + c.getValue());
            }
        }
        // every LP's counters, to check that a change which removes events keeps what they count
        if (countersOut != null) java.nio.file.Files.write(countersOut, lines);
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(census.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        for (Map.Entry<String, long[]> row : rows) {
            System.out.printf(Locale.ROOT, "%10d %7.2f  %s%n", row.getValue()[0],
                    delivered == 0 ? 0.0 : (double) row.getValue()[0] / delivered, row.getKey());
        }
        System.out.printf(Locale.ROOT, "%10d events, %d delivered (UdpInDatagrams + TcpInSegs), %.2f events each%n",
                total, delivered, delivered == 0 ? 0.0 : (double) total / delivered);
    }
}
