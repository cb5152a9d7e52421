package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.link.pcap.CaptureRecord;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.Sock;
import knetsim.node.socket.Syscall;
import org.junit.jupiter.api.Test;

/**
 * The IP identification on the wire, per kind of sender, as Linux 6.x chooses it (ip_select_ident_segs()):
 * connected sockets count from their inet_id, DF under IP_PMTUDISC_DO is 0, the rest comes from the hashed
 * per-destination generator; fragments share their datagram's ID and a router changes neither ID nor DF.
 */
class IpIdTest {
    static final Syscall UDP = new Syscall.Socket(Syscall.Protocol.UDP);
    static final Syscall TCP = new Syscall.Socket(Syscall.Protocol.TCP);

    /** The IPv4 header fields of a captured frame that matter here. */
    record Ip(long time, int id, boolean df, int offset, boolean mf, int ttl, int protocol, Ipv4Address src,
              Ipv4Address dst, int l4) {
        static Ip of(CaptureRecord r) {
            byte[] f = r.frame();
            int flags = ((f[20] & 0xff) << 8) | (f[21] & 0xff);
            return new Ip(r.timeNs(), ((f[18] & 0xff) << 8) | (f[19] & 0xff), (flags & 0x4000) != 0, flags & 0x1fff,
                    (flags & 0x2000) != 0, f[22] & 0xff, f[23] & 0xff, Ipv4Address.read(f, 26), Ipv4Address.read(f, 30),
                    f.length > 34 ? f[34] & 0xff : -1);
        }
    }

    static List<Ip> ip(SequentialEngine.Result run, String device, Predicate<Ip> which) {
        List<Ip> out = new ArrayList<>();
        for (CaptureRecord r : PingTest.capture(run, device)) {
            byte[] f = r.frame();
            if (f[12] != 0x08 || f[13] != 0x00) continue;
            Ip p = Ip.of(r);
            if (which.test(p)) out.add(p);
        }
        return out;
    }

    static List<Integer> ids(List<Ip> packets) {
        return packets.stream().map(Ip::id).toList();
    }

    static void assertConsecutive(List<Integer> ids) {
        for (int i = 1; i < ids.size(); i++) assertEquals((ids.get(0) + i) & 0xffff, (int) ids.get(i), "consecutive: " + ids);
    }

    static Script connectedUdp(int datagrams) {
        List<Object> steps = new ArrayList<>(List.of(UDP, new Syscall.Connect(3, TestNet.IP_B, 9)));
        for (int i = 0; i < datagrams; i++) {
            steps.add(new Script.At(i * 20 * SimTime.MILLISECOND));
            steps.add(new Syscall.SendTo(3, null, 0, new byte[100], false));
        }
        return new Script(steps);
    }

    static List<Integer> connectedUdpIds(long seed) {
        TestNet.Builder lan = TestNet.lan().a(connectedUdp(4)).b(new Script(UDP, new Syscall.Bind(3, Ipv4Address.ANY, 9)));
        lan.seed(seed);
        return ids(ip(SequentialEngine.run(lan.build()), "a.eth0", p -> p.protocol() == 17));
    }

    @Test
    void aConnectedUdpSocketCountsFromARandomStartDrawnAtConnect() {
        List<Integer> ids = connectedUdpIds(1);
        assertEquals(4, ids.size());
        // inet_id is get_random_u16() at connect; 20 ms between sends does not matter: +1 each
        assertConsecutive(ids);
        assertEquals(ids, connectedUdpIds(1), "the same seed gives the same IDs");
        assertNotEquals(ids.get(0), connectedUdpIds(2).get(0), "another seed, another start");
    }

