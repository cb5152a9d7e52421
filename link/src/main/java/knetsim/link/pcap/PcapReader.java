package knetsim.link.pcap;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads classic pcap files in either byte order and either timestamp resolution, so captures from
 * this simulator and from real tools can be checked and merged. Anything malformed is reported
 * as a {@link PcapFormatException} naming the source, the byte offset and what was wrong.
 */
public final class PcapReader implements Closeable {
    /** pcapng's Section Header Block type, recognised only to say so in the error. */
    private static final int PCAPNG_MAGIC = 0x0a0d0d0a;
    // A bound on one record, so a corrupt length field fails clearly instead of exhausting memory.
    private static final int MAX_RECORD_BYTES = 64 << 20;

    private final InputStream in;
    private final String source;
    private final ByteOrder order;
    private final boolean nanos;
    private final int versionMajor;
    private final int versionMinor;
    private final int snaplen;
    private final int linkType;
    private final ByteBuffer recordHeader;
    private long offset;

    /**
     * Reads the file header from {@code in}, which {@link #close()} closes; {@code source} names
     * the input in error messages.
     */
    public PcapReader(InputStream in, String source) throws IOException {
        this.in = Objects.requireNonNull(in, "in");
        this.source = Objects.requireNonNull(source, "source");
        // The magic is judged before the length, so a short text file is "not a pcap file".
        byte[] header = in.readNBytes(PcapWriter.FILE_HEADER_BYTES);
        if (header.length == 0) throw error(0, "empty file, expected a 24-byte pcap file header");
        if (header.length < 4) throw truncatedFileHeader(header.length);
        int magic = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (magic == PcapWriter.MAGIC_NANOS || magic == PcapWriter.MAGIC_MICROS) {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (Integer.reverseBytes(magic) == PcapWriter.MAGIC_NANOS
                || Integer.reverseBytes(magic) == PcapWriter.MAGIC_MICROS) {
            order = ByteOrder.BIG_ENDIAN;
            magic = Integer.reverseBytes(magic);
        } else if (magic == PCAPNG_MAGIC) {
            throw error(0, "this is a pcapng file; only classic pcap is supported"
                    + " (convert with: editcap -F pcap IN OUT)");
        } else {
            throw error(0, String.format("not a pcap file: magic 0x%08x is neither 0xa1b2c3d4"
                    + " (microseconds) nor 0xa1b23c4d (nanoseconds) in either byte order", magic));
        }
        if (header.length < PcapWriter.FILE_HEADER_BYTES) throw truncatedFileHeader(header.length);
        offset = PcapWriter.FILE_HEADER_BYTES;
        nanos = magic == PcapWriter.MAGIC_NANOS;
        ByteBuffer h = ByteBuffer.wrap(header).order(order);
        versionMajor = Short.toUnsignedInt(h.getShort(4));
        versionMinor = Short.toUnsignedInt(h.getShort(6));
        if (versionMajor != PcapWriter.VERSION_MAJOR) {
            throw error(4, "unsupported pcap version " + versionMajor + "." + versionMinor
                    + ", expected 2.x");
        }
        snaplen = h.getInt(16);
        linkType = h.getInt(20);
        recordHeader = ByteBuffer.allocate(PcapWriter.RECORD_HEADER_BYTES).order(order);
    }

    /** Opens {@code file}; errors name it. */
    public static PcapReader open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            return new PcapReader(in, file.toString());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Every record of {@code file}. */
    public static List<PcapRecord> readAll(Path file) throws IOException {
        try (PcapReader reader = open(file)) {
            return reader.readRemaining();
        }
    }

    /** Every record of an in-memory capture, such as {@link PcapWriter#toBytes}'s. */
    public static List<PcapRecord> readAll(byte[] pcap) throws PcapFormatException {
        try (PcapReader reader = new PcapReader(new ByteArrayInputStream(pcap), "in-memory pcap")) {
            return reader.readRemaining();
        } catch (PcapFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException("a byte array cannot fail to read", e);
        }
    }

    /** The records not read yet. */
    public List<PcapRecord> readRemaining() throws IOException {
        List<PcapRecord> records = new ArrayList<>();
        for (PcapRecord r = next(); r != null; r = next()) records.add(r);
        return records;
    }

    /** The next record, or null at the end of the file. */
    public PcapRecord next() throws IOException {
        long start = offset;
        byte[] header = readFully(PcapWriter.RECORD_HEADER_BYTES, "record header");
        if (header == null) return null;
        recordHeader.clear();
        recordHeader.put(header).flip();
        long seconds = Integer.toUnsignedLong(recordHeader.getInt());
        long fraction = Integer.toUnsignedLong(recordHeader.getInt());
        long included = Integer.toUnsignedLong(recordHeader.getInt());
        long original = Integer.toUnsignedLong(recordHeader.getInt());
        long perSecond = nanos ? 1_000_000_000L : 1_000_000L;
        if (fraction >= perSecond) {
            throw error(start + 4, "record's sub-second field " + fraction + " is not below "
                    + perSecond + " (" + (nanos ? "nanosecond" : "microsecond") + " file)");
        }
        if (included > Math.max(Integer.toUnsignedLong(snaplen), PcapWriter.SNAPLEN)
                || included > MAX_RECORD_BYTES) {
            throw error(start + 8, "record length " + included + " exceeds the snapshot length "
                    + Integer.toUnsignedLong(snaplen) + "; the file is corrupt");
        }
        if (original > Integer.MAX_VALUE) {
            throw error(start + 12, "record's original length " + original + " is implausible");
        }
        byte[] frame = readFully((int) included, "record data");
        if (frame == null && included > 0) {
            throw error(offset, "file ends after a record header; " + included + " bytes of data missing");
        }
        long timeNs = seconds * 1_000_000_000L + (nanos ? fraction : fraction * 1000);
        return new PcapRecord(timeNs, frame, (int) original);
    }

    /**
     * Reads exactly {@code n} bytes, or returns null at a clean end of input; an input ending part
     * way is a truncated file.
     */
    private byte[] readFully(int n, String what) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length == 0 && n > 0) return null;
        if (bytes.length < n) {
            throw error(offset, "truncated " + what + ": " + bytes.length + " of " + n + " bytes");
        }
        offset += n;
        return bytes;
    }

    private PcapFormatException truncatedFileHeader(int length) {
        return error(0, "truncated file header: " + length + " of " + PcapWriter.FILE_HEADER_BYTES + " bytes");
    }

    private PcapFormatException error(long at, String why) {
        return new PcapFormatException(source + ": at byte " + at + ": " + why);
    }

    /** The file's byte order, as found from its magic number. */
    public ByteOrder byteOrder() {
        return order;
    }

    /** Whether timestamps have nanosecond (rather than microsecond) resolution. */
    public boolean nanosecond() {
        return nanos;
    }

    public int versionMajor() {
        return versionMajor;
    }

    public int versionMinor() {
        return versionMinor;
    }

    /** The snapshot length from the file header, unsigned. */
    public long snaplen() {
        return Integer.toUnsignedLong(snaplen);
    }

    /** The header's link-layer field as stored; 1 is Ethernet. */
    public int linkType() {
        return linkType;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
