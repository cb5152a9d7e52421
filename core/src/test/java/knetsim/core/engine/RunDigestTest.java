package knetsim.core.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import knetsim.core.time.SimTime;
import org.junit.jupiter.api.Test;

class RunDigestTest {
    record Tick(long value) implements Payload {
        @Override
        public long fingerprint() {
            return value * 31 + 7;
        }
    }

    record Tock(long value) implements Payload {
        @Override
        public long fingerprint() {
            return value ^ 0x55;
        }
    }

    record Tuck(long value) implements Payload {
        @Override
        public long fingerprint() {
            return -value;
        }
    }

    // SplitMix64's finaliser, as the trace folds with it
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    // event i: at 1000*i ns from LP i % 5 with sequence i / 5; its payload's class follows the pattern
    private static Payload payload(int i, String pattern) {
        return switch (pattern.charAt(i % pattern.length())) {
            case 'a' -> new Tick(i);
            case 'b' -> new Tock(i);
            default -> new Tuck(i);
        };
    }

    // The trace's definition, written out: SHA-256 over one 8-byte fold of (origin seq, origin lp, payload kind,
    // time, fingerprint) per event, nothing else (the LP's id is hashed by combine()).
    private static byte[] expected(int events, String pattern) {
        MessageDigest md = RunDigest.sha256();
        for (int i = 0; i < events; i++) {
            Payload p = payload(i, pattern);
            long h = mix(i / 5);
            h = mix(h ^ ((long) (i % 5) << 32 | (p.getClass().getName().hashCode() & 0xFFFFFFFFL)));
            h = mix(h ^ (1_000L * i));
            md.update(ByteBuffer.allocate(8).putLong(mix(h ^ p.fingerprint())).array());
        }
        return md.digest();
    }

    // The digest an LP (id 5) reports after processing those events, as the engines drive it.
    private static byte[] traced(int events, String pattern) {
        LogicalProcess lp = new LogicalProcess() {
            @Override
            protected void onStart() {}

            @Override
            protected void onEvent(Payload payload) {}
        };
        lp.attach(5, new LpGraph.Builder(6).build(), 1, SimTime.NEVER);
        lp.start();
        for (int i = 0; i < events; i++) {
            lp.enqueue(new Event(1_000L * i, i % 5, i / 5, 5, payload(i, pattern)));
            lp.processNext();
        }
        return lp.finish();
    }

    @Test
    void bufferingAndGrowingTheBufferDoNotChangeTheDigest() {
        // 0 events, fewer than the first buffer, every growth step, and many hashings of the largest buffer
        for (int events : new int[] {0, 1, 3, 4, 5, 8, 9, 127, 128, 129, 256, 257, 1_000}) {
            assertArrayEquals(expected(events, "a"), traced(events, "a"), events + " events");
        }
    }

    /** The LP remembers the last two payload classes: alternating two, cycling three and runs of one. */
    @Test
    void thePayloadKindIsRightWhicheverClassCameBefore() {
        for (String pattern : new String[] {"ab", "abc", "aab", "abbcca", "aaabbbcccbba"}) {
            assertArrayEquals(expected(300, pattern), traced(300, pattern), pattern);
        }
    }
}
