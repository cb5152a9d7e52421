package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import knetsim.core.cluster.ClusterRun;
import knetsim.core.run.RunResult;
import knetsim.core.time.SimTime;
import org.junit.jupiter.api.Test;

/**
 * A burst across the partition boundary bigger than Artery's frame (256 KiB, 258,048 bytes after the
 * envelope) goes in several EventBatch messages, cut by their estimated bytes and not only by their count
 * of events: what a cut 10 Gb/s cable carries in a window of a few hundred microseconds. The run gives the
 * sequential loop's digest.
 */
public class CrossPartitionBurstTest {
    /** A frame-sized payload whose size hint is its bytes, as a link's Frame reports. */
    public record Chunk(int n, byte[] bytes) implements Payload {
        @Override
        public long fingerprint() {
            return n * 1_000_003L + Arrays.hashCode(bytes);
        }

        @Override
        public int sizeHint() {
            return bytes.length + 16;
        }
    }

    /**
     * Four LPs, two per partition: at time 0 LP 0 sends {@code count} chunks of {@code bytes} bytes to LP 2 (the other
     * partition), which sends each back to LP 1 one microsecond later.
     */
    public record Burst(int count, int bytes) implements Scenario {
        @Override
        public LpGraph graph() {
            LpGraph.Builder b = new LpGraph.Builder(4);
            b.edge(0, 2, SimTime.MICROSECOND);
            b.edge(2, 1, SimTime.MICROSECOND);
            return b.build();
        }

        @Override
        public long seed() {
            return 11;
        }

        @Override
        public long endTime() {
            return SimTime.MILLISECOND;
        }

        @Override
        public LogicalProcess createLp(int lpId) {
            return new LogicalProcess() {
                @Override
                protected void onStart() {
                    if (lpId != 0) return;
                    for (int i = 0; i < count; i++) {
                        byte[] data = new byte[bytes];
                        for (int j = 0; j < data.length; j++) data[j] = (byte) (i * 31 + j * 7);
                        send(2, SimTime.MICROSECOND, new Chunk(i, data));
                    }
                }

                @Override
                protected void onEvent(Payload payload) {
                    if (lpId == 2) send(1, SimTime.MICROSECOND, payload);
                }
            };
        }
    }

    @Test
    void aBurstBiggerThanTheFrameCrossesThePartitionsAndGivesTheSequentialDigest() throws Exception {
        Burst burst = new Burst(400, 1500); // about 600 KB in one round each way: 2.3 frames
        SequentialEngine.Result reference = SequentialEngine.run(burst);
        assertEquals(800, reference.events());
        RunResult result = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> ClusterRun.run(burst, new ClusterRun.Options(2, 1)));
        assertEquals(reference.digest(), result.digest());
        assertEquals(reference.events(), result.events());
        assertEquals(reference.lastEventTime(), result.lastEventTime());
    }

    @Test
    void theBatchBudgetIsHalfTheFrameLessTheEnvelopeAt128KiBAtMost() {
        assertEquals((256 * 1024 - 4096) / 2, PeerBatches.batchBytes(frame("256KiB")));
        assertEquals((64 * 1024 - 4096) / 2, PeerBatches.batchBytes(frame("64KiB")));
        assertEquals(128 * 1024, PeerBatches.batchBytes(frame("1MiB")));
        assertEquals(128 * 1024, PeerBatches.batchBytes(com.typesafe.config.ConfigFactory.empty()));
    }

    private static com.typesafe.config.Config frame(String size) {
        return com.typesafe.config.ConfigFactory.parseString("akka.remote.artery.advanced.maximum-frame-size = " + size);
    }
}
