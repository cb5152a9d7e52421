package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.pcap.PcapWriter;
import knetsim.node.app.Ping;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Route;
import knetsim.node.netfilter.Rule;
import knetsim.node.process.Application;
import knetsim.node.socket.Syscall;
import knetsim.node.socket.SyscallResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two subnets joined by a router: A 10.0.1.2/24 -- 10.0.1.1 R 10.0.2.1 -- 10.0.2.2/24 B. */
class RouterTest {
    static final Ipv4Address A = Ipv4Address.parse("10.0.1.2"), R0 = Ipv4Address.parse("10.0.1.1");
    static final Ipv4Address R1 = Ipv4Address.parse("10.0.2.1"), B = Ipv4Address.parse("10.0.2.2");
    static final long XMIT = 200, LATENCY = 20_000, RATE = 1_000_000_000L, RETURN = Host.DEFAULT_SYSCALL_RETURN;

    @TempDir
    Path dir;

    static final TestNet.Iface nic(String name, String mac, Ipv4Address address) {
        return TestNet.eth(name, MacAddress.parse(mac), address, 24);
    }

    /** Cables of 1 Gbit/s, 20 us. */
    static void cable(TestNet.Builder t, String a, String z) {
        t.cable(a, z).rate(RATE).latency(LATENCY);
    }

    /** Processes "app-0", "app-1", ... on {@code host}. */
    static void processes(TestNet.Builder t, String host, List<? extends Application> apps) {
        for (int i = 0; i < apps.size(); i++) t.process(host, "app-" + i, apps.get(i));
    }

    static Ping pingOf(TestNet n, String host) {
        return n.app(host, "app-0");
    }

    /** A pings with {@code pings}; A has a default route via R unless {@code aWithoutRoute}. */
    static TestNet build(List<Ping> pings, boolean aWithoutRoute) {
        return build(pings, List.of(), aWithoutRoute, List.of());
    }

    static TestNet build(List<Ping> pings, List<Ping> pingsOfB, boolean aWithoutRoute, List<Rule> rulesOfR) {
        return build(pings, pingsOfB, List.of(), 1500, aWithoutRoute, rulesOfR);
    }

    /** With applications on R too, and {@code mtuRToB} on R's eth1 (the link towards B); R captures nothing. */
    static TestNet build(List<? extends Application> appsA, List<? extends Application> appsB,
                         List<? extends Application> appsR, int mtuRToB, boolean aWithoutRoute, List<Rule> rulesOfR) {
        TestNet.Builder t = TestNet.builder();
        TestNet.HostSpec a = t.host("a", nic("eth0", "02:00:00:00:01:02", A));
        if (!aWithoutRoute) a.defaultVia(R0);
        t.router("r", nic("eth0", "02:00:00:00:01:01", R0).capture(false),
                nic("eth1", "02:00:00:00:02:01", R1).mtu(mtuRToB).capture(false)).rules(rulesOfR);
        t.host("b", nic("eth0", "02:00:00:00:02:02", B)).defaultVia(R1);
        cable(t, "a.eth0", "r.eth0");
        cable(t, "r.eth1", "b.eth0");
        processes(t, "a", appsA);
        processes(t, "b", appsB);
        processes(t, "r", appsR);
        return t.build();
    }

