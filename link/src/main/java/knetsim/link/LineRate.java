package knetsim.link;

/**
 * Time on the wire of Ethernet frames at a bit rate. A frame occupies preamble and SFD (8 bytes),
 * its bytes padded to the 60-byte minimum, the FCS (4 bytes), then the inter-frame gap (12 bytes)
 * during which nothing else may be sent. Work is done in picoseconds so that 10 Gbit/s frames of
 * 67.2 ns still leave at exact line rate over any number of frames.
 */
public final class LineRate {
    public static final int PREAMBLE_AND_SFD = 8;
    public static final int FCS = 4;
    public static final int INTERFRAME_GAP = 12;
    /** The shortest frame without FCS; a NIC pads shorter ones with zeros. */
    public static final int MIN_FRAME = 60;
    private static final long PICOS_PER_SECOND = 1_000_000_000_000L;

    private final long bitsPerSecond;

    public LineRate(long bitsPerSecond) {
        if (bitsPerSecond <= 0 || bitsPerSecond > 1_000_000_000_000L) {
            throw new IllegalArgumentException("rate must be between 1 bit/s and 1 Tbit/s, got " + bitsPerSecond);
        }
        this.bitsPerSecond = bitsPerSecond;
    }

    public long bitsPerSecond() {
        return bitsPerSecond;
    }

    /** From the first preamble bit to the last FCS bit of a frame of {@code length} bytes (FCS excluded). */
    public long framePicos(int length) {
        return picos(PREAMBLE_AND_SFD + Math.max(length, MIN_FRAME) + FCS);
    }

    /** How long the medium is busy: the frame plus the inter-frame gap. */
    public long occupancyPicos(int length) {
        return picos(PREAMBLE_AND_SFD + Math.max(length, MIN_FRAME) + FCS + INTERFRAME_GAP);
    }

    /** The shortest time a frame can take to leave, whole nanoseconds down: an edge's minimum delay. */
    public long minimumFrameNanos() {
        return Math.max(1, framePicos(MIN_FRAME) / 1000);
    }

    private long picos(int bytes) {
        return bytes * 8L * PICOS_PER_SECOND / bitsPerSecond;
    }

    /**
     * One transmitter's clock: frames go out back to back, never overlapping, each starting when
     * both the frame is offered and the previous frame's gap has passed.
     */
    public static final class Transmitter {
        private final LineRate rate;
        private long busyUntilPicos;

        public Transmitter(LineRate rate) {
            this.rate = rate;
        }

        /** True when a frame offered at {@code now} would start at once. */
        public boolean idleAt(long nowNanos) {
            return busyUntilPicos <= nowNanos * 1000;
        }

        /** When the medium is free again, rounded up to whole nanoseconds. */
        public long freeAtNanos() {
            return ceilNanos(busyUntilPicos);
        }

        /** Sends a frame offered at {@code now}; returns when its last bit has left, in whole ns (rounded up). */
        public long transmit(long nowNanos, int length) {
            long start = Math.max(nowNanos * 1000, busyUntilPicos);
            busyUntilPicos = start + rate.occupancyPicos(length);
            return ceilNanos(start + rate.framePicos(length));
        }

        private static long ceilNanos(long picos) {
            return picos == 0 ? 0 : (picos + 999) / 1000;
        }
    }

    @Override
    public String toString() {
        return bitsPerSecond + " bit/s";
    }
}
