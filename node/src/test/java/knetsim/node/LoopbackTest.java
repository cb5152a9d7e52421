package knetsim.node;

import static knetsim.node.Script.failed;
import static knetsim.node.Script.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.link.pcap.CaptureRecord;
import knetsim.node.app.Ping;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.RoutingTable;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lo and the SNMP counters as nstat shows them on Linux 6.18: a first ping, ICMP errors about our own packets
 * (host unreachable after NEIGH_FAILED) coming back through lo, and traffic to the host's own addresses.
 */
class LoopbackTest {
    static final Ipv4Address IP_A = TestNet.IP_A, IP_B = TestNet.IP_B, NOBODY = Ipv4Address.parse("10.0.0.3");
    static final Ipv4Address LOCALHOST = Ipv4Address.parse("127.0.0.1");
    static final Syscall UDP = new Syscall.Socket(Syscall.Protocol.UDP);

    @TempDir
    Path dir;

    static Syscall send(int fd, int length) {
        return new Syscall.SendTo(fd, null, 0, new byte[length], false);
    }

    static void assertCounters(Host host, Map<String, Long> expected) {
        expected.forEach((name, value) -> assertEquals(value, host.counters().get(name), host + " " + name));
    }

    @Test
    void aFirstPingCountsThreeIcmpMessagesEachWayOnBothSides() {
        TestNet.Builder lan = TestNet.lan().a(PingTest.ping(IP_B, 3, SimTime.SECOND, 56));
        TestNet net = lan.build();
        SequentialEngine.run(net);
        assertEquals(3, PingTest.pingOf(net).received());
        // nstat after ping -c 3 on a fresh LAN: ARP is not IP, so IP and ICMP see only the six ICMP messages
        assertCounters(net.host("a"), Map.ofEntries(Map.entry("IcmpOutMsgs", 3L), Map.entry("IcmpInMsgs", 3L),
                Map.entry("IcmpMsgOutType8", 3L), Map.entry("IcmpMsgInType0", 3L), Map.entry("IcmpOutEchos", 3L),
                Map.entry("IcmpInEchoReps", 3L), Map.entry("IpOutRequests", 3L), Map.entry("IpOutTransmits", 3L),
                Map.entry("IpInReceives", 3L), Map.entry("IpInDelivers", 3L), Map.entry("IpExtOutOctets", 252L),
                Map.entry("IpExtInOctets", 252L), Map.entry("IpExtInNoECTPkts", 3L), Map.entry("IcmpMsgInType8", 0L),
                Map.entry("IpOutDiscards", 0L), Map.entry("lo.tx_packets", 0L)));
        assertCounters(net.host("b"), Map.ofEntries(Map.entry("IcmpOutMsgs", 3L), Map.entry("IcmpInMsgs", 3L),
                Map.entry("IcmpMsgOutType0", 3L), Map.entry("IcmpMsgInType8", 3L), Map.entry("IcmpInEchos", 3L),
                Map.entry("IcmpOutEchoReps", 3L), Map.entry("IpOutRequests", 3L), Map.entry("IpInReceives", 3L),
                Map.entry("IpInDelivers", 3L), Map.entry("IpExtInOctets", 252L), Map.entry("IpExtOutOctets", 252L)));
    }

