package knetsim.node;

import static knetsim.node.Script.failed;
import static knetsim.node.Script.ok;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.pcap.CaptureRecord;
import knetsim.node.app.UdpEcho;
import knetsim.node.app.UdpSink;
import knetsim.node.inet.Inet;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.Errno;
import knetsim.node.socket.Sock;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;
import knetsim.node.udp.UdpSocketTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket system calls as a program sees them on Linux: bind, errors, blocking, epoll, send memory. */
class SocketTest {
    static final Ipv4Address ANY = Ipv4Address.ANY, IP_A = TestNet.IP_A, IP_B = TestNet.IP_B;
    static final Syscall UDP = new Syscall.Socket(Syscall.Protocol.UDP);

    @TempDir
    Path dir;

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static Syscall sendTo(int fd, Ipv4Address to, int port, byte[] data) {
        return new Syscall.SendTo(fd, to, port, data, false);
    }

    /** Frames of {@code device}'s capture sent by {@code mac} carrying IPv4 of {@code protocol}. */
    static List<CaptureRecord> ipFrom(SequentialEngine.Result run, String device, MacAddress mac, int protocol) {
        return PingTest.capture(run, device).stream().filter(r -> r.frame()[12] == 0x08 && r.frame()[13] == 0x00
                && (r.frame()[23] & 0xff) == protocol && MacAddress.read(r.frame(), 6).equals(mac)).toList();
    }

    static boolean ephemeral(int port) {
        return port >= UdpSocketTable.EPHEMERAL_LOW && port <= UdpSocketTable.EPHEMERAL_HIGH;
    }

    @Test
    void bindToATakenPortFailsAndPortZeroOrAnUnboundSendtoPicksAnEphemeralPort() {
        Script s = new Script(UDP, new Syscall.Bind(3, ANY, 5000), UDP, new Syscall.Bind(4, ANY, 5000),
                new Syscall.Bind(4, IP_A, 5000), new Syscall.Bind(4, ANY, 0), new Syscall.GetSockName(4),
                UDP, new Syscall.GetSockName(5), sendTo(5, IP_B, 7777, bytes("hi")), new Syscall.GetSockName(5),
                new Syscall.Close(3), new Syscall.Bind(6, ANY, 1), UDP, new Syscall.Bind(3, IP_A, 5000));
        TestNet net = TestNet.lan().a(s).build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        assertEquals(ok(3), s.result(0));
        assertEquals(ok(0), s.result(1));
        assertEquals(ok(4), s.result(2));
        assertEquals(failed(Errno.EADDRINUSE), s.result(3));
        assertEquals(failed(Errno.EADDRINUSE), s.result(4), "a specific address overlaps the wildcard");
        assertEquals(ok(0), s.result(5));
        var first = (SyscallResult.SockName) s.result(6);
        assertTrue(ephemeral(first.port()), "bind(0) gave " + first.port());
        assertEquals(new SyscallResult.SockName(ANY, 0), s.result(8), "not bound before the first send");
        assertEquals(ok(2), s.result(9));
        var second = (SyscallResult.SockName) s.result(10);
        assertTrue(ephemeral(second.port()), "autobind gave " + second.port());
        assertNotEquals(first.port(), second.port());
        // the datagram left from that port
        byte[] f = ipFrom(run, "b.eth0", TestNet.MAC_A, 17).get(0).frame();
        assertEquals(second.port(), ((f[34] & 0xff) << 8) | (f[35] & 0xff));
        assertEquals(ok(0), s.result(11));
        assertEquals(failed(Errno.EBADF), s.result(12), "fd 6 was never opened");
        assertEquals(ok(3), s.result(13), "the lowest free descriptor again");
        assertEquals(ok(0), s.result(14), "close() freed port 5000");
    }

