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
    // The keys are kept in heap order, beside the slots, so that a sift compares neighbouring longs of one
    // array instead of reading each slot's key through the slot number (the engine is bound by memory
    // latency: JFR on S4 showed the sifts' stalls on those reads).
    private final long[] heapKey;  // heap position -> key; SimTime.NEVER when idle
    private final int[] heap;      // heap position -> slot
    private final int[] position;  // slot -> heap position

    TimeHeap(int slots) {
        heapKey = new long[slots];
        heap = new int[slots];
        position = new int[slots];
        Arrays.fill(heapKey, SimTime.NEVER);
        for (int i = 0; i < slots; i++) {
            heap[i] = i;
            position[i] = i;
        }
    }

    int size() {
        return heap.length;
    }

    long minKey() {
        return heap.length == 0 ? SimTime.NEVER : heapKey[0];
    }

    int minSlot() {
        return heap[0];
    }

    long key(int slot) {
        return heapKey[position[slot]];
    }

    void set(int slot, long newKey) {
        int pos = position[slot];
        long old = heapKey[pos];
        if (newKey < old) up(pos, slot, newKey);
        else if (newKey > old) down(pos, slot, newKey);
    }

    /** Lowers the key only: used when an event arrives for a slot. */
    void lower(int slot, long candidate) {
        int pos = position[slot];
        if (candidate < heapKey[pos]) up(pos, slot, candidate);
    }

    // (key, slot) order: ties go to the lower slot, so iteration order is deterministic
    private static boolean less(long ka, int a, long kb, int b) {
        return ka < kb || (ka == kb && a < b);
    }

    private void up(int pos, int slot, long k) {
        while (pos > 0) {
            int parent = (pos - 1) >>> 1;
            long pk = heapKey[parent];
            int ps = heap[parent];
            if (!less(k, slot, pk, ps)) break;
            place(ps, pk, pos);
            pos = parent;
        }
        place(slot, k, pos);
    }

    private void down(int pos, int slot, long k) {
        int n = heap.length;
        while (true) {
            int child = 2 * pos + 1;
            if (child >= n) break;
            long ck = heapKey[child];
            int cs = heap[child];
            if (child + 1 < n) {
                long rk = heapKey[child + 1];
                int rs = heap[child + 1];
                if (less(rk, rs, ck, cs)) {
                    child++;
                    ck = rk;
                    cs = rs;
                }
            }
            if (!less(ck, cs, k, slot)) break;
            place(cs, ck, pos);
            pos = child;
        }
        place(slot, k, pos);
    }

    private void place(int slot, long k, int pos) {
        heap[pos] = slot;
        heapKey[pos] = k;
        position[slot] = pos;
    }
}
