package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import knetsim.core.engine.InMemoryScenario;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.link.LineRate;
import knetsim.link.Link;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.loss.Corruption;
import knetsim.link.loss.LinkDelay;
import knetsim.link.loss.NoLoss;
import knetsim.link.pcap.CaptureChunk;
import knetsim.link.pcap.CaptureRecord;
import knetsim.link.pcap.PcapWriter;
import knetsim.node.dev.PfifoFast;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.nic.NicRxQueue;
import knetsim.node.nic.NicTxQueue;
import knetsim.node.softirq.SoftirqWorker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4's first scenario: the first ping to a new neighbour queues behind an ARP request. */
class PingTest {
    static final MacAddress MAC_A = MacAddress.parse("02:00:00:00:00:0a");
    static final MacAddress MAC_B = MacAddress.parse("02:00:00:00:00:0b");
    static final Ipv4Address IP_A = Ipv4Address.parse("10.0.0.1"), IP_B = Ipv4Address.parse("10.0.0.2");
    static final long XMIT_COST = 200;

    @TempDir
    Path dir;

    /** A at LPs 0-4 (host, tx, rx, cpu, link to B), B at 5-9; A pings B at 0 s and 1 s. */
    static InMemoryScenario twoHosts() {
        return twoHosts(List.of(new Host.Ping(0, IP_B, 7, 1, 56), new Host.Ping(SimTime.SECOND, IP_B, 7, 2, 56)));
    }

    static InMemoryScenario twoHosts(List<Host.Ping> pingsOfA) {
        return twoHosts(pingsOfA, List.of());
    }

    /** Frames an extra LP (id 10) puts straight into B's rx queue, each at 100 us + 10 us * i. */
    static InMemoryScenario twoHosts(List<Host.Ping> pingsOfA, List<byte[]> injectIntoB) {
        return twoHosts(pingsOfA, injectIntoB, NoLoss.INSTANCE);
    }

    /** {@code lossAtoB} applies to the cable from A to B. */
    static InMemoryScenario twoHosts(List<Host.Ping> pingsOfA, List<byte[]> injectIntoB, knetsim.link.loss.LossModel lossAtoB) {
        return twoHosts(Host.Apps.pings(pingsOfA), Host.Apps.pings(List.of()), injectIntoB, lossAtoB);
    }

    static InMemoryScenario twoHosts(Host.Apps appsOfA, Host.Apps appsOfB, List<byte[]> injectIntoB,
                                     knetsim.link.loss.LossModel lossAtoB) {
        InMemoryScenario.Builder b = InMemoryScenario.builder();
        long rate = 1_000_000_000L, latency = 50_000;
        SoftirqWorker.Config cpu = SoftirqWorker.Config.linuxDefaults();
        for (int side = 0; side < 2; side++) {
            int base = b.reserve();
            for (int i = 1; i < 5; i++) b.reserve();
            boolean a = side == 0;
            var iface = new InetStack.Interface(1, "eth0", a ? MAC_A : MAC_B, a ? IP_A : IP_B, 24, 1500);
            Host.Apps apps = a ? appsOfA : appsOfB;
            String device = a ? "a.eth0" : "b.eth0";
            int peerRx = a ? 7 : 2;
            b.define(base, () -> new Host(new int[] {base + 1}, XMIT_COST, new InetStack.Config(List.of(iface), List.of(), false),
                    apps, Map.of(1, device)));
            b.define(base + 1, () -> new NicTxQueue(NicTxQueue.Config.linuxDefaults(), new PfifoFast(1000), rate,
                    base + 4, base + 3, device));
            b.define(base + 2, () -> new NicRxQueue(NicRxQueue.Config.linuxDefaults(), iface.mac().toLong(), base + 3));
            b.define(base + 3, () -> new SoftirqWorker(cpu, base,
                    List.of(new SoftirqWorker.Napi(base + 2, base + 1, 1, "rx_queue_0"))));
            knetsim.link.loss.LossModel loss = a ? lossAtoB : NoLoss.INSTANCE;
            b.define(base + 4, () -> new Link(peerRx, LinkDelay.fixed(latency), loss, Corruption.NONE));
            b.edge(base, base + 1, XMIT_COST).edge(base + 1, base + 4, new LineRate(rate).minimumFrameNanos())
                    .edge(base + 1, base + 3, 1_000).edge(base + 2, base + 3, 1_000)
                    .edge(base + 3, base + 1, cpu.doorbell()).edge(base + 3, base + 2, cpu.doorbell())
                    .edge(base + 3, base, cpu.packetCost()).edge(base + 4, peerRx, latency);
        }
        b.add(() -> new Injector(7, injectIntoB));
        b.edge(10, 7, 1_000);
        return b.build();
    }

    record Inject(int index) implements knetsim.core.engine.Payload {
        @Override
        public long fingerprint() {
            return index;
        }
    }

