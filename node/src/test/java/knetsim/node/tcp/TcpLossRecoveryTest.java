package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Loss recovery as Linux 6.x does it: SACK fast retransmit (RACK), tail loss probe, RTO with backoff. */
class TcpLossRecoveryTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    private static List<TcpPair.Sent> data(TcpPair p) {
        return p.from(p.a).stream().filter(s -> s.payload() > 0).toList();
    }

    @Test
    void oneDroppedSegmentIsFastRetransmittedOnceAfterSackedData() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 100_000_000L, 1000, 4);
        int[] n = {0};
        p.a.link.drop = s -> s.payload() > 0 && ++n[0] == 30;
        TcpPair.Flow f = p.new Flow(5201, 200 * 1448);
        assertTrue(p.runUntil(f::done, 5 * S), "transfer finished");
        List<TcpPair.Sent> d = data(p);
        long droppedSeq = d.get(29).header().seq();
        List<TcpPair.Sent> rtx = d.stream().filter(s -> s.header().seq() == droppedSeq).toList();
        assertEquals(2, rtx.size(), "the dropped segment and one retransmission");
        // before the retransmission, the receiver reported at least three segments above the hole
        TcpPair.Sent lastAckBefore = p.from(p.b).stream().filter(s -> s.time() < rtx.get(1).time() - 5 * MS)
                .reduce((x, y) -> y).orElseThrow();
        long[] blocks = lastAckBefore.header().options().sackBlocks();
        assertTrue(blocks.length >= 2, "SACK in " + lastAckBefore.header());
        assertEquals(droppedSeq, lastAckBefore.header().ack());
        assertTrue(((blocks[1] - blocks[0]) & 0xffffffffL) >= 3 * 1448, "3 segments SACKed: " + lastAckBefore.header());
        assertEquals(1, p.a.mib(TcpMib.RETRANS_SEGS));
        assertEquals(1, p.a.mib(TcpMib.TCP_FAST_RETRANS));
        assertEquals(1, p.a.mib(TcpMib.TCP_SACK_RECOVERY));
        assertEquals(0, p.a.mib(TcpMib.TCP_TIMEOUTS));
        assertEquals(0, p.a.mib(TcpMib.TCP_LOSS_PROBES));
        assertTrue(p.b.mib(TcpMib.TCP_OFO_QUEUE) >= 3);
    }

    @Test
    void tailLossIsRepairedByALossProbeAfterTwoSrtt() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 5);
        int[] n = {0};
        p.a.link.drop = s -> s.payload() > 0 && s.header().flags() != 0 && (++n[0] == 9 || n[0] == 10);
        TcpPair.Flow f = p.new Flow(5201, 10 * 1448);
        assertTrue(p.runUntil(f::done, 10 * S), "transfer finished");
        List<TcpPair.Sent> d = data(p);
        assertEquals(12, d.size(), d.toString());
        assertEquals(1, p.a.mib(TcpMib.TCP_LOSS_PROBES));
        assertEquals(0, p.a.mib(TcpMib.TCP_TIMEOUTS), p.trace());
        // the probe is the last segment again, 2*srtt (+2 ms with two packets out) after the last ACK
        TcpPair.Sent probe = d.get(10);
        assertEquals(d.get(9).header().seq(), probe.header().seq());
        long lastAck = p.from(p.b).stream().filter(s -> s.time() < probe.time()).mapToLong(TcpPair.Sent::time).max().orElseThrow()
                + 5 * MS;
        long srtt = 10 * MS;
        assertTrue(probe.time() - lastAck >= 2 * srtt && probe.time() - lastAck <= 2 * srtt + 3 * MS,
                "probe " + (probe.time() - lastAck) / 1e6 + " ms after the last ACK");
        // RACK then finds segment 9 lost and retransmits it: repaired without an RTO
        assertEquals(d.get(8).header().seq(), d.get(11).header().seq());
        assertEquals(2, p.a.mib(TcpMib.RETRANS_SEGS));
    }

    @Test
    void blackHoleGivesRtosThatDoubleThenRecovers() {
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, 0, 1000, 6);
        TcpPair.Flow f = p.new Flow(5201, 400 * 1448);
        p.runUntil(60 * MS);
        long blackAt = p.now;
        p.a.link.blackhole = true;
        p.runUntil(blackAt + 12 * MS); // the ACKs still in flight arrive
        long srtt = f.client.info(p.now).rttUs() * 1000, rto = f.client.info(p.now).rtoUs() * 1000;
        assertEquals(srtt + 200 * MS, rto, 2 * MS, "RTO = srtt + max(rttvar, 200 ms)");
        p.runUntil(blackAt + 100 * MS); // the last delayed ACK has come back
        long rtoAtLoss = f.client.info(p.now).rtoUs() * 1000;
        assertEquals(f.client.info(p.now).rttUs() * 1000 + 200 * MS, rtoAtLoss, 1 * MS);
        p.runUntil(blackAt + 3500 * MS);
        p.a.link.blackhole = false;
        assertTrue(p.runUntil(f::done, 60 * S), "recovered after the path came back");
        List<TcpPair.Sent> d = data(p);
        long[] high = {0};
        List<TcpPair.Sent> rtx = d.stream().filter(s -> {
            long end = s.header().seq() + s.payload();
            boolean old = high[0] != 0 && s.header().seq() - high[0] < 0;
            if (!old) high[0] = end;
            return old && s.time() > blackAt && s.time() < blackAt + 3500 * MS;
        }).toList();
        TcpPair.Sent tlp = rtx.get(0);
        assertEquals(d.stream().mapToLong(x -> x.header().seq()).max().orElseThrow(), tlp.header().seq(),
                "the loss probe resends the last segment");
        List<Long> rtos = rtx.stream().skip(1).map(TcpPair.Sent::time).toList();
        assertTrue(rtos.size() >= 4, p.trace());
        long head = rtx.get(1).header().seq();
        assertTrue(rtx.stream().skip(1).allMatch(x -> x.header().seq() == head), "every RTO resends the head");
        // the RTO runs from the head's transmission (tcp_rearm_rto() after a loss probe that found one outstanding)
        long headSent = d.stream().filter(x -> x.header().seq() == head).findFirst().orElseThrow().time();
        assertEquals(headSent + rtoAtLoss, rtos.get(0), 1 * MS, p.trace().lines().filter(l -> Long.parseLong(l.split(" ")[0]) > 69000).limit(8).toList().toString());
        for (int i = 1; i < rtos.size(); i++) {
            assertEquals(rtoAtLoss << i, rtos.get(i) - rtos.get(i - 1), 1 * MS << i, "RTOs double: " + rtos);
        }
        // one more RTO, after the path came back, gets through
        assertEquals(rtos.size() + 1, p.a.mib(TcpMib.TCP_TIMEOUTS));
        assertEquals(1, p.a.mib(TcpMib.TCP_LOSS_PROBES));
        assertEquals(TcpState.ESTABLISHED, f.client.state());
    }
}
