package knetsim.node.ipv4;

import java.util.HashMap;
import java.util.SplittableRandom;

/**
 * The IP identification of a datagram as Linux 6.x chooses it (include/net/ip.h ip_select_ident_segs(),
 * net/ipv4/route.c __ip_select_ident() and ip_idents_reserve()).
 *
 * <ul>
 * <li>A socket with a peer (inet_daddr: connected UDP, TCP) numbers its datagrams from its own inet_id, drawn at
 *     connect ({@link #randomInetId}); the caller keeps that counter ({@code Sock#nextInetId}).</li>
 * <li>Otherwise a datagram with DF that may not be fragmented locally (!skb->ignore_df: IP_PMTUDISC_DO or PROBE,
 *     the TCP control socket's RSTs and TIME_WAIT ACKs, a SYN-ACK) has ID 0.</li>
 * <li>Everything else (unconnected UDP and ping sockets in IP_PMTUDISC_WANT or DONT, the kernel's ICMP) takes the
 *     next ID of a bucket of a shared table, chosen by siphash_3u32(daddr, saddr, protocol) under a random key. A
 *     bucket starts at a random value; a use in a later jiffy than the bucket's last adds a random step below the
 *     jiffies elapsed (get_random_u32_below(now - old)), so IDs towards one destination rise by random steps and
 *     an observer cannot count another host's traffic.</li>
 * </ul>
 * Randomness comes from the host's seeded stream; the table is filled lazily (Linux fills all of it with random
 * bytes at boot: the same distribution, without 512 KiB per host).
 */
public final class IpIdents {
    /** CONFIG_HZ: the tick of jiffies (as TCP's clock in this model). */
    public static final int HZ = 1000;
    /** INITIAL_JIFFIES: jiffies start 5 minutes before their 32-bit wrap. */
    static final int INITIAL_JIFFIES = -300 * HZ;
    /** ip_idents_mask + 1: alloc_large_system_hash("IP idents", scale 16) gives one bucket per 64 KiB of RAM: 4 GiB. */
    public static final int BUCKETS = 1 << 16;

    private final SplittableRandom random;
    private final long k0, k1; // net->ipv4.ip_id_key
    private final HashMap<Integer, long[]> buckets = new HashMap<>(); // bucket -> {ip_idents, ip_tstamps}

    public IpIdents(SplittableRandom random) {
        this.random = random;
        this.k0 = random.nextLong();
        this.k1 = random.nextLong();
    }

    // get_random_u16(): inet_id of a socket that connects (__ip4_datagram_connect(), tcp_v4_connect(), tcp_v4_syn_recv_sock()).
    public static int randomInetId(SplittableRandom random) {
        return random.nextInt(0x10000);
    }

    // ip_select_ident_segs() without inet_daddr: 0 for DF that must not be fragmented, else __ip_select_ident().
    public int select(Ipv4Address destination, Ipv4Address source, int protocol, boolean df, boolean ignoreDf, long now) {
        if (df && !ignoreDf) return 0;
        return selectHashed(destination, source, protocol, 1, now);
    }

    // __ip_select_ident(): the bucket of siphash_3u32(daddr, saddr, protocol) reserves segs IDs; the first is used.
    public int selectHashed(Ipv4Address destination, Ipv4Address source, int protocol, int segs, long now) {
        // the addresses are __be32: on a little-endian CPU their u32 value has the bytes reversed
        int hash = (int) siphash3u32(Integer.reverseBytes(destination.bits()), Integer.reverseBytes(source.bits()),
                protocol, k0, k1);
        return reserve(hash, segs, jiffies(now)) & 0xffff;
    }

    // ip_idents_reserve(): a bucket last used in an earlier jiffy first skips a random number of IDs below the gap.
    int reserve(int hash, int segs, int now) {
        int bucket = hash & (BUCKETS - 1);
        long[] b = buckets.get(bucket);
        if (b == null) {
            b = new long[] {random.nextInt(), 0}; // prandom_bytes(ip_idents) at boot; ip_tstamps zeroed
            buckets.put(bucket, b);
        }
        int old = (int) b[1];
        int delta = 0;
        if (old != now) {
            b[1] = now;
            long gap = Integer.toUnsignedLong(now - old);
            delta = (int) random.nextLong(gap); // get_random_u32_below(now - old)
        }
        int id = (int) b[0] + segs + delta; // atomic_add_return(segs + delta, p_id) - segs
        b[0] = id;
        return id - segs;
    }

    /** jiffies at virtual time {@code now} (ns): INITIAL_JIFFIES at 0, one per millisecond, as a u32. */
    static int jiffies(long now) {
        return (int) (now / (1_000_000_000L / HZ)) + INITIAL_JIFFIES;
    }

    // siphash_3u32(): SipHash-2-4 of the 12 bytes first, second, third (little-endian u32s) under key (k0, k1).
    static long siphash3u32(int first, int second, int third, long k0, long k1) {
        long v0 = 0x736f6d6570736575L ^ k0, v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0, v3 = 0x7465646279746573L ^ k1;
        long combined = ((long) second << 32) | Integer.toUnsignedLong(first);
        long b = (12L << 56) | Integer.toUnsignedLong(third);
        long[] v = {v0, v1, v2, v3};
        v[3] ^= combined;
        sipround(v);
        sipround(v);
        v[0] ^= combined;
        v[3] ^= b;
        sipround(v);
        sipround(v);
        v[0] ^= b;
        v[2] ^= 0xff;
        for (int i = 0; i < 4; i++) sipround(v);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    private static void sipround(long[] v) {
        v[0] += v[1]; v[1] = Long.rotateLeft(v[1], 13); v[1] ^= v[0]; v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3]; v[3] = Long.rotateLeft(v[3], 16); v[3] ^= v[2];
        v[0] += v[3]; v[3] = Long.rotateLeft(v[3], 21); v[3] ^= v[0];
        v[2] += v[1]; v[1] = Long.rotateLeft(v[1], 17); v[1] ^= v[2]; v[2] = Long.rotateLeft(v[2], 32);
    }
}
