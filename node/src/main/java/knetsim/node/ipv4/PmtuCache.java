package knetsim.node.ipv4;

import java.util.TreeMap;
import knetsim.core.time.SimTime;

/**
 * The path MTUs learned from "fragmentation needed" (the PMTU of the fib_nh_exceptions of
 * net/ipv4/route.c), by destination: consulted by ipv4_mtu(), written by __ip_rt_update_pmtu().
 */
public final class PmtuCache {
    /** ip_rt_mtu_expires (600 s) and ip_rt_min_pmtu (512 + 20 + 20): the life and floor of a learned path MTU. */
    public static final long IP_RT_MTU_EXPIRES = 600 * SimTime.SECOND;
    public static final int IP_RT_MIN_PMTU = 552;

    /** A fib_nh_exception's PMTU: the lowered MTU to one destination, until {@code expires}; locked below the floor. */
    public record PmtuException(int mtu, boolean locked, long expires) {}

    private final TreeMap<Integer, PmtuException> pmtuExceptions = new TreeMap<>(); // by destination

    // ipv4_mtu(): a PMTU exception counts until it expires (then the route's own MTU is back).
    public PmtuException pmtuException(Ipv4Address destination, long now) {
        if (pmtuExceptions.isEmpty()) return null; // no exception learned: nothing to look up per packet
        PmtuException e = pmtuExceptions.get(destination.bits());
        if (e != null && now >= e.expires()) {
            pmtuExceptions.remove(destination.bits());
            return null;
        }
        return e;
    }

    // __ip_rt_update_pmtu(): only ever lowers the MTU to a destination (the route's device has
    // {@code deviceMtu}); below ip_rt_min_pmtu the floor is used and the MTU locked (no more DF); an
    // unchanged one is not renewed until half its life is gone; update_or_create_fnhe() keeps it for
    // ip_rt_mtu_expires.
    public void ipRtUpdatePmtu(Ipv4Address destination, int deviceMtu, int mtu, long now) {
        PmtuException current = pmtuException(destination, now);
        int old = current != null ? current.mtu() : deviceMtu;
        if (old < mtu) return;
        boolean lock = false;
        if (mtu < IP_RT_MIN_PMTU) {
            lock = true;
            mtu = Math.min(old, IP_RT_MIN_PMTU);
        }
        if (current != null && current.mtu() == mtu && !lock && now < current.expires() - IP_RT_MTU_EXPIRES / 2) return;
        pmtuExceptions.put(destination.bits(), new PmtuException(mtu, lock, now + IP_RT_MTU_EXPIRES));
    }

    /** The path MTU to {@code destination} (ip route get ... shows it as "mtu"), for tests: 0 without an exception. */
    public int pathMtu(Ipv4Address destination, long now) {
        PmtuException e = pmtuException(destination, now);
        return e == null ? 0 : e.mtu();
    }
}
