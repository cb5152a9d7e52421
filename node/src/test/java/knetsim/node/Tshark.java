package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import knetsim.core.engine.SequentialEngine;
import knetsim.link.pcap.PcapWriter;

/** The tshark check of PingTest and RouterTest for any capture: decodes, nothing malformed, no warnings, good checksums. */
final class Tshark {
    private Tshark() {}

    /** Writes {@code device}'s capture to {@code dir} and returns tshark's Info column, one line per frame. */
    static List<String> check(SequentialEngine.Result run, String device, Path dir) throws Exception {
        assumeTrue(new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS));
        var records = PingTest.capture(run, device);
        Path file = dir.resolve(device + ".pcap");
        Files.write(file, PcapWriter.toBytes(records));
        Process tshark = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-o", "ip.check_checksum:TRUE",
                "-o", "udp.check_checksum:TRUE", "-T", "fields", "-e", "_ws.col.Info", "-e", "_ws.malformed",
                "-e", "_ws.expert.severity", "-e", "ip.checksum.status", "-e", "icmp.checksum.status",
                "-e", "udp.checksum.status").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tshark.waitFor(60, TimeUnit.SECONDS));
        List<String> lines = out.isEmpty() ? List.of() : List.of(out.split("\n"));
        assertEquals(records.size(), lines.size(), out);
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            assertEquals("", f[1], "malformed: " + line);
            // notes (0x400000, e.g. a request without a reply) are fine; warnings and errors are not
            for (String severity : f[2].split(",")) {
                assertTrue(severity.isEmpty() || Long.parseLong(severity) < 0x600000L, "expert warning: " + line);
            }
            // an ICMP error quotes a datagram (a second IP header) cut short: its ICMP (the second value)
            // or UDP checksum cannot be verified (2); everything else must be good (1)
            boolean quotes = f[3].contains(",");
            for (int i = 3; i < 6; i++) {
                String[] statuses = f[i].split(",");
                for (int j = 0; j < statuses.length; j++) {
                    boolean quotedUnverified = quotes && (i == 5 || j > 0) && statuses[j].equals("2");
                    assertTrue(statuses[j].isEmpty() || statuses[j].equals("1") || quotedUnverified, "checksum: " + line);
                }
            }
        }
        return lines.stream().map(l -> l.split("\t", -1)[0]).toList();
    }
}
