package knetsim.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import knetsim.core.time.SimTime;

/**
 * A scenario wired from LP factories inside one JVM, for tests and embedding. It keeps the LPs it
 * creates so the caller can inspect their state after a run. Its factories are code, not data, so
 * it cannot be shipped to other JVMs: multi-JVM runs need a Kryo-registered description.
 */
public final class InMemoryScenario implements Scenario {
    private final LpGraph graph;
    private final long seed;
    private final long endTime;
    private final List<Supplier<? extends LogicalProcess>> factories;
    private final LogicalProcess[] created;

    private InMemoryScenario(Builder b) {
        this.graph = b.graph.build();
        this.seed = b.seed;
        this.endTime = b.endTime;
        this.factories = List.copyOf(b.factories);
        this.created = new LogicalProcess[factories.size()];
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public LpGraph graph() {
        return graph;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public long endTime() {
        return endTime;
    }

    @Override
    public synchronized LogicalProcess createLp(int lpId) {
        LogicalProcess lp = factories.get(lpId).get();
        created[lpId] = lp;
        return lp;
    }

    /**
     * Lets go of the LPs it keeps, once nobody will inspect them: a launcher writing a 100,000-host run's results
     * otherwise holds the whole model (every host, queue and link) until it exits. Later runs create new ones.
     */
    public synchronized void forgetLps() {
        java.util.Arrays.fill(created, null);
    }

    /** The LP most recently created for {@code lpId}. */
    @SuppressWarnings("unchecked")
    public synchronized <T extends LogicalProcess> T lp(int lpId) {
        if (created[lpId] == null) throw new IllegalStateException("LP " + lpId + " has not been created yet");
        return (T) created[lpId];
    }

    /** Ids are handed out in order; reserve one to refer to an LP before defining it. */
    public static final class Builder {
        private final List<Supplier<? extends LogicalProcess>> factories = new ArrayList<>();
        private final List<long[]> edges = new ArrayList<>();
        private LpGraph.Builder graph;
        private long seed = 1;
        private long endTime = SimTime.NEVER;

        public int reserve() {
            factories.add(null);
            return factories.size() - 1;
        }

        public Builder define(int lpId, Supplier<? extends LogicalProcess> factory) {
            if (factories.get(lpId) != null) throw new IllegalStateException("LP " + lpId + " is already defined");
            factories.set(lpId, factory);
            return this;
        }

        public int add(Supplier<? extends LogicalProcess> factory) {
            int id = reserve();
            define(id, factory);
            return id;
        }

        public Builder edge(int from, int to, long minDelay) {
            edges.add(new long[] {from, to, minDelay});
            return this;
        }

        public Builder seed(long runSeed) {
            this.seed = runSeed;
            return this;
        }

        public Builder endTime(long end) {
            this.endTime = end;
            return this;
        }

        public InMemoryScenario build() {
            for (int i = 0; i < factories.size(); i++) {
                if (factories.get(i) == null) throw new IllegalStateException("LP " + i + " was reserved but never defined");
            }
            graph = new LpGraph.Builder(factories.size());
            for (long[] e : edges) graph.edge((int) e[0], (int) e[1], e[2]);
            return new InMemoryScenario(this);
        }
    }
}
