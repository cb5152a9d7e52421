package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.pcap.CaptureChunk;
import knetsim.link.pcap.CaptureRecord;
import knetsim.link.pcap.PcapWriter;
import knetsim.node.app.Ping;
import knetsim.node.app.PingStatistics;
import knetsim.node.ipv4.Ipv4Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4's first scenario: the first ping to a new neighbour queues behind an ARP request. */
class PingTest {
    static final MacAddress MAC_A = TestNet.MAC_A, MAC_B = TestNet.MAC_B;
    static final Ipv4Address IP_A = TestNet.IP_A, IP_B = TestNet.IP_B;
    static final long XMIT_COST = TestNet.XMIT_COST;
    /**
     * The system calls ping makes before its first sendto(): socket, ping4_run()'s route probe (socket,
     * connect, getsockname, close), setsockopt IP_RECVERR (no -t, no -M), epoll_create and epoll_ctl, each
     * SYSCALL_COST in and SYSCALL_RETURN back; the sendto enters the kernel SYSCALL_COST later.
     */
    static final long SET_UP = 8 * (TestNet.SYSCALL_COST + TestNet.SYSCALL_RETURN);
    static final long FIRST_SEND = SET_UP + TestNet.SYSCALL_COST;

    @TempDir
    Path dir;

    /** ping -c count -i interval -s size -t ttl [-M do] -W linger, from time 0. */
    static Ping ping(Ipv4Address destination, int count, long interval, int size, int ttl, boolean dontFragment,
                     long linger) {
        return new Ping(new Ping.Options(destination, count, interval, size, 0, ttl, dontFragment, linger));
    }

    static Ping ping(Ipv4Address destination, int count, long interval, int size) {
        return ping(destination, count, interval, size, 0, false, 10 * SimTime.SECOND);
    }

    /** A pings B twice, one second apart (what the old plan sent at 0 s and 1 s). */
    static TestNet.Builder twoPings() {
        return TestNet.lan().a(ping(IP_B, 2, SimTime.SECOND, 56));
    }

    static Ping pingOf(TestNet net) {
        return net.app("a", "app-0");
    }

    static List<CaptureRecord> capture(SequentialEngine.Result run, String device) {
        List<CaptureRecord> records = new ArrayList<>();
        run.reports().values().forEach(items -> items.forEach(item -> {
            // processes report too (ping statistics, UDP flows): only capture chunks matter here
            if (item instanceof CaptureChunk chunk && chunk.device().equals(device)) records.addAll(List.of(chunk.records()));
        }));
        records.sort(CaptureRecord.ORDER);
        return records;
    }

    /** "ARP req", "ARP rep", "ICMP echo", "ICMP reply", from the frame's bytes. */
    static String kind(CaptureRecord r) {
        byte[] f = r.frame();
        int type = ((f[12] & 0xff) << 8) | (f[13] & 0xff);
        if (type == 0x0806) return f[21] == 1 ? "ARP req" : "ARP rep";
        if (type == 0x0800 && f[23] == 1) return f[34] == 8 ? "ICMP echo" : f[34] == 0 ? "ICMP reply" : "ICMP other";
        return "other";
    }

