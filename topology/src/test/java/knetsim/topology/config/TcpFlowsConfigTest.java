package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tcp-flows in a topology file: host patterns, the arrival rate from a load, the sinks it starts, and its errors. */
class TcpFlowsConfigTest {
    @TempDir
    Path dir;

    private Topology load(String text) throws IOException, TopologyException {
        Path file = dir.resolve("t.conf");
        Files.writeString(file, text);
        return TopologyLoader.load(file, List.of(), 1);
    }

    private String problems(String text) throws IOException {
        TopologyException e = assertThrows(TopologyException.class, () -> load(text));
        return e.problems().stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }

    @Test
    void fatTreeHostsWithALoadOfTheirLinks() throws Exception {
        Topology t = load("""
                duration = 100ms
                generate { kind = fat-tree, k = 4 }
                traffic = [ { app = tcp-flows, from = ["h*"], sizes = web-search, load = 0.5, cc = reno } ]
                """);
        List<TrafficSpec.TcpFlows> senders = t.traffic().stream().filter(s -> s instanceof TrafficSpec.TcpFlows)
                .map(s -> (TrafficSpec.TcpFlows) s).toList();
        assertEquals(16, senders.size(), "k^3/4 hosts send");
        assertEquals(16, t.traffic().stream().filter(s -> s instanceof TrafficSpec.TcpSink).count(), "and each runs a sink");
        TrafficSpec.TcpFlows one = senders.get(0);
        assertEquals(15, one.to().length, "all-to-all: every other host");
        // 0.5 of the host's 10 Gbit/s link in web-search flows of 1.71125 MB on average
        assertEquals(0.5 * 10e9 / (8 * 1_711_250), one.flowsPerSecond(), 1e-9);
        assertEquals("reno", one.cc());
        assertEquals(5001, one.port());
    }

    @Test
    void pairsAndAFileOfSizes() throws Exception {
        Files.writeString(dir.resolve("sizes.cdf"), "100 0\n1000 100\n");
        Topology t = load("""
                duration = 1s
                generate { kind = dumbbell, pairs = 3 }
                traffic = [ { app = tcp-flows, from = [s1, s2], to = [d2, d1], pattern = pairs, sizes-file = "sizes.cdf",
                              rate = 20, port = 7000, count = 5 } ]
                """);
        List<TrafficSpec.TcpFlows> senders = t.traffic().stream().filter(s -> s instanceof TrafficSpec.TcpFlows)
                .map(s -> (TrafficSpec.TcpFlows) s).toList();
        assertEquals(2, senders.size());
        assertEquals(t.node("d2").interfaces().get(0).address(), senders.get(0).to()[0]);
        assertEquals(1, senders.get(0).to().length);
        assertEquals(20, senders.get(0).flowsPerSecond());
        assertEquals(550, senders.get(0).sizes().quantile(0.5));
        assertEquals(5, senders.get(0).maxFlows());
    }

    @Test
    void mistakesAreNamedWithFileLineAndKey() throws IOException {
        String base = "duration = 1s\ngenerate { kind = dumbbell, pairs = 2 }\n";
        assertTrue(problems(base + "traffic = [ { app = tcp-flows, from = [s1], to = [d1], load = 0.3, rate = 10 } ]\n")
                .contains("t.conf:3: traffic[0].rate: give load"), "load and rate");
        assertTrue(problems(base + "traffic = [ { app = tcp-flows, from = [s1], to = [d1] } ]\n")
                .contains("traffic[0].load: give load"), "neither");
        assertTrue(problems(base + "traffic = [ { app = tcp-flows, from = [s1], to = [d1], rate = 5, sizes = websearch } ]\n")
                .contains("traffic[0].sizes: no distribution \"websearch\", expected web-search or data-mining"));
        assertTrue(problems(base + "traffic = [ { app = tcp-flows, from = [x9], to = [d1], rate = 5 } ]\n")
                .contains("traffic[0].from: no host or router named \"x9\""));
        assertTrue(problems(base + "traffic = [ { app = tcp-flows, from = [s1, s2], to = [d1], pattern = pairs, rate = 5 } ]\n")
                .contains("traffic[0].to: pattern = pairs needs as many hosts in to as in from (2), got 1"));
        assertTrue(problems(base + "traffic = [ { app = tcp-flows, from = [s1], to = [s1], rate = 5 } ]\n")
                .contains("s1 has no host to send to"));
        assertTrue(problems(base + "traffic = [ { app = tcp-flows, from = [s1], to = [d1], rate = 5, sizes-file = \"none.cdf\" } ]\n")
                .contains("traffic[0].sizes-file: cannot read"));
        Files.writeString(dir.resolve("bad.cdf"), "# sizes\n100 0\n50 0.5\n200 1\n");
        String bad = problems(base + "traffic = [ { app = tcp-flows, from = [s1], to = [d1], rate = 5, sizes-file = \"bad.cdf\" } ]\n");
        assertTrue(bad.matches("(?s).*bad\\.cdf:3: sizes must not decrease: 50 comes after 100 \\(traffic\\[0\\]\\.sizes-file\\).*"), bad);
        assertTrue(problems(base + "traffic = [ { app = tcp-flows, on = s1, from = [s1], to = [d1], rate = 5 } ]\n")
                .contains("traffic[0].on: unknown key"));
    }
}
