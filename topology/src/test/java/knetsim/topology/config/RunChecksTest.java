package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import knetsim.topology.run.TopologyScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values that validate used to accept and the run then refused or mishandled: each is now refused by validate at
 * its file and line, and the largest values validate accepts build every LP of the run.
 */
class RunChecksTest {
    @TempDir
    Path dir;

    /** Two hosts on one cable; {@code %s} slots: h1's eth0 keys, the link's keys, extra top-level text. */
    static final String BASE = """
            seed = 1
            duration = %s
            hosts {
              h1 { interfaces { eth0 { ip = "10.0.0.1/24"%s } } }
              h2 { interfaces { eth0 { ip = "10.0.0.2/24" } } }
            }
            links = [ { a = h1.eth0, b = h2.eth0, rate = %s, delay = %s%s } ]
            %s
            """;

    Path file(String duration, String iface, String rate, String delay, String link, String extra) throws Exception {
        Path f = dir.resolve("t.conf");
        Files.writeString(f, BASE.formatted(duration, iface, rate, delay, link, extra));
        return f;
    }

    ConfigProblem only(Path f) {
        List<ConfigProblem> p = assertThrows(TopologyException.class, () -> TopologyLoader.load(f, List.of(), 1))
                .problems();
        assertEquals(1, p.size(), p.toString());
        return p.get(0);
    }

    @Test
    void txqueuelenZeroUnderPfifoFast() throws Exception {
        ConfigProblem p = only(file("1s", ", txqueuelen = 0", "1Gbps", "1ms", "", ""));
        assertEquals(4, p.line());
        assertEquals("hosts.h1.interfaces.eth0.txqueuelen", p.key());
        assertTrue(p.message().startsWith("pfifo_fast refuses a tx_queue_len of 0"), p.message());
        // a qdisc with its own limit does not read tx_queue_len
        buildsEveryLp(file("1s", ", txqueuelen = 0", "1Gbps", "1ms", ", qdisc { kind = pfifo, limit = 10 }", ""));
    }

    @Test
    void aLinkDelayNearTheEndOfTime() throws Exception {
        ConfigProblem p = only(file("1s", "", "1Gbps", "9223372036854775807ns", "", ""));
        assertEquals(7, p.line());
        assertEquals("links[0].delay", p.key());
        assertEquals("expected a duration of at most 8760h (a year), got \"9223372036854775807ns\"", p.message());
        assertEquals("expected a delay of at most 1h (Earth to Mars is 22 minutes), got \"61m\"",
                only(file("1s", "", "1Gbps", "61m", "", "")).message());
        assertEquals("duration", only(file("9000h", "", "1Gbps", "1ms", "", "")).key());
        assertEquals("links[0].rate", only(file("1s", "", "2Tbps", "1ms", "", "")).key());
    }

    @Test
    void pingCountZeroThatWouldOverflow() throws Exception {
        ConfigProblem p = only(file("10s", "", "1Gbps", "1ms", "",
                "traffic = [ { app = ping, on = h1, to = h2, count = 0, interval = 1ns } ]"));
        assertEquals(8, p.line());
        assertEquals("traffic[0].count", p.key());
        assertEquals("count = 0 pings until the run ends: 10000000001 requests every 1ns, more than 2147483647; give a"
                + " count or a longer interval", p.message());
    }

    @Test
    void recordIntervalBoundedByAMinimumAndBySamples() throws Exception {
        ConfigProblem p = only(file("10s", "", "1Gbps", "1ms", "",
                "record { interval = 1ns, series = [ \"h1.eth0:qdisc:backlog\" ] }"));
        assertEquals("record.interval", p.key());
        assertEquals("expected a record interval of at least 1us, got 1ns", p.message());
        p = only(file("10s", "", "1Gbps", "1ms", "", "record { interval = 1us, series = [ \"h1.eth0:qdisc:backlog\" ] }"));
        assertEquals("interval 1us over 10s is 10000000 samples per series, more than 1000000; use an interval of at"
                + " least 10us", p.message());
        assertEquals(8, p.line());
    }

