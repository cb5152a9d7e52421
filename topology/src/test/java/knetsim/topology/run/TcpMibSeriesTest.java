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
 * A host's Tcp/TcpExt counters recorded as series (h1:tcp:TcpRetransSegs) are read live during the run, not
 * only when TCP publishes them at its end: on tcp-lossy.conf the retransmissions climb while the flow runs and
 * the last sample is counters.csv's value.
 */
class TcpMibSeriesTest {
    @TempDir
    Path dir;

    @Test
    void retransmissionsAreSampledWhileTheFlowRuns() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(Main.OK, Main.execute("run", "../configs/tcp-lossy.conf", "--duration", "2s", "--set",
                "record.series=[\"h1:tcp:TcpRetransSegs\", \"h1:tcp:TcpOutSegs\"]", "--out", out.toString(),
                "--no-progress"));
        List<String[]> rows = Files.readAllLines(out.resolve("series.csv")).stream().skip(1).map(l -> l.split(",", -1))
                .filter(r -> r[3].equals("TcpRetransSegs")).toList();
        assertTrue(rows.size() > 100, "sampled every 10 ms: " + rows.size());
        long previous = 0, halfway = -1;
        for (String[] r : rows) {
            long v = (long) Double.parseDouble(r[5]);
            assertTrue(v >= previous, "a counter never goes down");
            previous = v;
            if (halfway < 0 && Long.parseLong(r[0]) >= 1_000_000_000L) halfway = v;
        }
        assertTrue(halfway > 0, "retransmissions show before the end of the run");
        long published = Files.readAllLines(out.resolve("counters.csv")).stream().map(l -> l.split(","))
                .filter(c -> c[0].equals("h1") && c[1].equals("TcpRetransSegs")).mapToLong(c -> Long.parseLong(c[2]))
                .findFirst().orElseThrow();
        assertTrue(previous <= published && previous >= halfway, previous + " sampled, " + published + " at the end");
    }
}