    @Test
    void theFirstPingWaitsForArpAndTheSecondDoesNot() {
        TestNet.Builder lan = twoPings();
        TestNet net = lan.build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        List<CaptureRecord> a = capture(run, "a.eth0");
        List<String> kinds = a.stream().map(PingTest::kind).toList();
        assertEquals(List.of("ARP req", "ARP rep", "ICMP echo", "ICMP reply", "ICMP echo", "ICMP reply"), kinds.subList(0, 6));
        assertTrue(MacAddress.read(a.get(0).frame(), 0).isBroadcast(), "the first request is broadcast");
        // The queued echo request leaves as soon as the reply is in: dev_queue_xmit's cost later.
        assertEquals(a.get(1).timeNs() + XMIT_COST, a.get(2).timeNs());

        Host hostA = net.host("a");
        List<Long> replies = pingOf(net).rtts();
        assertEquals(2, replies.size());
        assertTrue(replies.get(1) < replies.get(0), "no ARP the second time: " + replies);
        assertEquals(2, hostA.counters().get("IcmpOutEchos"));
        assertEquals(2, hostA.counters().get("IcmpInEchoReps"));
        assertEquals(1, hostA.counters().get("ArpOutRequests"));
        Host hostB = net.host("b");
        assertEquals(2, hostB.counters().get("IcmpInEchos"));
        assertEquals(2, hostB.counters().get("IcmpOutEchoReps"));

        // B learned A from the request (STALE) and used it (DELAY); 5 s without confirmation it
        // probes A by unicast (PROBE), as Linux does after a ping.
        assertEquals(List.of("ARP req", "ARP rep"), kinds.subList(6, 8));
        assertEquals(MAC_A, MacAddress.read(a.get(6).frame(), 0), "the probe is unicast");
        long probeAt = a.get(6).timeNs();
        assertTrue(probeAt > 5 * SimTime.SECOND && probeAt < 5 * SimTime.SECOND + SimTime.MILLISECOND, "probe at " + probeAt);
    }

    @Test
    void aNextHopThatNeverAnswersGetsThreeProbesThenThePacketsFail() {
        Ipv4Address nobody = Ipv4Address.parse("10.0.0.3");
        TestNet.Builder lan = TestNet.lan().a(ping(nobody, 5, 500_000_000L, 56));
        TestNet net = lan.build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        List<CaptureRecord> requests = capture(run, "a.eth0").stream().filter(r -> kind(r).equals("ARP req")).toList();
        // mcast_solicit 3 broadcast probes, retrans_time 1 s apart from the first sendto(), each
        // dev_queue_xmit's cost later
        long first = FIRST_SEND + XMIT_COST;
        assertEquals(List.of(first, SimTime.SECOND + first, 2 * SimTime.SECOND + first),
                requests.stream().map(CaptureRecord::timeNs).toList());
        assertTrue(requests.stream().allMatch(r -> MacAddress.read(r.frame(), 0).isBroadcast()));
        Host a = net.host("a");
        // 3 s after the first request the entry fails: every queued request is dropped and ping
        // hears Host Unreachable on its error queue, from its own address (arp_error_report via lo)
        assertEquals(5, a.counters().get("drop_NEIGH_FAILED"));
        Ping ping = pingOf(net);
        assertEquals(List.of(1, 2, 3, 4, 5).stream().map(n -> "From 10.0.0.1 icmp_seq=" + n
                + " Destination Host Unreachable").toList(), errorLines(ping));
        assertEquals(5, a.counters().get("IcmpOutDestUnreachs"));
        assertEquals(0, ping.received());
        assertEquals(5, ping.errors());
        assertTrue(ping.lines().contains("5 packets transmitted, 0 received, +5 errors, 100% packet loss, time 2000ms"), ping.lines().toString());
    }

    @Test
    void moreThanUnresQlenBytesOfQueuedPacketsDropTheOldest() {
        Ipv4Address nobody = Ipv4Address.parse("10.0.0.3");
        // ping -i 0 -c 150 -s 1472: all 150 requests queue behind the unresolved neighbour within 300 us; each is a
        // full frame of truesize 2304, so unres_qlen_bytes 212992 holds 92 of them
        TestNet.Builder lan = TestNet.lan().a(ping(nobody, 150, 0, 1472));
        TestNet net = lan.build();
        SequentialEngine.run(net);
        Host a = net.host("a");
        assertEquals(58, a.counters().get("drop_NEIGH_QUEUEFULL"), "unres_qlen_bytes keeps the newest 92");
        assertEquals(92, a.counters().get("drop_NEIGH_FAILED"));
        // queue-full drops are silent; each of the 92 that waited to the end makes icmp_send() try a Host
        // Unreachable to ourselves. Their skb came from eth0, not lo, so icmp_global_allow() applies: its burst of
        // 50 credits (icmp_msgs_burst) all at one instant lets 50 through; the rest count IcmpOutRateLimitGlobal.
        // The per-destination limit does not apply to a route through lo.
        List<String> errors = errorLines(pingOf(net));
        assertEquals("From 10.0.0.1 icmp_seq=59 Destination Host Unreachable", errors.get(0));
        assertEquals(50, errors.size());
        assertEquals(50, pingOf(net).errors());
        assertEquals(50, a.counters().get("IcmpOutDestUnreachs"));
        assertEquals(42, a.counters().get("IcmpOutRateLimitGlobal"));
        assertEquals(0, a.counters().get("IcmpOutRateLimitHost"));
        assertEquals(50, a.counters().get("lo.rx_packets"));
    }

