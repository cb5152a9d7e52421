package knetsim.topology.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys of ping and the UDP senders reach the run as written: pmtudisc, timeout, bind, connected, ttl, tos, recverr, count, burst, interval. */
class AppKeysTest {
    @TempDir
    Path dir;

    @Test
    void everyKeyIsReadIntoTheTrafficSpec() throws Exception {
        Path f = dir.resolve("keys.conf");
        Files.writeString(f, """
                duration = 2s
                hosts {
                  h1 { interfaces { eth0 { ip = "10.0.0.1/24" } } }
                  h2 { interfaces { eth0 { ip = "10.0.0.2/24" } } }
                }
                links = [ { a = h1.eth0, b = h2.eth0, rate = 1Gbps, delay = 1ms } ]
                traffic = [
                  { app = ping, on = h1, to = h2, count = 3, pmtudisc = probe, timeout = 2s }
                  { app = ping, on = h1, to = h2, count = 1, dont-fragment = true }
                  { app = udp-cbr, on = h1, to = "h2:9", size = 1000, bind = "10.0.0.1:5000", connected = false,
                    ttl = 9, tos = 184, pmtudisc = dont, recverr = true, count = 100, burst = 100, interval = 1s }
                  { app = udp-poisson, on = h1, to = "h2:9", rate = 1Mbps, bind = ":0" }
                  { app = udp-sink, on = h2, port = 9, start = 1s }
                ]
                """);
        List<TrafficSpec> t = TopologyLoader.load(f, List.of(), 1).traffic();
        TrafficSpec.Ping p = (TrafficSpec.Ping) t.get(0);
        assertEquals(3, p.pmtudisc());
        assertEquals(2_000_000_000L, p.timeoutNs());
        assertEquals(2, ((TrafficSpec.Ping) t.get(1)).pmtudisc(), "dont-fragment = true is -M do");
        TrafficSpec.UdpSend u = (TrafficSpec.UdpSend) t.get(2);
        assertEquals(new TrafficSpec.UdpSocket(true, Ipv4s.parseAddress("10.0.0.1"), 5000, false, 9, 184, 0, true), u.socket());
        assertEquals(100, u.count());
        assertEquals(100, u.burst());
        assertEquals(1_000_000_000L, u.intervalNs());
        assertEquals(800_000L, u.rateBps(), "100 x 1000 bytes a second");
        TrafficSpec.UdpSend v = (TrafficSpec.UdpSend) t.get(3);
        assertEquals(new TrafficSpec.UdpSocket(true, 0, 0, true, -1, -1, -1, false), v.socket());
        assertEquals(1_000_000_000L, ((TrafficSpec.UdpSink) t.get(4)).startNs());
    }
}
