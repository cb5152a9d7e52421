package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import knetsim.topology.cli.Main;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * configs/bufferbloat.conf, shortened: a ping sent while a CUBIC flow saturates the 10 Mbit/s bottleneck waits
 * behind a full 1000-packet pfifo (hundreds of ms), but sees little more than the 22 ms base RTT under fq_codel,
 * which gives the sparse ping flow its own queue and keeps the bulk flow's near its 5 ms target.
 */
class BufferbloatTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"{ kind = pfifo, limit = 1000 }; 250; 1000", "{ kind = fq_codel }; 22; 32"})
    void pingRttUnderLoad(String qdisc, double atLeastMs, double atMostMs) throws IOException {
        Path out = dir.resolve("out");
        // the ping from 3.5 s (the file's starts at 5 s, once the pfifo is deep), 15 requests
        assertEquals(Main.OK, Main.execute("run", "../configs/bufferbloat.conf", "--duration", "5s", "--set",
                "vars.qdisc=" + qdisc, "--set", "traffic[2].start=3500ms", "--out", out.toString(), "--no-progress"));
        List<String> flows = Files.readAllLines(out.resolve("flows.csv"));
        List<String> header = List.of(flows.get(0).split(","));
        String ping = flows.stream().filter(l -> l.startsWith("h1/ping-2")).findFirst().orElseThrow();
        String bulk = flows.stream().filter(l -> l.startsWith("h1/tcp-bulk-1")).findFirst().orElseThrow();
        String[] p = ping.split(",", -1);
        assertEquals("rtt", p[header.indexOf("delay_kind")]);
        double p50 = Double.parseDouble(p[header.indexOf("delay_p50_ns")]) / 1e6;
        assertTrue(p50 >= atLeastMs && p50 <= atMostMs, qdisc + ": ping RTT under load p50 " + p50 + " ms");
        assertTrue(Long.parseLong(p[header.indexOf("packets_received")]) >= 10, ping);
        // the flow still fills the link either way: AQM costs no throughput
        double goodput = Double.parseDouble(bulk.split(",", -1)[header.indexOf("goodput_bps")]);
        assertTrue(goodput > 8.5e6, qdisc + ": bulk goodput " + goodput);
    }
}
