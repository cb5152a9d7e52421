package knetsim.core.engine;

import java.util.Arrays;
import knetsim.core.time.SimTime;

/**
 * An indexed binary min-heap of LP slots keyed by their next event time, with O(log n) update of
 * any slot. Written by hand because the scheduler updates keys of arbitrary slots millions of
 * times a second and no maintained library offers an allocation-free indexed heap of longs.
 * Ties are broken by slot number so that iteration order is deterministic. Only slots with a key
 * below {@link SimTime#NEVER} are in the heap: an idle slot (most LPs, most of the time) costs no
 * level of a sift, so a heap of a few hundred busy LPs among thousands stays shallow; the minimum
 * of the (key, slot) order is the same either way, and with every slot idle it is slot 0.
 */
final class TimeHeap {
    // The keys are kept in heap order, beside the slots, so that a sift compares neighbouring longs of one
    // array instead of reading each slot's key through the slot number (the engine is bound by memory
    // latency: JFR on S4 showed the sifts' stalls on those reads).
    private final long[] heapKey;  // heap position -> key, for positions below active
    private final int[] heap;      // heap position -> slot
    private final int[] position;  // slot -> heap position; -1 when idle
    private int active;

    TimeHeap(int slots) {
        heapKey = new long[slots];
        heap = new int[slots];
        position = new int[slots];
        Arrays.fill(position, -1);
    }

    int size() {
        return heap.length;
    }

    long minKey() {
        return active == 0 ? SimTime.NEVER : heapKey[0];
    }

    int minSlot() {
        return active == 0 ? 0 : heap[0];
    }

    long key(int slot) {
        int pos = position[slot];
        return pos < 0 ? SimTime.NEVER : heapKey[pos];
    }

    void set(int slot, long newKey) {
        int pos = position[slot];
        if (pos < 0) {
            if (newKey != SimTime.NEVER) up(active++, slot, newKey);
        } else if (newKey == SimTime.NEVER) {
            remove(pos, slot);
        } else {
            long old = heapKey[pos];
            if (newKey < old) up(pos, slot, newKey);
            else if (newKey > old) down(pos, slot, newKey);
        }
    }

    /** Lowers the key only: used when an event arrives for a slot. */
    void lower(int slot, long candidate) {
        int pos = position[slot];
        if (pos < 0) {
            if (candidate != SimTime.NEVER) up(active++, slot, candidate);
        } else if (candidate < heapKey[pos]) {
            up(pos, slot, candidate);
        }
    }

    // takes a slot out (it went idle): the last position's slot fills the hole and sifts whichever way it must
    private void remove(int pos, int slot) {
        position[slot] = -1;
        int end = --active;
        if (pos == end) return;
        int moved = heap[end];
        long k = heapKey[end];
        int parent = (pos - 1) >>> 1;
        if (pos > 0 && less(k, moved, heapKey[parent], heap[parent])) up(pos, moved, k);
        else down(pos, moved, k);
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
        int n = active;
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
