package knetsim.node.ipv4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void rfc1071WorkedExample() {
        // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to 0xddf2 after the end-around carries.
        byte[] b = HEX.parseHex("0001f203f4f5f6f7");
        assertEquals(0xddf2, InternetChecksum.partial(b, 0, b.length));
        assertEquals(0x220d, InternetChecksum.compute(b, 0, b.length));
    }

    @Test
    void knownIpv4Header() {
        // The header used by Wikipedia's "IPv4 header checksum" article: UDP from 192.168.0.1 to 192.168.0.199.
        byte[] b = HEX.parseHex("450000730000400040110000c0a80001c0a800c7");
        assertEquals(0xb861, InternetChecksum.compute(b, 0, b.length));
        b[10] = (byte) 0xb8;
        b[11] = 0x61;
        assertTrue(InternetChecksum.isValid(b, 0, b.length));
        b[19] ^= 1;
        assertFalse(InternetChecksum.isValid(b, 0, b.length));
    }

    @Test
    void anOddLastByteIsPaddedOnTheRight() {
        assertEquals(0xab00, InternetChecksum.partial(new byte[] {(byte) 0xab}, 0, 1));
        assertEquals(0x0102 + 0x0300, InternetChecksum.partial(new byte[] {1, 2, 3}, 0, 3));
        assertEquals(0, InternetChecksum.partial(new byte[4], 2, 0));
    }

    @Test
    void foldComplementsAndCarries() {
        assertEquals(0xffff, InternetChecksum.fold(0));
        assertEquals(0x0000, InternetChecksum.fold(0xffff));
        // 0x1_fffe folds to 0xffff, whose complement is zero.
        assertEquals(0x0000, InternetChecksum.fold(0x1fffeL));
        assertEquals(~0x0003 & 0xffff, InternetChecksum.fold(0x2_0001L));
    }

    @Test
    void aRangeOutsideTheArrayIsTheCallersBug() {
        assertThrows(IndexOutOfBoundsException.class, () -> InternetChecksum.partial(new byte[4], 3, 2));
    }

    /** The same sum written naively over a zero-padded copy: an independent oracle. */
    private static int naive(byte[] b) {
        long sum = 0;
        for (int i = 0; i < b.length; i += 2) {
            int high = b[i] & 0xff;
            int low = i + 1 < b.length ? b[i + 1] & 0xff : 0;
            sum += high * 256 + low;
        }
        return (int) (sum % 0xffff == 0 && sum != 0 ? 0xffff : sum % 0xffff);
    }

    @Property
    void partialIsTheOnesComplementSum(@ForAll @Size(max = 3000) byte[] b) {
        assertEquals(naive(b), InternetChecksum.partial(b, 0, b.length));
    }

    @Property
    void partialSumsCombineWhenTheFirstRangeIsEven(@ForAll @Size(max = 200) byte[] b, @ForAll @IntRange(max = 100) int half) {
        int split = Math.min(2 * half, b.length & ~1);
        int whole = InternetChecksum.partial(b, 0, b.length);
        int combined = InternetChecksum.add(InternetChecksum.partial(b, 0, split),
                InternetChecksum.partial(b, split, b.length - split));
        // 0x0000 and 0xffff are both one's-complement zero; only all-zero input gives 0x0000 from partial().
        assertEquals(whole == 0xffff ? 0 : whole, combined == 0xffff ? 0 : combined);
    }

    @Property
    void aComputedChecksumMakesTheRangeValid(@ForAll @Size(min = 2, max = 200) byte[] b,
                                             @ForAll @IntRange(max = 99) int field) {
        int at = Math.min(2 * field, (b.length - 2) & ~1);
        b[at] = 0;
        b[at + 1] = 0;
        int check = InternetChecksum.compute(b, 0, b.length);
        b[at] = (byte) (check >>> 8);
        b[at + 1] = (byte) check;
        assertTrue(InternetChecksum.isValid(b, 0, b.length));
    }

    @Provide
    Arbitrary<Ipv4Header> headers() {
        return Ipv4Arbitraries.headers();
    }

    @Property
    void incrementalUpdateEqualsRecomputationForATtlDecrement(@ForAll("headers") Ipv4Header header) {
        if (header.ttl() == 0) return;
        byte[] b = new byte[header.length()];
        header.emit(b, 0);
        int oldWord = ((b[8] & 0xff) << 8) | (b[9] & 0xff);
        int oldCheck = ((b[10] & 0xff) << 8) | (b[11] & 0xff);
        int updated = InternetChecksum.update(oldCheck, oldWord, oldWord - 0x100);

        byte[] again = new byte[header.length()];
        Ipv4Arbitraries.withTtl(header, header.ttl() - 1).emit(again, 0);
        assertEquals(((again[10] & 0xff) << 8) | (again[11] & 0xff), updated);
    }

    @Property
    void updateAgreesWithTheKernelsIpDecreaseTtlArithmetic(@ForAll @IntRange(max = 0xffff) int check) {
        // ip_decrease_ttl(): check += htons(0x0100); check + (check >= 0xffff), stored as 16 bits.
        int kernel = check + 0x0100;
        kernel = (kernel + (kernel >= 0xffff ? 1 : 0)) & 0xffff;
        // The kernel's form only matches RFC 1624 when the checksum is not 0xffff, which a real header never has.
        if (check == 0xffff) return;
        assertEquals(kernel, InternetChecksum.update(check, 0x4011, 0x3f11));
    }
}
