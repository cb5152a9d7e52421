package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.link.pcap.CaptureRecord;
import knetsim.node.app.UdpSender;
import knetsim.node.app.UdpSink;
import knetsim.node.socket.Sock;
import org.junit.jupiter.api.Test;

/** The UDP sender's socket keys (bind, connected, ttl, tos, pmtudisc, recverr), count and bursts; a sink that starts late. */
class UdpSenderKeysTest {
    static List<CaptureRecord> udpFrom(SequentialEngine.Result run, String device) {
        return PingTest.capture(run, device).stream()
                .filter(r -> r.frame()[12] == 0x08 && r.frame()[13] == 0x00 && r.frame()[23] == 17).toList();
    }

    static UdpSender sender(UdpSender.Socket socket, long count, int burst, long interval) {
        return new UdpSender(new UdpSender.Options(TestNet.IP_B, 5001, 8_000_000, 100, 0, SimTime.SECOND, false, socket,
                count, burst, interval));
    }

    @Test
    void anUnconnectedBoundSenderSendsItsBurstsWithItsIpOptions() {
        // sendto() on a socket bound to 10.0.0.1:6000, TTL 7, TOS 0x10, IP_PMTUDISC_DONT; 6 datagrams in bursts of 3, 100 ms apart
        var socket = new UdpSender.Socket(TestNet.IP_A, 6000, false, 7, 0x10, Sock.PMTUDISC_DONT, false);
        UdpSender sender = sender(socket, 6, 3, 100 * SimTime.MILLISECOND);
        UdpSink sink = new UdpSink(new UdpSink.Options(5001, 0, 0, SimTime.SECOND));
        TestNet net = TestNet.lan().a(sender).b(sink).build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        List<CaptureRecord> out = udpFrom(run, "a.eth0");
        assertEquals(6, out.size(), "count = 6");
        for (CaptureRecord r : out) {
            byte[] f = r.frame();
            assertEquals(6000, ((f[34] & 0xff) << 8) | (f[35] & 0xff), "the bound source port");
            assertEquals(TestNet.IP_A.bits(), knetsim.node.ipv4.Ipv4Address.read(f, 26).bits());
            assertEquals(7, f[22] & 0xff, "IP_TTL");
            assertEquals(0x10, f[15] & 0xff, "IP_TOS");
            assertEquals(0, f[20] & 0x40, "IP_PMTUDISC_DONT: no DF, although the datagram fits");
        }
        // back to back within a burst (one sendto() round trip apart; the first burst also waited for ARP), the
        // next burst 100 ms after the first began
        long gap = out.get(4).timeNs() - out.get(3).timeNs();
        assertEquals(TestNet.SYSCALL_COST + TestNet.SYSCALL_RETURN, gap, "within a burst");
        long second = out.get(3).timeNs() - 100 * SimTime.MILLISECOND;
        assertTrue(second > 0 && second < 10 * SimTime.MICROSECOND, "the second burst at 100 ms + " + second);
        assertEquals(6, sink.report(0).get(0).packets());
        assertEquals("10.0.0.1:6000", sink.report(0).get(0).source());
    }

    @Test
    void pmtudiscDoSetsDfAndTheDefaultIsConnected() {
        UdpSender sender = new UdpSender(new UdpSender.Options(TestNet.IP_B, 5001, 800_000, 100, 0, SimTime.SECOND, false,
                new UdpSender.Socket(null, 0, true, -1, -1, Sock.PMTUDISC_DO, false), 3, 1, 0));
        TestNet net = TestNet.lan().a(sender).b(new UdpSink(new UdpSink.Options(5001, 0, 0, SimTime.SECOND))).build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        List<CaptureRecord> out = udpFrom(run, "a.eth0");
        assertEquals(3, out.size());
        assertEquals(0x40, out.get(0).frame()[20] & 0x40, "DF");
        assertEquals(64, out.get(0).frame()[22] & 0xff, "the default TTL");
        // 100 bytes at 800 kbit/s: 1 ms apart (the first waited for ARP)
        assertEquals(SimTime.MILLISECOND, out.get(2).timeNs() - out.get(1).timeNs(), "the rate's gap");
    }

    @Test
    void recverrMakesAnUnconnectedSocketHearThePortUnreachable() {
        // nothing listens on B's port 5001: B answers port unreachable. __udp4_lib_err() sets sk_err for an
        // unconnected socket only with IP_RECVERR, so only then do later sendto() calls fail with ECONNREFUSED
        UdpSender deaf = sender(new UdpSender.Socket(null, 0, false, -1, -1, -1, false), 5, 1, 10 * SimTime.MILLISECOND);
        SequentialEngine.run(TestNet.lan().a(deaf).build());
        assertEquals(0, deaf.failedSends());
        assertEquals(5, deaf.packets());
        UdpSender hearing = sender(new UdpSender.Socket(null, 0, false, -1, -1, -1, true), 5, 1, 10 * SimTime.MILLISECOND);
        SequentialEngine.run(TestNet.lan().a(hearing).build());
        assertTrue(hearing.failedSends() > 0, "sends after the error fail");
        assertEquals("ECONNREFUSED", hearing.firstError());
    }

    @Test
    void aSinkThatStartsLateFindsWhatQueuedMeanwhile() {
        // the sink binds at 0 and reads from 50 ms; 5 datagrams arrive before that and wait in its receive queue
        UdpSender sender = sender(UdpSender.Socket.DEFAULT, 5, 1, SimTime.MILLISECOND);
        UdpSink sink = new UdpSink(new UdpSink.Options(5001, 0, 0, SimTime.SECOND, 50 * SimTime.MILLISECOND));
        TestNet net = TestNet.lan().a(sender).b(sink).build();
        SequentialEngine.run(net);
        Host b = net.host("b");
        assertEquals(0, b.counters().get("UdpNoPorts"), "the port was bound from the start");
        assertEquals(5, sink.reads());
        assertTrue(sink.firstReadNs() >= 50 * SimTime.MILLISECOND, "first read at " + sink.firstReadNs());
    }
}
