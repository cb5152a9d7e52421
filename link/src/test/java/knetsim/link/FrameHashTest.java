package knetsim.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bytes' fingerprint in the run digest: a function of the window's bytes only, and blind to no bit. */
class FrameHashTest {
    @Test
    void everySingleBitFlipChangesTheHashAtEveryLength() {
        SplittableRandom random = new SplittableRandom(3);
        // 0..100 bytes: the 32-byte lanes, the 8-byte words and the last bytes all take part
        for (int length = 0; length <= 100; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            long original = Frame.hashOf(bytes);
            for (int bit = 0; bit < length * 8; bit++) {
                bytes[bit / 8] ^= (byte) (1 << (bit % 8));
                assertNotEquals(original, Frame.hashOf(bytes), "length " + length + ", bit " + bit);
                bytes[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            assertEquals(original, Frame.hashOf(bytes));
        }
    }

    @Test
    void aWindowHashesAsACopyOfIt() {
        SplittableRandom random = new SplittableRandom(5);
        byte[] bytes = new byte[1600];
        random.nextBytes(bytes);
        for (int i = 0; i < 500; i++) {
            int from = random.nextInt(bytes.length);
            int to = from + random.nextInt(bytes.length - from + 1);
            assertEquals(Frame.hashOf(Arrays.copyOfRange(bytes, from, to)), Frame.hashOf(bytes, from, to));
        }
    }

    @Test
    void zerosOfDifferentLengthsAndSwappedWordsDiffer() {
        Set<Long> seen = new HashSet<>();
        for (int length = 0; length <= 2000; length++) seen.add(Frame.hashOf(new byte[length]));
        assertEquals(2001, seen.size(), "the length takes part");
        byte[] a = new byte[64];
        a[0] = 1;
        byte[] b = new byte[64];
        b[8] = 1; // the same word in the next position
        assertNotEquals(Frame.hashOf(a), Frame.hashOf(b));
    }

    @Test
    void aFrameCarriesTheHashOfItsBytesWhateverTheFcs() {
        byte[] bytes = new byte[60];
        bytes[13] = 0x42;
        Frame good = new Frame(bytes, true);
        assertEquals(Frame.hashOf(bytes), good.bytesHash());
        assertEquals(good.bytesHash(), good.withBadFcs().bytesHash());
        assertNotEquals(good.fingerprint(), good.withBadFcs().fingerprint());
    }
}