    @Test
    void smallPacketsQueueByTheirOwnTruesize() {
        // 56-byte pings are skbs of truesize 896: all 150 fit in unres_qlen_bytes (up to 237 would), where a count
        // of unres_qlen 101 packets would have dropped 49
        TestNet net = TestNet.lan().a(ping(Ipv4Address.parse("10.0.0.3"), 150, 0, 56)).build();
        SequentialEngine.run(net);
        Host a = net.host("a");
        assertEquals(0, a.counters().get("drop_NEIGH_QUEUEFULL"));
        assertEquals(150, a.counters().get("drop_NEIGH_FAILED"));
    }

    @Test
    void a4000ByteDatagramLeavesAsThreeFragmentsAndIsReassembled() {
        TestNet.Builder lan = TestNet.lan().a(ping(IP_B, 1, SimTime.SECOND, 4000));
        TestNet net = lan.build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        Host a = net.host("a");
        Host b = net.host("b");
        assertEquals(1, pingOf(net).received(), "the reply, fragmented too, came back whole");
        assertEquals(1, pingOf(net).rtts().size());
        // 4008 bytes of ICMP in 1480 + 1480 + 1048: three fragments each way
        List<CaptureRecord> fragmentsOut = capture(run, "a.eth0").stream()
                .filter(r -> kind(r).equals("ICMP echo") || isLaterFragment(r)).toList();
        assertEquals(List.of(1514, 1514, 1082), fragmentsOut.stream().map(r -> r.frame().length).toList().subList(0, 3));
        assertEquals(3, a.counters().get("IpFragCreates"));
        assertEquals(1, a.counters().get("IpFragOKs"));
        assertEquals(3, b.counters().get("IpReasmReqds"));
        assertEquals(1, b.counters().get("IpReasmOKs"));
        assertEquals(1, a.counters().get("IpReasmOKs"));
    }

    /** ping's "From X icmp_seq=N ..." lines: the errors it heard, in order. */
    static List<String> errorLines(Ping ping) {
        return ping.lines().stream().filter(l -> l.startsWith("From ")).toList();
    }

    /** A fragment after the first: IPv4 with a non-zero offset (no ICMP header to classify). */
    static boolean isLaterFragment(CaptureRecord r) {
        byte[] f = r.frame();
        boolean ipv4 = f[12] == 0x08 && f[13] == 0x00;
        return ipv4 && (((f[20] & 0x1f) << 8) | (f[21] & 0xff)) != 0 && MacAddress.read(f, 6).equals(MAC_A);
    }

    @Test
    void dontFragmentGivesMessageTooLongAndSendsNothing() {
        TestNet.Builder lan = TestNet.lan().a(ping(IP_B, 1, SimTime.SECOND, 4000, 64, true, 10 * SimTime.SECOND));
        TestNet net = lan.build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        Ping ping = pingOf(net);
        // iputils 2024x counts EMSGSIZE from sendto() as an error of its own and says "sendmsg"; the local
        // error ip_local_error() also queued is never read (recvmsg() without MSG_ERRQUEUE, no POLLERR poll)
        assertEquals(List.of("ping: sendmsg: Message too long"),
                ping.lines().stream().filter(l -> l.startsWith("ping:")).toList());
        assertEquals(1, ping.errors());
        assertEquals(0, capture(run, "a.eth0").size(), "EMSGSIZE comes from sendto(): nothing on the wire");
    }