    /**
     * One ping and six UDP datagrams to an address on the LAN that never answers ARP. Each resolution fails after
     * three probes (3 s) and arp_error_report() makes icmp_send() a host unreachable for every packet that waited:
     * 1 + 5 + 1 = 7, each sent to ourselves through lo (no per-destination limit on lo, so all 7 go, where the
     * burst of 6 would stop the seventh). The sender's nstat: Out = 1 echo + 6 UDP + 7 errors = 14 IP requests,
     * 8 ICMP messages; In = the 7 errors.
     */
    @Test
    void hostUnreachablesAboutOurOwnPacketsComeBackThroughLo() throws Exception {
        Script udp = new Script(UDP, new Syscall.SetSockOpt(3, Syscall.Option.IP_RECVERR, 1),
                new Syscall.Connect(3, NOBODY, 9),
                new Script.At(4 * SimTime.SECOND), send(3, 100), send(3, 100), send(3, 100), send(3, 100), send(3, 100),
                new Script.At(8 * SimTime.SECOND), UDP, new Syscall.Connect(4, NOBODY, 9), send(4, 100),
                new Script.At(12 * SimTime.SECOND), new Syscall.RecvError(3), new Syscall.RecvError(3),
                new Syscall.GetSockOpt(4, Syscall.Option.SO_ERROR));
        TestNet.Builder lan = TestNet.lan().a(PingTest.ping(NOBODY, 1, SimTime.SECOND, 56), udp);
        lan.spec("a").captureLo(true);
        lan.spec("b").captureLo(true);
        TestNet net = lan.build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        Host a = net.host("a");
        assertEquals(List.of("From 10.0.0.1 icmp_seq=1 Destination Host Unreachable"),
                PingTest.errorLines(PingTest.pingOf(net)));
        assertCounters(a, Map.ofEntries(Map.entry("IcmpInMsgs", 7L), Map.entry("IpInReceives", 7L),
                Map.entry("IpInDelivers", 7L), Map.entry("IcmpOutMsgs", 8L), Map.entry("IpOutRequests", 14L),
                Map.entry("IcmpOutDestUnreachs", 7L), Map.entry("IcmpInDestUnreachs", 7L),
                Map.entry("UdpOutDatagrams", 6L), Map.entry("IcmpMsgOutType3", 7L), Map.entry("IcmpMsgOutType8", 1L),
                Map.entry("IcmpMsgInType3", 7L), Map.entry("drop_NEIGH_FAILED", 7L), Map.entry("IpOutTransmits", 14L),
                Map.entry("IcmpOutRateLimitHost", 0L), Map.entry("IcmpOutRateLimitGlobal", 0L)));
        // an error quotes the whole datagram: 20 + 8 + 84 for the echo request, 20 + 8 + 128 for each UDP one
        long errors = 112 + 6 * 156;
        assertCounters(a, Map.of("IpExtInOctets", errors, "IpExtOutOctets", 84 + 6 * 128 + errors,
                "lo.tx_packets", 7L, "lo.rx_packets", 7L, "lo.tx_bytes", errors, "lo.rx_bytes", errors));
        // the socket with IP_RECVERR has the errors on its error queue, from our own address; the other one ignored
        // its soft error: nothing pending
        var first = (SyscallResult.ErrorReceived) udp.result(11);
        assertEquals(List.of(Errno.EHOSTUNREACH, 3, 1, IP_A), List.of(first.errno(), first.icmpType(), first.icmpCode(),
                first.offender()));
        assertTrue(udp.result(12) instanceof SyscallResult.ErrorReceived);
        assertEquals(ok(0), udp.result(13));
        // tcpdump -i lo: Ethernet with zero addresses, each error once (libpcap skips lo's outgoing copy)
        List<CaptureRecord> lo = PingTest.capture(run, "a.lo");
        assertEquals(7, lo.size());
        for (CaptureRecord r : lo) {
            assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0}, java.util.Arrays.copyOf(r.frame(), 14));
            assertEquals(Ipv4Address.read(r.frame(), 26), IP_A);
            assertEquals(Ipv4Address.read(r.frame(), 30), IP_A);
        }
        List<String> info = Tshark.check(run, "a.lo", dir);
        assertTrue(info.stream().allMatch(l -> l.contains("Destination unreachable (Host unreachable)")), info.toString());
    }

    @Test
    void aSendRefusedWithAPendingErrorCountsIpOutDiscards() {
        Script udp = new Script(UDP, new Syscall.SetSockOpt(3, Syscall.Option.IP_RECVERR, 1),
                new Syscall.Connect(3, NOBODY, 9), send(3, 100),
                new Script.At(4 * SimTime.SECOND), send(3, 100), send(3, 100));
        TestNet net = TestNet.lan().a(udp).build();
        SequentialEngine.run(net);
        // __ip_append_data(): sock_alloc_send_skb() returns sk_err (the host unreachable), counted at "error:"
        assertEquals(failed(Errno.EHOSTUNREACH), udp.result(4));
        assertEquals(ok(100), udp.result(5));
        // two datagrams and the two host unreachables their failed resolutions made
        assertCounters(net.host("a"), Map.of("IpOutDiscards", 1L, "IpOutRequests", 4L, "UdpOutDatagrams", 2L));
    }

    @Test
    void datagramsToOurOwnAddressesAreDeliveredThroughLo() throws Exception {
        byte[] hello = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Script s = new Script(UDP, new Syscall.Bind(3, Ipv4Address.ANY, 5000), UDP,
                new Syscall.SendTo(4, IP_A, 5000, hello, false), new Syscall.RecvFrom(3, false),
                new Syscall.SendTo(4, LOCALHOST, 5000, hello, false), new Syscall.RecvFrom(3, false),
                UDP, new Syscall.Connect(5, IP_A, 5001), new Syscall.GetSockName(5), send(5, 10),
                new Script.At(SimTime.MILLISECOND), send(5, 10), UDP, new Syscall.Bind(6, LOCALHOST, 6000));
        TestNet.Builder lan = TestNet.lan().a(s, PingTest.ping(IP_A, 2, SimTime.SECOND, 56));
        lan.spec("a").captureLo(true);
        lan.spec("b").captureLo(true);
        TestNet net = lan.build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        var got = (SyscallResult.Received) s.result(4);
        assertEquals(IP_A, got.source(), "sent from the address it went to (the local route's src)");
        assertArrayEquals(hello, got.data());
        assertEquals(LOCALHOST, ((SyscallResult.Received) s.result(6)).source());
        assertEquals(new SyscallResult.SockName(IP_A, ((SyscallResult.SockName) s.result(9)).port()), s.result(9));
        assertEquals(ok(10), s.result(10));
        // the port unreachable came back through lo: the connected socket's next send is refused
        assertEquals(failed(Errno.ECONNREFUSED), s.result(11));
        assertEquals(ok(0), s.result(13), "127.0.0.1 is a local address (inet_addr_type() RTN_LOCAL)");
        Ping ping = (Ping) net.process("a", "app-1").application();
        assertEquals(2, ping.received(), "ping 10.0.0.1 from 10.0.0.1");
        Host a = net.host("a");
        // nothing went on the wire: no ARP, no frame
        assertEquals(0, PingTest.capture(run, "a.eth0").size());
        // 3 datagrams, the port unreachable, 2 echo requests and 2 replies
        assertCounters(a, Map.of("lo.tx_packets", 8L, "lo.rx_packets", 8L, "IpInReceives", 8L, "IpOutRequests", 8L,
                "IcmpOutMsgs", 5L, "IcmpInMsgs", 5L, "UdpNoPorts", 1L, "IcmpOutDestUnreachs", 1L));
        List<String> info = Tshark.check(run, "a.lo", dir);
        assertEquals(8, info.size());
        assertEquals(List.of(
                "local 10.0.0.1 dev eth0 proto kernel scope host src 10.0.0.1",
                "broadcast 10.0.0.255 dev eth0 proto kernel scope link src 10.0.0.1",
                "local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1",
                "local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1",
                "broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1"),
                a.stack().routes(RoutingTable.Table.LOCAL).stream().map(Object::toString).toList());
    }
}
