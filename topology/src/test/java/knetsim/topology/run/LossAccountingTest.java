package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import knetsim.topology.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every lost packet is accounted for: drops.csv names the place and reason (a cable's loss, a full
 * qdisc, a ring overrun), and flow_drops.csv gives each flow's share, which adds up to what the flow
 * lost; when the senders stop long before the end, nothing is left in flight and sent = received + lost.
 */
class LossAccountingTest {
    // a lossy cable into a router whose 40 Mbit/s egress (pfifo of 20) cannot carry two 30 Mbit/s flows
    static final String FILE = """
            duration = 600ms
            hosts {
              h1 { interfaces { eth0 { ip = "10.0.1.2/24", gateway = "10.0.1.1" } } }
              h2 { interfaces { eth0 { ip = "10.0.2.2/24", gateway = "10.0.2.1" } } }
            }
            routers { r1 { interfaces { eth0 { ip = "10.0.1.1/24" }, eth1 { ip = "10.0.2.1/24" } } } }
            links = [
              { a = "h1.eth0", b = "r1.eth0", rate = 1Gbps, delay = 1ms, loss { model = bernoulli, p = 0.02 } }
              { a = "r1.eth1", b = "h2.eth0", rate = 40Mbps, delay = 5ms, qdisc { kind = pfifo, limit = 20 } }
            ]
            traffic = [
              { app = udp-sink, on = h2, port = 9000 }
              { app = udp-sink, on = h2, port = 9001 }
              { app = udp-cbr, on = h1, to = "h2:9000", rate = 30Mbps, size = 1000, start = 10ms, stop = 300ms }
              { app = udp-cbr, on = h1, to = "h2:9001", rate = 30Mbps, size = 1000, start = 10ms, stop = 300ms }
              { app = ping, on = h1, to = h2, count = 20, interval = 10ms }
            ]
            """;

    @TempDir
    Path dir;

    @Test
    void perFlowDropsAddUpToWhatEachFlowLost() throws IOException {
        Path file = dir.resolve("loss.conf");
        Files.writeString(file, FILE);
        Path out = dir.resolve("out");
        assertEquals(Main.OK, Main.execute("run", file.toString(), "--out", out.toString(), "--no-progress"));
        Map<String, Long> byPlace = new HashMap<>();
        List<String> drops = Files.readAllLines(out.resolve("drops.csv"));
        assertEquals("place,reason,packets", drops.get(0));
        for (String line : drops.subList(1, drops.size())) {
            String[] f = line.split(",");
            byPlace.put(f[0] + "/" + f[1], Long.parseLong(f[2]));
        }
        assertTrue(byPlace.getOrDefault("link h1.eth0->r1.eth0/LINK_LOSS", 0L) > 0, "the cable's losses: " + drops);
        assertTrue(byPlace.getOrDefault("r1.eth1 qdisc/QDISC_DROP", 0L) > 0, "the bottleneck's qdisc drops: " + drops);

        Map<String, Long> attributed = new HashMap<>();
        Map<String, Long> attributedByPlace = new HashMap<>();
        List<String> flowDrops = Files.readAllLines(out.resolve("flow_drops.csv"));
        assertEquals("flow,place,reason,packets,bytes", flowDrops.get(0));
        for (String line : flowDrops.subList(1, flowDrops.size())) {
            String[] f = line.split(",");
            attributed.merge(f[0], Long.parseLong(f[3]), Long::sum);
            attributedByPlace.merge(f[1] + "/" + f[2], Long.parseLong(f[3]), Long::sum);
            assertTrue(Long.parseLong(f[4]) >= 28 * Long.parseLong(f[3]), "IP bytes: " + line);
        }
        // every drop of a flow's packet is one of the drops counted at that place
        attributedByPlace.forEach((place, n) -> assertTrue(n <= byPlace.getOrDefault(place, 0L), place));

        List<String> flows = Files.readAllLines(out.resolve("flows.csv"));
        List<String> header = List.of(flows.get(0).split(","));
        int sent = header.indexOf("packets_sent"), received = header.indexOf("packets_received");
        int lost = header.indexOf("lost"), inFlight = header.indexOf("in_flight_at_end");
        assertEquals(3, flows.size() - 1);
        long lostOverall = 0;
        for (String line : flows.subList(1, flows.size())) {
            String[] f = line.split(",");
            long s = Long.parseLong(f[sent]), r = Long.parseLong(f[received]), l = Long.parseLong(f[lost]);
            assertEquals(attributed.getOrDefault(f[0], 0L), l, "flow_drops adds up to lost for " + f[0]);
            assertEquals(0, Long.parseLong(f[inFlight]), "the senders stopped 300 ms before the end: " + f[0]);
            assertEquals(s, r + l, "sent = received + lost for " + f[0]);
            lostOverall += l;
        }
        assertTrue(lostOverall > 100, "both the cable and the qdisc dropped the flows' packets");
    }

    @Test
    void lossyWanNamesTheCableLossInDropsCsvTheReportAndTheTerminal() throws IOException {
        Path out = dir.resolve("wan");
        java.io.ByteArrayOutputStream terminal = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(terminal, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertEquals(Main.OK, Main.execute("run", "../configs/lossy-wan.conf", "--duration", "1500ms", "--out",
                    out.toString(), "--no-progress"));
        } finally {
            System.setOut(saved);
        }
        assertTrue(Files.readAllLines(out.resolve("drops.csv")).stream()
                .anyMatch(l -> l.matches("link ra\\.wan->rb\\.wan,LINK_LOSS,[1-9][0-9]*")), "drops.csv names the WAN cable");
        String report = Files.readString(out.resolve("report.html"));
        assertFalse(report.contains("No packet was dropped"));
        assertTrue(report.contains("link ra.wan-&gt;rb.wan") && report.contains("LINK_LOSS"), "the report's drops table");
        String printed = terminal.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(printed.matches("(?s).*top drop reasons.*LINK_LOSS +[0-9,]+ +link ra\\.wan->rb\\.wan.*"), printed);
    }
}
