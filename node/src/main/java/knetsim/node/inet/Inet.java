package knetsim.node.inet;

import knetsim.node.skb.SkBuff;
import knetsim.node.socket.Errno;

/** Constants of the IPv4 stack shared by its layers. */
public final class Inet {
    private Inet() {}

    /** IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP: the protocol numbers inet_protos is indexed by. */
    public static final int IPPROTO_ICMP = 1, IPPROTO_TCP = 6, IPPROTO_UDP = 17;
    /** sysctl net.ipv4.ip_default_ttl. */
    public static final int DEFAULT_TTL = 64;
    /** Linux errno values that sendto() returns. */
    public static final int EMSGSIZE = Errno.EMSGSIZE, ENETUNREACH = Errno.ENETUNREACH;
    /** Not an errno: the sender's send buffer is full (sock_alloc_send_pskb() would sleep). */
    public static final int WOULD_BLOCK = -1;

    /** What an outgoing packet of {@code length} IP bytes is charged: the skb dev_queue_xmit() gets (alloc_skb()). */
    public static int truesizeOfPacket(int length) {
        return SkBuff.allocTruesize(SkBuff.NET_SKB_PAD + 14 + length);
    }

    /** The truesize of the skb a received packet of {@code length} IP bytes came in: the driver's, see SkBuff#rxTruesize. */
    public static int rxTruesize(int length) {
        return SkBuff.rxTruesize(14 + length);
    }
}
