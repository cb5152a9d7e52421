package knetsim.node.ipv4;

import java.util.Arrays;

/**
 * Every subnet of a network in one shared order, the axis along which {@link ComputedFib} stores routing = auto's
 * routes: the longest prefix length first and, within a length, the prefixes ascending as signed ints (the order
 * a {@link Fib} indexes them in), so the subnets of one length are a slice searched by binary search. Immutable;
 * one instance serves every table of a run.
 */
public final class Subnets {
    private final int[] prefixes;
    /** The subnets of length L are the indexes from[L] (inclusive) to to[L] (exclusive). */
    private final int[] from = new int[33];
    private final int[] to = new int[33];
    /** Bit L is set when some subnet has prefix length L. */
    private final long lengths;

    /**
     * @param prefixes      the network bits of each subnet, in the order above (copied)
     * @param prefixLengths the prefix length of each, never increasing
     * @throws IllegalArgumentException on a bit past the prefix, a length out of 0..32, or an order not as above
     */
    public Subnets(int[] prefixes, int[] prefixLengths) {
        if (prefixes.length != prefixLengths.length) throw new IllegalArgumentException("one length per prefix");
        this.prefixes = prefixes.clone();
        long seen = 0;
        for (int i = 0; i < prefixes.length; i++) {
            int length = prefixLengths[i];
            if (length < 0 || length > 32) throw new IllegalArgumentException("prefix length must be 0..32: " + length);
            if ((prefixes[i] & ~Route.mask(length)) != 0) {
                throw new IllegalArgumentException("bits past the prefix: " + Ipv4Address.of(prefixes[i]) + "/" + length);
            }
            boolean first = i == 0 || prefixLengths[i - 1] != length;
            if (!first && prefixes[i - 1] >= prefixes[i] || i > 0 && prefixLengths[i - 1] < length) {
                throw new IllegalArgumentException("subnets not by length (longest first), then prefix: "
                        + Ipv4Address.of(prefixes[i]) + "/" + length + " at " + i);
            }
            if (first) from[length] = i;
            to[length] = i + 1;
            seen |= 1L << length;
        }
        lengths = seen;
    }

    /** How many subnets. */
    public int size() {
        return prefixes.length;
    }

    /** Bit L is set when some subnet has prefix length L. */
    public long lengths() {
        return lengths;
    }

    /** The network bits of the subnet at {@code index}. */
    public int prefix(int index) {
        return prefixes[index];
    }

    /** The prefix length of the subnet at {@code index}. */
    public int prefixLength(int index) {
        for (int length = 32; length >= 0; length--) {
            if (index >= from[length] && index < to[length]) return length;
        }
        throw new IndexOutOfBoundsException(index);
    }

    /** The first index of the subnets of {@code length} (with {@link #end}: their slice; empty if none). */
    public int start(int length) {
        return from[length];
    }

    /** One past the last index of the subnets of {@code length}. */
    public int end(int length) {
        return to[length];
    }

    /** The index of {@code prefix/length}, or -1: a binary search in that length's slice, allocating nothing. */
    public int indexOf(int prefix, int length) {
        if (from[length] == to[length]) return -1;
        int at = Arrays.binarySearch(prefixes, from[length], to[length], prefix);
        return at < 0 ? -1 : at;
    }

    // Runs over this order, as routing = auto's routes are kept (ComputedFib, and the topology's ComputedRoutes):
    // run k covers the subnets from runStart[k] (0 for the first, increasing) up to the next run's start and has
    // next hop runHop[k], or none when that is -1.

    /** One past the last subnet of run {@code k}. */
    public int runEnd(int[] runStart, int k) {
        return k + 1 < runStart.length ? runStart[k + 1] : prefixes.length;
    }

    /** The next hop of the subnet at {@code index} in these runs, or -1: a binary search over the starts. */
    public static int hopOf(int[] runStart, int[] runHop, int index) {
        int at = Arrays.binarySearch(runStart, index);
        return runHop[at >= 0 ? at : -at - 2];
    }

    /** How many subnets have a next hop in these runs: how many routes they are. */
    public int routed(int[] runStart, int[] runHop) {
        int n = 0;
        for (int k = 0; k < runStart.length; k++) {
            if (runHop[k] >= 0) n += runEnd(runStart, k) - runStart[k];
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        return o instanceof Subnets s && Arrays.equals(prefixes, s.prefixes) && Arrays.equals(from, s.from)
                && Arrays.equals(to, s.to);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(prefixes) + Arrays.hashCode(to);
    }

    @Override
    public String toString() {
        return prefixes.length + " subnets";
    }
}