    /** Puts raw frames on the wire to a NIC, as a misbehaving peer would. */
    static final class Injector extends knetsim.core.engine.LogicalProcess {
        final int target;
        final List<byte[]> frames;

        Injector(int target, List<byte[]> frames) {
            this.target = target;
            this.frames = frames;
        }

        @Override
        protected void onStart() {
            for (int i = 0; i < frames.size(); i++) schedule(100_000L + 10_000L * i, new Inject(i));
        }

        @Override
        protected void onEvent(knetsim.core.engine.Payload payload) {
            byte[] f = java.util.Arrays.copyOf(frames.get(((Inject) payload).index()), 60);
            send(target, 1_000, new knetsim.link.Frame(f.length >= 60 ? f : java.util.Arrays.copyOf(f, 60), true));
        }
    }

    static List<CaptureRecord> capture(SequentialEngine.Result run, String device) {
        List<CaptureRecord> records = new ArrayList<>();
        run.reports().values().forEach(items -> items.forEach(item -> {
            CaptureChunk chunk = (CaptureChunk) item;
            if (chunk.device().equals(device)) records.addAll(List.of(chunk.records()));
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
        InMemoryScenario net = twoHosts();
        SequentialEngine.Result run = SequentialEngine.run(net);
        List<CaptureRecord> a = capture(run, "a.eth0");
        List<String> kinds = a.stream().map(PingTest::kind).toList();
        assertEquals(List.of("ARP req", "ARP rep", "ICMP echo", "ICMP reply", "ICMP echo", "ICMP reply"), kinds.subList(0, 6));
        assertTrue(MacAddress.read(a.get(0).frame(), 0).isBroadcast(), "the first request is broadcast");
        // The queued echo request leaves as soon as the reply is in: dev_queue_xmit's cost later.
        assertEquals(a.get(1).timeNs() + XMIT_COST, a.get(2).timeNs());

        Host hostA = net.lp(0);
        List<Host.PingReply> replies = hostA.pingReplies();
        assertEquals(2, replies.size());
        assertTrue(replies.get(1).rtt() < replies.get(0).rtt(), "no ARP the second time: " + replies);
        assertEquals(2, hostA.counters().get("IcmpOutEchos"));
        assertEquals(2, hostA.counters().get("IcmpInEchoReps"));
        assertEquals(1, hostA.counters().get("ArpOutRequests"));
        Host hostB = net.lp(5);
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
        List<Host.Ping> pings = new ArrayList<>();
        for (int i = 0; i < 5; i++) pings.add(new Host.Ping(i * 500_000_000L, nobody, 7, i + 1, 56));
        InMemoryScenario net = twoHosts(pings);
        SequentialEngine.Result run = SequentialEngine.run(net);
        List<CaptureRecord> requests = capture(run, "a.eth0").stream().filter(r -> kind(r).equals("ARP req")).toList();
        // mcast_solicit 3 broadcast probes, retrans_time 1 s apart, each dev_queue_xmit's cost later
        assertEquals(List.of(XMIT_COST, SimTime.SECOND + XMIT_COST, 2 * SimTime.SECOND + XMIT_COST),
                requests.stream().map(CaptureRecord::timeNs).toList());
        assertTrue(requests.stream().allMatch(r -> MacAddress.read(r.frame(), 0).isBroadcast()));
        Host a = net.lp(0);
        // at 3 s the entry fails: every queued request is dropped and ping hears Host Unreachable
        assertEquals(5, a.counters().get("drop_NEIGH_FAILED"));
        assertEquals(List.of(1, 2, 3, 4, 5), a.pingErrors().stream().map(Host.PingError::sequence).toList());
        assertTrue(a.pingErrors().stream().allMatch(e -> e.at() == 3 * SimTime.SECOND && e.type() == 3 && e.code() == 1));
        assertEquals(5, a.counters().get("IcmpOutDestUnreachs"));
        assertEquals(0, a.pingReplies().size());
    }

    @Test
    void moreThanUnresQlenQueuedPacketsDropTheOldest() {
        Ipv4Address nobody = Ipv4Address.parse("10.0.0.3");
        List<Host.Ping> pings = new ArrayList<>();
        for (int i = 0; i < 150; i++) pings.add(new Host.Ping(0, nobody, 7, i + 1, 56));
        InMemoryScenario net = twoHosts(pings);
        SequentialEngine.run(net);
        Host a = net.lp(0);
        assertEquals(49, a.counters().get("drop_NEIGH_QUEUEFULL"), "unres_qlen 101 keeps the newest 101");
        assertEquals(101, a.counters().get("drop_NEIGH_FAILED"));
        // queue-full drops are silent; the 101 that waited to the end get Host Unreachable
        assertEquals(50, a.pingErrors().get(0).sequence());
        assertEquals(101, a.pingErrors().size());
    }

    @Test
    void a4000ByteDatagramLeavesAsThreeFragmentsAndIsReassembled() {
        InMemoryScenario net = twoHosts(List.of(new Host.Ping(0, IP_B, 7, 1, 4000)));
        SequentialEngine.Result run = SequentialEngine.run(net);
        Host a = net.lp(0);
        Host b = net.lp(5);
        assertEquals(1, a.pingReplies().size(), "the reply, fragmented too, came back whole");
        // 4008 bytes of ICMP in 1480 + 1480 + 1048: three fragments each way
        List<CaptureRecord> fragmentsOut = capture(run, "a.eth0").stream()
                .filter(r -> kind(r).equals("ICMP echo") || isLaterFragment(r)).toList();
        assertEquals(List.of(1514, 1514, 1082), fragmentsOut.stream().map(r -> r.frame().length).toList().subList(0, 3));
        assertEquals(3, a.counters().get("FragCreates"));
        assertEquals(1, a.counters().get("FragOKs"));
        assertEquals(3, b.counters().get("ReasmReqds"));
        assertEquals(1, b.counters().get("ReasmOKs"));
        assertEquals(1, a.counters().get("ReasmOKs"));
    }

    /** A fragment after the first: IPv4 with a non-zero offset (no ICMP header to classify). */
    static boolean isLaterFragment(CaptureRecord r) {
        byte[] f = r.frame();
        boolean ipv4 = f[12] == 0x08 && f[13] == 0x00;
        return ipv4 && (((f[20] & 0x1f) << 8) | (f[21] & 0xff)) != 0 && MacAddress.read(f, 6).equals(MAC_A);
    }

    @Test
    void dontFragmentGivesMessageTooLongAndSendsNothing() {
        InMemoryScenario net = twoHosts(List.of(new Host.Ping(0, IP_B, 7, 1, 4000, 64, true)));
        SequentialEngine.Result run = SequentialEngine.run(net);
        Host a = net.lp(0);
        assertEquals(List.of("Message too long"), a.pingErrors().stream().map(Host.PingError::text).toList());
        assertEquals(0, capture(run, "a.eth0").size(), "EMSGSIZE comes from sendto(): nothing on the wire");
    }

    @Test
    void aLostFragmentEndsInAReassemblyTimeout() {
        // frames from A: 1 the ARP request, 2-4 the fragments; the second fragment is lost
        InMemoryScenario net = twoHosts(List.of(new Host.Ping(0, IP_B, 7, 1, 4000)), List.of(),
                new knetsim.link.loss.DropList(3));
        SequentialEngine.run(net);
        Host a = net.lp(0);
        Host b = net.lp(5);
        assertEquals(1, b.counters().get("ReasmTimeout"));
        assertEquals(1, b.counters().get("ReasmFails"));
        assertEquals(0, b.counters().get("ReasmOKs"));
        // fragment 0 came, so B sends time exceeded (reassembly) 30 s after it, as ip_expire() does
        assertEquals(1, a.pingErrors().size());
        Host.PingError error = a.pingErrors().get(0);
        assertEquals("Frag reassembly time exceeded", error.text());
        assertEquals(IP_B, error.from());
        assertTrue(error.at() > 30 * SimTime.SECOND && error.at() < 30 * SimTime.SECOND + SimTime.MILLISECOND, "at " + error.at());
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
        InMemoryScenario net = twoHosts(List.of(new Host.Ping(SimTime.SECOND, IP_B, 7, 1, 56)),
                List.of(badVersion, badIpChecksum, tooLong, badIcmpChecksum, badArp));
        SequentialEngine.run(net);
        Host b = net.lp(5);
        assertEquals(1, b.counters().get("drop_IP_INHDR"));
        assertEquals(1, b.counters().get("drop_IP_CSUM"));
        assertEquals(1, b.counters().get("drop_PKT_TOO_SMALL"));
        assertEquals(2, b.counters().get("IpInHdrErrors"), "a bad checksum is also a header error");
        assertEquals(1, b.counters().get("IpInCsumErrors"));
        assertEquals(1, b.counters().get("IpInTruncatedPkts"));
        assertEquals(1, b.counters().get("IcmpInCsumErrors"));
        assertEquals(1, b.counters().get("IcmpInErrors"));
        assertEquals(1, b.counters().get("ArpInErrors"));
        assertEquals(1, b.counters().get("IcmpOutEchoReps"), "only the real ping was answered");
        assertEquals(1, net.<Host>lp(0).pingReplies().size(), "B still answers after the garbage");
    }

    @Test
    void tsharkDecodesTheExchangeWithGoodChecksums() throws Exception {
        assumeTrue(new ProcessBuilder("tshark", "-v").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS));
        SequentialEngine.Result run = SequentialEngine.run(twoHosts());
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
}