    /** A 10.0.1.2 -- R1 10.0.1.1|10.0.2.1 -- 10.0.2.2|10.0.3.1 R2 -- 10.0.3.2 B, static routes. */
    static TestNet chain(List<Ping> pings) {
        Ipv4Address r2Left = Ipv4Address.parse("10.0.2.2"), r2Right = Ipv4Address.parse("10.0.3.1");
        Ipv4Address far = Ipv4Address.parse("10.0.3.2");
        TestNet.Builder t = TestNet.builder();
        t.host("a", nic("eth0", "02:00:00:00:01:02", A)).defaultVia(R0);
        t.router("r1", nic("eth0", "02:00:00:00:01:01", R0).capture(false), nic("eth1", "02:00:00:00:02:01", R1).capture(false))
                .route(Route.via(Ipv4Address.parse("10.0.3.0"), 24, r2Left, 0, null, 0));
        t.router("r2", nic("eth0", "02:00:00:00:02:02", r2Left).capture(false), nic("eth1", "02:00:00:00:03:01", r2Right).capture(false))
                .route(Route.via(Ipv4Address.parse("10.0.1.0"), 24, R1, 0, null, 0));
        t.host("b", nic("eth0", "02:00:00:00:03:02", far)).defaultVia(r2Right);
        cable(t, "a.eth0", "r1.eth0");
        cable(t, "r1.eth1", "r2.eth0");
        cable(t, "r2.eth1", "b.eth0");
        processes(t, "a", pings);
        return t.build();
    }

    @Test
    void twoRoutersForwardAndTheSecondAnswersTtlTwo() {
        Ipv4Address far = Ipv4Address.parse("10.0.3.2");
        TestNet ok = chain(List.of(ping(far, 1, 64)));
        SequentialEngine.run(ok);
        assertEquals(1, pingOf(ok, "a").received());
        assertEquals(2, ok.host("r1").counters().get("IpForwDatagrams"), "R1: the request and the reply");

        TestNet ttl2 = chain(List.of(ping(far, 1, 2)));
        SequentialEngine.run(ttl2);
        // R1 forwarded it with TTL 1; R2 answers from the address of its interface back towards A
        assertEquals(List.of("From 10.0.2.2 icmp_seq=1 Time to live exceeded"), PingTest.errorLines(pingOf(ttl2, "a")));
        assertEquals(1, pingOf(ttl2, "a").errors());
        assertEquals(2, ttl2.host("r1").counters().get("IpForwDatagrams"), "R1: the request and the error");
    }

    @Test
    void aRouterPingedOnItsFarInterfaceAnswersFromThatAddress() throws Exception {
        // icmp_reply(): the echo reply's source is the request's destination, not eth0's 10.0.1.1
        TestNet n = build(List.of(ping(R1, 1, 64)), false);
        SequentialEngine.Result run = SequentialEngine.run(n);
        assertEquals(1, pingOf(n, "a").received());
        assertTrue(pingOf(n, "a").lines().get(1).startsWith("64 bytes from " + R1 + ": icmp_seq=1 ttl=64"),
                pingOf(n, "a").lines().toString());
        List<String> info = Tshark.check(run, "a.eth0", dir);
        assertTrue(info.stream().anyMatch(l -> l.contains("Echo (ping) reply")), info.toString());
    }

    @Test
    void aUdpSocketBoundOrConnectedToALocalAddressSendsFromIt() throws Exception {
        // udp_sendmsg(): a bound inet_saddr is the datagram's source, whatever interface it leaves by;
        // connect() fixes the source too, from its route (10.0.1.1 towards A), and that is kept
        Script r = new Script(new Syscall.Socket(Syscall.Protocol.UDP), new Syscall.Bind(3, R1, 5000),
                new Syscall.SendTo(3, A, 7777, "0123456789".getBytes(StandardCharsets.US_ASCII), false),
                new Syscall.Socket(Syscall.Protocol.UDP), new Syscall.Connect(4, A, 7777), new Syscall.GetSockName(4),
                new Syscall.SendTo(4, null, 0, "01234567890123456789".getBytes(StandardCharsets.US_ASCII), false));
        TestNet n = build(List.of(), List.of(), List.of(r), 1500, false, List.of());
        SequentialEngine.Result run = SequentialEngine.run(n);
        assertEquals(Script.ok(10), r.result(2));
        assertEquals(R0, ((SyscallResult.SockName) r.result(5)).address());
        assertEquals(Script.ok(20), r.result(6));
        List<byte[]> udp = PingTest.capture(run, "a.eth0").stream().map(c -> c.frame())
                .filter(f -> f[12] == 0x08 && f[13] == 0x00 && f[23] == 17).toList();
        assertEquals(2, udp.size());
        assertEquals(R1, Ipv4Address.read(udp.get(0), 26), "from the bound address, out of eth0");
        assertEquals(R0, Ipv4Address.read(udp.get(1), 26), "from the connected socket's address");
        Tshark.check(run, "a.eth0", dir);
    }

