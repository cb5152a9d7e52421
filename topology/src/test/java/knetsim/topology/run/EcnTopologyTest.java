package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import knetsim.topology.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ECN end to end through the topology: hosts with {@code sysctl { tcp_ecn = 1 }} through fq_codel (ECN on by
 * default) get marks instead of drops, and the frames say so to tshark; DCTCP ({@code tcp_congestion_control =
 * dctcp}) through red with min = max = K holds the queue near K with the link full.
 */
class EcnTopologyTest {
    static final String FILE = """
            duration = DURATION
            hosts {
              h1 { sysctl { SYSCTL }, interfaces { eth0 { ip = "10.0.1.2/24", gateway = "10.0.1.1" } } }
              h2 { sysctl { SYSCTL }, interfaces { eth0 { ip = "10.0.2.2/24", gateway = "10.0.2.1" } } }
            }
            routers { r1 { interfaces { eth0 { ip = "10.0.1.1/24" }, eth1 { ip = "10.0.2.1/24" } } } }
            links = [
              { a = "h1.eth0", b = "r1.eth0", rate = 1Gbps, delay = DELAY }
              { a = "r1.eth1", b = "h2.eth0", rate = RATE, delay = DELAY, qdisc { QDISC } }
            ]
            traffic = [
              { app = tcp-sink, on = h2, port = 5201 }
              { app = tcp-bulk, on = h1, to = "h2:5201", start = 10ms }
            ]
            capture = [ "r1.eth1" ]
            record { interval = 1ms, series = [ "r1.eth1:qdisc:backlog" ] }
            """;

    @TempDir
    Path dir;

    private Path run(String name, String duration, String sysctl, String delay, String rate, String qdisc) throws IOException {
        Path file = dir.resolve(name + ".conf");
        Files.writeString(file, FILE.replace("DURATION", duration).replace("SYSCTL", sysctl).replace("DELAY", delay)
                .replace("RATE", rate).replace("QDISC", qdisc));
        Path out = dir.resolve(name);
        assertEquals(Main.OK, Main.execute("run", file.toString(), "--out", out.toString(), "--no-progress"));
        return out;
    }

