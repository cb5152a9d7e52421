package knetsim.node.icmp;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

import knetsim.core.time.SimTime;
import knetsim.node.ipv4.Ipv4Address;

/**
 * Linux's two limits on ICMP output, so a flood of errors thins out the way it does on a real host: the host-wide
 * token bucket (icmp_global_allow) and the per-destination one (inet_peer_xrlim_allow), in the order of Linux 6.12
 * (8c2bd38b95f7, "icmp: change the order of rate limits", also in 6.1.113, 6.6.54, 6.10.13, 6.11.2).
 */
public final class IcmpRateLimiter {
    /** include/uapi/linux/icmp.h: types above it are never limited. */
    static final int NR_ICMP_TYPES = 18;
    /** net/ipv4/inetpeer.c: a destination may save up this many intervals. */
    static final int XRLIM_BURST_FACTOR = 6;
    /** The HZ the rest of knetsim assumes (netdev_budget_usecs is 2 ms at HZ=1000). */
    public static final int DEFAULT_HZ = 1000;

    /**
     * The sysctls of /proc/sys/net/ipv4/ that shape the limits, times in nanoseconds.
     *
     * @param icmpRatelimit  icmp_ratelimit: the interval one message per destination costs (the sysctl is in ms)
     * @param icmpRatemask   icmp_ratemask: bit n set means type n is limited
     * @param icmpMsgsPerSec icmp_msgs_per_sec: the host-wide refill rate
     * @param icmpMsgsBurst  icmp_msgs_burst: the host-wide bucket size
     */
    public record Parameters(long icmpRatelimit, int icmpRatemask, int icmpMsgsPerSec, int icmpMsgsBurst) {
        public Parameters {
            if (icmpRatelimit < 0 || icmpMsgsPerSec < 0 || icmpMsgsBurst < 0) {
                throw new IllegalArgumentException("ICMP rate limits must not be negative: " + this);
            }
        }

        /**
         * The defaults net/ipv4/icmp.c has had since 3.18: 1 s, 0x1818 (types 3, 4, 11, 12), 1000/s, burst 50.
         * The newest mainline raises icmp_msgs_per_sec and icmp_msgs_burst to 10000; DESIGN.md keeps 1000 and 50.
         */
        public static Parameters linuxDefaults() {
            return new Parameters(SimTime.SECOND, 0x1818, 1000, 50);
        }
    }

    private final Parameters parameters;
    private final long nsPerJiffy;
    private final int hz;
    private final long timeout;             // icmp_ratelimit in jiffies
    private final SplittableRandom random;  // null: every message costs one global credit
    private final Map<Integer, Peer> peers = new HashMap<>();

    private long credit;                    // icmp_global_credit: may go negative after a random consume
    private long stamp;                     // icmp_global_stamp in jiffies
    private boolean stamped;

    private long rateLimitGlobal;
    private long rateLimitHost;

    /** A destination's bucket (struct inet_peer's rate_tokens and rate_last), in jiffies. */
    private static final class Peer {
        long tokens;
        long last;
    }

    /** Deterministic: each message takes one global credit, the mean of what Linux takes since 5.10. */
    public IcmpRateLimiter(Parameters parameters) {
        this(parameters, DEFAULT_HZ, null);
    }

    /**
     * @param hz     CONFIG_HZ: both limits count whole jiffies, so HZ decides when a refill lands
     * @param random draws icmp_global_consume()'s 0, 1 or 2 credits, as Linux does since 5.10 to hide the bucket
     *               from probes; null takes exactly one
     */
    public IcmpRateLimiter(Parameters parameters, int hz, SplittableRandom random) {
        this.parameters = Objects.requireNonNull(parameters);
        if (hz < 50 || SimTime.SECOND % hz != 0) {
            throw new IllegalArgumentException("HZ must divide a second into whole ns and be at least 50: " + hz);
        }
        this.hz = hz;
        this.nsPerJiffy = SimTime.SECOND / hz;
        // msecs_to_jiffies() rounds up, so an interval shorter than a jiffy still costs one.
        this.timeout = (parameters.icmpRatelimit() + nsPerJiffy - 1) / nsPerJiffy;
        this.random = random;
    }

    public Parameters parameters() {
        return parameters;
    }

    public boolean allow(int type, int code, Ipv4Address destination, long now) {
        return allow(type, code, destination.bits(), now);
    }

