package knetsim.link.pcap;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes classic libpcap files with nanosecond timestamps (magic 0xa1b23c4d, little-endian,
 * LINKTYPE_ETHERNET without FCS): the simplest format that Wireshark and tcpdump both open, and
 * one whose bytes depend on the records alone, so the captures of two runs compare byte for byte.
 */
public final class PcapWriter implements Closeable {
    public static final int MAGIC_NANOS = 0xa1b23c4d;
    public static final int MAGIC_MICROS = 0xa1b2c3d4;
    public static final short VERSION_MAJOR = 2;
    public static final short VERSION_MINOR = 4;
    /** tcpdump's default snap length (MAXIMUM_SNAPLEN): whole frames, and the largest a writer takes. */
    public static final int SNAPLEN = 262144;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int FILE_HEADER_BYTES = 24;
    public static final int RECORD_HEADER_BYTES = 16;
    /** ts_sec is an unsigned 32-bit field: the last representable instant. */
    public static final long MAX_TIME_NS = 0xFFFF_FFFFL * 1_000_000_000L + 999_999_999L;

    private static final long NS_PER_S = 1_000_000_000L;

    // Holds whole records only, so a file cut back to the last drain ends on a record boundary;
    // hence room for the largest record (header plus SNAPLEN bytes).
    private final ByteBuffer buffer =
            ByteBuffer.allocate(2 * SNAPLEN).order(ByteOrder.LITTLE_ENDIAN);
    private final int snaplen;
    private final OutputStream out;
    // Only for file captures: where the bytes go until close() renames them into place.
    private final Path target;
    private final Path temp;
    private final FileChannel channel;

    private long lastTimeNs = Long.MIN_VALUE;
    private long records;
    private long drainedBytes;
    private IOException failure;
    private boolean closed;

    /**
     * Writes to {@code out}, which {@link #close()} closes. Use it with a {@link
     * ByteArrayOutputStream} to compare captures in memory.
     */
    public PcapWriter(OutputStream out) throws IOException {
        this(out, SNAPLEN);
    }

    /** As {@link #PcapWriter(OutputStream)}, keeping at most {@code snaplen} bytes of each frame (tcpdump -s). */
    public PcapWriter(OutputStream out, int snaplen) throws IOException {
        this.snaplen = checkSnaplen(snaplen);
        this.out = Objects.requireNonNull(out, "out");
        this.target = null;
        this.temp = null;
        this.channel = null;
        writeFileHeader();
    }

    private PcapWriter(Path target, Path temp, FileChannel channel, int snaplen) {
        this.snaplen = snaplen;
        this.out = null;
        this.target = target;
        this.temp = temp;
        this.channel = channel;
    }

    /**
     * Starts a capture that appears at {@code file} only when {@link #close()} renames it into
     * place, so readers never see a half-written file; until then the bytes live in a hidden
     * temporary file in the same folder (a rename is only atomic within one file system).
     */
    public static PcapWriter create(Path file) throws IOException {
        return create(file, SNAPLEN);
    }

