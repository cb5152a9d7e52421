package knetsim.link.pcap;

import java.util.Arrays;
import java.util.Comparator;

/**
 * One captured frame tagged with the logical process that saw it, so captures taken by several LPs
 * (possibly in several JVMs) can be merged into one file in an order that never depends on which
 * LP finished first.
 */
public record CaptureRecord(long timeNs, int lpId, long sequence, byte[] frame, int originalLength) {

    /** The deterministic merge order: time, then LP id, then the LP's sequence number. */
    public static final Comparator<CaptureRecord> ORDER = Comparator
            .comparingLong(CaptureRecord::timeNs)
            .thenComparingInt(CaptureRecord::lpId)
            .thenComparingLong(CaptureRecord::sequence);

    // frame is not copied: the capturing code hands the array over and must not reuse it.
    // sequence is the capturing LP's own counter, breaking ties between its frames at one instant.
    public CaptureRecord {
        if (frame == null) throw new NullPointerException("frame");
        if (timeNs < 0) throw new IllegalArgumentException("negative capture time " + timeNs + " ns");
        if (originalLength < frame.length) {
            throw new IllegalArgumentException("originalLength " + originalLength
                    + " is shorter than the " + frame.length + " captured bytes");
        }
    }

    /** A frame captured whole. */
    public CaptureRecord(long timeNs, int lpId, long sequence, byte[] frame) {
        this(timeNs, lpId, sequence, frame, frame.length);
    }

    /**
     * tcpdump -s: a frame whose array nobody writes (a frame on the wire), kept as it is when it fits
     * {@code snaplen}, else its first {@code snaplen} bytes copied so the whole array is not held.
     */
    public static CaptureRecord snap(long timeNs, int lpId, long sequence, byte[] frame, int snaplen) {
        if (frame.length <= snaplen) return new CaptureRecord(timeNs, lpId, sequence, frame, frame.length);
        return new CaptureRecord(timeNs, lpId, sequence, Arrays.copyOf(frame, snaplen), frame.length);
    }

    /** tcpdump -s: the first {@code snaplen} of {@code length} bytes at {@code offset}, copied (the buffer lives on). */
    public static CaptureRecord copy(long timeNs, int lpId, long sequence, byte[] buffer, int offset, int length,
                                     int snaplen) {
        byte[] kept = Arrays.copyOfRange(buffer, offset, offset + Math.min(length, snaplen));
        return new CaptureRecord(timeNs, lpId, sequence, kept, length);
    }

    // Records compare arrays by identity; runs are compared by content.
    @Override
    public boolean equals(Object o) {
        return o instanceof CaptureRecord r && timeNs == r.timeNs && lpId == r.lpId
                && sequence == r.sequence && originalLength == r.originalLength
                && Arrays.equals(frame, r.frame);
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(timeNs);
        h = 31 * h + lpId;
        h = 31 * h + Long.hashCode(sequence);
        h = 31 * h + originalLength;
        return 31 * h + Arrays.hashCode(frame);
    }

    @Override
    public String toString() {
        return "CaptureRecord[timeNs=" + timeNs + ", lpId=" + lpId + ", sequence=" + sequence
                + ", " + frame.length + " of " + originalLength + " bytes]";
    }
}
