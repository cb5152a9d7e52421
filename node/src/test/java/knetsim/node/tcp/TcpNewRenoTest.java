package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Loss recovery without SACK (tcp_sack 0, or a peer that does not offer it): duplicate ACKs counted as
 * sacked_out (tcp_add_reno_sack), fast retransmit on the third, NewReno's partial ACKs (RFC 6582) retransmitting
 * the next hole without an RTO, TCPRenoRecovery.
 */
class TcpNewRenoTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    private static TcpPair pair(long seed) {
        return new TcpPair(TcpPair.reno().with(s -> s.sack(false)), 5 * MS, 100_000_000L, 1000, seed);
    }

    private static List<TcpPair.Sent> data(TcpPair p) {
        return p.from(p.a).stream().filter(s -> s.payload() > 0).toList();
    }

    @Test
    void theHandshakeOffersNoSackAndAcksCarryNoBlocks() {
        TcpPair p = pair(1);
        TcpPair.Flow f = p.new Flow(5201, 50 * 1448);
        assertTrue(p.runUntil(f::done, 5 * S));
        assertFalse(p.from(p.a).get(0).header().options().sackPermitted());
        assertTrue(p.from(p.b).stream().allMatch(s -> s.header().options().sackBlocks().length == 0));
    }

    @Test
    void oneDropIsFastRetransmittedOnTheThirdDuplicateAck() {
        TcpPair p = pair(2);
        int[] n = {0};
        p.a.link.drop = s -> s.payload() > 0 && ++n[0] == 30;
        TcpPair.Flow f = p.new Flow(5201, 200 * 1448);
        assertTrue(p.runUntil(f::done, 5 * S), "transfer finished");
        List<TcpPair.Sent> d = data(p);
        long hole = d.get(29).header().seq();
        List<TcpPair.Sent> rtx = d.stream().filter(s -> s.header().seq() == hole).toList();
        assertEquals(2, rtx.size(), p.trace());
        // the duplicate ACKs that arrived before the retransmission left: tcp_dupack_heuristics() > reordering 3
        long dupacks = p.from(p.b).stream().filter(s -> s.header().ack() == hole && s.payload() == 0)
                .filter(s -> s.time() + 5 * MS <= rtx.get(1).time()).count();
        assertEquals(4, dupacks, "the first ACK for the hole and three duplicates\n" + p.trace());
        assertEquals(1, p.a.mib(TcpMib.TCP_RENO_RECOVERY));
        assertEquals(0, p.a.mib(TcpMib.TCP_SACK_RECOVERY));
        assertEquals(1, p.a.mib(TcpMib.TCP_FAST_RETRANS));
        assertEquals(1, p.a.mib(TcpMib.RETRANS_SEGS));
        assertEquals(0, p.a.mib(TcpMib.TCP_TIMEOUTS));
    }

    @Test
    void aPartialAckRetransmitsTheNextHoleWithoutAnRto() {
        TcpPair p = pair(3);
        int[] n = {0};
        p.a.link.drop = s -> s.payload() > 0 && (++n[0] == 30 || n[0] == 34);
        TcpPair.Flow f = p.new Flow(5201, 200 * 1448);
        assertTrue(p.runUntil(f::done, 10 * S), "transfer finished");
        List<TcpPair.Sent> d = data(p);
        long first = d.get(29).header().seq(), second = d.get(33).header().seq();
        TcpPair.Sent r1 = d.stream().filter(s -> s.header().seq() == first).skip(1).findFirst().orElseThrow();
        TcpPair.Sent r2 = d.stream().filter(s -> s.header().seq() == second).skip(1).findFirst().orElseThrow();
        // the ACK of the first retransmission is partial (it stops at the second hole): NewReno sends the second
        // one RTT later, with no timeout
        assertTrue(r2.time() - r1.time() >= 10 * MS && r2.time() - r1.time() < 15 * MS,
                (r2.time() - r1.time()) / 1e6 + " ms\n" + p.trace());
        assertEquals(1, p.a.mib(TcpMib.TCP_RENO_RECOVERY), "one recovery episode for both holes");
        assertEquals(2, p.a.mib(TcpMib.RETRANS_SEGS));
        assertEquals(0, p.a.mib(TcpMib.TCP_TIMEOUTS));
    }
}
