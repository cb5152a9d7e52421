package knetsim.core.selftest;

import java.util.SplittableRandom;
import knetsim.core.engine.LogicalProcess;
import knetsim.core.engine.LpGraph;
import knetsim.core.engine.Scenario;
import knetsim.core.time.SimTime;

/**
 * The synthetic graph behind {@code knetsim selftest}: {@code lps} LPs on a ring plus
 * {@code crossEdgesPerLp} seeded random edges each, every edge with a minimum delay drawn from
 * [minEdgeDelay, maxEdgeDelay]. Each LP starts {@code tokensPerLp} tokens that hop
 * {@code hopsPerToken} times, so the run processes exactly lps * tokensPerLp * (hopsPerToken + 1)
 * events, and ends when none is left.
 */
public record SelftestScenario(int lps, int crossEdgesPerLp, int tokensPerLp, int hopsPerToken, long seed,
                               long minEdgeDelay, long maxEdgeDelay, long jitter) implements Scenario {

    public SelftestScenario {
        if (lps < 2) throw new IllegalArgumentException("selftest needs at least 2 LPs, got " + lps);
        if (crossEdgesPerLp < 0 || tokensPerLp < 1 || hopsPerToken < 0) {
            throw new IllegalArgumentException("selftest needs cross edges >= 0, tokens >= 1 and hops >= 0");
        }
        if (minEdgeDelay <= 0 || maxEdgeDelay < minEdgeDelay || jitter < 0) {
            throw new IllegalArgumentException("selftest edge delays must satisfy 0 < min <= max and jitter >= 0");
        }
        // hops * (max + jitter) must stay far below SimTime.NEVER: at most 2^31 hops of 2 s.
        if (maxEdgeDelay > SimTime.SECOND || jitter > SimTime.SECOND) {
            throw new IllegalArgumentException("selftest edge delays and jitter must be at most 1s");
        }
    }

    /** The defaults of the CLI: delays of 10-20 us plus up to 10 us of jitter. */
    public static SelftestScenario withEvents(int lps, long events, long seed) {
        int tokens = 8;
        long tokenCount = (long) lps * tokens;
        long perToken = Math.max(1, events / tokenCount + (events % tokenCount == 0 ? 0 : 1));
        if (perToken - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(events + " events over " + lps + " LPs need more than 2^31 hops per"
                    + " token; use more LPs");
        }
        return new SelftestScenario(lps, 2, tokens, (int) (perToken - 1), seed,
                10 * SimTime.MICROSECOND, 20 * SimTime.MICROSECOND, 10 * SimTime.MICROSECOND);
    }

    public long expectedEvents() {
        return (long) lps * tokensPerLp * (hopsPerToken + 1L);
    }

    @Override
    public LpGraph graph() {
        SplittableRandom random = new SplittableRandom(mix(seed ^ 0x5E1F7E57L));
        LpGraph.Builder graph = new LpGraph.Builder(lps);
        for (int lp = 0; lp < lps; lp++) {
            graph.edge(lp, (lp + 1) % lps, delay(random));
            for (int k = 0; k < crossEdgesPerLp; k++) {
                int to = random.nextInt(lps - 1);
                graph.edge(lp, to >= lp ? to + 1 : to, delay(random));
            }
        }
        return graph.build();
    }

    private long delay(SplittableRandom random) {
        return minEdgeDelay + random.nextLong(maxEdgeDelay - minEdgeDelay + 1);
    }

    @Override
    public long endTime() {
        return SimTime.NEVER;
    }

    @Override
    public LogicalProcess createLp(int lpId) {
        return new TokenLp(this);
    }

    /** SplitMix64's finaliser: a cheap, well-spread, platform-independent hash step. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
