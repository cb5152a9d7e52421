package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Keepalive, path MTU discovery through tcp_v4_err, F-RTO and reordering undo. */
class TcpTimersTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    @Test
    void keepaliveProbesAfterTwoHoursIdleThenEvery75sAndGivesUpAfterNine() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 20);
        TcpPair.Flow f = p.new Flow(5201, 1000);
        p.runUntil(100 * MS);
        assertTrue(f.done());
        assertEquals(0, p.a.tcp.setsockopt(f.client, Tcp.Option.SO_KEEPALIVE, 1, p.now));
        long idleFrom = p.now;
        int before = p.from(p.a).size();
        // the first probe is answered: the next comes two hours after that answer
        p.runUntil(idleFrom + 7200 * S);
        long lastData = p.from(p.a).get(before - 1).time();
        List<TcpPair.Sent> probes = p.from(p.a).subList(before, p.from(p.a).size());
        assertEquals(1, probes.size(), p.trace());
        long firstProbe = probes.get(0).time();
        assertTrue(firstProbe >= lastData + 7200 * S - 20 * MS && firstProbe <= lastData + 7200 * S + 20 * MS);
        assertEquals(0, probes.get(0).payload());
        // now the peer is gone: 9 probes 75 s apart, then ETIMEDOUT
        p.a.link.blackhole = true;
        p.runUntil(firstProbe + 7200 * S + 10 * 75 * S + S);
        List<TcpPair.Sent> later = p.from(p.a).stream().filter(s -> s.time() > firstProbe + S).toList();
        assertEquals(9, later.size(), p.trace());
        for (int i = 1; i < later.size(); i++) assertEquals(75 * S, later.get(i).time() - later.get(i - 1).time());
        assertEquals(TcpState.CLOSE, f.client.state());
        assertEquals(110, p.a.tcp.getsockopt(f.client, Tcp.Option.SO_ERROR));
        assertEquals(10, p.a.mib(TcpMib.TCP_KEEPALIVE));
    }

    @Test
    void fragmentationNeededLowersTheMssAndRetransmitsAtOnce() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 100_000_000L, 1000, 21);
        p.a.link.mtu = 1400;
        TcpPair.Flow f = p.new Flow(5201, 100 * 1448);
        assertTrue(p.runUntil(f::done, 5 * S), p.trace());
        List<TcpPair.Sent> data = p.from(p.a).stream().filter(s -> s.payload() > 0 && !s.dropped()).toList();
        assertTrue(data.stream().allMatch(s -> s.payload() <= 1400 - 52), "segments fit the path MTU");
        assertEquals(1400 - 52, f.client.info(p.now).sndMss());
        assertEquals(0, p.a.mib(TcpMib.TCP_TIMEOUTS));
        assertTrue(p.now < 200 * MS, "no RTO was needed: " + p.now / 1e6);
    }

    @Test
    void spuriousRtoIsUndoneByFrto() {
        TcpSysctl noTs = TcpSysctl.linuxDefaults().with(s -> s.congestionControl("reno").timestamps(false));
        TcpPair p = new TcpPair(noTs, 5 * MS, 10_000_000L, 1000, 22);
        // the ACKs sent between 200 and 210 ms are held up 600 ms (a delay spike longer than the RTO)
        p.b.link.extraDelay = s -> s.time() >= 200 * MS && s.time() < 800 * MS ? 800 * MS - s.time() : 0;
        TcpPair.Flow f = p.new Flow(5201, 1000 * 1448);
        assertTrue(p.runUntil(f::done, 30 * S));
        assertEquals(1, p.a.mib(TcpMib.TCP_TIMEOUTS), p.trace());
        assertEquals(1, p.a.mib(TcpMib.TCP_SPURIOUS_RTOS));
        assertEquals(1, p.a.mib(TcpMib.TCP_LOSS_UNDO));
    }

    @Test
    void reorderingIsDetectedAndTheFastRetransmitUndoneByDsack() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 100_000_000L, 1000, 23);
        int[] n = {0};
        p.a.link.extraDelay = s -> s.payload() > 0 && ++n[0] == 200 ? 3 * MS : 0;
        TcpPair.Flow f = p.new Flow(5201, 2000 * 1448);
        assertTrue(p.runUntil(f::done, 30 * S));
        assertEquals(1, p.a.mib(TcpMib.RETRANS_SEGS), "the late segment was retransmitted once");
        assertTrue(p.a.mib(TcpMib.TCP_DSACK_RECV) >= 1);
        assertTrue(p.a.mib(TcpMib.TCP_SACK_REORDER) + p.a.mib(TcpMib.TCP_TS_REORDER) > 0);
        assertEquals(1, p.a.mib(TcpMib.TCP_DSACK_UNDO) + p.a.mib(TcpMib.TCP_FULL_UNDO) + p.a.mib(TcpMib.TCP_PARTIAL_UNDO),
                p.a.counters.snapshot().toString());
        assertTrue(f.client.info(p.now).reordering() > 3, "reordering " + f.client.info(p.now).reordering());
    }
}
