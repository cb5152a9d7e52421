package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import knetsim.core.engine.InMemoryScenario;
import knetsim.core.engine.SequentialEngine;
import knetsim.link.loss.NoLoss;
import org.junit.jupiter.api.Test;

/** UDP's receive side as the kernel runs it: ports, ICMP port unreachable, sk_rcvbuf, waking the reader. */
class UdpTest {
    @Test
    void aClosedPortAnswersPortUnreachableWithinTheIcmpRateLimit() {
        // ten datagrams 100 us apart to a port nobody bound
        var sender = new Host.UdpSender(0, 100_000, 10, PingTest.IP_B, 9999, 40000, 100);
        InMemoryScenario net = PingTest.twoHosts(new Host.Apps(List.of(), List.of(sender), List.of()),
                Host.Apps.pings(List.of()), List.of(), NoLoss.INSTANCE);
        SequentialEngine.run(net);
        Host a = net.lp(0);
        Host b = net.lp(5);
        assertEquals(10, a.counters().get("UdpOutDatagrams"));
        assertEquals(10, b.counters().get("UdpNoPorts"));
        assertEquals(10, b.counters().get("drop_NO_SOCKET"));
        // icmp_ratelimit: a burst of 6 per destination, then one per second; the rest are counted
        assertEquals(6, b.counters().get("IcmpOutDestUnreachs"));
        assertEquals(4, b.counters().get("IcmpOutRateLimitHost"));
        assertEquals(6, a.counters().get("IcmpInDestUnreachs"));
    }

    @Test
    void aSlowReaderOverflowsTheReceiveBufferAndEveryLossIsCounted() {
        var sender = new Host.UdpSender(0, 10_000, 50, PingTest.IP_B, 5001, 40000, 100);
        var sink = new Host.UdpSink(5001, 4_000, 100_000); // a small SO_RCVBUF, 100 us per read
        InMemoryScenario net = PingTest.twoHosts(new Host.Apps(List.of(), List.of(sender), List.of()),
                new Host.Apps(List.of(), List.of(), List.of(sink)), List.of(), NoLoss.INSTANCE);
        SequentialEngine.run(net);
        Host b = net.lp(5);
        long lost = b.counters().get("UdpRcvbufErrors");
        long read = b.counters().get("UdpInDatagrams");
        assertTrue(lost > 0, "the buffer must overflow");
        assertEquals(50, lost + read, "every datagram is either read or counted as a receive-buffer error");
        assertEquals(lost, b.counters().get("drop_SOCKET_RCVBUFF"));
        assertEquals(lost, b.counters().get("UdpInErrors"));
        assertEquals(read, b.sinkReads(5001).size());
    }

    @Test
    void aBlockedReaderWakesWhenTheDatagramArrives() {
        var sender = new Host.UdpSender(1_000_000, 0, 1, PingTest.IP_B, 5001, 40000, 100);
        var sink = new Host.UdpSink(5001, knetsim.node.udp.UdpSocket.RMEM_DEFAULT, 2_000);
        InMemoryScenario net = PingTest.twoHosts(new Host.Apps(List.of(), List.of(sender), List.of()),
                new Host.Apps(List.of(), List.of(), List.of(sink)), List.of(), NoLoss.INSTANCE);
        SequentialEngine.Result run = SequentialEngine.run(net);
        Host b = net.lp(5);
        long arrived = PingTest.capture(run, "b.eth0").stream()
                .filter(r -> r.frame()[12] == 0x08 && r.frame()[13] == 0x00 && r.frame()[23] == 17)
                .findFirst().orElseThrow().timeNs();
        assertEquals(List.of(arrived + 2_000), b.sinkReads(5001), "woken by sk_data_ready, then 2 us to read");
    }
}