    @Test
    void unconnectedWantSendsTakeRandomStepsPerDestinationAndDoSendsZero() {
        // an unconnected socket sends to B and to R in turn every 10 ms; a second one with IP_PMTUDISC_DO to B
        List<Object> steps = new ArrayList<>(List.of(UDP, UDP, new Syscall.SetSockOpt(4, Syscall.Option.IP_MTU_DISCOVER,
                Sock.PMTUDISC_DO)));
        for (int i = 0; i < 12; i++) {
            steps.add(new Script.At(SimTime.SECOND + i * 10 * SimTime.MILLISECOND));
            steps.add(new Syscall.SendTo(3, i % 2 == 0 ? RouterTest.B : RouterTest.R0, 9, new byte[100], false));
            steps.add(new Syscall.SendTo(4, RouterTest.B, 9, new byte[100], false));
        }
        TestNet n = RouterTest.build(List.of(new Script(steps)), List.of(), List.of(), 1500, false, List.of());
        SequentialEngine.Result run = SequentialEngine.run(n);
        List<Ip> udp = ip(run, "a.eth0", p -> p.protocol() == 17);
        assertEquals(24, udp.size());
        List<Ip> want = udp.stream().filter(p -> !p.df() || p.id() != 0).toList();
        List<Ip> doSends = udp.stream().filter(p -> p.df() && p.id() == 0).toList();
        assertEquals(12, doSends.size(), "IP_PMTUDISC_DO: DF and ID 0 (ip_select_ident_segs(), !ignore_df)");
        assertEquals(12, want.size());
        assertTrue(want.stream().allMatch(Ip::df), "WANT sets DF on what fits, but may fragment locally (ignore_df)");
        boolean randomStep = false;
        for (Ipv4Address to : List.of(RouterTest.B, RouterTest.R0)) {
            List<Integer> ids = ids(want.stream().filter(p -> p.dst().equals(to)).toList());
            assertEquals(6, ids.size());
            for (int i = 1; i < ids.size(); i++) {
                int step = (ids.get(i) - ids.get(i - 1)) & 0xffff;
                // 20 jiffies since the bucket's last use: 1 + get_random_u32_below(20)
                assertTrue(step >= 1 && step <= 20, "step " + step + " in " + ids);
                randomStep |= step > 1;
            }
        }
        assertTrue(randomStep, "the steps are random, not a plain counter");
        List<Integer> toB = ids(want.stream().filter(p -> p.dst().equals(RouterTest.B)).toList());
        List<Integer> toR = ids(want.stream().filter(p -> p.dst().equals(RouterTest.R0)).toList());
        assertTrue(Math.abs(toB.get(0) - toR.get(0)) > 100, "independent random starts: " + toB + " " + toR);
        // the router forwards every datagram with its ID and DF unchanged, one hop less of TTL
        List<Ip> atB = ip(run, "b.eth0", p -> p.protocol() == 17);
        List<Ip> sentToB = udp.stream().filter(p -> p.dst().equals(RouterTest.B)).toList();
        assertEquals(ids(sentToB), ids(atB));
        assertEquals(sentToB.stream().map(Ip::df).toList(), atB.stream().map(Ip::df).toList());
        assertTrue(atB.stream().allMatch(p -> p.ttl() == 63));
    }

    @Test
    void pingRepliesAndIcmpErrorsComeFromTheHashedGenerator() {
        // ping's socket is unconnected: its requests take the (B, A, ICMP) bucket with DF (WANT, fits); B's echo
        // replies and its port unreachables to A share B's (A, B, ICMP) bucket, without DF (the ICMP socket's DONT)
        List<Object> udp = new ArrayList<>(List.of(UDP));
        for (int i = 0; i < 3; i++) {
            udp.add(new Script.At(500 * SimTime.MILLISECOND + i * SimTime.SECOND));
            udp.add(new Syscall.SendTo(3, TestNet.IP_B, 9, new byte[10], false));
        }
        SequentialEngine.Result run = SequentialEngine.run(TestNet.lan()
                .a(PingTest.ping(TestNet.IP_B, 3, SimTime.SECOND, 56), new Script(udp)).build());
        List<Ip> requests = ip(run, "a.eth0", p -> p.protocol() == 1 && p.src().equals(TestNet.IP_A));
        assertEquals(3, requests.size());
        assertTrue(requests.stream().allMatch(Ip::df));
        steps(ids(requests), 1001);
        List<Ip> fromB = ip(run, "b.eth0", p -> p.protocol() == 1 && p.src().equals(TestNet.IP_B));
        assertEquals(6, fromB.size(), "3 echo replies and 3 port unreachables");
        assertEquals(List.of(0, 3, 0, 3, 0, 3), fromB.stream().map(Ip::l4).toList());
        assertTrue(fromB.stream().noneMatch(Ip::df));
        steps(ids(fromB), 1001);
    }

