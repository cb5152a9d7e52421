package knetsim.node.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A bulk transfer over a clean path: IW 10, slow start, delayed ACKs every two segments, line-rate goodput. */
class TcpBulkTest {
    private static final long MS = 1_000_000L, S = 1_000_000_000L;

    @Test
    void cleanPathSlowStartDelayedAcksAndLineRate() {
        long rate = 100_000_000L;
        TcpPair p = new TcpPair(TcpPair.reno(), 5 * MS, rate, 1000, 7);
        long bytes = 20_000_000L;
        TcpPair.Flow f = p.new Flow(5201, bytes);
        assertTrue(p.runUntil(f::done, 10 * S), "transfer finished");
        List<TcpPair.Sent> data = p.from(p.a).stream().filter(s -> s.payload() > 0).toList();
        List<TcpPair.Sent> acks = p.from(p.b).stream().filter(s -> s.payload() == 0 && !s.has(TcpHeader.SYN)).toList();
        // the initial window: 10 segments before the first ACK can have come back
        long firstData = data.get(0).time();
        assertEquals(10, data.stream().filter(s -> s.time() < firstData + 10 * MS).count());
        // slow start: the second round trip carries 20 segments (one ACK per segment in quickack mode)
        assertEquals(20, data.stream().filter(s -> s.time() >= firstData + 10 * MS && s.time() < firstData + 20 * MS).count());
        // past the quickack phase the receiver ACKs every second full segment
        long steadyData = data.stream().filter(s -> s.time() > 200 * MS).count();
        long steadyAcks = acks.stream().filter(s -> s.time() > 200 * MS).count();
        double perAck = (double) steadyData / steadyAcks;
        assertTrue(perAck > 1.9 && perAck < 2.1, "data segments per ACK " + perAck);
        // goodput within 3% of the payload rate of the bottleneck (1448 of every 1514 bytes)
        double goodput = bytes * 8.0 / ((f.lastByteAt - data.get(0).time()) / 1e9);
        double payloadRate = rate * 1448.0 / 1514;
        assertTrue(goodput > 0.97 * payloadRate && goodput <= payloadRate * 1.001,
                "goodput " + goodput / 1e6 + " Mbit/s of " + payloadRate / 1e6);
        assertEquals(0, p.a.mib(TcpMib.TCP_TIMEOUTS), p.a.counters.snapshot().toString());
        assertTrue(f.server.rcvbuf() > 131072, "receive buffer autotuned: " + f.server.rcvbuf());
        System.out.println("bulk: goodput " + goodput / 1e6 + " retrans " + p.a.mib(TcpMib.RETRANS_SEGS) + " cwnd "
                + f.client.info(p.now).sndCwnd() + " rcvbuf " + f.server.rcvbuf() + " perAck " + perAck);
    }

    @Test
    void cubicLeavesSlowStartThroughHystartBeforeAnyLoss() {
        long rate = 100_000_000L;
        TcpPair p = new TcpPair(TcpSysctl.linuxDefaults(), 5 * MS, rate, 1000, 17);
        long bytes = 20_000_000L;
        TcpPair.Flow f = p.new Flow(5201, bytes);
        assertTrue(p.runUntil(f::done, 10 * S), "transfer finished");
        assertEquals("cubic", f.client.info(p.now).congestionControl());
        assertTrue(p.a.mib(TcpMib.TCP_HYSTART_TRAIN_DETECT) + p.a.mib(TcpMib.TCP_HYSTART_DELAY_DETECT) >= 1,
                "HyStart ended slow start");
        assertEquals(0, p.a.mib(TcpMib.RETRANS_SEGS));
        long first = p.from(p.a).stream().filter(s -> s.payload() > 0).findFirst().orElseThrow().time();
        double goodput = bytes * 8.0 / ((f.lastByteAt - first) / 1e9);
        assertTrue(goodput > 0.97 * rate * 1448.0 / 1514, "goodput " + goodput / 1e6);
        System.out.println("cubic bulk: goodput " + goodput / 1e6 + " ssthresh " + f.client.info(p.now).sndSsthresh()
                + " train " + p.a.mib(TcpMib.TCP_HYSTART_TRAIN_DETECT) + " delay " + p.a.mib(TcpMib.TCP_HYSTART_DELAY_DETECT));
    }
}
