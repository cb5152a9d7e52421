package knetsim.link.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Files written by other tools come in either byte order and resolution, and broken files must
 * fail with a message that says what is wrong where, never with an exception from deep inside.
 */
class PcapReaderTest {
    @TempDir
    Path dir;

    /** A file with one record of {@code data}, built by hand in the given order and resolution. */
    private static byte[] file(ByteOrder order, boolean nanos, long sec, long fraction, byte[] data, int orig) {
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + data.length).order(order);
        b.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4)
                .putInt(0).putInt(0).putInt(65535).putInt(1);
        b.putInt((int) sec).putInt((int) fraction).putInt(data.length).putInt(orig).put(data);
        return b.array();
    }

    @ParameterizedTest
    @CsvSource({"LITTLE_ENDIAN, true, 3000000005", "LITTLE_ENDIAN, false, 3000005000",
        "BIG_ENDIAN, true, 3000000005", "BIG_ENDIAN, false, 3000005000"})
    void readsBothByteOrdersAndBothResolutions(String orderName, boolean nanos, long expectedNs)
            throws IOException {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] data = {9, 8, 7, 6, 5};
        byte[] bytes = file(order, nanos, 3, 5, data, 64);
        try (PcapReader r = new PcapReader(new ByteArrayInputStream(bytes), "test")) {
            assertEquals(order, r.byteOrder());
            assertEquals(nanos, r.nanosecond());
            assertEquals(2, r.versionMajor());
            assertEquals(4, r.versionMinor());
            assertEquals(65535, r.snaplen());
            assertEquals(1, r.linkType());
            PcapRecord rec = r.next();
            assertEquals(expectedNs, rec.timeNs());
            assertArrayEquals(data, rec.frame());
            assertEquals(64, rec.originalLength());
            assertNull(r.next(), "clean end of file");
        }
    }

    @Test
    void secondsAreUnsigned() throws IOException {
        byte[] bytes = file(ByteOrder.LITTLE_ENDIAN, true, 0xFFFF_FFFFL, 999_999_999, new byte[0], 0);
        assertEquals(PcapWriter.MAX_TIME_NS, PcapReader.readAll(bytes).get(0).timeNs());
    }

    @Test
    void readsFromAFileAndNamesItInErrors() throws IOException {
        Path good = dir.resolve("good.pcap");
        Files.write(good, file(ByteOrder.BIG_ENDIAN, false, 1, 2, new byte[] {1}, 1));
        assertEquals(List.of(new PcapRecord(1_000_002_000L, new byte[] {1}, 1)), PcapReader.readAll(good));

        Path bad = dir.resolve("bad.pcap");
        Files.write(bad, "this is not a capture".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        PcapFormatException e = assertThrows(PcapFormatException.class, () -> PcapReader.readAll(bad));
        assertTrue(e.getMessage().startsWith(bad.toString() + ": at byte 0: not a pcap file"), e.getMessage());
    }

    private static String malformed(byte[] bytes) {
        return assertThrows(PcapFormatException.class, () -> PcapReader.readAll(bytes)).getMessage();
    }

    private static byte[] good() {
        return file(ByteOrder.LITTLE_ENDIAN, true, 1, 2, new byte[] {1, 2, 3, 4, 5, 6}, 6);
    }

    @Test
    void malformedHeadersAreExplained() {
        assertTrue(malformed(new byte[0]).contains("empty file"));
        assertTrue(malformed(Arrays.copyOf(good(), 10)).contains("truncated file header: 10 of 24 bytes"));
        assertTrue(malformed(Arrays.copyOf(good(), 2)).contains("truncated file header: 2 of 24 bytes"));
        byte[] junk = good();
        junk[0] = 0x12;
        assertTrue(malformed(junk).contains("not a pcap file: magic 0xa1b23c12"), malformed(junk));
        byte[] pcapng = good();
        ByteBuffer.wrap(pcapng).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x0a0d0d0a);
        assertTrue(malformed(pcapng).contains("pcapng"));
        byte[] v3 = good();
        v3[4] = 3;
        assertTrue(malformed(v3).contains("at byte 4: unsupported pcap version 3.4"), malformed(v3));
    }

    @Test
    void malformedRecordsAreExplained() {
        String header = malformed(Arrays.copyOf(good(), 24 + 7));
        assertTrue(header.contains("at byte 24: truncated record header: 7 of 16 bytes"), header);
        String data = malformed(Arrays.copyOf(good(), 24 + 16 + 4));
        assertTrue(data.contains("at byte 40: truncated record data: 4 of 6 bytes"), data);
        String none = malformed(Arrays.copyOf(good(), 24 + 16));
        assertTrue(none.contains("6 bytes of data missing"), none);

        byte[] huge = good();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(32, 0x7fff_0000);
        assertTrue(malformed(huge).contains("at byte 32: record length 2147418112 exceeds"), malformed(huge));
        byte[] fraction = good();
        ByteBuffer.wrap(fraction).order(ByteOrder.LITTLE_ENDIAN).putInt(28, 1_000_000_000);
        assertTrue(malformed(fraction).contains("at byte 28: record's sub-second field 1000000000"),
                malformed(fraction));
        byte[] orig = good();
        ByteBuffer.wrap(orig).order(ByteOrder.LITTLE_ENDIAN).putInt(36, -1);
        assertTrue(malformed(orig).contains("original length 4294967295"), malformed(orig));
    }
}
