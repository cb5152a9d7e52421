package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class RunDigestTest {
    record Tick(long value) implements Payload {
        @Override
        public long fingerprint() {
            return value * 31 + 7;
        }
    }

    // The trace's definition, written out: SHA-256 over one 36-byte record per event, nothing else.
    private static byte[] expected(int lp, int events) {
        MessageDigest md = RunDigest.sha256();
        for (int i = 0; i < events; i++) {
            ByteBuffer r = ByteBuffer.allocate(36);
            r.putLong(1_000L * i).putInt(lp).putInt(i % 5).putLong(i / 5).putInt(Tick.class.getName().hashCode())
                    .putLong(new Tick(i).fingerprint());
            md.update(r.array());
        }
        return md.digest();
    }

    @Test
    void bufferingAndGrowingTheBufferDoNotChangeTheDigest() {
        // 0 events, fewer than the first buffer, every growth step, and many flushes of the largest buffer
        for (int events : new int[] {0, 1, 3, 4, 5, 8, 9, 31, 32, 33, 64, 65, 1_000}) {
            RunDigest.LpTrace trace = new RunDigest.LpTrace(42);
            for (int i = 0; i < events; i++) trace.record(new Event(1_000L * i, i % 5, i / 5, 42, new Tick(i)));
            assertArrayEquals(expected(42, events), trace.finish(), events + " events");
        }
    }
}
