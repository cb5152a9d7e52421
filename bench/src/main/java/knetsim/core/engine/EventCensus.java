package knetsim.core.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import knetsim.topology.config.Topology;
import knetsim.topology.config.TopologyLoader;
import knetsim.topology.run.TopologyScenario;

/**
 * Counts the events of a topology run by (LP class, payload class), on the plain loop, and divides
 * them by the datagrams and segments delivered (UdpInDatagrams + TcpInSegs): the event budget per
 * delivered packet. A bench tool, not model code: the plain loop shows it each event (SequentialEngine.Observer).
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
        Map<String, long[]> census = new HashMap<>();
        SequentialEngine.Result result = SequentialEngine.run(scenario, (lp, head) -> {
            String self = head.originLp() == lp.id() ? " (self)" : "";
            census.computeIfAbsent(lp.getClass().getSimpleName() + " <- " + head.payload().getClass().getSimpleName()
                    + self, k -> new long[1])[0]++;
        });
        long total = result.events();
        long delivered = 0;
        List<String> lines = new ArrayList<>();
        for (var lp : result.counters().entrySet()) {
            Map<String, Long> counters = lp.getValue();
            delivered += counters.getOrDefault("UdpInDatagrams", 0L) + counters.getOrDefault("TcpInSegs", 0L);
            for (Map.Entry<String, Long> c : counters.entrySet()) {
                lines.add(lp.getKey() + " " + scenario.network().scopes().get(lp.getKey()) + " " + c.getKey() + " " + c.getValue());
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
