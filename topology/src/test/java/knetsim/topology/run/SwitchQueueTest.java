package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import knetsim.topology.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two 80 Mbit/s senders into one 100 Mbit/s switch port: the port's egress FIFO fills at its configured size. */
class SwitchQueueTest {
    static final String FILE = """
            duration = 150ms
            hosts {
              h1 { interfaces { eth0 { ip = "10.0.0.1/24" } } }
              h2 { interfaces { eth0 { ip = "10.0.0.2/24" } } }
              h3 { interfaces { eth0 { ip = "10.0.0.3/24" } } }
            }
            switches { sw { } }
            links = [
              { a = "h1.eth0", b = sw, rate = 1Gbps, delay = 10us }
              { a = "h2.eth0", b = sw, rate = 1Gbps, delay = 10us }
              { a = "h3.eth0", b = sw, rate = 100Mbps, delay = 10us }
            ]
            traffic = [
              { app = udp-sink, on = h3, port = 9000 }
              { app = udp-cbr, on = h1, to = "h3:9000", rate = 80Mbps, size = 1200, start = 10ms }
              { app = udp-cbr, on = h2, to = "h3:9000", rate = 80Mbps, size = 1200, start = 10ms }
            ]
            """;

    @TempDir
    Path dir;

    private long droppedAtPort2(String queue) throws IOException {
        Path file = dir.resolve("sw.conf");
        Files.writeString(file, FILE);
        Path out = dir.resolve("q" + queue);
        assertEquals(Main.OK, Main.execute("run", file.toString(), "--set", "switches.sw.queue=" + queue, "--out",
                out.toString(), "--no-progress"));
        return Files.readAllLines(out.resolve("counters.csv")).stream().filter(l -> l.startsWith("sw,port2.tx_dropped,"))
                .mapToLong(l -> Long.parseLong(l.substring(l.lastIndexOf(',') + 1))).sum();
    }

    @Test
    void aSmallEgressQueueDropsWhatALargeOneHolds() throws IOException {
        // 60 Mbit/s too much for 140 ms is about 875 frames of backlog: 1000 holds it, 16 cannot
        assertEquals(0, droppedAtPort2("1000"));
        assertTrue(droppedAtPort2("16") > 500, "the 16-frame FIFO overflows");
    }
}