    @Test
    void aConnectedSocketHearsPortUnreachableOnceAsEconnrefusedAndAnUnconnectedOneDoesNot() throws Exception {
        byte[] data = new byte[20];
        Syscall send = sendTo(3, null, 0, data);
        Script s = new Script(UDP, new Syscall.Connect(3, IP_B, 9999), send,
                new Script.At(10 * SimTime.MILLISECOND), send, send,
                new Script.At(20 * SimTime.MILLISECOND), new Syscall.RecvFrom(3, true), new Syscall.RecvFrom(3, true),
                new Script.At(30 * SimTime.MILLISECOND), UDP, sendTo(4, IP_B, 9999, data),
                new Script.At(40 * SimTime.MILLISECOND), sendTo(4, IP_B, 9999, data), new Syscall.RecvFrom(4, true));
        TestNet net = TestNet.lan().a(s).build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        assertEquals(ok(0), s.result(1));
        assertEquals(ok(20), s.result(2));
        // the port unreachable for the first datagram came back long before 10 ms: sk_err
        assertEquals(failed(Errno.ECONNREFUSED), s.result(3), "the pending error, once");
        assertEquals(ok(20), s.result(4), "then sending works again");
        // the second datagram got its own port unreachable, which recvfrom() reports, once
        assertEquals(failed(Errno.ECONNREFUSED), s.result(5));
        assertEquals(failed(Errno.EAGAIN), s.result(6));
        assertEquals(ok(4), s.result(7));
        assertEquals(ok(20), s.result(8));
        assertEquals(ok(20), s.result(9), "an unconnected socket is not told (no IP_RECVERR)");
        assertEquals(failed(Errno.EAGAIN), s.result(10));
        Host a = net.host("a"), b = net.host("b");
        assertEquals(4, a.counters().get("UdpOutDatagrams"), "the refused send sent nothing");
        assertEquals(1, a.counters().get("IpOutDiscards"), "the send refused with the pending error");
        assertEquals(4, b.counters().get("UdpNoPorts"));
        assertEquals(4, b.counters().get("IcmpOutDestUnreachs"));
        assertEquals(4, a.counters().get("IcmpInDestUnreachs"));
        List<CaptureRecord> unreachables = ipFrom(run, "a.eth0", TestNet.MAC_B, 1);
        assertEquals(4, unreachables.size());
        assertTrue(unreachables.stream().allMatch(r -> r.frame()[34] == 3 && r.frame()[35] == 3), "port unreachable");
        assertTrue(Tshark.check(run, "a.eth0", dir).stream().filter(l -> l.contains("Destination unreachable (Port unreachable)"))
                .count() == 4);
    }

    @Test
    void recvfromOnAnEmptySocketIsEagainOrBlocksUntilTheDatagramArrives() {
        Script b = new Script(UDP, new Syscall.Bind(3, ANY, 5001), new Syscall.RecvFrom(3, true),
                new Syscall.RecvFrom(3, false));
        Script a = new Script(new Script.At(SimTime.MILLISECOND), UDP, sendTo(3, IP_B, 5001, bytes("hello")),
                new Syscall.GetSockName(3));
        TestNet net = TestNet.lan().a(a).b(b).build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        assertEquals(failed(Errno.EAGAIN), b.result(2));
        long arrived = ipFrom(run, "b.eth0", TestNet.MAC_A, 17).get(0).timeNs();
        var received = (SyscallResult.Received) b.result(3);
        assertEquals(arrived, received.kernelTimeNs());
        assertEquals(arrived + TestNet.SYSCALL_RETURN, b.get(3).returnedAt(), "woken at the arrival, back after the return cost");
        assertTrue(b.get(3).calledAt() < SimTime.MILLISECOND, "it had blocked since before the send");
        assertArrayEquals(bytes("hello"), received.data());
        assertEquals(IP_A, received.source());
        assertEquals(((SyscallResult.SockName) a.result(2)).port(), received.port());
        assertEquals(64, received.ttl());
    }

    @Test
    void aWriterBlockedOnSendMemoryIsWokenBySkErrAndGetsTheError() {
        // a connected socket to a closed port on a 1 Mbit/s link: the sends fill the buffer, the
        // third blocks; port unreachable for the first datagram sets sk_err = ECONNREFUSED, and
        // sock_wait_for_wmem() returns on it long before the buffer has half drained
        long rate = 1_000_000;
        int size = 1000;
        int truesize = Inet.truesizeOfPacket(20 + 8 + size);
        int fit = (Sock.SOCK_MIN_SNDBUF + truesize - 1) / truesize;
        List<Object> steps = new ArrayList<>(List.of(UDP, new Syscall.SetSockOpt(3, Syscall.Option.SO_SNDBUF, 1),
                new Syscall.Connect(3, IP_B, 9999)));
        for (int i = 0; i < fit + 1; i++) steps.add(new Syscall.SendTo(3, null, 0, new byte[size], false));
        Script s = new Script(steps);
        TestNet.Builder lan = TestNet.lan().a(s);
        lan.cableOf("a.eth0").rate(rate);
        TestNet net = lan.build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        for (int i = 0; i < fit; i++) assertEquals(ok(size), s.result(3 + i), "send " + i);
        var blocked = s.get(3 + fit);
        assertEquals(failed(Errno.ECONNREFUSED), blocked.result());
        long error = PingTest.capture(run, "a.eth0").stream().filter(r -> r.frame()[23] == 1).findFirst().orElseThrow()
                .timeNs();
        // the buffer is half free only once the second datagram has left, over 3 ms after the error
        assertTrue(blocked.returnedAt() > error && blocked.returnedAt() < error + SimTime.MILLISECOND,
                "woken by the error at " + error + ": " + blocked);
    }

