package knetsim.topology.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import knetsim.link.pcap.PcapReader;
import knetsim.link.pcap.PcapRecord;
import knetsim.topology.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pacing seen on the wire (frame timestamps of the sender's capture): fq's maxrate spaces a flow's frames by
 * size x 8 / rate; a BBR sender behind fq leaves at its pacing rate (fq honours each skb's earliest departure time,
 * TCP sets it from sk_pacing_rate), not in line-rate bursts as an unpaced CUBIC sender does.
 */
class FqPacingTest {
    static final String FILE = """
            duration = 1200ms
            hosts {
              h1 { interfaces { eth0 { ip = "10.0.1.2/24", gateway = "10.0.1.1" } } }
              h2 { interfaces { eth0 { ip = "10.0.2.2/24", gateway = "10.0.2.1" } } }
            }
            routers { r1 { interfaces { eth0 { ip = "10.0.1.1/24" }, eth1 { ip = "10.0.2.1/24" } } } }
            links = [
              { a = "h1.eth0", b = "r1.eth0", rate = 1Gbps, delay = 1ms, QDISC }
              { a = "r1.eth1", b = "h2.eth0", rate = BOTTLENECK, delay = 10ms, qdisc { kind = pfifo, limit = 200 } }
            ]
            traffic = [
              { app = tcp-sink, on = h2, port = 5201 }
              { app = tcp-bulk, on = h1, to = "h2:5201", name = bulk, cc = CC, start = 10ms }
            ]
            capture = [ "h1.eth0" ]
            """;

    @TempDir
    Path dir;

    /** The gaps (ns) between consecutive data frames h1 sent after {@code fromNs}, and their sizes. */
    private List<long[]> dataGaps(String qdisc, String bottleneck, String cc, long fromNs) throws IOException {
        String name = cc + qdisc.hashCode();
        Path file = dir.resolve(name + ".conf");
        Files.writeString(file, FILE.replace("QDISC", qdisc).replace("BOTTLENECK", bottleneck).replace("CC", cc));
        Path out = dir.resolve(name);
        assertEquals(Main.OK, Main.execute("run", file.toString(), "--out", out.toString(), "--no-progress"));
        List<long[]> gaps = new ArrayList<>();
        long last = -1;
        for (PcapRecord r : PcapReader.readAll(out.resolve("pcap").resolve("h1.eth0.pcap"))) {
            byte[] f = r.frame();
            if (f.length < 54 || (f[12] & 0xff) != 0x08 || f[13] != 0 || f[23] != 6) continue; // IPv4 TCP
            if ((f[26] & 0xff) != 10 || f[27] != 0 || f[28] != 1 || f[29] != 2) continue;      // from h1
            int ihl = (f[14] & 0x0f) * 4, total = ((f[16] & 0xff) << 8) | (f[17] & 0xff);
            int doff = ((f[14 + ihl + 12] & 0xff) >> 4) * 4;
            if (total - ihl - doff <= 0 || r.timeNs() < fromNs) continue;                       // data only
            if (last >= 0) gaps.add(new long[] {r.timeNs() - last, f.length});
            last = r.timeNs();
        }
        return gaps;
    }

    private static long[] sorted(List<long[]> gaps) {
        return gaps.stream().mapToLong(g -> g[0]).sorted().toArray();
    }

    @Test
    void fqMaxratePacesAFlowAtSizeTimesEightOverRate() throws IOException {
        List<long[]> gaps = dataGaps("qdisc { kind = fq, maxrate = 20Mbps }", "1Gbps", "cubic", 200_000_000L);
        long[] g = sorted(gaps);
        double want = 1514 * 8 * 1e9 / 20e6; // qdisc_pkt_len(): the frame without FCS; 605.6 us
        System.out.printf("fq maxrate 20 Mbit/s: %d gaps, median %.1f us (size x 8 / rate %.1f us), min %.1f us%n",
                g.length, g[g.length / 2] / 1e3, want / 1e3, g[0] / 1e3);
        assertTrue(g.length > 1000, "data frames: " + g.length);
        assertTrue(gaps.stream().allMatch(x -> x[1] == 1514), "full-size frames");
        assertTrue(Math.abs(g[g.length / 2] - want) < 0.01 * want, "median gap " + g[g.length / 2]);
        // fq forgives a late watchdog at most half a packet's time, so no two frames leave closer than that
        assertTrue(g[0] >= want / 2 - 1_000, "smallest gap " + g[0]);
    }

    @Test
    void bbrBehindFqLeavesAtItsPacingRateNotInBursts() throws IOException {
        // 100 Mbit/s further on: BBR paces at about its bottleneck bandwidth, a full frame every ~122 us, while the
        // sender's own link runs at 1 Gbit/s (12 us per frame)
        long[] bbr = sorted(dataGaps("qdisc { kind = fq }", "100Mbps", "bbr", 600_000_000L));
        long[] cubic = sorted(dataGaps("qdisc { kind = pfifo_fast }", "100Mbps", "cubic", 600_000_000L));
        double perFrame = 1514 * 8 * 1e9 / 100e6 / 0.99; // PROBE_BW at gain 1 paces 1% below the estimate
        System.out.printf("bbr over fq: %d gaps, p5 %.1f us, median %.1f us; cubic over pfifo_fast: p5 %.1f us,"
                + " median %.1f us%n", bbr.length, bbr[bbr.length / 20] / 1e3, bbr[bbr.length / 2] / 1e3,
                cubic[cubic.length / 20] / 1e3, cubic[cubic.length / 2] / 1e3);
        assertTrue(bbr.length > 2000, "data frames: " + bbr.length);
        assertTrue(Math.abs(bbr[bbr.length / 2] - perFrame) < 0.05 * perFrame, "bbr's median gap " + bbr[bbr.length / 2]);
        // paced: even the 5th percentile is far from line rate (PROBE_BW's 5/4 phase: 0.8 x the gap)
        assertTrue(bbr[bbr.length / 20] > 0.6 * perFrame, "bbr's 5th percentile gap " + bbr[bbr.length / 20]);
        // unpaced: an ACK releases frames back to back at 1 Gbit/s
        assertTrue(cubic[cubic.length / 20] < 20_000, "cubic's 5th percentile gap " + cubic[cubic.length / 20]);
    }
}
