package knetsim.core.engine;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a partition's scheduler does with one group's report, without the actors: {@link GroupHorizons}
 * takes the report, works out every group's bound ({@link GroupClocks}' shortest paths) and scans every
 * group for an Advance, as {@code PartitionScheduler.advance} does. The scheduler is one actor per
 * partition, so this is serial work whatever the number of threads; it grows with the groups (four per
 * dispatcher thread), on a star of groups like S4's cut: the core router's group and one per edge subtree,
 * 500 us apart. Run in the engine's package (the classes are package-private) with
 * {@code java -cp bench/target/knetsim-bench.jar org.openjdk.jmh.Main SchedulerReportBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class SchedulerReportBenchmark {
    @Param({"21", "64", "128"})
    public int groups;

    private GroupHorizons horizons;
    private SplittableRandom random;
    private long clock;

    @Setup
    public void setup() {
        LpGraph.Builder b = new LpGraph.Builder(groups);
        for (int g = 1; g < groups; g++) b.edge(0, g, 500_000).edge(g, 0, 500_000);
        int[] partitionOf = new int[groups];
        int[] groupOf = new int[groups];
        for (int g = 0; g < groups; g++) groupOf[g] = g;
        GroupClocks clocks = new GroupClocks(b.build(), partitionOf, 0, groupOf, groups);
        horizons = new GroupHorizons(clocks, groups, 500_000, 1_000_000, false, 256);
        random = new SplittableRandom(1);
        for (int g = 0; g < groups; g++) horizons.reported(g, random.nextInt(1_000_000));
    }

    /** One report: a group's clock moves on, every bound is worked out again and every group is looked at. */
    @Benchmark
    public long report() {
        int g = random.nextInt(groups);
        clock += 10;
        horizons.reported(g, clock + random.nextInt(1_000_000), 256);
        horizons.plan();
        long any = 0;
        for (int x = 0; x < groups; x++) any += horizons.horizon(x, Long.MAX_VALUE);
        return any;
    }
}
