package knetsim.link.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import knetsim.link.pcap.TestFrames.Break;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tshark, not our own reader, is the judge of the files: it must find the frames well formed with
 * good checksums and print exactly the nanoseconds written, and it must flag a broken checksum,
 * which shows the checks are really on. Skipped only where tshark is not installed.
 */
class PcapTsharkTest {
    private static final long TSHARK_TIMEOUT_S = 60;
    /** Expert-info severity "error", from epan/proto.h. */
    private static final int PI_ERROR = 0x00800000;
    private static final byte[] PAYLOAD = "hello from knetsim".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    /** One line of tshark's field output. */
    private record Dissected(String time, String protocol, String severities, String messages,
            String malformed, String ipStatus, String udpStatus, String icmpStatus) {
        // Checksum status values from epan/proto.h: 0 bad, 1 good, 2 not verified.
        static final String BAD = "0";
        static final String GOOD = "1";
    }

    @Test
    void tsharkFindsWellFormedFramesAndExactNanosecondTimes() throws Exception {
        long[] times = {1_234L, 1_500_000_000L, 1_500_000_001L, 86_400_999_999_999L};
        byte[][] frames = {
            TestFrames.arpRequest(),
            TestFrames.udp(40000, 40001, PAYLOAD, Break.NONE),
            TestFrames.icmpEchoRequest(0x1234, 1, PAYLOAD, Break.NONE),
            // odd length: the checksum helper must pad the last byte
            TestFrames.udp(40000, 40001, Arrays.copyOf(PAYLOAD, 7), Break.NONE),
        };
        List<Dissected> lines = tshark(capture(times, frames));

        assertEquals(frames.length, lines.size(), () -> "one line per frame: " + lines);
        String[] protocols = {"ARP", "UDP", "ICMP", "UDP"};
        for (int i = 0; i < frames.length; i++) {
            Dissected d = lines.get(i);
            String what = "frame " + (i + 1) + ": " + d;
            assertEquals(String.format("%d.%09d", times[i] / 1_000_000_000L, times[i] % 1_000_000_000L),
                    d.time(), what);
            assertEquals(protocols[i], d.protocol(), what);
            assertEquals("", d.malformed(), what);
            assertEquals("", d.severities(), "no expert info at all, " + what);
        }
        // GOOD rather than "not BAD": a status of 2 would mean tshark never checked.
        for (int i : new int[] {1, 2, 3}) assertEquals(Dissected.GOOD, lines.get(i).ipStatus(), "" + lines.get(i));
        for (int i : new int[] {1, 3}) assertEquals(Dissected.GOOD, lines.get(i).udpStatus(), "" + lines.get(i));
        assertEquals(Dissected.GOOD, lines.get(2).icmpStatus(), "" + lines.get(2));
    }

    @Test
    void tsharkReportsBrokenChecksumsAndMalformedFrames() throws Exception {
        byte[] goodUdp = TestFrames.udp(40000, 40001, PAYLOAD, Break.NONE);
        byte[][] frames = {
            TestFrames.udp(40000, 40001, PAYLOAD, Break.IP),
            TestFrames.udp(40000, 40001, PAYLOAD, Break.UDP),
            TestFrames.icmpEchoRequest(7, 7, PAYLOAD, Break.ICMP),
            // cut inside the UDP header: IPv4 claims more bytes than the frame has
            Arrays.copyOf(goodUdp, 14 + 20 + 5),
        };
        long[] times = {1_000L, 2_000L, 3_000L, 4_000L};
        List<Dissected> lines = tshark(capture(times, frames));

        assertEquals(frames.length, lines.size(), () -> "one line per frame: " + lines);
        assertEquals(Dissected.BAD, lines.get(0).ipStatus(), "" + lines.get(0));
        assertEquals(Dissected.BAD, lines.get(1).udpStatus(), "" + lines.get(1));
        assertEquals(Dissected.BAD, lines.get(2).icmpStatus(), "" + lines.get(2));
        for (int i = 0; i < 3; i++) {
            assertTrue(lines.get(i).messages().contains("Bad checksum"), "" + lines.get(i));
        }
        Dissected cut = lines.get(3);
        assertTrue(!cut.malformed().isEmpty() || cut.severities().contains(String.valueOf(PI_ERROR)),
                "a frame cut short is reported: " + cut);
    }

    @Test
    void checksumHelperMatchesPublishedExamples() {
        // RFC 1071 section 3's worked example sums to 0xddf2.
        byte[] rfc = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertEquals(0xddf2, TestFrames.onesComplementSum(0, rfc, 0, rfc.length));
        // A widely quoted IPv4 header whose checksum is 0xb861.
        byte[] ip = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00,
            (byte) 0xc0, (byte) 0xa8, 0x00, 0x01, (byte) 0xc0, (byte) 0xa8, 0x00, (byte) 0xc7};
        assertEquals(0xb861, TestFrames.checksum(ip, 0, ip.length));
    }

    private Path capture(long[] times, byte[][] frames) throws IOException {
        Path file = dir.resolve("frames.pcap");
        try (PcapWriter writer = PcapWriter.create(file)) {
            for (int i = 0; i < frames.length; i++) {
                writer.write(times[i], frames[i], 0, frames[i].length, frames[i].length);
            }
        }
        return file;
    }

    /**
     * Runs tshark with checksum validation switched on (it is off by default for IPv4 and UDP;
     * ICMP is always checked) and with a private, empty configuration folder so that a user's
     * preferences cannot change the verdict.
     */
    private List<Dissected> tshark(Path pcap) throws Exception {
        String tshark = findOnPath("tshark");
        assumeTrue(tshark != null, "tshark is not installed");
        Path config = Files.createDirectories(dir.resolve("wireshark-config"));
        Path out = dir.resolve("tshark.out");
        Path err = dir.resolve("tshark.err");
        ProcessBuilder pb = new ProcessBuilder(tshark, "-n", "-r", pcap.toString(),
                "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=;",
                "-e", "frame.time_epoch", "-e", "_ws.col.Protocol",
                "-e", "_ws.expert.severity", "-e", "_ws.expert.message", "-e", "_ws.malformed",
                "-e", "ip.checksum.status", "-e", "udp.checksum.status", "-e", "icmp.checksum.status")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("WIRESHARK_CONFIG_DIR", config.toString());
        Process p = pb.start();
        if (!p.waitFor(TSHARK_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("tshark did not finish within " + TSHARK_TIMEOUT_S + " s");
        }
        String stderr = Files.readString(err);
        assertEquals(0, p.exitValue(), () -> "tshark failed: " + stderr);
        List<Dissected> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            String[] f = line.split("\t", -1);
            assertEquals(8, f.length, () -> "unexpected tshark line '" + line + "'; stderr: " + stderr);
            lines.add(new Dissected(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]));
        }
        return lines;
    }

    private static String findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            File f = new File(d, program);
            if (f.isFile() && f.canExecute()) return f.getPath();
        }
        return null;
    }
}
