package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import knetsim.topology.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Valid files that would storm: validate warns (and still succeeds), with file and line. */
class WarningsTest {
    @TempDir
    Path dir;

    Path file(String duration, String traffic) throws Exception {
        Path f = dir.resolve("storm.conf");
        Files.writeString(f, """
                seed = 1
                duration = %s
                hosts {
                  h1 { interfaces { eth0 { ip = "10.0.0.1/24" } } }
                  h2 { interfaces { eth0 { ip = "10.0.0.2/24" } } }
                }
                links = [ { a = h1.eth0, b = h2.eth0, rate = 1Gbps, delay = 1ms } ]
                traffic = [
                  %s
                ]
                """.formatted(duration, traffic));
        return f;
    }

    @Test
    void aOneNanosecondPingIntervalIsWarnedAboutAtItsLine() throws Exception {
        Path f = file("1s", "{ app = ping, on = h1, to = h2, interval = 1ns }");
        Topology t = TopologyLoader.load(f, List.of(), 1);
        assertEquals(2, t.warnings().size(), t.warnings().toString());
        ConfigProblem w = t.warnings().get(0);
        assertEquals(9, w.line());
        assertEquals("traffic[0].interval", w.key());
        // 56 bytes of data + ICMP 8 + IP 20 + Ethernet 14 + FCS 4 + preamble 8 + gap 12 = 122 bytes = 976 ns at 1Gbps
        assertEquals("interval 1ns is shorter than the 976ns that h1.eth0's 1Gbps link takes to send one request:"
                + " requests pile up in the qdisc and are dropped, and the run takes long for nothing", w.message());
        // 10^9 + 1 requests and their replies at 23 events a packet
        assertEquals(46_000_000_046L, Projection.events(t));
        assertTrue(t.warnings().get(1).message().startsWith("at least 4.6e+10 events projected"), t.warnings().toString());
        assertTrue(t.warnings().get(1).message().endsWith("that is 4 hours or more"), t.warnings().toString());
    }

    @Test
    void trafficToAnAddressNoNodeOwnsIsAWarningNotAnError() throws Exception {
        // a ping to 10.0.0.9 on h1's subnet: ARP will fail and ping hears Host Unreachable, as the user wants to see
        Topology t = TopologyLoader.load(file("5s", "{ app = ping, on = h1, to = \"10.0.0.9\", count = 1 }"), List.of(), 1);
        assertEquals(1, t.warnings().size(), t.warnings().toString());
        ConfigProblem w = t.warnings().get(0);
        assertEquals(9, w.line());
        assertEquals("traffic[0].to", w.key());
        assertEquals("no node owns 10.0.0.9: the traffic will fail (stops at h1: no node on h1.eth0's segment has"
                + " 10.0.0.9 (path h1))", w.message());
        // an address a node owns but cannot be reached stays an error
        Path f = dir.resolve("off.conf");
        Files.writeString(f, """
                duration = 1s
                hosts {
                  h1 { interfaces { eth0 { ip = "10.0.0.1/24" } } }
                  h2 { interfaces { eth0 { ip = "10.0.0.2/24" }, eth1 { ip = "10.0.1.2/24" } } }
                  h3 { interfaces { eth0 { ip = "10.0.1.3/24" } } }
                }
                links = [ { a = h1.eth0, b = h2.eth0, rate = 1Gbps, delay = 1ms }
                          { a = h3.eth0, b = h2.eth1, rate = 1Gbps, delay = 1ms } ]
                traffic = [ { app = ping, on = h1, to = h3 } ]
                """);
        TopologyException e = org.junit.jupiter.api.Assertions.assertThrows(TopologyException.class,
                () -> TopologyLoader.load(f, List.of(), 1));
        assertTrue(e.getMessage().contains("10.0.1.3 is unreachable from h1"), e.getMessage());
    }

    @Test
    void aReasonablePingHasNoWarning() throws Exception {
        Topology t = TopologyLoader.load(file("10s", "{ app = ping, on = h1, to = h2, interval = 1ms }"), List.of(), 1);
        assertEquals(List.of(), t.warnings());
        assertEquals(10_001L * 46, Projection.events(t));
    }

    @Test
    void aUdpFloodIsWarnedAboutByItsEventCount() throws Exception {
        Topology t = TopologyLoader.load(file("60s", "{ app = udp-cbr, on = h1, to = \"h2:9\", rate = 1Tbps, size = 16 }"),
                List.of(), 1);
        assertEquals(1, t.warnings().size(), t.warnings().toString());
        assertEquals(0, t.warnings().get(0).line());
    }

    @Test
    void validatePrintsWarningsAndSucceeds() throws Exception {
        Path f = file("1s", "{ app = ping, on = h1, to = h2, interval = 1ns }");
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out, savedErr = System.err;
        int code;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = Main.execute("validate", f.toString());
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertEquals(Main.OK, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("knetsim validate: warning: " + f + ":9: traffic[0].interval: interval 1ns"),
                err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(": ok ("), out.toString(StandardCharsets.UTF_8));
    }
}
