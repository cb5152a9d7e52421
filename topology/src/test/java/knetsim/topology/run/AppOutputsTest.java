package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import knetsim.topology.cli.Main;
import knetsim.topology.results.ResultFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What processes print goes to apps/NODE.PROCESS.txt, ping's exit status to summary.json; the neighbour
 * tables' transitions to neigh.csv and their end state to neigh.txt.
 */
class AppOutputsTest {
    @TempDir
    Path dir;

    @Test
    void pingOutputExitStatusAndNeighbourTablesAreInTheResultsFolder() throws Exception {
        Files.writeString(dir.resolve("t.conf"), """
                seed = 3
                duration = 5s
                hosts {
                  h1 { interfaces { eth0 { ip = "10.0.0.1/24" } } }
                  h2 { interfaces { eth0 { ip = "10.0.0.2/24" } } }
                }
                links = [ { a = "h1.eth0", b = "h2.eth0", rate = 1Gbps, delay = 1ms } ]
                traffic = [
                  { app = ping, on = h1, to = h2, count = 3, interval = 200ms }
                  { app = ping, on = h1, to = "10.0.0.9", count = 1, timeout = 4s }
                ]
                """);
        Path out = dir.resolve("out");
        assertEquals(Main.OK, Main.execute("run", dir.resolve("t.conf").toString(), "--out", out.toString(), "--no-progress"));
        // 1 ms each way: 2 ms a round trip, twice that behind ARP, plus the stack's microseconds
        assertEquals(List.of(
                "PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.",
                "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=4.03 ms",
                "64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=2.02 ms",
                "64 bytes from 10.0.0.2: icmp_seq=3 ttl=64 time=2.02 ms",
                "",
                "--- 10.0.0.2 ping statistics ---",
                "3 packets transmitted, 3 received, 0% packet loss, time 400ms",
                "rtt min/avg/max/mdev = 2.016/2.687/4.031/0.949 ms"),
                Files.readAllLines(out.resolve("apps/h1.ping-0.txt")));
        // nobody has 10.0.0.9: three ARP requests a second apart, then Host Unreachable from our own address
        assertEquals(List.of(
                "PING 10.0.0.9 (10.0.0.9) 56(84) bytes of data.",
                "From 10.0.0.1 icmp_seq=1 Destination Host Unreachable",
                "",
                "--- 10.0.0.9 ping statistics ---",
                "1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms",
                ""),
                Files.readAllLines(out.resolve("apps/h1.ping-1.txt")));
        Map<String, Object> summary = ResultFiles.readJson(out.resolve("summary.json"));
        assertEquals(Map.of("h1/ping-0", 0, "h1/ping-1", 1), summary.get("exitStatus"));
        assertEquals(List.of(
                "time_ns,node,interface,address,lladdr,from,to",
                "17000,h1,eth0,10.0.0.2,,NONE,INCOMPLETE",
                "17000,h1,eth0,10.0.0.9,,NONE,INCOMPLETE",
                "1024576,h2,eth0,10.0.0.1,02:00:00:00:00:01,NONE,STALE",
                "2032152,h1,eth0,10.0.0.2,02:00:00:00:00:02,INCOMPLETE,REACHABLE",
                "3040032,h2,eth0,10.0.0.1,02:00:00:00:00:01,STALE,DELAY",
                "3000017000,h1,eth0,10.0.0.9,,INCOMPLETE,FAILED"),
                Files.readAllLines(out.resolve("neigh.csv")));
        assertEquals(List.of(
                "h1: 10.0.0.2 dev eth0 lladdr 02:00:00:00:00:02 REACHABLE",
                "h1: 10.0.0.9 dev eth0 FAILED",
                "h2: 10.0.0.1 dev eth0 lladdr 02:00:00:00:00:01 DELAY"),
                Files.readAllLines(out.resolve("neigh.txt")));
    }
}
