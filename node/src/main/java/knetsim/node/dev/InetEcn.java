package knetsim.node.dev;

import knetsim.node.ipv4.InternetChecksum;
import knetsim.node.skb.SkBuff;

/**
 * include/net/inet_ecn.h as the qdiscs use it: the two ECN bits of the IPv4 TOS byte and INET_ECN_set_ce(), which
 * an AQM calls instead of dropping. The skb holds an Ethernet frame at {@code data} (dev_queue_xmit() time), so the
 * IPv4 header is found after the Ethernet header and an optional 802.1Q tag.
 */
public final class InetEcn {
    /** INET_ECN_NOT_ECT: the sender does not do ECN; an AQM must drop. */
    public static final int NOT_ECT = 0;
    /** INET_ECN_ECT_1. */
    public static final int ECT_1 = 1;
    /** INET_ECN_ECT_0: what TCP with ECN sets. */
    public static final int ECT_0 = 2;
    /** INET_ECN_CE: congestion experienced. */
    public static final int CE = 3;

    private static final int ETH_HLEN = 14;
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_P_8021Q = 0x8100;

    private InetEcn() {}

    /** Offset in the skb's buffer of the IPv4 header, or -1 if the frame does not carry IPv4 (skb->protocol). */
    static int ipv4Header(SkBuff skb) {
        byte[] b = skb.bufferForReading();
        int at = skb.data();
        if (skb.len() < ETH_HLEN + 20) return -1;
        int type = ((b[at + 12] & 0xff) << 8) | (b[at + 13] & 0xff);
        int ip = at + ETH_HLEN;
        if (type == ETH_P_8021Q) {
            if (skb.len() < ETH_HLEN + 4 + 20) return -1;
            type = ((b[at + 16] & 0xff) << 8) | (b[at + 17] & 0xff);
            ip += 4;
        }
        if (type != ETH_P_IP || (b[ip] & 0xf0) != 0x40) return -1;
        return ip;
    }

    /** The ECN field of an IPv4 packet, or -1 when the skb carries no IPv4 header. */
    public static int ecn(SkBuff skb) {
        int ip = ipv4Header(skb);
        return ip < 0 ? -1 : skb.bufferForReading()[ip + 1] & CE;
    }

    // INET_ECN_set_ce() / IP_ECN_set_ce(): ECT(0) or ECT(1) become CE with the header checksum updated
    // incrementally; CE stays CE (and counts as marked); Not-ECT and non-IP packets cannot be marked.
    public static boolean setCe(SkBuff skb) {
        int ip = ipv4Header(skb);
        if (ip < 0) return false;
        byte[] b = skb.buffer(); // drops the cached content hash: the bytes change
        int tos = b[ip + 1] & 0xff;
        int ecn = tos & CE;
        if (ecn == CE) return true;
        if (ecn == NOT_ECT) return false;
        int oldWord = ((b[ip] & 0xff) << 8) | tos;
        int newTos = tos | CE;
        int newWord = ((b[ip] & 0xff) << 8) | newTos;
        int check = ((b[ip + 10] & 0xff) << 8) | (b[ip + 11] & 0xff);
        int updated = InternetChecksum.update(check, oldWord, newWord);
        b[ip + 1] = (byte) newTos;
        b[ip + 10] = (byte) (updated >>> 8);
        b[ip + 11] = (byte) updated;
        return true;
    }
}
