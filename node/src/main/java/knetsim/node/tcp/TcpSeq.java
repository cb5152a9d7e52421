package knetsim.node.tcp;

/** Sequence-number arithmetic modulo 2^32 (include/net/tcp.h: before(), after(), between()). */
public final class TcpSeq {
    private TcpSeq() {}

    /** before(): seq1 comes before seq2 in sequence space. */
    public static boolean before(long seq1, long seq2) {
        return (int) (seq1 - seq2) < 0;
    }

    /** after(). */
    public static boolean after(long seq1, long seq2) {
        return before(seq2, seq1);
    }

    /** between(): seq2 <= seq1 <= seq3. */
    public static boolean between(long seq1, long seq2, long seq3) {
        return ((seq3 - seq2) & 0xffffffffL) >= ((seq1 - seq2) & 0xffffffffL);
    }

    /** seq + n modulo 2^32. */
    public static long add(long seq, long n) {
        return (seq + n) & 0xffffffffL;
    }

    /** The distance from {@code from} to {@code to} (to - from) as a signed int. */
    public static int diff(long to, long from) {
        return (int) (to - from);
    }
}
