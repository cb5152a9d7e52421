package knetsim.node.udp;

/**
 * STOPGAP, to be replaced by {@code knetsim.node.ipv4.InternetChecksum} when that branch is merged: the RFC 1071
 * one's complement sum, kept package-private so nothing outside UDP comes to depend on it.
 */
final class Rfc1071 {
    private Rfc1071() {
    }

    /**
     * Adds {@code b[off..off+len-1]} as big-endian 16-bit words to {@code sum}, an odd last byte padded with a zero
     * byte (csum_partial()). The sum is kept unfolded in a long, which cannot overflow for any Java array.
     */
    static long add(long sum, byte[] b, int off, int len) {
        int end = off + len;
        int at = off;
        for (; at + 1 < end; at += 2) {
            sum += ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
        }
        if (at < end) {
            sum += (b[at] & 0xff) << 8;
        }
        return sum;
    }

    /** Adds a 32-bit value, such as an IPv4 address, as two 16-bit words. */
    static long addInt(long sum, int value) {
        return sum + (value >>> 16) + (value & 0xffff);
    }

    /** Folds the carries back in (csum_fold() without the final inversion): a 16-bit one's complement sum. */
    static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }
}
