package knetsim.node.ipv4;

import java.util.Arrays;
import java.util.Optional;

/**
 * The answers of {@link RoutingTable#lookup(Ipv4Address)} by destination, so a packet to a destination seen before
 * costs one hashed probe instead of a walk over the prefix lengths of both tables (what the nexthop's cached
 * output route, nhc_pcpu_rth_output, saves Linux). Any change of a table empties it, so it always answers as the
 * tables would. Open addressing on the address bits, at most half full; past {@link #MAX} destinations it starts
 * again empty. A plain object of one RoutingTable.
 */
final class DstCache {
    /** The most destinations kept: a router's slots stay a few hundred kilobytes at worst. */
    static final int MAX = 1 << 14;

    private int[] keys = new int[0];
    private Object[] values = new Object[0]; // Optional<RoutingTable.Result>; null: empty slot
    private int size;

    private static int slot(int destination, int mask) {
        int h = destination * 0x9E3779B9;
        return (h ^ h >>> 16) & mask;
    }

    /** The cached answer for {@code destination}, or null when there is none. */
    @SuppressWarnings("unchecked")
    Optional<RoutingTable.Result> get(int destination) {
        if (size == 0) return null;
        int mask = keys.length - 1;
        for (int i = slot(destination, mask); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) return null;
            if (keys[i] == destination) return (Optional<RoutingTable.Result>) v;
        }
    }

    /** Keeps {@code answer} for {@code destination} (which has none cached). */
    void put(int destination, Optional<RoutingTable.Result> answer) {
        if (size >= MAX) clear();
        if (2 * (size + 1) > keys.length) grow();
        insert(keys, values, destination, answer);
        size++;
    }

    /** A table changed: every answer may be stale. */
    void clear() {
        if (size == 0) return;
        Arrays.fill(values, null);
        size = 0;
    }

    private void grow() {
        int[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new int[Math.max(4, oldKeys.length * 2)];
        values = new Object[keys.length];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) insert(keys, values, oldKeys[i], oldValues[i]);
        }
    }

    private static void insert(int[] keys, Object[] values, int destination, Object answer) {
        int mask = keys.length - 1, i = slot(destination, mask);
        while (values[i] != null) i = (i + 1) & mask;
        keys[i] = destination;
        values[i] = answer;
    }
}