    @Test
    void anAllZeroMac() throws Exception {
        ConfigProblem p = only(file("1s", ", mac = \"00:00:00:00:00:00\"", "1Gbps", "1ms", "", ""));
        assertEquals("hosts.h1.interfaces.eth0.mac", p.key());
        assertEquals("00:00:00:00:00:00 is not a valid MAC address (is_valid_ether_addr)", p.message());
    }

    @Test
    void aNumberThatIsNotWholeIsNotRoundedToOne() throws Exception {
        ConfigProblem p = only(file("1s", "", "1Gbps", "1ms", ", qdisc { kind = bfifo, limit = 1.0000000000000000001 }",
                ""));
        assertEquals(7, p.line());
        assertTrue(p.message().startsWith("1.0000000000000000001 is not a whole number"), p.message());
        // as a string it reaches the size parser, which refuses it exactly
        p = only(file("1s", "", "1Gbps", "1ms", ", qdisc { kind = bfifo, limit = \"1.0000000000000000001\" }", ""));
        assertEquals("links[0].qdisc.limit", p.key());
        assertTrue(p.message().contains("not a whole number of bytes"), p.message());
        p = only(file("1s", "", "1Gbps", "1ms", ", qdisc { kind = pfifo, limit = 1.0000000000000000001 }", ""));
        assertEquals(7, p.line());
        assertEquals("1.0000000000000000001 is not a whole number, but has more digits than a double holds and would be"
                + " read as 1; write it with at most 15 significant digits", p.message());
        assertTrue(HoconScan.roundedToWhole("2.00000000000000000001"));
        for (String fine : List.of("1", "1.0", "2.5", "1e3", "0.1", "1.5us", "10.0.0.1", "-3.0")) {
            assertTrue(!HoconScan.roundedToWhole(fine), fine);
        }
        ConfigProblem set = assertThrows(TopologyException.class, () -> TopologyLoader.load(file("1s", "", "1Gbps", "1ms",
                ", qdisc { kind = pfifo, limit = 5 }", ""), List.of("vars.x=3.00000000000000000001"), 1)).problems().get(0);
        assertEquals("--set", set.file());
    }

    @Test
    void qdiscSizesTheRunCannotHold() throws Exception {
        assertEquals("links[0].qdisc.limit", only(file("1s", "", "1Gbps", "1ms", ", qdisc { kind = bfifo, limit = 4GiB }",
                "")).key());
        assertEquals("hosts.h1.interfaces.eth0.txqueuelen", only(file("1s", ", txqueuelen = 2000000", "1Gbps", "1ms",
                ", qdisc { kind = bfifo }", "")).key());
        assertEquals("links[0].qdisc.burst", only(file("1s", "", "1Gbps", "1ms",
                ", qdisc { kind = tbf, rate = 1bps, burst = 1TiB, limit = 1MiB }", "")).key());
        assertEquals("links[0].qdisc.latency", only(file("1s", "", "1Gbps", "1ms",
                ", qdisc { kind = tbf, rate = 1Tbps, burst = 1MiB, latency = 8000h }", "")).key());
    }

    @Test
    void theLargestValuesValidateAcceptsBuildEveryLp() throws Exception {
        buildsEveryLp(file("8760h", ", txqueuelen = 1, mac = \"02:00:00:00:00:00\"", "1Tbps", "1h",
                ", qdisc { kind = tbf, rate = 1Tbps, burst = 1GiB, latency = 1000h }",
                "traffic = [ { app = ping, on = h1, to = h2, count = 0, interval = 15ms } ]\n"
                        + "record { interval = 32s, series = [ \"h1.eth0:qdisc:backlog\" ] }"));
        buildsEveryLp(file("1s", ", txqueuelen = 1000000, mtu = 2147", "1bps", "1ns",
                ", qdisc { kind = bfifo }, jitter = 0", "traffic = [ { app = ping, on = h1, to = h2, interval = 1ns } ]"));
        buildsEveryLp(file("1s", "", "1Gbps", "1ms", ", qdisc { kind = bfifo, limit = 2147483647 }", ""));
    }

    static void buildsEveryLp(Path f) throws Exception {
        Topology t = TopologyLoader.load(f, List.of(), 1);
        TopologyScenario s = TopologyScenario.of(t);
        int lps = s.graph().lpCount();
        assertTrue(lps > 0);
        for (int lp = 0; lp < lps; lp++) s.createLp(lp);
    }
}
