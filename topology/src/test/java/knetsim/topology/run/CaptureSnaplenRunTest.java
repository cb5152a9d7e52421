package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import knetsim.link.pcap.PcapReader;
import knetsim.link.pcap.PcapRecord;
import knetsim.topology.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * capture-snaplen = 64 (tcpdump -s 64) in a run: every tap (a NIC's transmit tap, the host's receive tap, lo's) keeps
 * the first 64 bytes of each frame and its length on the wire, the header says 64, and tshark reads the files. The
 * same run without the key captures the very same frames whole.
 */
class CaptureSnaplenRunTest {
    static final String FILE = """
            duration = 300ms
            hosts {
              h1 { interfaces { eth0 { ip = "10.0.1.2/24", gateway = "10.0.1.1" } } }
              h2 { interfaces { eth0 { ip = "10.0.2.2/24", gateway = "10.0.2.1" } } }
            }
            routers { r1 { interfaces { eth0 { ip = "10.0.1.1/24" }, eth1 { ip = "10.0.2.1/24" } } } }
            links = [ { a = "h1.eth0", b = "r1.eth0", rate = 1Gbps, delay = 1ms }
                      { a = "r1.eth1", b = "h2.eth0", rate = 1Gbps, delay = 1ms } ]
            traffic = [ { app = udp-sink, on = h2, port = 9000 }
                        { app = udp-cbr, on = h1, to = "h2:9000", rate = 1Mbps, size = 1000, start = 10ms, count = 20 }
                        { app = tcp-sink, on = h2, port = 5201 }
                        { app = tcp-bulk, on = h1, to = "h2:5201", bytes = 20000, start = 20ms }
                        { app = ping, on = h1, to = "10.0.1.2", count = 2, interval = 100ms } ]
            capture = [ "h1.eth0", "h1.lo", "r1.eth1", "h2.eth0" ]
            """;
    static final List<String> DEVICES = List.of("h1.eth0", "h1.lo", "r1.eth1", "h2.eth0");

    @TempDir
    Path dir;

    private Path run(String name, String... sets) throws IOException {
        Path file = dir.resolve("snap.conf");
        Files.writeString(file, FILE);
        Path out = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("run", file.toString(), "--out", out.toString(), "--no-progress"));
        for (String s : sets) args.addAll(List.of("--set", s));
        assertEquals(Main.OK, Main.execute(args.toArray(String[]::new)));
        return out.resolve("pcap");
    }

    @Test
    void aSnapLengthCutsEveryCapturedFrameAndKeepsItsLengthOnTheWire() throws IOException {
        Path whole = run("whole");
        Path cut = run("cut", "capture-snaplen=64");
        int longer = 0, shorter = 0;
        for (String device : DEVICES) {
            Path w = whole.resolve(device + ".pcap"), c = cut.resolve(device + ".pcap");
            List<PcapRecord> full = PcapReader.readAll(w), snapped = PcapReader.readAll(c);
            try (PcapReader a = PcapReader.open(w); PcapReader b = PcapReader.open(c)) {
                assertEquals(262144, a.snaplen(), device + ": tcpdump's default");
                assertEquals(64, b.snaplen(), device + ": the header carries capture-snaplen");
            }
            assertTrue(full.size() > 2, device + " saw traffic: " + full.size());
            assertEquals(full.size(), snapped.size(), device + ": the same frames, cut or not");
            for (int i = 0; i < full.size(); i++) {
                PcapRecord f = full.get(i), s = snapped.get(i);
                String what = device + " record " + i;
                assertEquals(f.frame().length, f.originalLength(), what + ": without the key frames are whole");
                assertEquals(f.timeNs(), s.timeNs(), what);
                assertEquals(f.originalLength(), s.originalLength(), what + ": orig_len is the frame's length");
                assertEquals(Math.min(64, f.originalLength()), s.frame().length, what + ": incl_len");
                assertArrayEquals(Arrays.copyOf(f.frame(), s.frame().length), s.frame(), what + ": the frame's head");
                if (f.originalLength() > 64) longer++;
                else shorter++;
            }
            // 24-byte header, 16 per record, at most 64 bytes each
            assertTrue(Files.size(c) <= 24 + snapped.size() * (16 + 64L), device);
        }
        assertTrue(longer > 20 && shorter > 0, "datagrams and segments were cut, ARP and pure ACKs kept whole: "
                + longer + " cut, " + shorter + " whole");
    }

    @Test
    void tsharkReadsTheCutFramesWithNothingMalformed() throws Exception {
        assumeTrue(tsharkPresent(), "tshark is not installed");
        Path cut = run("cut", "capture-snaplen=64");
        int limited = 0;
        for (String device : DEVICES) {
            List<PcapRecord> records = PcapReader.readAll(cut.resolve(device + ".pcap"));
            List<String[]> lines = tshark(cut.resolve(device + ".pcap"));
            assertEquals(records.size(), lines.size(), device + ": one line per frame");
            for (int i = 0; i < lines.size(); i++) {
                String[] f = lines.get(i);
                String what = device + " frame " + (i + 1) + ": " + String.join(" | ", f);
                assertEquals(String.valueOf(records.get(i).originalLength()), f[0], what + ": frame.len");
                assertEquals(String.valueOf(records.get(i).frame().length), f[1], what + ": frame.cap_len");
                assertEquals("", f[2], what + ": malformed");
                // chats and notes (the handshake, FIN) are fine; warnings (0x600000) and errors are not
                for (String severity : f[3].split(",")) {
                    assertTrue(severity.isEmpty() || Long.parseLong(severity) < 0x600000L, what);
                }
                // the IPv4 header (bytes 14..33) is inside the 64 kept: its checksum is checked and good
                assertTrue(f[4].isEmpty() || f[4].equals("1"), what + ": ip.checksum.status");
                if (f[5].contains("Packet size limited during capture")) limited++;
            }
        }
        assertTrue(limited > 0, "tshark says the TCP segments were cut by the snap length");
    }

    private static boolean tsharkPresent() {
        try {
            return new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String[]> tshark(Path pcap) throws Exception {
        Process p = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-o", "ip.check_checksum:TRUE",
                "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-T", "fields", "-E", "occurrence=a",
                "-E", "aggregator=,", "-e", "frame.len", "-e", "frame.cap_len", "-e", "_ws.malformed",
                "-e", "_ws.expert.severity", "-e", "ip.checksum.status", "-e", "_ws.col.Info")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), text);
        List<String[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) rows.add(line.split("\t", -1));
        }
        return rows;
    }
}
