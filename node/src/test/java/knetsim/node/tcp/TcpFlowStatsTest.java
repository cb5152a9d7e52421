package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TcpFlowStatsTest {
    @Test
    void percentilesWithinThreePercentAndCwndSummary() {
        TcpFlowStats s = new TcpFlowStats();
        assertEquals(-1, s.rttPercentile(0.5));
        for (long us = 1; us <= 100_000; us++) s.rtt(us * 10);
        assertEquals(500_000, s.rttPercentile(0.5), 15_000);
        assertEquals(900_000, s.rttPercentile(0.9), 27_000);
        assertEquals(990_000, s.rttPercentile(0.99), 30_000);
        assertEquals(100_000, s.samples());
        s.rtt(7);
        assertEquals(7, s.rttPercentile(0.000001));
        for (int c : new int[] {10, 20, 30}) s.cwnd(c);
        assertEquals(10, s.minCwnd());
        assertEquals(30, s.maxCwnd());
        assertEquals(20.0, s.meanCwnd(), 1e-9);
    }
}