    @Test
    void aPendingErrorComesAfterTheRouteLookupAsUdpSendmsgDoesIt() {
        // udp_sendmsg(): no route is ENETUNREACH and leaves sk_err; the next send gets sk_err
        Script s = new Script(UDP, new Syscall.Connect(3, IP_B, 9999), new Syscall.SendTo(3, null, 0, bytes("x"), false),
                new Script.At(SimTime.MILLISECOND), sendTo(3, Ipv4Address.parse("192.168.9.9"), 7, bytes("y")),
                sendTo(3, IP_B, 9999, bytes("z")), sendTo(3, IP_B, 9999, bytes("z")));
        TestNet net = TestNet.lan().a(s).build();
        SequentialEngine.run(net);
        assertEquals(ok(1), s.result(2));
        assertEquals(failed(Errno.ENETUNREACH), s.result(3));
        assertEquals(failed(Errno.ECONNREFUSED), s.result(4));
        assertEquals(ok(1), s.result(5), "reported once");
    }

    @Test
    void bindToAnAddressThatIsNotLocalIsEaddrnotavailAndSendtoPortZeroIsEinval() {
        // __inet_bind(): inet_addr_type() must be local, broadcast or multicast (ip_nonlocal_bind 0)
        Script s = new Script(UDP, new Syscall.Bind(3, IP_B, 5000), new Syscall.Bind(3, Ipv4Address.parse("10.0.0.255"), 5000),
                UDP, new Syscall.Bind(4, IP_A, 5000), sendTo(4, IP_B, 0, bytes("x")));
        TestNet net = TestNet.lan().a(s).build();
        SequentialEngine.run(net);
        assertEquals(failed(Errno.EADDRNOTAVAIL), s.result(1), "B's address is not ours");
        assertEquals(ok(0), s.result(2), "the subnet's broadcast address may be bound");
        assertEquals(ok(0), s.result(4));
        assertEquals(failed(Errno.EINVAL), s.result(5), "udp_sendmsg(): destination port 0");
        assertEquals(0, net.host("a").counters().get("UdpOutDatagrams"));
    }

    @Test
    void aFullSendBufferGivesEagainOrBlocksUntilHalfIsFreeAgain() {
        long rate = 1_000_000; // 1 Mbit/s: each 1042-byte frame is on the wire for over 8 ms
        int size = 1000;
        int truesize = Inet.truesizeOfPacket(20 + 8 + size);
        int sndbuf = knetsim.node.socket.Sock.SOCK_MIN_SNDBUF; // SO_SNDBUF 1: the minimum, 4608
        int fit = (sndbuf + truesize - 1) / truesize; // sends succeed while sk_wmem_alloc < sk_sndbuf
        List<Object> steps = new ArrayList<>(List.of(UDP, new Syscall.SetSockOpt(3, Syscall.Option.SO_SNDBUF, 1),
                sendTo(3, IP_B, 5001, new byte[size]), new Script.At(200 * SimTime.MILLISECOND)));
        for (int i = 0; i < fit + 1; i++) steps.add(new Syscall.SendTo(3, IP_B, 5001, new byte[size], true));
        steps.add(sendTo(3, IP_B, 5001, new byte[size]));
        Script s = new Script(steps);
        UdpSink sink = new UdpSink(new UdpSink.Options(5001, 0, 0, SimTime.SECOND));
        TestNet.Builder lan = TestNet.lan().a(s).b(sink);
        lan.cableOf("a.eth0").rate(rate);
        TestNet net = lan.build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        for (int i = 0; i < fit; i++) assertEquals(ok(size), s.result(3 + i), "send " + i);
        assertEquals(failed(Errno.EAGAIN), s.result(3 + fit), "non-blocking with " + fit + " x " + truesize + " charged");
        var blocked = s.get(4 + fit);
        assertEquals(ok(size), blocked.result());
        // sk_write_space() wakes the writer once sk_wmem_alloc < sk_sndbuf / 2: after k tx completions
        int k = 0;
        while ((long) (fit - k) * truesize >= sndbuf / 2) k++;
        long burst = ipFrom(run, "a.eth0", TestNet.MAC_A, 17).get(1).timeNs(); // the first frame of the burst starts
        long frameTime = (14 + 20 + 8 + size) * 8L * SimTime.SECOND / rate;
        assertTrue(blocked.returnedAt() >= burst + k * frameTime, "not before " + k + " frames left: " + blocked);
        assertTrue(blocked.returnedAt() < burst + (k + 1) * frameTime, "soon after the " + k + "th left: " + blocked);
        assertEquals(fit + 2, sink.reads(), "everything sent arrived");
        assertEquals(fit + 2, net.host("a").counters().get("UdpOutDatagrams"));
    }