    @Test
    void aPortUnreachableAboutADatagramToTheRoutersFarAddressComesFromThatAddress() throws Exception {
        // __icmp_send(): for a datagram addressed to us, saddr = iph->daddr, not the way back's interface
        Script a = new Script(new Syscall.Socket(Syscall.Protocol.UDP),
                new Syscall.SendTo(3, R1, 9999, "x".getBytes(StandardCharsets.US_ASCII), false));
        TestNet n = build(List.of(a), List.of(), List.of(), 1500, false, List.of());
        SequentialEngine.Result run = SequentialEngine.run(n);
        List<byte[]> icmp = PingTest.capture(run, "a.eth0").stream().map(c -> c.frame())
                .filter(f -> f[12] == 0x08 && f[13] == 0x00 && f[23] == 1).toList();
        assertEquals(1, icmp.size());
        assertEquals(3, icmp.get(0)[34], "destination unreachable");
        assertEquals(3, icmp.get(0)[35], "port unreachable");
        assertEquals(R1, Ipv4Address.read(icmp.get(0), 26), "from the address the datagram was sent to");
        Tshark.check(run, "a.eth0", dir);
    }

    static byte[] text(int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) ('a' + i % 26);
        return b;
    }

    static List<byte[]> udpFrames(SequentialEngine.Result run, String device, String mac) {
        MacAddress from = MacAddress.parse(mac);
        return PingTest.capture(run, device).stream().map(c -> c.frame())
                .filter(f -> f[12] == 0x08 && f[13] == 0x00 && f[23] == 17 && MacAddress.read(f, 6).equals(from)).toList();
    }

    @Test
    void aForwardDropRuleStopsOneFlowAndLeavesAnother() {
        // iptables -A FORWARD -p icmp --icmp-type echo-request -d 10.0.2.2 -j DROP
        Rule drop = Rule.on(Rule.Hook.FORWARD, Rule.Target.DROP).withIcmp(8).withDestination(B, 32);
        // each ping socket gets ident 1 from its own host's kernel
        TestNet n = build(List.of(ping(B, 1, 64)), List.of(ping(A, 1, 64)), false, List.of(drop));
        SequentialEngine.run(n);
        assertEquals(1, pingOf(n, "a").transmitted());
        assertEquals(0, pingOf(n, "a").received(), "A's requests to B are dropped");
        assertEquals(0, pingOf(n, "a").errors(), "silently");
        assertEquals(1, pingOf(n, "b").received(), "B's pings to A, and A's replies, pass");
        Host r = n.host("r");
        assertEquals(1, r.counters().get("netfilter_rule_0_packets"));
        assertEquals(84, r.counters().get("netfilter_rule_0_bytes"), "20 + 8 + 56 bytes");
        assertEquals(1, r.counters().get("drop_NETFILTER_DROP"));
    }

    @Test
    void aForwardRejectRuleAnswersWithIcmp() {
        // iptables -A FORWARD -p icmp --icmp-type echo-request -d 10.0.2.2 -j REJECT (icmp-port-unreachable)
        Rule reject = Rule.on(Rule.Hook.FORWARD, Rule.Target.REJECT).withIcmp(8).withDestination(B, 32);
        TestNet n = build(List.of(ping(B, 1, 64)), List.of(), false, List.of(reject));
        SequentialEngine.run(n);
        assertEquals(List.of("From " + R0 + " icmp_seq=1 Destination Port Unreachable"), PingTest.errorLines(pingOf(n, "a")));
        assertEquals(0, n.host("b").counters().get("IcmpInEchos"));
    }

    @Test
    void pingAcrossTheRouterWorks() {
        TestNet n = build(List.of(ping(B, 2, 64)), false);
        SequentialEngine.run(n);
        List<Long> rtts = pingOf(n, "a").rtts();
        assertEquals(2, rtts.size());
        assertTrue(rtts.get(1) < rtts.get(0), "ARP on both hops only the first time");
        Host r = n.host("r");
        assertEquals(4, r.counters().get("IpForwDatagrams"), "two requests there, two replies back");
        assertEquals(2, n.host("b").counters().get("IcmpInEchos"));
    }

    @Test
    void aTtlTooSmallGetsTimeExceededFromTheRouter() throws Exception {
        TestNet n = build(List.of(ping(B, 1, 1)), false);
        SequentialEngine.Result run = SequentialEngine.run(n);
        // from the router's address facing A
        assertEquals(List.of("From " + R0 + " icmp_seq=1 Time to live exceeded"), PingTest.errorLines(pingOf(n, "a")));
        Host r = n.host("r");
        assertEquals(1, r.counters().get("IcmpOutTimeExcds"));
        assertEquals(0, r.counters().get("IpForwDatagrams"));
        assertEquals(0, n.host("b").counters().get("IcmpInEchos"));
        tsharkAgrees(run, "a.eth0", "Time-to-live exceeded");
    }

    @Test
    void noRouteAtTheRouterGetsNetUnreachable() {
        TestNet n = build(List.of(ping(Ipv4Address.parse("10.0.9.9"), 1, 64)), false);
        SequentialEngine.run(n);
        assertEquals(List.of("From " + R0 + " icmp_seq=1 Destination Net Unreachable"), PingTest.errorLines(pingOf(n, "a")));
        Host r = n.host("r");
        assertEquals(1, r.counters().get("IpExtInNoRoutes"));
        assertEquals(1, r.counters().get("drop_IP_INNOROUTES"), "ip_error() drops it with IP_INNOROUTES");
        assertEquals(1, r.counters().get("IcmpOutDestUnreachs"));
    }

    @Test
    void noRouteOnTheSenderFailsLocally() {
        TestNet n = build(List.of(ping(B, 1, 64)), true);
        SequentialEngine.run(n);
        Host a = n.host("a");
        // ping4_run()'s probe connect() fails first: iputils says so and exits 2, before its PING line
        assertEquals(List.of("ping: connect: Network is unreachable"), pingOf(n, "a").lines());
        assertEquals(2, pingOf(n, "a").exitStatus());
        assertEquals(0, pingOf(n, "a").transmitted());
        assertEquals(0, a.counters().get("ArpOutRequests"), "nothing went on the wire");
    }

    /** ping -c count -t ttl, one second apart, 56 bytes of data. */
    static Ping ping(Ipv4Address destination, int count, int ttl) {
        return PingTest.ping(destination, count, SimTime.SECOND, 56, ttl, false, 10 * SimTime.SECOND);
    }

    private void tsharkAgrees(SequentialEngine.Result run, String device, String expectedInfo) throws Exception {
        assumeTrue(new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS));
        Path file = dir.resolve(device + ".pcap");
        Files.write(file, PcapWriter.toBytes(PingTest.capture(run, device)));
        Process tshark = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-o", "ip.check_checksum:TRUE",
                "-T", "fields", "-e", "_ws.col.Info", "-e", "_ws.malformed", "-e", "_ws.expert.severity",
                "-e", "icmp.checksum.status").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tshark.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains(expectedInfo), out);
        for (String line : out.split("\n")) {
            String[] f = line.split("\t", -1);
            assertEquals("", f[1], "malformed: " + line);
            // a Note (0x400000) that a request saw no echo reply is expected here; warnings are not
            assertTrue(f[2].isEmpty() || Long.parseLong(f[2].split(",")[0]) < 6291456, "expert warning: " + line);
        }
    }
}
