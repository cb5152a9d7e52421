package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.node.app.UdpSender;
import knetsim.node.app.UdpSink;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.Syscall;
import org.junit.jupiter.api.Test;

/** UDP's receive side as the kernel runs it: ports, ICMP port unreachable, sk_rcvbuf, waking the reader. */
class UdpTest {
    @Test
    void aClosedPortAnswersPortUnreachableWithinTheIcmpRateLimit() {
        // ten datagrams 100 us apart from port 40000 to a port nobody bound, on an unconnected
        // socket (a connected one would get ECONNREFUSED and skip sends: see SocketTest)
        List<Object> steps = new ArrayList<>(List.of(new Syscall.Socket(Syscall.Protocol.UDP),
                new Syscall.Bind(3, Ipv4Address.ANY, 40000)));
        for (int i = 0; i < 10; i++) {
            steps.add(new Script.At(i * 100_000L));
            steps.add(new Syscall.SendTo(3, TestNet.IP_B, 9999, new byte[100], false));
        }
        Script sender = new Script(steps);
        TestNet net = TestNet.lan().a(sender).build();
        SequentialEngine.run(net);
        Host a = net.host("a");
        Host b = net.host("b");
        assertEquals(10, a.counters().get("UdpOutDatagrams"));
        assertEquals(10, b.counters().get("UdpNoPorts"));
        assertEquals(10, b.counters().get("drop_NO_SOCKET"));
        // icmp_ratelimit: a burst of 6 per destination, then one per second; the rest are counted
        assertEquals(6, b.counters().get("IcmpOutDestUnreachs"));
        assertEquals(4, b.counters().get("IcmpOutRateLimitHost"));
        assertEquals(6, a.counters().get("IcmpInDestUnreachs"));
        // an unconnected socket without IP_RECVERR hears nothing of them: every send succeeded
        for (int i = 2; i < 12; i++) assertEquals(Script.ok(100), sender.result(i));
    }

    @Test
    void icmpErrorsGoWithInternetControlPrecedenceAndTheDatagramsTosBits() {
        // IP_TOS 0x10 (low delay) on the datagram; icmp_send() answers with (tos & 0x1e) | 0xc0
        Script sender = new Script(List.of(new Syscall.Socket(Syscall.Protocol.UDP),
                new Syscall.SetSockOpt(3, Syscall.Option.IP_TOS, 0x10),
                new Syscall.SendTo(3, TestNet.IP_B, 9999, new byte[100], false)));
        TestNet net = TestNet.lan().a(sender).build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        List<Integer> udpTos = new ArrayList<>(), icmpTos = new ArrayList<>();
        for (var r : PingTest.capture(run, "b.eth0")) {
            byte[] f = r.frame();
            if (f[12] != 0x08 || f[13] != 0x00) continue;
            if (f[23] == 17) udpTos.add(f[15] & 0xff);
            if (f[23] == 1) icmpTos.add(f[15] & 0xff);
        }
        assertEquals(List.of(0x10), udpTos, "the socket's TOS is on its datagram");
        assertEquals(List.of(0xd0), icmpTos, "the port unreachable: IPTOS_PREC_INTERNETCONTROL | RT_TOS(0x10)");
    }

    @Test
    void aSlowReaderOverflowsTheReceiveBufferAndEveryLossIsCounted() {
        // 50 datagrams of 100 bytes 10 us apart (80 Mbit/s from 0 to 500 us)
        var sender = new UdpSender(new UdpSender.Options(TestNet.IP_B, 5001, 80_000_000L, 100, 0, 500_000, false));
        // SO_RCVBUF 2000, doubled by the kernel: the 4000-byte sk_rcvbuf the old test set; 100 us per read
        var sink = new UdpSink(new UdpSink.Options(5001, 2_000, 100_000, SimTime.MILLISECOND));
        TestNet net = TestNet.lan().a(sender).b(sink).build();
        SequentialEngine.run(net);
        Host a = net.host("a");
        Host b = net.host("b");
        assertEquals(50, a.counters().get("UdpOutDatagrams"));
        assertEquals(50, sender.packets());
        long lost = b.counters().get("UdpRcvbufErrors");
        long read = b.counters().get("UdpInDatagrams");
        assertTrue(lost > 0, "the buffer must overflow");
        assertEquals(50, lost + read, "every datagram is either read or counted as a receive-buffer error");
        assertEquals(lost, b.counters().get("drop_SOCKET_RCVBUFF"));
        assertEquals(lost, b.counters().get("UdpInErrors"));
        assertEquals(read, sink.reads());
        // the sink sees the losses as gaps in the sequence numbers, except those after its last read
        var flow = sink.report(0).get(0);
        assertEquals(read, flow.packets());
        assertTrue(flow.lost() > 0 && flow.lost() <= lost, "sink saw " + flow.lost() + " of " + lost);
    }

    @Test
    void aBlockedReaderWakesWhenTheDatagramArrives() {
        var sender = new UdpSender(new UdpSender.Options(TestNet.IP_B, 5001, 1_000_000L, 100, SimTime.MILLISECOND,
                SimTime.MILLISECOND + 1, false));
        var sink = new UdpSink(new UdpSink.Options(5001, 0, 2_000, SimTime.MILLISECOND));
        TestNet net = TestNet.lan().a(sender).b(sink).build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        long arrived = PingTest.capture(run, "b.eth0").stream()
                .filter(r -> r.frame()[12] == 0x08 && r.frame()[13] == 0x00 && r.frame()[23] == 17)
                .findFirst().orElseThrow().timeNs();
        // sk_data_ready() wakes the reader blocked in recvfrom() when the datagram is queued; the
        // call then returns to it after the host's syscall return cost (its 2 us read cost comes
        // after the datagram is in its hands, so it no longer delays the read time)
        assertEquals(1, sink.reads());
        assertEquals(arrived + TestNet.SYSCALL_RETURN, sink.firstReadNs());
        assertEquals(arrived + TestNet.SYSCALL_RETURN, sink.lastReadNs());
        assertEquals(1, sink.report(0).get(0).packets());
    }
}