    private static long counter(Path out, String scope, String name) throws IOException {
        return Files.readAllLines(out.resolve("counters.csv")).stream().filter(l -> l.startsWith(scope + "," + name + ","))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(',') + 1))).sum();
    }

    @Test
    void fqCodelMarksInsteadOfDroppingAndTsharkSeesTheNegotiation() throws Exception {
        Path out = run("fqcodel", "1500ms", "tcp_ecn = 1", "10ms", "10Mbps", "kind = fq_codel");
        long marks = counter(out, "r1.eth1.tx0", "qdisc_ecn_mark");
        assertTrue(marks > 0, "fq_codel marked " + marks);
        assertEquals(0, counter(out, "r1.eth1.tx0", "qdisc_dropped"), "nothing dropped");
        assertEquals(0, counter(out, "h1", "TcpRetransSegs"), "no retransmissions");
        assertTrue(counter(out, "h1", "TcpExtTCPDeliveredCE") > 0);
        assumeTrue(tsharkPresent());
        // src, ECN field, TCP payload length, SYN, ACK, ECE, CWR; checksum statuses; malformed / expert warnings
        List<String[]> frames = tshark(out.resolve("pcap").resolve("r1.eth1.pcap"));
        int syn = 0, synAck = 0, ect0Data = 0, ceData = 0, pureAcks = 0, cwrData = 0;
        for (String[] f : frames) {
            assertTrue(f[7].isEmpty() && (f[8].isEmpty() || Integer.parseInt(f[8].split(",")[0]) < 6291456),
                    "malformed or warned: " + String.join(" ", f));
            assertTrue(!f[9].equals("2") && !f[10].equals("2"), "bad checksum: " + String.join(" ", f));
            boolean fromClient = f[0].equals("10.0.1.2");
            int ecn = Integer.parseInt(f[1]), len = Integer.parseInt(f[2]);
            if (f[3].equals("1") && f[4].equals("0")) {
                syn++;
                assertEquals("1 1 0", f[5] + " " + f[6] + " " + ecn, "SYN: ECE, CWR, Not-ECT");
            } else if (f[3].equals("1")) {
                synAck++;
                assertEquals("1 0 0", f[5] + " " + f[6] + " " + ecn, "SYN-ACK: ECE, no CWR, Not-ECT");
            } else if (fromClient && len > 0) {
                assertTrue(ecn == 2 || ecn == 3, "data leaves ECT(0) (CE if marked here): " + String.join(" ", f));
                if (ecn == 2) ect0Data++;
                else ceData++;
                if (f[6].equals("1")) cwrData++;
            } else if (len == 0) {
                pureAcks++;
                assertEquals(0, ecn, "pure ACKs are Not-ECT: " + String.join(" ", f));
            }
        }
        assertEquals(1, syn);
        assertEquals(1, synAck);
        assertTrue(ect0Data > 500 && pureAcks > 200, ect0Data + " data, " + pureAcks + " ACKs");
        assertEquals(marks, ceData, "every mark fq_codel counted is a CE frame on its egress");
        assertTrue(cwrData >= 1 && cwrData <= marks, cwrData + " CWR for " + marks + " marks: one reduction per window");
    }

    @Test
    void dctcpHoldsARedQueueAtKWithTheLinkFull() throws IOException {
        // K = 20 frames of 1514 bytes: red marks every ECT packet once the average queue reaches it
        Path out = run("dctcp", "1s", "tcp_congestion_control = dctcp", "250us", "20Mbps",
                "kind = red, limit = 400KB, min = 30280, max = 30280, avpkt = 1514, burst = 21, probability = 1.0, ecn = true");
        long marks = counter(out, "r1.eth1.tx0", "qdisc_marked");
        assertTrue(marks > 100, "marks " + marks);
        assertEquals(0, counter(out, "r1.eth1.tx0", "qdisc_dropped"));
        assertEquals(0, counter(out, "h1", "TcpRetransSegs"));
        // DCTCP echoes each CE exactly: every marked segment is delivered CE but those still queued or in flight
        long deliveredCe = counter(out, "h1", "TcpExtTCPDeliveredCE");
        assertTrue(deliveredCe <= marks && marks - deliveredCe < 40, deliveredCe + " delivered CE of " + marks + " marked");
        List<Double> backlog = new ArrayList<>();
        double goodput = 0;
        for (String l : Files.readAllLines(out.resolve("series.csv"))) {
            String[] c = l.split(",");
            if (l.contains(",qdisc,backlog,") && Long.parseLong(c[0]) >= 300_000_000L) backlog.add(Double.parseDouble(c[5]));
            if (l.contains(",goodput_bps,") && Long.parseLong(c[0]) >= 300_000_000L) goodput = Double.parseDouble(c[5]);
        }
        double mean = backlog.stream().mapToDouble(d -> d).average().orElseThrow();
        double max = backlog.stream().mapToDouble(d -> d).max().orElseThrow();
        long empty = backlog.stream().filter(d -> d == 0).count();
        assertTrue(mean > 14 && mean < 26, "mean backlog " + mean + " packets for K = 20");
        assertTrue(max < 30, "max backlog " + max);
        assertEquals(0, empty, "the bottleneck never runs dry");
        assertTrue(goodput > 0.9 * 20e6, "goodput " + goodput); // 95.6% of the line rate is payload
    }

    private static boolean tsharkPresent() {
        try {
            return new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    private static List<String[]> tshark(Path pcap) throws Exception {
        Process p = new ProcessBuilder("tshark", "-n", "-r", pcap.toString(), "-Y", "tcp", "-o", "ip.check_checksum:TRUE",
                "-o", "tcp.check_checksum:TRUE", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,",
                "-e", "ip.src", "-e", "ip.dsfield.ecn", "-e", "tcp.len", "-e", "tcp.flags.syn", "-e", "tcp.flags.ack",
                "-e", "tcp.flags.ece", "-e", "tcp.flags.cwr", "-e", "_ws.malformed", "-e", "_ws.expert.severity",
                "-e", "ip.checksum.status", "-e", "tcp.checksum.status").redirectError(ProcessBuilder.Redirect.DISCARD).start();
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
