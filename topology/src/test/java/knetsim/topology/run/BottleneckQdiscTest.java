package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import knetsim.topology.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 20 Mbit/s UDP stream and a ping every 20 ms through a 10 Mbit/s bottleneck: the ping's RTT is the bottleneck
 * qdisc's queueing delay. With BQL the qdisc is the queue, so the choice of qdisc decides the delay.
 */
class BottleneckQdiscTest {
    static final String FILE = """
            duration = 2500ms
            hosts {
              h1 { interfaces { eth0 { ip = "10.0.1.2/24", gateway = "10.0.1.1" } } }
              h2 { interfaces { eth0 { ip = "10.0.2.2/24", gateway = "10.0.2.1" } } }
            }
            routers { r1 { interfaces { eth0 { ip = "10.0.1.1/24" }, eth1 { ip = "10.0.2.1/24" } } } }
            links = [
              { a = "h1.eth0", b = "r1.eth0", rate = 1Gbps, delay = 1ms }
              { a = "r1.eth1", b = "h2.eth0", rate = 10Mbps, delay = 1ms, qdisc { kind = pfifo } }
            ]
            traffic = [
              { app = udp-sink, on = h2, port = 9000 }
              { app = udp-cbr, on = h1, to = "h2:9000", rate = 20Mbps, size = 1400, start = 0 }
              { app = ping, on = h1, to = h2, interval = 20ms, count = 120, start = 10ms }
            ]
            record { interval = 100ms, series = [ "r1.eth1:qdisc:sojourn_ns", "r1.eth1:bql:limit" ] }
            """;

    @TempDir
    Path dir;

    /** The ping's median RTT in ms and the run's counters, for the bottleneck qdisc given. */
    private double[] run(String qdisc, String name) throws IOException {
        Path file = dir.resolve(name + ".conf");
        Files.writeString(file, FILE.replace("qdisc { kind = pfifo }", qdisc));
        Path out = dir.resolve(name);
        assertEquals(Main.OK, Main.execute("run", file.toString(), "--out", out.toString(), "--no-progress"));
        List<String> flows = Files.readAllLines(out.resolve("flows.csv"));
        List<String> header = Arrays.asList(flows.get(0).split(","));
        String ping = flows.stream().filter(l -> l.contains("ping")).findFirst().orElseThrow();
        String[] cells = ping.split(",");
        double p50 = Double.parseDouble(cells[header.indexOf("delay_p50_ns")]) / 1e6;
        List<String> counters = Files.readAllLines(out.resolve("counters.csv"));
        double drops = counters.stream().filter(l -> l.startsWith("r1.eth1.tx0,qdisc_dropped,"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(',') + 1))).sum();
        return new double[] {p50, drops};
    }

    @Test
    void fqCodelKeepsAPingFastWhereAFullPfifoOf1000AddsOverASecond() throws IOException {
        double[] pfifo = run("qdisc { kind = pfifo, limit = 1000 }", "pfifo");
        double[] fqCodel = run("qdisc { kind = fq_codel }", "fqcodel");
        // 1000 x 1442-byte frames at 10 Mbit/s: 1.15 s once the fifo is full (it fills within the first second)
        assertTrue(pfifo[0] > 500, "pfifo 1000 ping p50 " + pfifo[0] + " ms");
        // the ping is a sparse flow: it waits behind at most the frames BQL let into the ring
        assertTrue(fqCodel[0] < 10, "fq_codel ping p50 " + fqCodel[0] + " ms");
        assertTrue(fqCodel[1] > 0, "the unresponsive 20 Mbit/s stream is dropped");
    }
}
