package knetsim.node.neigh;

import java.util.Arrays;

/**
 * The hashed index of a neighbour table (tbl->nht of net/core/neighbour.c): (ifindex, address) keys to their
 * entries by open addressing on primitive keys, so the lookup ip_finish_output2() makes for every packet
 * (__ipv4_neigh_lookup_noref()) neither boxes a key nor walks a tree. The ordered table stays with its owner for
 * dumps and timers; this index only answers lookups. At most half full; a plain object of one host.
 */
final class NeighbourHash<V> {
    private long[] keys = new long[8];
    private Object[] values = new Object[8];
    private int size;

    // neigh_hash(): a key's home slot
    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ h >>> 32) & mask;
    }

    // __neigh_lookup_noref(): the entry of {@code key}, or null
    @SuppressWarnings("unchecked")
    V get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) return null;
            if (keys[i] == key) return (V) v;
        }
    }

    // __neigh_create(): links a new entry in (the key must not be present)
    void put(long key, V value) {
        if (2 * (size + 1) > keys.length) grow();
        insert(keys, values, key, value);
        size++;
    }

    /** Forgets every entry (neigh_periodic_work() removed some: the owner re-adds those left). */
    void clear() {
        Arrays.fill(keys, 0);
        Arrays.fill(values, null);
        size = 0;
    }

    // neigh_hash_grow(): twice the buckets, every entry rehashed
    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Object[keys.length];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) insert(keys, values, oldKeys[i], oldValues[i]);
        }
    }

    private static void insert(long[] keys, Object[] values, long key, Object value) {
        int mask = keys.length - 1, i = slot(key, mask);
        while (values[i] != null) i = (i + 1) & mask;
        keys[i] = key;
        values[i] = value;
    }
}
