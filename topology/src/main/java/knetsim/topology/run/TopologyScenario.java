package knetsim.topology.run;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.LpGraph;
import knetsim.core.engine.Scenario;
import knetsim.node.build.NetworkBuilder;
import knetsim.topology.config.Topology;
import knetsim.topology.config.TopologyException;
import knetsim.topology.config.TopologyLoader;

/**
 * A topology as a scenario every member can build for itself: it carries only the validated
 * topology's resolved form; each JVM rebuilds the same network and placement from it, once.
 */
public record TopologyScenario(String resolvedJson) implements Scenario {
    /** What a JVM built from a resolved topology; weak keys: it goes with the scenario. */
    private static final class Built {
        final Topology topology;
        NetworkBuilder.Network network;
        Placement placement;
        int[] unitOf;
        Map<Integer, List<String[]>> probes;

        Built(Topology topology) {
            this.topology = topology;
        }
    }

    private static final Map<String, Built> BUILT = Collections.synchronizedMap(new WeakHashMap<>());

    public static TopologyScenario of(Topology topology) {
        TopologyScenario scenario = new TopologyScenario(topology.resolvedJson());
        BUILT.putIfAbsent(scenario.resolvedJson(), new Built(topology));
        return scenario;
    }

    private Built built() {
        synchronized (BUILT) {
            Built b = BUILT.get(resolvedJson);
            if (b == null) {
                try {
                    b = new Built(TopologyLoader.fromResolved(resolvedJson));
                } catch (TopologyException e) {
                    throw new IllegalStateException("the shipped topology does not load: " + e.getMessage(), e);
                }
                BUILT.put(resolvedJson, b);
            }
            return b;
        }
    }

    public Topology topology() {
        return built().topology;
    }

    /** After a run: the network's scenario lets go of the LPs it created (the results need only their reports). */
    public void forgetLps() {
        Built b = built();
        synchronized (b) {
            if (b.network != null) b.network.scenario().forgetLps();
        }
    }

    public NetworkBuilder.Network network() {
        Built b = built();
        synchronized (b) {
            if (b.network == null) b.network = NetworkFactory.build(b.topology);
            return b.network;
        }
    }

    // resolved once: matching every series against every LP's scope is quadratic in the LPs
    private Map<Integer, List<String[]>> probes() {
        Built b = built();
        NetworkBuilder.Network network = network();
        synchronized (b) {
            if (b.probes == null) b.probes = SeriesProbes.resolve(b.topology.record(), network.scopes(), new java.util.ArrayList<>());
            return b.probes;
        }
    }

    /** The placement over {@code partitions}: which partition each node and LP runs in, and the cut. */
    public Placement placement(int partitions) {
        Built b = built();
        NetworkBuilder.Network network = network();
        synchronized (b) {
            if (b.placement == null || b.placement.partitions() != partitions) {
                b.placement = Placement.place(b.topology, network, partitions);
            }
            return b.placement;
        }
    }

    @Override
    public LpGraph graph() {
        return network().scenario().graph();
    }

    @Override
    public long seed() {
        return topology().seed();
    }

    @Override
    public long endTime() {
        return topology().durationNs();
    }

    @Override
    public LogicalProcess createLp(int lpId) {
        LogicalProcess lp = network().scenario().createLp(lpId);
        Topology t = topology();
        List<String[]> probes = probes().get(lpId);
        if (probes != null) lp.recordSeries(t.record().intervalNs(), probes);
        return lp;
    }

    /** One unit per machine or switch: its LPs and the link directions it transmits on (their owner). */
    @Override
    public int[] unitOf() {
        Built b = built();
        NetworkBuilder.Network network = network();
        synchronized (b) {
            if (b.unitOf == null) {
                int[] of = new int[network.owners().size()];
                Map<String, Integer> unitOfOwner = new java.util.HashMap<>();
                network.owners().forEach((lp, owner) -> of[lp] = unitOfOwner.computeIfAbsent(owner, o -> unitOfOwner.size()));
                b.unitOf = of;
            }
            return b.unitOf;
        }
    }

    @Override
    public int[] partitionOf(int partitions) {
        return placement(partitions).partitionOfLp();
    }
}
