package knetsim.core.engine;

import knetsim.core.selftest.SelftestScenario;

/**
 * The selftest with LPs in execution units of {@code perUnit} consecutive ids, and partitions cut
 * at unit boundaries: every edge inside a unit becomes an edge the unit's loop runs, not a window.
 */
public record UnitsOfScenario(SelftestScenario inner, int perUnit) implements Scenario {
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

    @Override
    public int[] unitOf() {
        int[] of = new int[inner.lps()];
        for (int lp = 0; lp < of.length; lp++) of[lp] = lp / perUnit;
        return of;
    }

    @Override
    public int[] partitionOf(int partitions) {
        int[] unit = unitOf();
        int units = unit[unit.length - 1] + 1;
        int[] of = new int[unit.length];
        for (int lp = 0; lp < of.length; lp++) of[lp] = (int) ((long) unit[lp] * partitions / units);
        return of;
    }
}