    @Test
    void epollReportsInputOnlyWhenDataArrivedTimesOutExactlyAndReportsOutput() {
        int in = Syscall.EPOLLIN, out = Syscall.EPOLLOUT;
        Script b = new Script(UDP, new Syscall.Bind(3, ANY, 5001), new Syscall.EpollCreate(),
                new Syscall.EpollCtl(4, Syscall.EpollOp.ADD, 3, in), new Syscall.EpollWait(4, 8, 0),
                new Syscall.EpollWait(4, 8, 5 * SimTime.MILLISECOND), new Syscall.EpollWait(4, 8, -1),
                new Syscall.EpollCtl(4, Syscall.EpollOp.MOD, 3, in | out), new Syscall.EpollWait(4, 8, -1),
                new Syscall.RecvFrom(3, true), new Syscall.EpollWait(4, 8, 0),
                new Syscall.EpollCtl(4, Syscall.EpollOp.ADD, 3, in));
        Script a = new Script(new Script.At(10 * SimTime.MILLISECOND), UDP, sendTo(3, IP_B, 5001, bytes("x")));
        TestNet net = TestNet.lan().a(a).b(b).build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        assertEquals(ok(4), b.result(2));
        assertEquals(ok(0), b.result(3));
        assertReady(b.result(4), new int[0], new int[0]);
        assertEquals(TestNet.SYSCALL_COST + TestNet.SYSCALL_RETURN, b.get(4).returnedAt() - b.get(4).calledAt(), "timeout 0 never waits");
        assertReady(b.result(5), new int[0], new int[0]);
        // the timeout runs from the kernel's now: entry, 5 ms, return
        assertEquals(b.get(5).calledAt() + TestNet.SYSCALL_COST + 5 * SimTime.MILLISECOND + TestNet.SYSCALL_RETURN,
                b.get(5).returnedAt());
        long arrived = ipFrom(run, "b.eth0", TestNet.MAC_A, 17).get(0).timeNs();
        assertReady(b.result(6), new int[] {3}, new int[] {in});
        assertEquals(arrived + TestNet.SYSCALL_RETURN, b.get(6).returnedAt());
        assertReady(b.result(8), new int[] {3}, new int[] {in | out});
        assertTrue(b.result(9) instanceof SyscallResult.Received);
        assertReady(b.result(10), new int[] {3}, new int[] {out});
        assertEquals(failed(17), b.result(11), "EEXIST");
    }

    static void assertReady(SyscallResult result, int[] fds, int[] events) {
        var ready = (SyscallResult.Ready) result;
        assertArrayEquals(fds, ready.fds());
        assertArrayEquals(events, ready.events());
    }

    @Test
    void a4000ByteDatagramLeavesAsThreeFragmentsAndArrivesWhole() throws Exception {
        Script a = new Script(UDP, sendTo(3, IP_B, 5001, new byte[4000]));
        UdpSink sink = new UdpSink(new UdpSink.Options(5001, 0, 0, SimTime.SECOND));
        TestNet net = TestNet.lan().a(a).b(sink).build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        assertEquals(ok(4000), a.result(1));
        // 4008 bytes of UDP in 1480 + 1480 + 1048
        assertEquals(List.of(1514, 1514, 1082),
                ipFrom(run, "a.eth0", TestNet.MAC_A, 17).stream().map(r -> r.frame().length).toList());
        assertEquals(3, net.host("a").counters().get("IpFragCreates"));
        assertEquals(1, net.host("b").counters().get("IpReasmOKs"));
        var flow = sink.report(0).get(0);
        assertEquals(1, flow.packets());
        assertEquals(4000, flow.bytes());
        List<String> info = Tshark.check(run, "a.eth0", dir);
        assertEquals(5, info.size(), "ARP request, reply and three fragments: " + info);
    }

