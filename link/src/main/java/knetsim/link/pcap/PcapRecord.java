package knetsim.link.pcap;

import java.util.Arrays;

/**
 * One record read back from a pcap file: its time in nanoseconds since the file's epoch, the
 * captured bytes and the frame's length on the wire, which is larger when the capture truncated it.
 */
public record PcapRecord(long timeNs, byte[] frame, int originalLength) {

    // Records compare arrays by identity; tests and merges compare content.
    @Override
    public boolean equals(Object o) {
        return o instanceof PcapRecord r && timeNs == r.timeNs
                && originalLength == r.originalLength && Arrays.equals(frame, r.frame);
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(timeNs) * 31 + originalLength) * 31 + Arrays.hashCode(frame);
    }

    @Override
    public String toString() {
        return "PcapRecord[timeNs=" + timeNs + ", " + frame.length + " of " + originalLength + " bytes]";
    }
}
