package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import knetsim.topology.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lo in a topology run: a capture pattern names it, its counters are a row of their own, and a ping to oneself uses it. */
class LoopbackRunTest {
    static final String FILE = """
            duration = 3s
            hosts {
              h1 { interfaces { eth0 { ip = "10.0.0.1/24" } } }
              h2 { interfaces { eth0 { ip = "10.0.0.2/24" } } }
            }
            links = [ { a = "h1.eth0", b = "h2.eth0", rate = 1Gbps, delay = 1ms } ]
            traffic = [ { app = ping, on = h1, to = "10.0.0.1", count = 2, interval = 1s } ]
            capture = [ "h1.*", "h2.lo" ]
            """;

    @TempDir
    Path dir;

    @Test
    void aTcpTransferToOneselfUsesLosMssAndFinishes() throws IOException {
        Path file = dir.resolve("tcp.conf");
        Files.writeString(file, """
                duration = 1s
                hosts { h1 { interfaces { eth0 { ip = "10.0.0.1/24" } } }, h2 { interfaces { eth0 { ip = "10.0.0.2/24" } } } }
                links = [ { a = "h1.eth0", b = "h2.eth0", rate = 1Gbps, delay = 1ms } ]
                traffic = [ { app = tcp-sink, on = h1, port = 5001 }
                            { app = tcp-bulk, on = h1, to = "10.0.0.1:5001", bytes = 1000000, start = 10ms } ]
                capture = [ "h1.lo" ]
                """);
        Path out = dir.resolve("tcp");
        assertEquals(Main.OK, Main.execute("run", file.toString(), "--out", out.toString(), "--no-progress"));
        List<String> flows = Files.readAllLines(out.resolve("flows.csv"));
        List<String> header = List.of(flows.get(0).split(","));
        String[] row = flows.get(1).split(",");
        assertEquals("1000000", row[header.indexOf("bytes_received")], flows.toString());
        assertEquals("0", row[header.indexOf("tcp_retrans_segs")], flows.toString());
        assertEquals("yes", row[header.indexOf("tcp_finished")], flows.toString());
        byte[] pcap = Files.readAllBytes(out.resolve("pcap/h1.lo.pcap"));
        // the SYN (the first record, 14 + 20 + 40 bytes) offers MSS 65495: lo's 65536 less 40, capped at 65535 - 40
        int mssOption = 24 + 16 + 14 + 20 + 20;
        assertEquals(2, pcap[mssOption]);
        assertEquals(65495, ((pcap[mssOption + 2] & 0xff) << 8) | (pcap[mssOption + 3] & 0xff));
    }

    @Test
    void aPingToOneselfGoesThroughLoAndIsCapturedThere() throws IOException {
        Path file = dir.resolve("lo.conf");
        Files.writeString(file, FILE);
        Path out = dir.resolve("out");
        assertEquals(Main.OK, Main.execute("run", file.toString(), "--out", out.toString(), "--no-progress"));
        List<String> counters = Files.readAllLines(out.resolve("counters.csv"));
        // two echo requests and two replies, each once on lo (ip -s link show lo counts both sides alike)
        for (String row : List.of("h1.lo,rx_packets,4", "h1.lo,tx_packets,4", "h1.lo,rx_bytes,336", "h1.lo,tx_bytes,336",
                "h1,IcmpOutMsgs,4", "h1,IcmpInMsgs,4", "h1,IcmpMsgOutType8,2", "h1,IcmpMsgOutType0,2")) {
            assertTrue(counters.contains(row), row + " in " + counters);
        }
        assertFalse(counters.stream().anyMatch(l -> l.startsWith("h2.lo,")), "h2's lo carried nothing");
        assertFalse(counters.stream().anyMatch(l -> l.startsWith("h1.eth0,tx_packets,") && !l.endsWith(",0")),
                "nothing went on the wire");
        byte[] pcap = Files.readAllBytes(out.resolve("pcap/h1.lo.pcap"));
        // libpcap header: LINKTYPE_ETHERNET (1); then 4 records of 16 + 14 + 84 bytes
        assertEquals(1, pcap[20] | pcap[21] << 8);
        assertEquals(24 + 4 * (16 + 14 + 84), pcap.length);
        assertFalse(Files.exists(out.resolve("pcap/h2.lo.pcap")));
        List<String> flows = Files.readAllLines(out.resolve("flows.csv"));
        assertTrue(flows.get(1).contains(",2,") , flows.toString());
    }
}
