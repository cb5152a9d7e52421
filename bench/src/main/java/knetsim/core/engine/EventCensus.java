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
 * With {@code --units N} it also prints the N execution units (a machine or switch with the link
 * directions it transmits on) that ran the most events: a unit runs its events one after another, so
 * its share of all events bounds the speed-up any number of cores can give (Amdahl).
 * Usage: {@code java -cp knetsim-bench.jar knetsim.core.engine.EventCensus [--duration 50ms] [--units 10] FILE}.
 */
public final class EventCensus {
    private EventCensus() {}

    public static void main(String[] args) throws Exception {
        String duration = "50ms";
        Path file = null;
        Path countersOut = null;
        int topUnits = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--duration")) duration = args[++i];
            else if (args[i].equals("--counters")) countersOut = Path.of(args[++i]);
            else if (args[i].equals("--units")) topUnits = Integer.parseInt(args[++i]);
            else file = Path.of(args[i]);
        }
        Topology topology = TopologyLoader.load(file, List.of("duration=" + duration), 1);
        TopologyScenario scenario = new TopologyScenario(topology.resolvedJson());
        Map<String, long[]> census = new HashMap<>();
        int[] unitOf = scenario.unitOf();
        long[] perUnit = new long[java.util.Arrays.stream(unitOf).max().orElse(0) + 1];
        SequentialEngine.Result result = SequentialEngine.run(scenario, (lp, head) -> {
            perUnit[unitOf[lp.id()]]++;
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
        if (topUnits > 0) printUnits(scenario, unitOf, perUnit, result.events(), topUnits);
        System.out.printf(Locale.ROOT, "%10d events, %d delivered (UdpInDatagrams + TcpInSegs), %.2f events each%n",
                total, delivered, delivered == 0 ? 0.0 : (double) total / delivered);
    }

    // the units with the most events, named by their owner (machine or switch), and the bound they set
    private static void printUnits(TopologyScenario scenario, int[] unitOf, long[] perUnit, long total, int top) {
        String[] name = new String[perUnit.length];
        scenario.network().owners().forEach((lp, owner) -> name[unitOf[lp]] = owner);
        Integer[] order = new Integer[perUnit.length];
        for (int u = 0; u < order.length; u++) order[u] = u;
        java.util.Arrays.sort(order, (a, b) -> Long.compare(perUnit[b], perUnit[a]));
        for (int k = 0; k < Math.min(top, order.length); k++) {
            int u = order[k];
            System.out.printf(Locale.ROOT, "unit %-24s %10d events %6.2f %%%n", name[u], perUnit[u], 100.0 * perUnit[u] / total);
        }
        double largest = total == 0 ? 0 : (double) perUnit[order[0]] / total;
        System.out.printf(Locale.ROOT, "%d units; the largest runs %.2f %% of the events: at most %.1fx from any number of cores%n",
                perUnit.length, 100 * largest, largest == 0 ? 0.0 : 1 / largest);
    }
}