    @Test
    void aLostFragmentEndsInAReassemblyTimeout() {
        // frames from A: 1 the ARP request, 2-4 the fragments; the second fragment is lost
        // ping -W 40: it waits long enough after its request for the reassembly timeout's error
        TestNet.Builder lan = TestNet.lan().a(ping(IP_B, 1, SimTime.SECOND, 4000, 64, false, 40 * SimTime.SECOND));
        lan.cableOf("a.eth0").lossAtoZ(() -> new knetsim.link.loss.DropList(3));
        TestNet net = lan.build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        Host a = net.host("a");
        Host b = net.host("b");
        assertEquals(1, b.counters().get("IpReasmTimeout"));
        assertEquals(1, b.counters().get("IpReasmFails"));
        assertEquals(0, b.counters().get("IpReasmOKs"));
        // fragment 0 came, so B sends time exceeded (reassembly) 30 s after it, as ip_expire() does
        assertEquals(List.of("From 10.0.0.2 icmp_seq=1 Frag reassembly time exceeded"), errorLines(pingOf(net)));
        // when it reached A (ping no longer records the time: A's receive tap does)
        List<CaptureRecord> exceeded = capture(run, "a.eth0").stream()
                .filter(r -> kind(r).equals("ICMP other") && r.frame()[34] == 11 && r.frame()[35] == 1).toList();
        assertEquals(1, exceeded.size());
        long at = exceeded.get(0).timeNs();
        assertTrue(at > 30 * SimTime.SECOND && at < 30 * SimTime.SECOND + SimTime.MILLISECOND, "at " + at);
    }

    /** An Ethernet frame to B carrying an echo request from A: IP and ICMP checksums correct. */
    static byte[] echoToB() {
        var icmp = new knetsim.node.icmp.IcmpMessage.EchoRequest(9, 1, new byte[4]);
        var ip = knetsim.node.ipv4.Ipv4Header.of(IP_A, IP_B, 1, 64, 1, icmp.length());
        byte[] f = new byte[14 + ip.length() + icmp.length()];
        knetsim.link.ethernet.EthernetHeader.untagged(MAC_B, MAC_A, 0x0800).emit(f, 0);
        ip.emit(f, 14);
        icmp.emit(f, 14 + ip.length());
        return f;
    }

    @Test
    void malformedFramesAreDroppedWithTheirReasonsAndTheHostKeepsWorking() {
        byte[] badVersion = echoToB();
        badVersion[14] = 0x65;                 // version 6 in an IPv4 frame: IP_INHDR
        byte[] badIpChecksum = echoToB();
        badIpChecksum[14 + 10] ^= 0x01;        // IP_CSUM
        byte[] tooLong = echoToB();
        tooLong[14 + 2] = 0x04;                // total length 1024+ in a 60-byte frame: PKT_TOO_SMALL,
        tooLong[14 + 10] = 0;                  // with a correct checksum (the kernel checks that first)
        tooLong[14 + 11] = 0;
        int check = knetsim.node.ipv4.InternetChecksum.compute(tooLong, 14, 20);
        tooLong[14 + 10] = (byte) (check >> 8);
        tooLong[14 + 11] = (byte) check;
        byte[] badIcmpChecksum = echoToB();
        badIcmpChecksum[14 + 20 + 2] ^= 0x01;  // ICMP_CSUM
        byte[] badArp = echoToB();
        badArp[12] = 0x08;
        badArp[13] = 0x06;
        badArp[15] = 0x06;                     // hardware type 6: not Ethernet
        Ping ping = new Ping(new Ping.Options(IP_B, 1, SimTime.SECOND, 56, SimTime.SECOND, 64, false, 10 * SimTime.SECOND));
        TestNet.Builder lan = TestNet.lan().a(ping);
        lan.inject("b.eth0", List.of(badVersion, badIpChecksum, tooLong, badIcmpChecksum, badArp));
        TestNet net = lan.build();
        SequentialEngine.run(net);
        Host b = net.host("b");
        assertEquals(1, b.counters().get("drop_IP_INHDR"));
        assertEquals(1, b.counters().get("drop_IP_CSUM"));
        assertEquals(1, b.counters().get("drop_PKT_TOO_SMALL"));
        assertEquals(2, b.counters().get("IpInHdrErrors"), "a bad checksum is also a header error");
        assertEquals(1, b.counters().get("IpExtInCsumErrors"));
        assertEquals(1, b.counters().get("IpExtInTruncatedPkts"));
        assertEquals(1, b.counters().get("IcmpInCsumErrors"));
        assertEquals(1, b.counters().get("IcmpInErrors"));
        assertEquals(1, b.counters().get("ArpInErrors"));
        assertEquals(1, b.counters().get("IcmpOutEchoReps"), "only the real ping was answered");
        assertEquals(1, pingOf(net).received(), "B still answers after the garbage");
    }

