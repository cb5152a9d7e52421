package knetsim.bench;

import java.util.concurrent.TimeUnit;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.selftest.SelftestScenario;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The plain sequential event loop on a small selftest graph. One invocation runs the whole
 * scenario; {@link OperationsPerInvocation} makes JMH's ops/s read as events/s. Run with
 * {@code java -cp bench/target/knetsim-bench.jar org.openjdk.jmh.Main EventQueueBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@State(Scope.Benchmark)
public class EventQueueBenchmark {
    static final int LPS = 200;
    static final int EVENTS = 200_000;

    private SelftestScenario scenario;
    private String digest;

    @Setup
    public void setup() {
        scenario = SelftestScenario.withEvents(LPS, EVENTS, 42);
        if (scenario.expectedEvents() != EVENTS) {
            throw new IllegalStateException("scenario has " + scenario.expectedEvents() + " events, not " + EVENTS
                    + ": ops/s would not be events/s");
        }
        digest = SequentialEngine.run(scenario).digest();
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void sequentialLoop(Blackhole bh) {
        SequentialEngine.Result result = SequentialEngine.run(scenario);
        if (result.events() != EVENTS || !result.digest().equals(digest)) {
            throw new IllegalStateException("wrong run: " + result + ", expected digest " + digest);
        }
        bh.consume(result.digest());
    }
}
