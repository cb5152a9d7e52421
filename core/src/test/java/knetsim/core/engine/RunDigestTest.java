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

    // SplitMix64's finaliser, as the trace folds with it
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // The trace's definition, written out: SHA-256 over one 8-byte fold of (origin seq, origin lp, payload kind,
    // time, fingerprint) per event, nothing else (the LP's id is hashed by combine()).
    private static byte[] expected(int events) {
        MessageDigest md = RunDigest.sha256();
        for (int i = 0; i < events; i++) {
            long h = mix(i / 5);
            h = mix(h ^ ((long) (i % 5) << 32 | (Tick.class.getName().hashCode() & 0xFFFFFFFFL)));
            h = mix(h ^ (1_000L * i));
            md.update(ByteBuffer.allocate(8).putLong(mix(h ^ new Tick(i).fingerprint())).array());
        }
        return md.digest();
    }

    @Test
    void bufferingAndGrowingTheBufferDoNotChangeTheDigest() {
        // 0 events, fewer than the first buffer, every growth step, and many flushes of the largest buffer
        for (int events : new int[] {0, 1, 3, 4, 5, 8, 9, 127, 128, 129, 256, 257, 1_000}) {
            RunDigest.LpTrace trace = new RunDigest.LpTrace(42);
            for (int i = 0; i < events; i++) trace.record(new Event(1_000L * i, i % 5, i / 5, 42, new Tick(i)));
            assertArrayEquals(expected(events), trace.finish(), events + " events");
        }
    }
}
