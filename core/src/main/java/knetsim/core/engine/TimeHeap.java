package knetsim.core.engine;

import java.util.Arrays;
import knetsim.core.time.SimTime;

/**
 * An indexed binary min-heap of LP slots keyed by their next event time, with O(log n) update of
 * any slot. Written by hand because the scheduler updates keys of arbitrary slots millions of
 * times a second and no maintained library offers an allocation-free indexed heap of longs.
 * Ties are broken by slot number so that iteration order is deterministic.
 */
final class TimeHeap {
    private final long[] key;      // by slot; SimTime.NEVER when idle
    private final int[] heap;      // heap position -> slot
    private final int[] position;  // slot -> heap position

    TimeHeap(int slots) {
        key = new long[slots];
        heap = new int[slots];
        position = new int[slots];
        Arrays.fill(key, SimTime.NEVER);
        for (int i = 0; i < slots; i++) {
            heap[i] = i;
            position[i] = i;
        }
    }

    int size() {
        return heap.length;
    }

    long minKey() {
        return heap.length == 0 ? SimTime.NEVER : key[heap[0]];
    }

    int minSlot() {
        return heap[0];
    }

    long key(int slot) {
        return key[slot];
    }

    void set(int slot, long newKey) {
        long old = key[slot];
        key[slot] = newKey;
        if (newKey < old) up(position[slot]);
        else if (newKey > old) down(position[slot]);
    }

    /** Lowers the key only: used when an event arrives for a slot. */
    void lower(int slot, long candidate) {
        if (candidate < key[slot]) set(slot, candidate);
    }

    private boolean less(int a, int b) {
        long ka = key[a], kb = key[b];
        return ka < kb || (ka == kb && a < b);
    }

    private void up(int pos) {
        int slot = heap[pos];
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            if (!less(slot, heap[parent])) break;
            place(heap[parent], pos);
            pos = parent;
        }
        place(slot, pos);
    }

    private void down(int pos) {
        int slot = heap[pos];
        int n = heap.length;
        while (true) {
            int child = 2 * pos + 1;
            if (child >= n) break;
            if (child + 1 < n && less(heap[child + 1], heap[child])) child++;
            if (!less(heap[child], slot)) break;
            place(heap[child], pos);
            pos = child;
        }
        place(slot, pos);
    }

    private void place(int slot, int pos) {
        heap[pos] = slot;
        position[slot] = pos;
    }
}
