package knetsim.node.ipv4;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One struct ipq: the fragments of a datagram and the "runs" inet_frag_queue_insert() keeps, because whether Linux
 * calls a fragment a harmless duplicate or a queue-killing overlap depends on those runs, not on single fragments.
 */
final class FragmentQueue {
    enum Insert { OK, DUP, OVERLAP }

    // IPFRAG_ECN_*: ip4_frag_ecn() maps the 2-bit ECN field to one bit each.
    static final int IPFRAG_ECN_NOT_ECT = 0x01;
    static final int IPFRAG_ECN_CE = 0x08;

    final long deadline;
    boolean firstIn;
    boolean lastIn;
    int len;           // q.len: end of the datagram's data as known so far
    int meat;          // bytes of data queued
    int ecn;           // OR of ip4_frag_ecn() of every fragment
    int maxSize;       // q.max_size: largest fragment, header included
    int maxDfSize;     // qp->max_df_size: largest fragment that had DF
    long truesize;

    // Offset -> the fragment's data; queued fragments never overlap, so this is the rb-tree in offset order.
    private final TreeMap<Integer, byte[]> data = new TreeMap<>();
    // Run start -> run length: adjacent fragments that arrived in order at the tail share one run.
    private final TreeMap<Integer, Integer> runs = new TreeMap<>();
    private int tailRun = -1;
    private int tailEnd = -1;   // q->fragments_tail: end of the highest fragment
    private byte[] head;        // fragment 0 as received, header and all

    FragmentQueue(long deadline) {
        this.deadline = deadline;
    }

    /**
     * inet_frag_queue_insert(): a fragment reaching past the tail must start at or after it; any other must lie in
     * one run (DUP) or in none (OK); touching a run partly or spanning runs is an OVERLAP.
     */
    Insert insert(int offset, int end) {
        if (tailEnd < 0) {
            runs.put(offset, end - offset);
            tailRun = offset;
        } else if (tailEnd < end) {
            if (offset < tailEnd) {
                return Insert.OVERLAP;
            }
            if (offset == tailEnd) {
                runs.merge(tailRun, end - offset, Integer::sum);
            } else {
                runs.put(offset, end - offset);
                tailRun = offset;
            }
        } else {
            // Runs are disjoint and sorted, so the one starting last before end is the only candidate the tree
            // search can stop at; if it ends at or before offset, nothing intersects.
            Map.Entry<Integer, Integer> run = runs.floorEntry(end - 1);
            if (run != null && run.getKey() + run.getValue() > offset) {
                return run.getKey() <= offset && end <= run.getKey() + run.getValue() ? Insert.DUP : Insert.OVERLAP;
            }
            runs.put(offset, end - offset);
            return Insert.OK;
        }
        tailEnd = end;
        return Insert.OK;
    }

    /** The bookkeeping ip_frag_queue() does once a fragment is in. */
    void store(Ipv4Packet packet, int offset, int end, int fragTruesize) {
        byte[] b = packet.buffer();
        int dataStart = packet.payloadOffset();
        data.put(offset, Arrays.copyOfRange(b, dataStart, dataStart + end - offset));
        meat += end - offset;
        truesize += fragTruesize;
        ecn |= 1 << packet.ecn();
        if (offset == 0) {
            firstIn = true;
            head = Arrays.copyOfRange(b, packet.offset(), packet.offset() + packet.totalLength());
        }
        int fragSize = end - offset + packet.headerLength();
        maxSize = Math.max(maxSize, fragSize);
        if (packet.dontFragment()) {
            maxDfSize = Math.max(maxDfSize, fragSize);
        }
    }

    boolean complete() {
        return firstIn && lastIn && meat == len;
    }

    byte[] head() {
        return head;
    }

    byte[] firstFragment() {
        return head.clone();
    }

    /** Fragment 0's header followed by every fragment's data in offset order. */
    byte[] assemble(int hlen) {
        byte[] datagram = new byte[hlen + len];
        System.arraycopy(head, 0, datagram, 0, hlen);
        for (Map.Entry<Integer, byte[]> e : data.entrySet()) {
            System.arraycopy(e.getValue(), 0, datagram, hlen + e.getKey(), e.getValue().length);
        }
        return datagram;
    }

    /**
     * ip_frag_ecn_table[]: the bits to OR into the TOS, or -1 for 0xff, where Not-ECT was mixed with ECN-capable
     * fragments and the datagram must be dropped; CE with ECT gives CE.
     */
    static int ecnOf(int bits) {
        if ((bits & IPFRAG_ECN_NOT_ECT) != 0) {
            return bits == IPFRAG_ECN_NOT_ECT ? 0 : -1;
        }
        return (bits & IPFRAG_ECN_CE) != 0 && bits != IPFRAG_ECN_CE ? Ipv4Packet.INET_ECN_MASK : 0;
    }
}
