package knetsim.node.tcp;

/**
 * The options of one TCP header as tcp_parse_options() reads them and tcp_options_write() writes
 * them (MSS, window scale, SACK permitted, timestamps, SACK blocks); -1 or false: absent.
 * {@code sackBlocks} holds start/end sequence pairs (unsigned 32-bit values in longs), at most 4 blocks.
 */
public record TcpOptions(int mss, int wscale, boolean sackPermitted, boolean timestamps, long tsVal, long tsEcr,
                         long[] sackBlocks) {
    public static final TcpOptions NONE = new TcpOptions(-1, -1, false, false, 0, 0, new long[0]);

    public TcpOptions {
        if (sackBlocks == null || sackBlocks.length % 2 != 0 || sackBlocks.length > 8) {
            throw new IllegalArgumentException("sack blocks are start/end pairs, at most 4");
        }
    }

    public int sackBlockCount() {
        return sackBlocks.length / 2;
    }
}
