package knetsim.node.ipv4;

import java.util.Objects;

/**
 * The RFC 1071 Internet checksum, split the way the kernel's csum_partial()/csum_add()/csum_fold() split it, so a
 * pseudo header and a payload can be summed separately and a forwarded header patched without a full recompute.
 * A "partial sum" here is the 16-bit one's-complement sum of big-endian words, not yet complemented.
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /**
     * csum_partial(): the one's-complement sum of {@code b[off..off+len-1]} taken as big-endian 16-bit words, an odd
     * last byte padded with a zero byte (RFC 1071 section 4.1). Only the last range of a message may be odd, since
     * a range starting at an odd position would put its bytes in the wrong half of each word.
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code b}
     */
    public static int partial(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        // A long cannot overflow: 2^47 words of 0xffff would be needed, and arrays are at most 2^31 bytes.
        long sum = 0;
        int end = off + len - 1;
        int at = off;
        for (; at < end; at += 2) {
            sum += ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
        }
        if (at == end) {
            sum += (b[at] & 0xff) << 8;
        }
        return reduce(sum);
    }

    /** csum_add(): one's-complement addition of two partial sums, e.g. a pseudo header's and a segment's. */
    public static int add(int partialA, int partialB) {
        return reduce((partialA & 0xffffL) + (partialB & 0xffffL));
    }

    /** The partial sum of one 16-bit word, for fields (lengths, protocol numbers) that are not in a buffer. */
    public static int word(int value) {
        return value & 0xffff;
    }

    /** csum_fold(): folds any running sum to 16 bits and complements it, giving the value to put on the wire. */
    public static int fold(long sum) {
        return ~reduce(sum) & 0xffff;
    }

    /** The checksum to write into a field that was zero while {@code b[off..off+len-1]} was summed. */
    public static int compute(byte[] b, int off, int len) {
        return fold(partial(b, off, len));
    }

    /**
     * Whether a range that includes its own checksum field sums to all ones, the receive-side check of
     * ip_fast_csum() and skb_checksum_simple_validate().
     */
    public static boolean isValid(byte[] b, int off, int len) {
        return compute(b, off, len) == 0;
    }

    /**
     * RFC 1624 equation 3, HC' = ~(~HC + ~m + m'): the checksum after one 16-bit word changes from {@code oldWord}
     * to {@code newWord}. Unlike RFC 1141's HC + m - m' it never yields 0xffff for a header that summed to
     * non-zero, so it agrees with a recomputation (ip_decrease_ttl() relies on the same arithmetic).
     */
    public static int update(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xffffL) + (~oldWord & 0xffffL) + (newWord & 0xffffL);
        return fold(sum);
    }

    /** Folds carries back in until the sum fits 16 bits: the end-around carry of one's-complement addition. */
    private static int reduce(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }
}
