package knetsim.node.tcp;

import knetsim.node.tcp.cong.Bbr;
import org.junit.jupiter.api.Test;

class BbrExploreTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    double run(String cc, long rate, double loss) {
        TcpPair p = new TcpPair(TcpSysctl.linuxDefaults().withCongestionControl(cc), 20 * MS, rate, 100, 7);
        p.a.link.routerQueue = true;
        TcpPair.Flow f = p.new Flow(5201, 1L << 40);
        p.runUntil(1 * S);
        p.a.link.loss = loss;
        long from = f.received;
        p.runUntil(21 * S);
        double g = (f.received - from) * 8.0 / 20;
        System.out.printf("%s rate %d loss %.3f: %.2f Mbit/s (%.1f%%) retrans %d lt %s%n", cc, rate, loss, g / 1e6, 100 * g / rate,
                p.a.mib(TcpMib.RETRANS_SEGS), f.client.ca instanceof Bbr b ? b.ltUseBw() : "-");
        return g;
    }

    @Test
    void explore() {
        run("bbr", 10_000_000L, 0.01);
        run("cubic", 10_000_000L, 0.01);
        run("bbr", 50_000_000L, 0.01);
        run("cubic", 50_000_000L, 0.01);
    }
}
