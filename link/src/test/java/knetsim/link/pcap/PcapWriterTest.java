package knetsim.link.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's bytes must be exactly the classic pcap format and read back unchanged, and a file
 * must never be seen half written nor be left invalid by an aborted run.
 */
class PcapWriterTest {
    @TempDir
    Path dir;

    private static byte[] frame(int length, int seed) {
        byte[] b = new byte[length];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void roundTripKeepsTimesBytesAndLengths() throws IOException {
        byte[] a = frame(60, 1);
        byte[] b = frame(1514, 2);
        byte[] c = frame(42, 3);
        Path file = dir.resolve("round.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            w.write(0L, a, 0, a.length, a.length);
            w.write(1_234L, b, 0, b.length, b.length);
            w.write(1_234L, c, 0, c.length, 100);  // same instant and a frame captured short
            w.write(7_000_000_000_123L, b, 14, 20, 20);  // a slice of a larger buffer
            assertEquals(4, w.records());
        }
        List<PcapRecord> read = PcapReader.readAll(file);
        assertEquals(List.of(
                new PcapRecord(0L, a, 60),
                new PcapRecord(1_234L, b, 1514),
                new PcapRecord(1_234L, c, 100),
                new PcapRecord(7_000_000_000_123L, Arrays.copyOfRange(b, 14, 34), 20)), read);
    }

    @Test
    void headerAndRecordBytesFollowTheFormat() throws IOException {
        byte[] payload = {1, 2, 3};
        byte[] bytes = PcapWriter.toBytes(List.of(new CaptureRecord(4_500_000_001L, 0, 0, payload, 70)));
        assertEquals(24 + 16 + 3, bytes.length);
        ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        // The magic as stored: readers detect the byte order and resolution from these four bytes.
        assertArrayEquals(new byte[] {0x4d, 0x3c, (byte) 0xb2, (byte) 0xa1}, Arrays.copyOfRange(bytes, 0, 4));
        assertEquals(0xa1b23c4d, le.getInt(0));
        assertEquals(2, le.getShort(4), "version major");
        assertEquals(4, le.getShort(6), "version minor");
        assertEquals(0, le.getInt(8), "thiszone");
        assertEquals(0, le.getInt(12), "sigfigs");
        assertEquals(262144, le.getInt(16), "snaplen");
        assertEquals(1, le.getInt(20), "LINKTYPE_ETHERNET");
        assertEquals(4, le.getInt(24), "ts_sec");
        assertEquals(500_000_001, le.getInt(28), "ts_usec field holds nanoseconds");
        assertEquals(3, le.getInt(32), "incl_len");
        assertEquals(70, le.getInt(36), "orig_len");
        assertArrayEquals(payload, Arrays.copyOfRange(bytes, 40, 43));
    }

    @Test
    void decreasingTimeIsRefusedAndNothingIsWritten() throws IOException {
        Path file = dir.resolve("order.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            w.write(2_000L, frame(60, 1), 0, 60, 60);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> w.write(1_999L, frame(60, 2), 0, 60, 60));
            assertTrue(e.getMessage().contains("1999") && e.getMessage().contains("2000"), e.getMessage());
            w.write(2_000L, frame(60, 3), 0, 60, 60);  // equal times are in order
        }
        List<PcapRecord> read = PcapReader.readAll(file);
        assertEquals(List.of(2_000L, 2_000L), read.stream().map(PcapRecord::timeNs).toList());
        assertArrayEquals(frame(60, 3), read.get(1).frame());
    }

    @Test
    void snaplenTruncatesTheBytesButKeepsTheOriginalLength() throws IOException {
        byte[] jumbo = frame(PcapWriter.SNAPLEN + 37_856, 9);
        Path file = dir.resolve("snap.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            w.write(5L, jumbo, 0, jumbo.length, jumbo.length);
            w.write(6L, jumbo, 0, PcapWriter.SNAPLEN, PcapWriter.SNAPLEN);
        }
        List<PcapRecord> read = PcapReader.readAll(file);
        assertEquals(PcapWriter.SNAPLEN, read.get(0).frame().length);
        assertEquals(jumbo.length, read.get(0).originalLength());
        assertArrayEquals(Arrays.copyOf(jumbo, PcapWriter.SNAPLEN), read.get(0).frame());
        assertEquals(PcapWriter.SNAPLEN, read.get(1).originalLength());
        assertEquals(24 + 2 * (16 + PcapWriter.SNAPLEN), Files.size(file));
    }

    @Test
    void aConfiguredSnaplenIsInTheHeaderAndCutsEachRecordToIt() throws IOException {
        byte[] arp = frame(42, 11), exact = frame(64, 12), full = frame(1514, 13), cut = frame(30, 14);
        List<CaptureRecord> records = List.of(new CaptureRecord(1L, 0, 0, arp), new CaptureRecord(2L, 0, 1, exact),
                new CaptureRecord(3L, 0, 2, full), new CaptureRecord(4L, 0, 3, cut, 1000));
        Path file = dir.resolve("s64.pcap");
        try (PcapWriter w = PcapWriter.create(file, 64)) {
            assertEquals(64, w.snaplen());
            for (CaptureRecord r : records) w.write(r);
        }
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(PcapWriter.toBytes(records, 64), bytes, "file and in-memory capture are one format");
        assertEquals(64, ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(16), "snaplen field");
        // incl_len and orig_len of the third record: header 24, then 16 + 42 and 16 + 64 before it
        ByteBuffer third = ByteBuffer.wrap(bytes, 24 + 16 + 42 + 16 + 64, 16).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(64, third.getInt(third.position() + 8), "incl_len");
        assertEquals(1514, third.getInt(third.position() + 12), "orig_len");
        assertEquals(24 + 4 * 16 + 42 + 64 + 64 + 30, bytes.length);
        try (PcapReader reader = PcapReader.open(file)) {
            assertEquals(64, reader.snaplen());
            assertEquals(List.of(new PcapRecord(1L, arp, 42), new PcapRecord(2L, exact, 64),
                    new PcapRecord(3L, Arrays.copyOf(full, 64), 1514), new PcapRecord(4L, cut, 1000)),
                    reader.readRemaining());
        }
        for (int bad : new int[] {0, -1, PcapWriter.SNAPLEN + 1}) {
            assertThrows(IllegalArgumentException.class, () -> PcapWriter.toBytes(records, bad), "snaplen " + bad);
            assertThrows(IllegalArgumentException.class, () -> PcapWriter.create(dir.resolve("bad.pcap"), bad));
        }
        assertFalse(Files.exists(dir.resolve("bad.pcap")));
    }

    @Test
    void manyLargeRecordsSurviveTheBufferDrains() throws IOException {
        Path file = dir.resolve("many.pcap");
        byte[][] frames = new byte[40][];
        try (PcapWriter w = PcapWriter.create(file)) {
            for (int i = 0; i < frames.length; i++) {
                frames[i] = frame(1 + 97_003 * i % 200_000, i);
                w.write(i * 1_000L, frames[i], 0, frames[i].length, frames[i].length);
            }
        }
        List<PcapRecord> read = PcapReader.readAll(file);
        assertEquals(frames.length, read.size());
        for (int i = 0; i < frames.length; i++) assertArrayEquals(frames[i], read.get(i).frame(), "record " + i);
    }

    @Test
    void theFileAppearsOnlyWhenClosedAndNoTemporaryFileRemains() throws IOException {
        Path file = dir.resolve("atomic.pcap");
        Files.write(file, new byte[] {'o', 'l', 'd'});
        PcapWriter w = PcapWriter.create(file);
        w.write(1L, frame(60, 1), 0, 60, 60);
        w.flush();
        assertArrayEquals(new byte[] {'o', 'l', 'd'}, Files.readAllBytes(file), "old file until close");
        assertEquals(2, listing().size(), "the temporary file sits beside the target: " + listing());
        w.close();
        w.close();  // idempotent
        assertEquals(List.of(file), listing());
        assertEquals(1, PcapReader.readAll(file).size());
        assertThrows(IllegalStateException.class, () -> w.write(2L, frame(60, 1), 0, 60, 60));
    }

    @Test
    void anAbortedCaptureStillLeavesAValidFile() throws IOException {
        Path file = dir.resolve("aborted.pcap");
        RuntimeException abort = new RuntimeException("run aborted");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> {
            try (PcapWriter w = PcapWriter.create(file)) {
                w.write(10L, frame(60, 1), 0, 60, 60);
                w.write(20L, frame(70, 2), 0, 70, 70);
                throw abort;
            }
        });
        assertEquals(abort, thrown);
        assertEquals(List.of(10L, 20L), PcapReader.readAll(file).stream().map(PcapRecord::timeNs).toList());

        Path empty = dir.resolve("empty.pcap");
        PcapWriter.create(empty).close();
        assertEquals(24, Files.size(empty), "a capture without frames is just the header");
        assertEquals(List.of(), PcapReader.readAll(empty));
    }

