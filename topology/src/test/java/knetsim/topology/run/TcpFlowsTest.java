package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import knetsim.topology.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tcp-flows: Poisson arrivals of new connections, each completing (FCT >= its ideal FCT), fct.csv a row per
 * connection, flows.csv a row per sender whose segments balance (sent = received + lost once all completed),
 * and every dropped segment of the connections attributed in flow_drops.csv.
 */
class TcpFlowsTest {
    // two senders through a 100 Mbit/s, 1 ms bottleneck that loses 1% of frames, 500 connections/s each until 200 ms;
    // the run goes on to 1.5 s so that a connection whose SYN was lost retries it (initial RTO 1 s) and completes
    static final String FILE = """
            seed = 5
            duration = 1500ms
            generate {
              kind = dumbbell, pairs = 2
              access { rate = 1Gbps, delay = 100us }
              bottleneck { rate = 100Mbps, delay = 1ms, loss { model = bernoulli, p = 0.01 } }
            }
            traffic = [
              { app = tcp-flows, name = mice, from = ["s*"], to = ["d*"], sizes-file = "sizes.cdf", rate = 500,
                stop = 200ms, cc = cubic }
            ]
            """;

    @TempDir
    Path dir;

    private String run(Path file, Path out, String... extra) {
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(terminal, true, StandardCharsets.UTF_8));
        try {
            String[] args = new String[5 + extra.length];
            System.arraycopy(new String[] {"run", file.toString(), "--out", out.toString(), "--no-progress"}, 0, args, 0, 5);
            System.arraycopy(extra, 0, args, 5, extra.length);
            assertEquals(Main.OK, Main.execute(args));
        } finally {
            System.setOut(saved);
        }
        return terminal.toString(StandardCharsets.UTF_8);
    }

    @Test
    void connectionsArriveCompleteAndAddUp() throws IOException {
        Path file = dir.resolve("mice.conf");
        Files.writeString(file, FILE);
        Files.writeString(dir.resolve("sizes.cdf"), "# bytes cdf\n1000 0\n20000 1\n");
        Path out = dir.resolve("out");
        String printed = run(file, out);

        List<String> fct = Files.readAllLines(out.resolve("fct.csv"));
        assertEquals("flow,source,destination,size_bytes,start_ns,fct_ns,ideal_fct_ns,slowdown,finished,retrans_segs,error",
                fct.get(0));
        Map<String, Integer> perSender = new HashMap<>();
        long bytes = 0, retrans = 0;
        for (String line : fct.subList(1, fct.size())) {
            String[] f = line.split(",", -1);
            perSender.merge(f[0], 1, Integer::sum);
            long size = Long.parseLong(f[3]), start = Long.parseLong(f[4]);
            assertTrue(size >= 1000 && size <= 20000, line);
            assertTrue(start > 0 && start < 200_000_000L, "arrivals stop at 200 ms: " + line);
            assertEquals("true", f[8], "every connection completes: " + line);
            assertTrue(f[10].isEmpty(), line);
            // ideal: two base RTTs (2 x 2 x (100 us + 1 ms + 100 us)) plus the bytes at 100 Mbit/s
            assertEquals(4_800_000 + size * 80, Double.parseDouble(f[6]), 1, line);
            assertTrue(Double.parseDouble(f[5]) >= Double.parseDouble(f[6]), "no flow beats its ideal FCT: " + line);
            bytes += size;
            retrans += Long.parseLong(f[9]);
        }
        // Poisson arrivals at 500/s for 200 ms: 100 per sender on average (sd 10)
        assertEquals(2, perSender.size(), perSender.toString());
        perSender.forEach((s, n) -> assertTrue(n >= 65 && n <= 135, s + ": " + n + " connections"));
        assertTrue(perSender.containsKey("s1/tcp-flows-2 mice -> *:5001"), perSender.toString());
        assertTrue(retrans > 0, "a 1% lossy bottleneck costs retransmissions");

        // flows.csv: one row per sender; every segment accounted for once all connections completed
        List<String> flows = Files.readAllLines(out.resolve("flows.csv"));
        List<String> header = List.of(flows.get(0).split(","));
        Map<String, Long> attributed = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve("flow_drops.csv")).subList(1, Files.readAllLines(
                out.resolve("flow_drops.csv")).size())) {
            String[] f = line.split(",");
            attributed.merge(f[0], Long.parseLong(f[3]), Long::sum);
        }
        long received = 0, lostAll = 0;
        for (String line : flows.subList(1, flows.size())) {
            String[] f = line.split(",", -1);
            assertEquals("tcp", f[header.indexOf("protocol")]);
            assertEquals("fct", f[header.indexOf("delay_kind")]);
            long s = Long.parseLong(f[header.indexOf("packets_sent")]), r = Long.parseLong(f[header.indexOf("packets_received")]);
            long lost = Long.parseLong(f[header.indexOf("lost")]);
            assertEquals(attributed.getOrDefault(f[0], 0L), lost, "flow_drops adds up to lost: " + f[0]);
            // sent = received + lost, but for the teardown segments around the ends' last TCP_INFO reads (the
            // server reads it at EOF, before its FIN; the client when the server's FIN arrives): a lost FIN or final
            // ACK is retransmitted uncounted, and a FIN retransmitted by the client can reach the server after its
            // read. Each such connection is one segment off either way: a handful among ~190 connections.
            long off = Math.abs(r + lost - s);
            assertTrue(off <= Math.max(4, s / 100), "segments sent = received + lost, up to teardown: " + line);
            assertTrue(Long.parseLong(f[header.indexOf("in_flight_at_end")]) <= Math.max(4, s / 100), line);
            assertEquals("yes", f[header.indexOf("tcp_finished")], line);
            received += Long.parseLong(f[header.indexOf("bytes_received")]);
            lostAll += lost;
        }
        assertEquals(bytes, received, "the servers read every byte of every connection");
        assertTrue(lostAll > 0, "the lossy cable dropped segments of the connections");
        // the cable's losses are all the connections' (nothing else crosses it but ARP, which stays on each side)
        long cable = Files.readAllLines(out.resolve("drops.csv")).stream().filter(l -> l.contains(",LINK_LOSS,"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(',') + 1))).sum();
        assertEquals(cable, lostAll, "per-flow drops add up to the cable's losses");

        assertTrue(printed.matches("(?s).*flow completion times \\(tcp-flows, [0-9,]+ flows\\).*< 100 KB +[0-9,]+ +[0-9,]+ .*"),
                printed);
        assertTrue(Files.size(out.resolve("plots/flows_fct.png")) > 0);
        String report = Files.readString(out.resolve("report.html"));
        assertTrue(report.contains("<table id=\"fct\">") && report.contains("flows_fct.png"), "the report's FCT table and plot");
    }
}
