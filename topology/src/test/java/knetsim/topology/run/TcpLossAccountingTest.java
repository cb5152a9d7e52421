package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import knetsim.topology.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * configs/tcp-lossy.conf, shortened: the WAN cable loses 1% of frames both ways. Every loss is the TCP flow's, data
 * segments one way and ACKs the other: flow_drops.csv attributes them by the connection's 5-tuple in both
 * directions, and they add up to the cable's losses in drops.csv and to the flow's lost in flows.csv.
 */
class TcpLossAccountingTest {
    @TempDir
    Path dir;

    @Test
    void tcpFlowDropsAddUpToTheCableLosses() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(Main.OK, Main.execute("run", "../configs/tcp-lossy.conf", "--duration", "2s", "--out", out.toString(),
                "--no-progress"));
        long forward = 0, backward = 0, total = 0;
        for (String line : tail(out.resolve("drops.csv"))) {
            String[] f = line.split(",");
            long n = Long.parseLong(f[2]);
            total += n;
            if (f[0].equals("link r1.b->r2.b") && f[1].equals("LINK_LOSS")) forward = n;
            if (f[0].equals("link r2.b->r1.b") && f[1].equals("LINK_LOSS")) backward = n;
        }
        assertTrue(forward > 0 && backward > 0, "data and ACKs are lost: " + forward + "/" + backward);
        assertEquals(forward + backward, total, "the cable is the only place that drops");
        String flow = "h1/tcp-bulk-1 bulk -> 10.0.2.2:5201";
        long attributedForward = 0, attributedBackward = 0, bytesForward = 0;
        for (String line : tail(out.resolve("flow_drops.csv"))) {
            String[] f = line.split(",");
            assertEquals(flow, f[0], line);
            assertEquals("LINK_LOSS", f[2]);
            if (f[1].equals("link r1.b->r2.b")) {
                attributedForward += Long.parseLong(f[3]);
                bytesForward += Long.parseLong(f[4]);
            } else {
                attributedBackward += Long.parseLong(f[3]);
            }
        }
        assertEquals(forward, attributedForward, "data segments lost on the way to h2");
        assertEquals(backward, attributedBackward, "ACKs lost on the way back");
        assertTrue(bytesForward > 1000 * forward, "full-sized data segments: " + bytesForward);
        List<String> flows = Files.readAllLines(out.resolve("flows.csv"));
        List<String> header = List.of(flows.get(0).split(","));
        String[] row = flows.get(1).split(",", -1);
        assertEquals(forward + backward, Long.parseLong(row[header.indexOf("lost")]), "flows.csv's lost");
        // the run ends while the flow still sends: no final segment counts, left empty rather than a made-up 0
        assertEquals("", row[header.indexOf("packets_sent")]);
        assertEquals("", row[header.indexOf("in_flight_at_end")]);
    }

    private static List<String> tail(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        return lines.subList(1, lines.size());
    }
}
