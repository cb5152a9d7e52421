package knetsim.core.cluster;

import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.LpGraph;
import knetsim.core.engine.Scenario;
import knetsim.core.selftest.SelftestScenario;

/** A selftest carrying {@code padding} bytes it never uses: a scenario as big as a large topology's. */
public record PaddedScenario(SelftestScenario inner, byte[] padding) implements Scenario {
    @Override
    public LpGraph graph() {
        return inner.graph();
    }

    @Override
    public long seed() {
        return inner.seed();
    }

    @Override
    public long endTime() {
        return inner.endTime();
    }

    @Override
    public LogicalProcess createLp(int lpId) {
        return inner.createLp(lpId);
    }
}