    @Test
    void tsharkDecodesTheExchangeWithGoodChecksums() throws Exception {
        assumeTrue(new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS));
        SequentialEngine.Result run = SequentialEngine.run(twoPings().build());
        Path file = dir.resolve("a.eth0.pcap");
        Files.write(file, PcapWriter.toBytes(capture(run, "a.eth0")));
        Process tshark = new ProcessBuilder("tshark", "-n", "-r", file.toString(), "-o", "ip.check_checksum:TRUE",
                "-T", "fields", "-e", "_ws.col.Protocol", "-e", "_ws.malformed", "-e", "_ws.expert.severity",
                "-e", "ip.checksum.status", "-e", "icmp.checksum.status")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(tshark.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tshark.waitFor(60, TimeUnit.SECONDS));
        String[] lines = out.split("\n");
        assertEquals(8, lines.length, out);
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            assertTrue(f[0].equals("ARP") || f[0].equals("ICMP"), line);
            assertEquals("", f[1], "malformed: " + line);
            assertEquals("", f[2], "expert info: " + line);
            if (f[0].equals("ICMP")) {
                assertEquals("1", f[3], "IP checksum: " + line);
                assertEquals("1", f[4], "ICMP checksum: " + line);
            }
        }
    }

    @Test
    void icmpSeqWrapsAt65536AndRepliesAfterTheWrapStillCount() {
        // icmp_seq is 16 bits on the wire: request 65537 carries 1 again, and its reply is the 65537th's
        int count = 65_536 + 4;
        // -s 16: timed, so after the last request ping waits twice the largest RTT (__schedule_exit()); untimed
        // (-s 0) it would wait only the interval, 20 us, and exit before the last replies are in, as iputils does
        TestNet.Builder lan = TestNet.lan().a(new Ping(new Ping.Options(IP_B, count, 20 * SimTime.MICROSECOND, 16, 0, 64, false,
                SimTime.SECOND)));
        TestNet net = lan.build();
        SequentialEngine.run(net);
        Ping ping = pingOf(net);
        assertEquals(count, ping.transmitted());
        assertEquals(count, ping.received(), "every reply counted, the four after the wrap too");
        assertEquals(0, ping.errors());
    }

    @Test
    void aHugeCountCostsNothingUpFront() {
        // count is validated up to Integer.MAX_VALUE (count 0 runs until the end): no per-request arrays of that size
        Ping ping = new Ping(new Ping.Options(IP_B, Integer.MAX_VALUE, SimTime.SECOND, 56, 0, 64, false, SimTime.SECOND));
        assertEquals(0, ping.transmitted());
    }

    @Test
    void threePingsPrintWhatIputilsPrints() {
        // ping -c 3 -i 0.2 over a 10 ms cable: the first reply waits for ARP (two round trips)
        TestNet.Builder lan = TestNet.lan().a(ping(IP_B, 3, 200 * SimTime.MILLISECOND, 56));
        lan.cableOf("a.eth0").latency(10 * SimTime.MILLISECOND);
        TestNet net = lan.build();
        SequentialEngine.run(net);
        Ping ping = pingOf(net);
        assertEquals(List.of(
                "PING 10.0.0.2 (10.0.0.2) 56(84) bytes of data.",
                "64 bytes from 10.0.0.2: icmp_seq=1 ttl=64 time=40.0 ms",
                "64 bytes from 10.0.0.2: icmp_seq=2 ttl=64 time=20.0 ms",
                "64 bytes from 10.0.0.2: icmp_seq=3 ttl=64 time=20.0 ms",
                "",
                "--- 10.0.0.2 ping statistics ---",
                "3 packets transmitted, 3 received, 0% packet loss, time 400ms",
                "rtt min/avg/max/mdev = 20.012/26.682/40.022/9.432 ms"), ping.lines());
        assertEquals(0, ping.exitStatus());
        // the same figures from first principles: each RTT in whole microseconds is the kernel's receive
        // time (SO_TIMESTAMP) less the timeval sent (gettimeofday() just before sendto()), both truncated
        long[] us = new long[3];
        for (int k = 0; k < 3; k++) {
            long sent = SET_UP + k * 200 * SimTime.MILLISECOND;
            us[k] = (sent + ping.rtts().get(k)) / 1000 - sent / 1000;
        }
        assertEquals(2 * 10_000 + 2 * 10_000, us[0], 100, "two round trips of 10 ms, ARP first");
        long sum = us[0] + us[1] + us[2], sum2 = us[0] * us[0] + us[1] * us[1] + us[2] * us[2];
        long mdev = (long) Math.sqrt((sum2 - (double) sum * sum / 3) / 3);
        String ms = String.format(java.util.Locale.ROOT, "%d.%03d/%d.%03d/%d.%03d/%d.%03d",
                us[1] / 1000, us[1] % 1000, sum / 3 / 1000, sum / 3 % 1000, us[0] / 1000, us[0] % 1000, mdev / 1000, mdev % 1000);
        assertEquals("rtt min/avg/max/mdev = " + ms + " ms", ping.lines().get(7));
    }

    @Test
    void theRequestCarriesATimevalThenBytesCountingFrom0x10() {
        TestNet.Builder lan = TestNet.lan().a(ping(IP_B, 1, SimTime.SECOND, 56));
        TestNet net = lan.build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        byte[] f = capture(run, "a.eth0").stream().filter(r -> kind(r).equals("ICMP echo")).findFirst().orElseThrow().frame();
        int data = 14 + 20 + 8;
        assertEquals(14 + 20 + 8 + 56, f.length, "84 bytes of IP: 56(84)");
        // struct timeval of the send time, little-endian: tv_sec 0, tv_usec = the set-up's microseconds
        long usec = 0, sec = 0;
        for (int i = 7; i >= 0; i--) {
            sec = (sec << 8) | (f[data + i] & 0xff);
            usec = (usec << 8) | (f[data + 8 + i] & 0xff);
        }
        assertEquals(0, sec);
        assertEquals(SET_UP / 1000, usec);
        for (int i = 16; i < 56; i++) assertEquals(i, f[data + i] & 0xff, "data byte " + i);
    }

    @Test
    void pingExitsWith1WhenEveryRequestIsLost() {
        Ipv4Address nobody = Ipv4Address.parse("10.0.0.3");
        TestNet.Builder lan = TestNet.lan().a(ping(nobody, 2, SimTime.SECOND, 56));
        TestNet net = lan.build();
        SequentialEngine.run(net);
        Ping ping = pingOf(net);
        List<String> lines = ping.lines();
        assertEquals(List.of("", "--- 10.0.0.3 ping statistics ---",
                "2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1000ms", ""),
                lines.subList(lines.size() - 4, lines.size()));
        assertEquals(1, ping.exitStatus());
    }

    @Test
    void aLossOfOneInThreeIsPrintedAsPrintfGDoes() {
        assertEquals("33.3333", PingStatistics.percent((float) (1 * 100.0 / 3)));
        assertEquals("66.6667", PingStatistics.percent((float) (2 * 100.0 / 3)));
        assertEquals("100", PingStatistics.percent(100f));
        assertEquals("0", PingStatistics.percent(0f));
        assertEquals("14.2857", PingStatistics.percent((float) (1 * 100.0 / 7)));
        // gather_statistics(): 3 decimals below 1 ms, 2 below 10 ms, 1 below 100 ms, none above (rounded)
        assertEquals("0.123", PingStatistics.time(123));
        assertEquals("1.23", PingStatistics.time(1234));
        assertEquals("9.99", PingStatistics.time(9994));
        assertEquals("10.0", PingStatistics.time(9995));
        assertEquals("12.3", PingStatistics.time(12_345));
        assertEquals("100", PingStatistics.time(99_950));
        assertEquals("1235", PingStatistics.time(1_234_567));
    }

    static knetsim.node.neigh.NeighReport neighOf(SequentialEngine.Result run, int hostLp) {
        return run.reports().get(hostLp).stream().filter(r -> r instanceof knetsim.node.neigh.NeighReport)
                .map(r -> (knetsim.node.neigh.NeighReport) r).findFirst().orElseThrow();
    }

    static List<String> transitions(knetsim.node.neigh.NeighReport r) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < r.timesNs().length; k++) {
            out.add(r.interfaces()[k] + " " + r.addresses()[k] + " " + r.lladdrs()[k] + " " + r.from()[k] + "->" + r.to()[k]);
        }
        return out;
    }

    @Test
    void theNeighbourTablesRecordEveryTransitionOfAFirstPing() {
        TestNet.Builder lan = twoPings();
        TestNet net = lan.build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        List<CaptureRecord> a = capture(run, "a.eth0");
        var neighA = neighOf(run, net.id("a"));
        // A: the first request creates the entry and starts resolution; the ARP reply makes it REACHABLE; after
        // reachable_time (15-45 s, drawn) without confirmation it goes STALE, and nothing uses it again
        assertEquals(List.of("eth0 10.0.0.2  NONE->INCOMPLETE", "eth0 10.0.0.2 02:00:00:00:00:0b INCOMPLETE->REACHABLE",
                "eth0 10.0.0.2 02:00:00:00:00:0b REACHABLE->STALE"), transitions(neighA));
        assertEquals(FIRST_SEND, neighA.timesNs()[0], "neigh_resolve_output() of the first request");
        assertEquals(a.get(2).timeNs() - XMIT_COST, neighA.timesNs()[1], "the reply is in: the queued request leaves");
        long stale = neighA.timesNs()[2] - neighA.timesNs()[1];
        assertTrue(stale >= 15 * SimTime.SECOND && stale <= 45 * SimTime.SECOND, "reachable_time " + stale);
        assertEquals(List.of("10.0.0.2 dev eth0 lladdr 02:00:00:00:00:0b STALE"), List.of(neighA.table()));
        // B: learns A from its request (STALE), uses it for the reply (DELAY), probes it 5 s later (PROBE,
        // delay_first_probe_time) and A's answer confirms it (REACHABLE)
        var neighB = neighOf(run, net.id("b"));
        assertEquals(List.of("eth0 10.0.0.1 02:00:00:00:00:0a NONE->STALE", "eth0 10.0.0.1 02:00:00:00:00:0a STALE->DELAY",
                "eth0 10.0.0.1 02:00:00:00:00:0a DELAY->PROBE", "eth0 10.0.0.1 02:00:00:00:00:0a PROBE->REACHABLE"),
                transitions(neighB).subList(0, 4));
        assertEquals(5 * SimTime.SECOND, neighB.timesNs()[2] - neighB.timesNs()[1]);
    }
}
