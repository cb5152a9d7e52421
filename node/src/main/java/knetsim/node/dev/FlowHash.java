package knetsim.node.dev;

import knetsim.node.skb.SkBuff;

/**
 * skb_get_hash() for the flow-queueing qdiscs: a hash of the IPv4 5-tuple (addresses, protocol, and the ports of TCP
 * and UDP packets that are not later fragments) keyed by a per-qdisc random perturbation, as the kernel keys its flow
 * dissector hash with a random hashrnd. Frames that are not IPv4 hash by their EtherType, so each protocol (ARP) is
 * one flow. The mixing is not the kernel's jhash: with a random key only the spread matters, not the values.
 */
final class FlowHash {
    private static final int TCP = 6, UDP = 17;

    private FlowHash() {}

    /** A 32-bit flow hash, as an unsigned value in a long. */
    static long hash(SkBuff skb, long perturbation) {
        byte[] b = skb.bufferForReading();
        int ip = InetEcn.ipv4Header(skb);
        long h = perturbation;
        if (ip < 0) {
            int at = skb.data();
            int type = skb.len() >= 14 ? ((b[at + 12] & 0xff) << 8) | (b[at + 13] & 0xff) : 0;
            return mix(h ^ type) & 0xffffffffL;
        }
        int ihl = (b[ip] & 0x0f) * 4;
        int protocol = b[ip + 9] & 0xff;
        h = mix(h ^ int32(b, ip + 12));
        h = mix(h ^ int32(b, ip + 16));
        h = mix(h ^ protocol);
        int fragOffset = ((b[ip + 6] & 0x1f) << 8) | (b[ip + 7] & 0xff);
        int ports = ip + ihl;
        if ((protocol == TCP || protocol == UDP) && fragOffset == 0 && ports + 4 <= skb.tail()) {
            h = mix(h ^ int32(b, ports));
        }
        return h & 0xffffffffL;
    }

    /** reciprocal_scale(hash, n): a bucket in [0, n) from the hash's high bits. */
    static int bucket(long hash, int n) {
        return (int) ((hash * n) >>> 32);
    }

    private static long int32(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }

    // the finaliser of MurmurHash3 (fmix64)
    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