    /**
     * Whether Linux would send this ICMP message to {@code destination} at {@code now} (ns); a refusal counts as
     * IcmpOutRateLimitGlobal or IcmpOutRateLimitHost. Not for loopback, which Linux never limits.
     */
    public boolean allow(int type, int code, int destination, long now) {
        if (type < 0 || type > 255 || code < 0 || code > 255) {
            throw new IllegalArgumentException("ICMP type and code are bytes: " + type + "/" + code);
        }
        if (maskAllow(type, code)) {
            return true;
        }
        long jiffies = Math.floorDiv(now, nsPerJiffy);
        // icmpv4_global_allow(): only checks; the credit is spent after the per-destination check passes.
        if (!globalAllow(jiffies)) {
            rateLimitGlobal++;
            return false;
        }
        // icmpv4_xrlim_allow(): per destination, then icmp_global_consume() only for a message that goes out.
        if (!peerAllow(destination, jiffies)) {
            rateLimitHost++;
            return false;
        }
        globalConsume();
        return true;
    }

    /**
     * __icmp_send() for an error that goes back to this host through lo: an offending packet that came in on lo
     * skips the global bucket (and so every limit); otherwise the global bucket applies and the per-destination
     * one does not (icmpv4_xrlim_allow(): "No rate limit on loopback"), a message that goes out consuming credit.
     */
    public boolean allowToLoopback(int type, int code, boolean inFromLoopback, long now) {
        if (inFromLoopback || maskAllow(type, code)) {
            return true;
        }
        if (!globalAllow(Math.floorDiv(now, nsPerJiffy))) {
            rateLimitGlobal++;
            return false;
        }
        globalConsume();
        return true;
    }

    /** IcmpOutRateLimitGlobal: messages the host-wide bucket refused. */
    public long rateLimitGlobal() {
        return rateLimitGlobal;
    }

    /** IcmpOutRateLimitHost: messages a destination's bucket refused. */
    public long rateLimitHost() {
        return rateLimitHost;
    }

    // icmpv4_mask_allow(): true means the message is exempt from both limits.
    private boolean maskAllow(int type, int code) {
        if (type > NR_ICMP_TYPES) {
            return true;
        }
        // "Don't limit PMTU discovery": a dropped frag-needed would black-hole the path.
        if (type == IcmpPacket.ICMP_DEST_UNREACH && code == IcmpPacket.ICMP_FRAG_NEEDED) {
            return true;
        }
        return ((1 << type) & parameters.icmpRatemask()) == 0;
    }

    // icmp_global_allow(): a positive credit passes untouched; an empty bucket refills in steps of at least HZ/50.
    private boolean globalAllow(long jiffies) {
        if (credit > 0) {
            return true;
        }
        // The first call finds the zeroed stamp long past, so the bucket starts full.
        long delta = stamped ? Math.min(jiffies - stamp, hz) : hz;
        if (delta < hz / 50) {
            return false;
        }
        long incr = (long) parameters.icmpMsgsPerSec() * delta / hz;
        if (incr == 0) {
            return false;
        }
        stamp = jiffies;
        stamped = true;
        credit = Math.min(credit + incr, parameters.icmpMsgsBurst());
        return true;
    }

    // icmp_global_consume(): get_random_u32_below(3) credits, so the bucket's level cannot be read off the replies.
    private void globalConsume() {
        credit -= random == null ? 1 : random.nextInt(3);
    }

    // inet_peer_xrlim_allow(): tokens are jiffies of credit, capped at XRLIM_BURST_FACTOR intervals.
    private boolean peerAllow(int destination, long jiffies) {
        Peer peer = peers.get(destination);
        if (peer == null) {
            if (peers.size() >= 4096) {
                forgetFullPeers(jiffies);
            }
            peer = new Peer();
            // inet_getpeer(): "60*HZ is arbitrary, but chosen enough high so that the first calculation of
            // tokens is at its maximum".
            peer.last = jiffies - 60L * hz;
            peers.put(destination, peer);
        }
        long token = peer.tokens + (jiffies - peer.last);
        peer.last = jiffies;
        token = Math.min(token, XRLIM_BURST_FACTOR * timeout);
        boolean allowed = token >= timeout;
        if (allowed) {
            token -= timeout;
        }
        peer.tokens = token;
        return allowed;
    }

    // Bounds memory; a peer whose bucket is as full as a new one's behaves identically, so dropping it is exact.
    private void forgetFullPeers(long jiffies) {
        long fresh = Math.min(60L * hz, XRLIM_BURST_FACTOR * timeout);
        peers.values().removeIf(p -> Math.min(p.tokens + (jiffies - p.last), XRLIM_BURST_FACTOR * timeout) == fresh);
    }
}