    @Test
    void pmtudiscDontNeverSetsDfAndWantSetsItOnlyWhenTheDatagramFits() throws Exception {
        // __ip_make_skb(): DF for IP_PMTUDISC_WANT when it fits the path MTU, never for IP_PMTUDISC_DONT
        Script a = new Script(UDP, sendTo(3, IP_B, 5001, bytes("want")),
                new Syscall.SetSockOpt(3, Syscall.Option.IP_MTU_DISCOVER, Sock.PMTUDISC_DONT),
                sendTo(3, IP_B, 5001, bytes("dont")));
        TestNet net = TestNet.lan().a(a).b(new UdpSink(new UdpSink.Options(5001, 0, 0, SimTime.SECOND))).build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        List<CaptureRecord> sent = ipFrom(run, "a.eth0", TestNet.MAC_A, 17);
        assertEquals(2, sent.size());
        assertEquals(0x40, sent.get(0).frame()[20] & 0x40, "PMTUDISC_WANT: DF");
        assertEquals(0, sent.get(1).frame()[20] & 0x40, "PMTUDISC_DONT: no DF");
        Tshark.check(run, "a.eth0", dir);
    }

    @Test
    void withPmtudiscDoATooLargeDatagramIsEmsgsizeAndNothingIsSent() {
        Script a = new Script(UDP, new Syscall.SetSockOpt(3, Syscall.Option.IP_MTU_DISCOVER, 2),
                sendTo(3, IP_B, 5001, new byte[4000]), sendTo(3, IP_B, 5001, new byte[1472]));
        TestNet net = TestNet.lan().a(a).build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        assertEquals(failed(Errno.EMSGSIZE), a.result(2));
        assertEquals(ok(1472), a.result(3), "1500 bytes of IP fit");
        List<CaptureRecord> sent = ipFrom(run, "a.eth0", TestNet.MAC_A, 17);
        assertEquals(1, sent.size(), "only the datagram that fits");
        assertEquals(1514, sent.get(0).frame().length);
        assertEquals(0x40, sent.get(0).frame()[20] & 0x40, "sent with DF");
        assertEquals(1, net.host("a").counters().get("UdpOutDatagrams"));
        assertEquals(0, net.host("a").counters().get("IpFragCreates"));
    }

    @Test
    void aPingToANeighbourThatNeverAnswersReadsHostUnreachableFromItsErrorQueue() {
        Ipv4Address nobody = Ipv4Address.parse("10.0.0.3");
        byte[] echo = new byte[8 + 56];
        echo[0] = 8;
        echo[7] = 1; // sequence 1
        Script a = new Script(new Syscall.Socket(Syscall.Protocol.ICMP),
                new Syscall.SetSockOpt(3, Syscall.Option.IP_RECVERR, 1), sendTo(3, nobody, 0, echo),
                new Syscall.GetSockName(3), new Syscall.RecvError(3), new Script.At(5 * SimTime.SECOND),
                new Syscall.RecvError(3), new Syscall.RecvError(3), new Syscall.RecvFrom(3, true));
        TestNet net = TestNet.lan().a(a).build();
        SequentialEngine.run(net);
        assertEquals(ok(64), a.result(2));
        assertEquals(new SyscallResult.SockName(ANY, 1), a.result(3), "the first ping socket's ident is 1");
        assertEquals(failed(Errno.EAGAIN), a.result(4), "nothing yet");
        var error = (SyscallResult.ErrorReceived) a.result(5); // At steps are not calls: 5 is the first after it
        assertEquals(Errno.EHOSTUNREACH, error.errno());
        assertEquals(3, error.icmpType());
        assertEquals(1, error.icmpCode());
        assertEquals(IP_A, error.offender(), "arp_error_report: from ourselves");
        assertEquals(8, error.original()[0], "the echo request it is about");
        assertEquals(1, error.original()[4] << 8 | error.original()[5], "with the kernel's ident");
        assertEquals(1, error.original()[7]);
        assertEquals(failed(Errno.EAGAIN), a.result(6), "one error");
        assertEquals(failed(Errno.EAGAIN), a.result(7), "sk_err was cleared with the queue");
    }

    @Test
    void udpEchoSendsTheDatagramBack() {
        Script a = new Script(UDP, sendTo(3, IP_B, 7, bytes("echo me")), new Syscall.RecvFrom(3, false));
        UdpEcho echo = new UdpEcho(7);
        TestNet net = TestNet.lan().a(a).b(echo).build();
        SequentialEngine.run(net);
        var back = (SyscallResult.Received) a.result(2);
        assertArrayEquals(bytes("echo me"), back.data());
        assertEquals(IP_B, back.source());
        assertEquals(7, back.port());
        assertEquals(1, echo.echoed());
    }

    /** Step lists other tests reuse. */
    static final class Steps {
        /** A datagram to B's echo port and the read of its echo. */
        List<Object> udpEchoRoundTrip() {
            return List.of(UDP, sendTo(3, IP_B, 7, bytes("echo me")), new Syscall.RecvFrom(3, false));
        }
    }
}
