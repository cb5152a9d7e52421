package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reno under random loss against the Mathis model: goodput = 1.22 * MSS / (RTT * sqrt(p)). */
class TcpRandomLossTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    private static double goodput(String cc, double loss, long seconds, long seed) {
        TcpPair p = new TcpPair(TcpSysctl.linuxDefaults().with(s -> s.congestionControl(cc)), 50 * MS, 1_000_000_000L, 10_000, seed);
        TcpPair.Flow f = p.new Flow(5201, 1L << 40);
        p.runUntil(2 * S); // the handshake and the start behind us
        p.a.link.loss = loss;
        long from = f.received, t0 = p.now;
        p.runUntil(t0 + seconds * S);
        double g = (f.received - from) * 8.0 / seconds;
        System.out.println("randomloss " + cc + " p=" + loss + ": " + g / 1e6 + " Mbit/s, retrans " + p.a.mib(TcpMib.RETRANS_SEGS) + " timeouts " + p.a.mib(TcpMib.TCP_TIMEOUTS));
        return g;
    }

    @Test
    void renoFollowsMathisAtOnePercentLoss() {
        double p = 0.01, rtt = 0.1;
        double mathis = 1.22 * 1448 * 8 / (rtt * Math.sqrt(p));
        double g = goodput("reno", p, 120, 13);
        assertTrue(Math.abs(g - mathis) < 0.25 * mathis, "reno " + g / 1e6 + " Mbit/s, Mathis " + mathis / 1e6);
    }

    @Test
    void renoFollowsMathisAtOnePerMilleAndCubicDoesBetter() {
        double p = 0.001, rtt = 0.1;
        double mathis = 1.22 * 1448 * 8 / (rtt * Math.sqrt(p));
        double reno = goodput("reno", p, 120, 14);
        assertTrue(Math.abs(reno - mathis) < 0.25 * mathis, "reno " + reno / 1e6 + " Mbit/s, Mathis " + mathis / 1e6);
        double cubic = goodput("cubic", p, 120, 14);
        assertTrue(cubic > reno, "cubic " + cubic / 1e6 + " Mbit/s, reno " + reno / 1e6);
    }
}