    // each ID is the one before plus 1 + a random number below the jiffies elapsed (at most maxStep)
    private static void steps(List<Integer> ids, int maxStep) {
        for (int i = 1; i < ids.size(); i++) {
            int step = (ids.get(i) - ids.get(i - 1)) & 0xffff;
            assertTrue(step >= 1 && step <= maxStep, "step " + step + " in " + ids);
        }
    }

    @Test
    void theFragmentsOfADatagramShareItsId() {
        List<Object> steps = new ArrayList<>(List.of(UDP));
        for (int i = 0; i < 3; i++) steps.add(new Syscall.SendTo(3, TestNet.IP_B, 9, new byte[3000], false));
        SequentialEngine.Result run = SequentialEngine.run(TestNet.lan().a(new Script(steps)).build());
        List<Ip> fragments = ip(run, "a.eth0", p -> p.protocol() == 17);
        assertEquals(9, fragments.size(), "3000 bytes in 1480 + 1480 + 48");
        for (int d = 0; d < 3; d++) {
            List<Ip> one = fragments.subList(3 * d, 3 * d + 3);
            assertEquals(List.of(0, 185, 370), one.stream().map(Ip::offset).toList());
            assertEquals(1, one.stream().map(Ip::id).distinct().count(), "one ID for all fragments: " + one);
            assertTrue(one.stream().noneMatch(Ip::df), "too big for the MTU: fragmented locally without DF");
        }
        // three sends in the same jiffy: consecutive IDs from the (B, A, UDP) bucket
        assertConsecutive(List.of(fragments.get(0).id(), fragments.get(3).id(), fragments.get(6).id()));
    }

    @Test
    void tcpCountsFromInetIdWhileSynAckAndRstCarryZero() {
        Script client = new Script(TCP, new Syscall.Connect(3, TestNet.IP_B, 5001),
                new Syscall.SendTo(3, null, 0, new byte[20_000], false), new Script.At(50 * SimTime.MILLISECOND),
                TCP, new Syscall.Connect(4, TestNet.IP_B, 9));
        Script server = new Script(TCP, new Syscall.Bind(3, Ipv4Address.ANY, 5001), new Syscall.Listen(3, 16),
                new Syscall.Accept(3, false), new Syscall.Recv(4, 100_000, false), new Syscall.Recv(4, 100_000, false),
                new Syscall.Recv(4, 100_000, false));
        SequentialEngine.Result run = SequentialEngine.run(TestNet.lan().a(client).b(server).build());
        List<Ip> fromA = ip(run, "a.eth0", p -> p.protocol() == 6 && p.src().equals(TestNet.IP_A));
        List<Ip> fromB = ip(run, "a.eth0", p -> p.protocol() == 6 && p.src().equals(TestNet.IP_B));
        List<Ip> firstFlowA = fromA.subList(0, fromA.size() - 1); // the last one is the SYN to the closed port
        assertTrue(firstFlowA.size() > 10);
        assertConsecutive(ids(firstFlowA)); // tcp_v4_connect(): inet_id = get_random_u16(), the SYN carries it
        assertTrue(fromA.stream().allMatch(Ip::df));
        // the SYN-ACK (ip_build_and_send_pkt() with DF) has ID 0; the accepted socket then counts from its own start
        Ip synAck = fromB.get(0);
        assertEquals(0, synAck.id());
        assertTrue(synAck.df());
        List<Ip> established = fromB.subList(1, fromB.size() - 1);
        assertTrue(established.size() > 3);
        assertConsecutive(ids(established));
        // the RST from the closed port goes through the control socket (IP_PMTUDISC_DO): DF and ID 0
        Ip rst = fromB.get(fromB.size() - 1);
        assertEquals(0, rst.id());
        assertTrue(rst.df());
        assertNotEquals(fromA.get(0).id(), fromA.get(fromA.size() - 1).id(), "a second connect draws a new inet_id");
    }
}