    @Test
    void inMemoryBytesEqualTheFileBytes() throws IOException {
        List<CaptureRecord> records = List.of(
                new CaptureRecord(3L, 1, 0, frame(60, 1)),
                new CaptureRecord(3L, 2, 0, frame(1514, 2)),
                new CaptureRecord(9_000_000_000L, 1, 1, frame(42, 3), 60));
        Path file = dir.resolve("same.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            for (CaptureRecord r : records) w.write(r);
        }
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(stream)) {
            for (CaptureRecord r : records) w.write(r);
        }
        assertArrayEquals(Files.readAllBytes(file), PcapWriter.toBytes(records));
        assertArrayEquals(Files.readAllBytes(file), stream.toByteArray());
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsWritten() throws IOException {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        try (PcapWriter w = new PcapWriter(stream)) {
            byte[] f = frame(60, 1);
            assertThrows(IllegalArgumentException.class, () -> w.write(-1L, f, 0, 60, 60));
            assertThrows(IllegalArgumentException.class, () -> w.write(PcapWriter.MAX_TIME_NS + 1, f, 0, 60, 60));
            assertThrows(IllegalArgumentException.class, () -> w.write(0L, f, 0, 60, 59));
            assertThrows(IndexOutOfBoundsException.class, () -> w.write(0L, f, 10, 60, 60));
            w.write(PcapWriter.MAX_TIME_NS, f, 0, 60, 60);
        }
        List<PcapRecord> read = PcapReader.readAll(stream.toByteArray());
        assertEquals(List.of(PcapWriter.MAX_TIME_NS), read.stream().map(PcapRecord::timeNs).toList());
    }

    @Test
    void aFailedStreamIsReportedAndLaterWritesRefused() throws IOException {
        // Takes the file header, then fails like a full disk.
        OutputStream failing = new OutputStream() {
            private int written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > PcapWriter.FILE_HEADER_BYTES) throw new IOException("disk full");
                written += len;
            }
        };
        PcapWriter w = new PcapWriter(failing);
        byte[] big = frame(200_000, 1);
        IOException first = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 10; i++) w.write(i, big, 0, big.length, big.length);
        });
        assertEquals("disk full", first.getMessage());
        IOException later = assertThrows(IOException.class, () -> w.write(100L, big, 0, 60, 60));
        assertEquals(first, later.getCause());
        w.close();
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    @Test
    void theCaptureIsNotVisibleUnderItsNameBeforeClose() throws IOException {
        Path file = dir.resolve("fresh.pcap");
        try (PcapWriter w = PcapWriter.create(file)) {
            w.write(1L, frame(60, 1), 0, 60, 60);
            w.flush();
            assertFalse(Files.exists(file));
            assertTrue(listing().get(0).getFileName().toString().startsWith(".fresh.pcap."), "" + listing());
        }
        assertTrue(Files.exists(file));
    }
}
