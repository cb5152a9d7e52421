package knetsim.node.nic;

import knetsim.link.Frame;
import knetsim.link.Link;

/**
 * Receive-side scaling as a NIC does it: a Toeplitz hash over the IPv4 addresses and, for TCP and
 * UDP, the ports, then an indirection table of 128 entries filled round-robin over the queues
 * (ethtool's default). Linux fills the key at random per boot (netdev_rss_key_fill); a simulator
 * must be reproducible, so the key is the fixed one of Microsoft's RSS verification suite.
 * Frames that are not IPv4, and IPv4 fragments, hash on addresses only or go to queue 0.
 */
public final class Rss implements Link.Steering {
    public static final byte[] VERIFICATION_KEY = {
            0x6d, 0x5a, 0x56, (byte) 0xda, 0x25, 0x5b, 0x0e, (byte) 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, (byte) 0xa3,
            (byte) 0x8f, (byte) 0xb0, (byte) 0xd0, (byte) 0xca, 0x2b, (byte) 0xcb, (byte) 0xae, 0x7b, 0x30, (byte) 0xb4,
            0x77, (byte) 0xcb, 0x2d, (byte) 0xa3, (byte) 0x80, 0x30, (byte) 0xf2, 0x0c, 0x6a, 0x42, (byte) 0xb7, 0x3b,
            (byte) 0xbe, (byte) 0xac, 0x01, (byte) 0xfa};
    public static final int INDIRECTION_TABLE_SIZE = 128;
    private static final int IPPROTO_TCP = 6, IPPROTO_UDP = 17;

    public static final Rss DEFAULT = new Rss();

    @Override
    public int queueFor(Frame frame, int queues) {
        int hash = hash(frame.bytes());
        // The indirection table entry i holds queue i % queues.
        return (int) ((hash & 0xffffffffL) % INDIRECTION_TABLE_SIZE) % queues;
    }

    /** The RSS hash of an Ethernet frame, 0 when it carries no IPv4 header to hash. */
    public static int hash(byte[] frame) {
        int l3 = 14;
        if (frame.length < l3 + 20 || (frame[12] & 0xff) != 0x08 || frame[13] != 0x00) return 0;
        if ((frame[l3] >> 4) != 4) return 0;
        int ihl = (frame[l3] & 0x0f) * 4;
        int protocol = frame[l3 + 9] & 0xff;
        boolean fragment = ((frame[l3 + 6] & 0x3f) | frame[l3 + 7]) != 0; // MF or an offset
        byte[] input;
        if (!fragment && (protocol == IPPROTO_TCP || protocol == IPPROTO_UDP) && frame.length >= l3 + ihl + 4) {
            input = new byte[12];
            System.arraycopy(frame, l3 + 12, input, 0, 8);  // source, destination address
            System.arraycopy(frame, l3 + ihl, input, 8, 4); // source, destination port
        } else {
            input = new byte[8];
            System.arraycopy(frame, l3 + 12, input, 0, 8);
        }
        return toeplitz(VERIFICATION_KEY, input);
    }

    /**
     * The Toeplitz hash: for input bit n (most significant first), XOR in the 32 key bits starting
     * at key bit n. A 40-bit window over the key slides one input byte at a time.
     */
    public static int toeplitz(byte[] key, byte[] input) {
        int result = 0;
        long window = ((key[0] & 0xffL) << 24) | ((key[1] & 0xffL) << 16) | ((key[2] & 0xffL) << 8) | (key[3] & 0xffL);
        int next = 4;
        for (byte b : input) {
            window = (window << 8) | (next < key.length ? key[next++] & 0xff : 0);
            for (int j = 0; j < 8; j++) {
                if ((b & (0x80 >> j)) != 0) result ^= (int) (window >>> (8 - j));
            }
            window &= 0xffff_ffffL;
        }
        return result;
    }
}