    /** As {@link #create(Path)}, keeping at most {@code snaplen} bytes of each frame (tcpdump -s). */
    public static PcapWriter create(Path file, int snaplen) throws IOException {
        checkSnaplen(snaplen);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        for (int attempt = 0; ; attempt++) {
            // A random suffix only names the temp file; it never reaches the capture's bytes.
            Path temp = dir.resolve("." + target.getFileName() + "."
                    + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            FileChannel channel;
            try {
                channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                if (attempt < 10) continue;
                throw e;
            }
            PcapWriter writer = new PcapWriter(target, temp, channel, snaplen);
            try {
                writer.writeFileHeader();
            } catch (IOException | RuntimeException e) {
                channel.close();
                Files.deleteIfExists(temp);
                throw e;
            }
            return writer;
        }
    }

    /**
     * The whole file for {@code records}, which must already be in time order (sort them with
     * {@link CaptureRecord#ORDER} to merge several LPs' captures).
     */
    public static byte[] toBytes(Iterable<CaptureRecord> records) {
        return toBytes(records, SNAPLEN);
    }

    /** As {@link #toBytes(Iterable)}, with {@code snaplen} in the header and as the most bytes kept per frame. */
    public static byte[] toBytes(Iterable<CaptureRecord> records, int snaplen) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PcapWriter writer = new PcapWriter(bytes, snaplen)) {
            for (CaptureRecord r : records) writer.write(r);
        } catch (IOException e) {
            throw new UncheckedIOException("a ByteArrayOutputStream does not fail", e);
        }
        return bytes.toByteArray();
    }

    // pcap_set_snaplen(): any length from 1 byte to MAXIMUM_SNAPLEN
    private static int checkSnaplen(int snaplen) {
        if (snaplen < 1 || snaplen > SNAPLEN) {
            throw new IllegalArgumentException("snaplen must be 1.." + SNAPLEN + ", got " + snaplen);
        }
        return snaplen;
    }

    private void writeFileHeader() throws IOException {
        buffer.putInt(MAGIC_NANOS).putShort(VERSION_MAJOR).putShort(VERSION_MINOR)
                .putInt(0)   // thiszone: timestamps are already UTC
                .putInt(0)   // sigfigs: always 0 in practice
                .putInt(snaplen).putInt(LINKTYPE_ETHERNET);
        // Drained at once so that even a capture that never gets a record is a valid file.
        drain();
    }

    private void drain() throws IOException {
        buffer.flip();
        try {
            if (channel != null) {
                while (buffer.hasRemaining()) channel.write(buffer);
            } else {
                out.write(buffer.array(), 0, buffer.limit());
            }
        } catch (IOException e) {
            failure = e;
            throw e;
        }
        drainedBytes += buffer.limit();
        buffer.clear();
    }

    /** Appends {@code record}'s frame at its time. */
    public void write(CaptureRecord record) throws IOException {
        write(record.timeNs(), record.frame(), 0, record.frame().length, record.originalLength());
    }

    /**
     * Appends one frame, starting at its Ethernet header and without FCS, captured at {@code
     * timeNs}. Bytes beyond the snap length are dropped while {@code originalLength}, the length
     * on the wire, is kept. Time must never go backwards: a capture out of order is a simulator bug
     * (captures are merged by time before writing), so it is refused rather than silently sorted.
     * Not thread-safe.
     *
     * <p>Virtual time starts at 0, so tools show the frames at seconds after
     * 1970-01-01T00:00:00Z; in Wireshark use View, Time Display Format, Seconds Since First
     * Captured Packet, or Edit, Time Shift.
     *
     * @throws IllegalStateException if {@code timeNs} is before the last written time, or after close
     * @throws IllegalArgumentException for a negative or unrepresentable time, or a bad length
     */
    public void write(long timeNs, byte[] frame, int offset, int length, int originalLength)
            throws IOException {
        if (closed) throw new IllegalStateException("capture already closed");
        if (failure != null) throw new IOException("capture failed earlier", failure);
        Objects.checkFromIndexSize(offset, length, frame.length);
        if (timeNs < 0 || timeNs > MAX_TIME_NS) {
            throw new IllegalArgumentException("time " + timeNs + " ns is outside 0.." + MAX_TIME_NS
                    + " (pcap seconds are unsigned 32-bit)");
        }
        if (originalLength < length) {
            throw new IllegalArgumentException("originalLength " + originalLength
                    + " is shorter than the " + length + " captured bytes");
        }
        if (timeNs < lastTimeNs) {
            throw new IllegalStateException("capture time " + timeNs + " ns is before the last written "
                    + lastTimeNs + " ns; records must be written in time order");
        }
        int included = Math.min(length, snaplen);
        if (buffer.remaining() < RECORD_HEADER_BYTES + included) drain();
        buffer.putInt((int) (timeNs / NS_PER_S)).putInt((int) (timeNs % NS_PER_S))
                .putInt(included).putInt(originalLength).put(frame, offset, included);
        lastTimeNs = timeNs;
        records++;
    }

    /**
     * Hands the buffered records to the file or stream now, so that a long run's capture can be
     * followed while it grows; a file capture still appears at its name only on close.
     */
    public void flush() throws IOException {
        if (closed) throw new IllegalStateException("capture already closed");
        if (failure != null) throw new IOException("capture failed earlier", failure);
        drain();
        if (out != null) out.flush();
    }

    /** The snap length in the file header: the most bytes kept of a frame. */
    public int snaplen() {
        return snaplen;
    }

    /** Records written so far. */
    public long records() {
        return records;
    }

    /**
     * Finishes the file. After an aborted run this still leaves a valid file holding every record
     * written so far; if a write to disk failed, the file is cut back to the last whole record
     * before the rename and the failure is then reported. Calling it again does nothing.
     */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        if (channel == null) {
            try {
                if (failure == null) drain();
            } finally {
                out.close();
            }
            return;
        }
        try {
            if (failure == null) {
                try {
                    drain();
                } catch (IOException e) {
                    // Reported below, once the records drained before it are safely in place.
                }
            }
            // A failed drain may have left part of a buffer behind: cut back to whole records.
            if (channel.size() > drainedBytes) channel.truncate(drainedBytes);
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(temp);
            throw e;
        }
        channel.close();
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IOException("could not rename " + temp + " to " + target
                    + "; the capture is kept in the former", e);
        }
        if (failure != null) {
            throw new IOException(target + " holds only the records written before a write failed",
                    failure);
        }
    }
}
