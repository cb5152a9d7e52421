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
 * configs/datacenter.conf, shortened: DCTCP over a k = 4 fat tree whose red queues mark at K = 20 packets. The
 * queues mark rather than drop, the senders see the marks echoed (TcpExtTCPDeliveredCE), and flows complete.
 */
class DatacenterTest {
    @TempDir
    Path dir;

    @Test
    void dctcpFlowsAreMarkedNotDroppedAndComplete() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(Main.OK, Main.execute("run", "../configs/datacenter.conf", "--duration", "40ms", "--out",
                out.toString(), "--no-progress"));
        long marked = 0, dropped = 0, deliveredCe = 0, ecnSyns = 0;
        for (String line : Files.readAllLines(out.resolve("counters.csv")).subList(1, Files.readAllLines(
                out.resolve("counters.csv")).size())) {
            String[] c = line.split(",");
            long v = Long.parseLong(c[2]);
            switch (c[1]) {
                case "qdisc_marked" -> marked += v;
                case "qdisc_dropped" -> dropped += v;
                case "TcpExtTCPDeliveredCE" -> deliveredCe += v;
                default -> { }
            }
        }
        assertTrue(marked > 0, "red marks ECT packets above K");
        assertTrue(deliveredCe > 0, "DCTCP senders see the marks echoed");
        assertTrue(dropped <= marked / 10, "marking, not dropping: " + dropped + " drops, " + marked + " marks");
        List<String> fct = Files.readAllLines(out.resolve("fct.csv"));
        assertTrue(fct.size() > 5, "flows arrived: " + fct.size());
        List<String> header = List.of(fct.get(0).split(","));
        long finished = fct.stream().skip(1).filter(l -> l.split(",", -1)[header.indexOf("finished")].equals("true"))
                .count();
        assertTrue(finished > 0, "some flows completed in 40 ms");
    }
}
