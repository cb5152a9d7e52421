package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import knetsim.link.ethernet.EtherType;
import knetsim.link.ethernet.EthernetHeader;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.pcap.CaptureRecord;
import knetsim.link.pcap.PcapWriter;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Wireshark, not our parser, judges the emitted segments: every one decodes with a good checksum, nothing
 * malformed, no expert warning, and the option kinds come out in Linux's order. Skipped where tshark is absent.
 */
class TcpSegmentTsharkTest {
    private static final int C = TcpSegmentTest.CLIENT, S = TcpSegmentTest.SERVER;

    @TempDir
    Path dir;

    private record Seg(TcpHeader header, int payloadLength, boolean fromClient) {}

    @Test
    void tsharkDecodesEverySegmentAndSeesLinuxOptionOrder() throws Exception {
        assumeTrue(tsharkPresent());
        // above the ACK (0x3ad0b1c3), most recent first, or Wireshark reads the first block as a D-SACK
        long una = 0x3ad0b1c3L, mss = 1448;
        long[] three = {una + 6 * mss, una + 7 * mss, una + 4 * mss, una + 5 * mss, una + 2 * mss, una + 3 * mss};
        long[] four = {una + 8 * mss, una + 9 * mss, una + 6 * mss, una + 7 * mss, una + 4 * mss, una + 5 * mss,
                una + 2 * mss, una + 3 * mss};
        List<Seg> segs = List.of(
                new Seg(TcpSegmentTest.linuxSyn(), 0, true),
                new Seg(new TcpHeader(5201, 40000, 1000, 0x3ad0b1c3L, TcpHeader.SYN | TcpHeader.ACK, 65160, 0,
                        TcpOptions.syn(1460, true, true, 777, 123456, 7)), 0, false),
                new Seg(new TcpHeader(40000, 5201, 0x3ad0b1c3L, 1001, TcpHeader.PSH | TcpHeader.ACK, 502, 0,
                        TcpOptions.established(true, 123500, 777, null)), 1448, true),
                new Seg(new TcpHeader(5201, 40000, 1001, 0x3ad0b1c3L, TcpHeader.ACK, 1000, 0,
                        TcpOptions.established(true, 800, 123500, three)), 0, false),
                new Seg(new TcpHeader(5201, 40000, 1001, 0x3ad0b1c3L, TcpHeader.ACK, 1000, 0,
                        TcpOptions.established(false, 0, 0, four)), 0, false),
                new Seg(new TcpHeader(1, 2, 0, 0, TcpHeader.SYN, 64240, 0, TcpOptions.syn(536, true, false, 0, 0, 2)),
                        0, true),
                new Seg(new TcpHeader(40000, 5201, 5, 6, TcpHeader.FIN | TcpHeader.ACK, 502, 0, TcpOptions.NONE), 7,
                        true),
                new Seg(new TcpHeader(5201, 40000, 6, 0, TcpHeader.RST, 0, 0, TcpOptions.NONE), 0, false));
        List<CaptureRecord> records = new ArrayList<>();
        for (int i = 0; i < segs.size(); i++) {
            records.add(new CaptureRecord(1_000_000L * (i + 1), 0, i, frame(segs.get(i))));
        }
        Path file = dir.resolve("tcp.pcap");
        Files.write(file, PcapWriter.toBytes(records));

        List<String[]> lines = tshark(file);
        assertEquals(segs.size(), lines.size());
        String[] kinds = {"2,4,8,1,3", "2,4,8,1,3", "1,1,8", "1,1,8,1,1,5", "1,1,5", "2,1,1,4,1,3", "", ""};
        String[] headerLengths = {"40", "40", "32", "60", "56", "32", "20", "20"};
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i);
            String what = "segment " + (i + 1) + ": " + String.join(" | ", f);
            assertEquals("", f[0], "malformed: " + what);
            if (segs.get(i).header().has(TcpHeader.RST)) {
                assertEquals("Connection reset (RST)", f[15], "the one warning a RST earns: " + what);
            } else {
                for (String severity : f[1].split(",")) { // chats and notes are fine, warnings are not
                    assertTrue(severity.isEmpty() || Long.parseLong(severity) < 0x600000L, "expert warning: " + what);
                }
            }
            assertEquals("1", f[2], "checksum good: " + what);
            assertEquals(headerLengths[i], f[3], what);
            assertEquals(kinds[i], f[4], what);
            assertEquals(String.valueOf(segs.get(i).payloadLength()), f[5], what);
            assertEquals(String.valueOf(segs.get(i).header().seq()), f[6], what);
        }
        assertEquals("1460", lines.get(0)[7]);
        assertEquals("7", lines.get(0)[8]);
        assertEquals("123456", lines.get(0)[9]);
        assertEquals("123456", lines.get(1)[10], "the SYN-ACK echoes the SYN's TSval");
        assertEquals("3", lines.get(3)[11]);
        assertEquals((una + 6 * mss) + "," + (una + 4 * mss) + "," + (una + 2 * mss), lines.get(3)[12]);
        assertEquals((una + 7 * mss) + "," + (una + 5 * mss) + "," + (una + 3 * mss), lines.get(3)[13]);
        assertEquals("4", lines.get(4)[11]);
        assertEquals("64240", lines.get(0)[14]);
    }

    private static byte[] frame(Seg seg) {
        byte[] payload = new byte[seg.payloadLength()];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) ('a' + i % 26);
        int src = seg.fromClient() ? C : S, dst = seg.fromClient() ? S : C;
        int tcpLength = TcpSegment.headerLength(seg.header().options()) + payload.length;
        Ipv4Header ip = Ipv4Header.of(Ipv4Address.of(src), Ipv4Address.of(dst), TcpHeader.PROTOCOL, 64, 1, tcpLength);
        byte[] f = new byte[14 + ip.totalLength()];
        MacAddress a = MacAddress.of(0x020000000001L), b = MacAddress.of(0x020000000002L);
        EthernetHeader.untagged(seg.fromClient() ? b : a, seg.fromClient() ? a : b, EtherType.IPV4).emit(f, 0);
        ip.emit(f, 14);
        TcpSegment.emit(seg.header(), payload, 0, payload.length, f, 14 + ip.length(), src, dst);
        return f;
    }

    private static boolean tsharkPresent() {
        try {
            return new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String[]> tshark(Path file) throws Exception {
        Process p = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-o", "tcp.check_checksum:TRUE",
                "-o", "tcp.relative_sequence_numbers:FALSE", "-o", "tcp.analyze_sequence_numbers:FALSE",
                "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
                "-e", "_ws.malformed", "-e", "_ws.expert.severity", "-e", "tcp.checksum.status", "-e", "tcp.hdr_len",
                "-e", "tcp.option_kind", "-e", "tcp.len", "-e", "tcp.seq_raw", "-e", "tcp.options.mss_val",
                "-e", "tcp.options.wscale.shift", "-e", "tcp.options.timestamp.tsval",
                "-e", "tcp.options.timestamp.tsecr", "-e", "tcp.options.sack.count", "-e", "tcp.options.sack_le",
                "-e", "tcp.options.sack_re", "-e", "tcp.window_size_value", "-e", "_ws.expert.message")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        List<String[]> lines = new ArrayList<>();
        for (String line : out.split("\n")) if (!line.isEmpty()) lines.add(line.split("\t", -1));
        return lines;
    }
}
