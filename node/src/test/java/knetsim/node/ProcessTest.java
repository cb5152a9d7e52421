package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import knetsim.core.engine.Counters;
import knetsim.core.engine.SequentialEngine;
import knetsim.core.time.SimTime;
import knetsim.link.ethernet.EthernetHeader;
import knetsim.link.ethernet.MacAddress;
import knetsim.link.pcap.CaptureRecord;
import knetsim.node.app.Ping;
import knetsim.node.app.UdpEcho;
import knetsim.node.app.UdpSender;
import knetsim.node.app.UdpSink;
import knetsim.node.inet.Config;
import knetsim.node.inet.Interface;
import knetsim.node.inet.StackOutput;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.neigh.ArpLayer;
import knetsim.node.neigh.ArpMessage;
import knetsim.node.neigh.NeighbourParameters;
import knetsim.node.neigh.NudState;
import knetsim.node.udp.UdpSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Applications as processes, gratuitous ARP, neighbour garbage collection and whole-run determinism. */
class ProcessTest {
    @TempDir
    Path dir;

    /** An InetStack outside any LP: the test feeds it frames and runs its timers at the times it asks for. */
    static final class Stack {
        final List<byte[]> sent = new ArrayList<>();
        final Counters counters = new Counters();
        long wakeAt = SimTime.NEVER;
        final InetStack stack;

        Stack(Ipv4Address address, MacAddress mac, int prefix) {
            var config = new Config(List.of(new Interface(1, "eth0", mac, address, prefix, 1500)),
                    List.of(), false);
            stack = new InetStack(config, NeighbourParameters.linuxDefaults(), new SplittableRandom(7), new StackOutput() {
                public void transmit(int ifindex, byte[] frame, int owner) {
                    sent.add(frame);
                }

                public void wakeAt(long time) {
                    wakeAt = time;
                }
            }, (socket, now) -> {}, counters);
        }

        void arp(ArpMessage message, MacAddress to, long now) {
            byte[] f = new byte[14 + message.length()];
            EthernetHeader.untagged(to, message.senderHardwareAddress(), 0x0806).emit(f, 0);
            message.emit(f, 14);
            stack.arpRcv(1, f, now);
        }

        /** Runs the stack's timers, as its host would, until none is due by {@code until}. */
        void runUntil(long until) {
            while (wakeAt <= until) {
                long t = wakeAt;
                wakeAt = SimTime.NEVER;
                stack.timerExpired(t);
            }
        }
    }

    @Test
    void withArpNotifyTheHostAnnouncesItselfAndAPeerWithoutAnEntryCreatesNone() throws Exception {
        TestNet.Builder lan = TestNet.lan();
        lan.spec("a").arpNotify(true);
        TestNet net = lan.build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        List<CaptureRecord> a = PingTest.capture(run, "a.eth0");
        assertEquals(1, a.size());
        byte[] f = a.get(0).frame();
        assertEquals(TestNet.XMIT_COST, a.get(0).timeNs(), "when the interface comes up");
        assertTrue(MacAddress.read(f, 0).isBroadcast());
        assertEquals("ARP req", PingTest.kind(a.get(0)));
        assertEquals(TestNet.IP_A, Ipv4Address.read(f, 28), "sender IP");
        assertEquals(TestNet.IP_A, Ipv4Address.read(f, 38), "target IP: the same");
        assertEquals(1, PingTest.capture(run, "b.eth0").size(), "B received it");
        Host b = net.host("b");
        assertNull(b.stack().neighbour(1, TestNet.IP_A), "arp_accept 0: no entry is created");
        assertEquals(0, b.stack().neighbourCount());
        List<String> info = Tshark.check(run, "a.eth0", dir);
        // sender IP = target IP with a zero target MAC: what Wireshark calls an ARP announcement
        assertEquals(List.of("ARP Announcement for 10.0.0.1"), info);
    }

    @Test
    void aGratuitousArpUpdatesAnExistingEntryToStaleWithTheNewAddress() {
        MacAddress oldMac = MacAddress.parse("02:00:00:00:00:aa");
        Stack b = new Stack(TestNet.IP_B, TestNet.MAC_B, 24);
        UdpSocket socket = (UdpSocket) b.stack.openSocket(false);
        // B sends to A: INCOMPLETE, then A (at its old MAC) answers: REACHABLE
        assertEquals(0, b.stack.udp().send(socket, TestNet.IP_A, 9, new byte[10], 0));
        b.arp(ArpMessage.replyTo(ArpMessage.request(TestNet.MAC_B, TestNet.IP_B.bits(), TestNet.IP_A.bits()), oldMac), TestNet.MAC_B, 1_000);
        assertEquals(NudState.REACHABLE, b.stack.neighbour(1, TestNet.IP_A).state());
        assertEquals(oldMac, MacAddress.read(b.sent.get(b.sent.size() - 1), 0), "the datagram went to the old MAC");
        // A's NIC was replaced: it announces 10.0.0.1 at its new MAC
        b.arp(ArpMessage.request(TestNet.MAC_A, TestNet.IP_A.bits(), TestNet.IP_A.bits()), MacAddress.BROADCAST, SimTime.SECOND);
        assertEquals(NudState.STALE, b.stack.neighbour(1, TestNet.IP_A).state());
        assertEquals(TestNet.MAC_A, b.stack.neighbour(1, TestNet.IP_A).hardwareAddress());
        assertEquals(0, b.stack.udp().send(socket, TestNet.IP_A, 9, new byte[10], 2 * SimTime.SECOND));
        assertEquals(TestNet.MAC_A, MacAddress.read(b.sent.get(b.sent.size() - 1), 0), "the next one goes to the new MAC");
        assertEquals(1, b.stack.neighbourCount());
    }

    /** ARP requests for {@code stack}'s address from {@code n} hosts 10.0.1.1, 10.0.1.2, ...: n STALE entries. */
    static void learn(Stack stack, int n, long now) {
        for (int i = 1; i <= n; i++) {
            int ip = Ipv4Address.parse("10.0.1.0").bits() + i;
            MacAddress mac = MacAddress.parse(String.format("02:00:00:00:%02x:%02x", i >> 8, i & 0xff));
            stack.arp(ArpMessage.request(mac, ip, Ipv4Address.parse("10.0.0.2").bits()), MacAddress.BROADCAST, now);
        }
    }

    @Test
    void fewerThanGcThresh1EntriesAreNeverCollected() {
        Stack s = new Stack(Ipv4Address.parse("10.0.0.2"), TestNet.MAC_B, 16);
        learn(s, ArpLayer.GC_THRESH1 - 1, 0);
        s.runUntil(1_000 * SimTime.SECOND);
        assertEquals(127, s.stack.neighbourCount());
        assertEquals(0, s.counters.get("periodic_gc_runs"));
        assertEquals(0, s.counters.get("destroys"));
        assertEquals(NudState.STALE, s.stack.neighbour(1, Ipv4Address.parse("10.0.1.1")).state());
    }

    @Test
    void withGcThresh1EntriesOrMoreStaleOnesAreCollectedAtTheFifteenSecondPeriod() {
        Stack s = new Stack(Ipv4Address.parse("10.0.0.2"), TestNet.MAC_B, 16);
        learn(s, 100, 0);
        learn(s, 140, 10 * SimTime.SECOND); // 100 known, 40 new at 10 s: 140 entries, gc from 25 s
        assertEquals(140, s.stack.neighbourCount());
        s.runUntil(59 * SimTime.SECOND);
        // runs at 25, 40 and 55 s collect nothing: every entry is younger than gc_stale_time
        assertEquals(3, s.counters.get("periodic_gc_runs"));
        assertEquals(0, s.counters.get("destroys"));
        s.runUntil(70 * SimTime.SECOND);
        // at 70 s the 40 created at 10 s are 60 s old; the 100 created at 0 s were last used then too
        // (an ARP request refreshes nothing but the address), so all 140 go
        assertEquals(4, s.counters.get("periodic_gc_runs"));
        assertEquals(140, s.counters.get("destroys"));
        assertEquals(0, s.stack.neighbourCount());
        // ip monitor neigh: each removal is a "Deleted" line, from the state the entry was in
        var report = s.stack.neighReport();
        int n = report.to().length;
        assertEquals(140, java.util.Arrays.stream(report.to()).filter(knetsim.node.neigh.ArpLayer.DELETED::equals).count());
        assertEquals(70 * SimTime.SECOND, report.timesNs()[n - 1]);
        assertEquals("STALE", report.from()[n - 1]);
        assertEquals(0, report.table().length, "ip neigh shows nothing");
        s.runUntil(1_000 * SimTime.SECOND);
        assertEquals(4, s.counters.get("periodic_gc_runs"), "below gc_thresh1 the work stops");
    }

    static List<Long> udpSendTimes(SequentialEngine.Result run) {
        return SocketTest.ipFrom(run, "a.eth0", TestNet.MAC_A, 17).stream().map(CaptureRecord::timeNs).toList();
    }

    @Test
    void aCbrSenderSendsTheExpectedCountOnSchedule() {
        // 1000-byte datagrams at 8 Mbit/s: one per millisecond from 10 ms until 110 ms
        var sender = new UdpSender(new UdpSender.Options(TestNet.IP_B, 5001, 8_000_000, 1000, 10 * SimTime.MILLISECOND,
                110 * SimTime.MILLISECOND, false));
        var sink = new UdpSink(new UdpSink.Options(5001, 0, 0, SimTime.SECOND));
        TestNet net = TestNet.lan().a(sender).b(sink).build();
        SequentialEngine.Result run = SequentialEngine.run(net);
        assertEquals(100, sender.packets());
        assertEquals(100, net.host("a").counters().get("UdpOutDatagrams"));
        List<Long> sent = udpSendTimes(run);
        assertEquals(100, sent.size());
        // after the first (late by socket, connect, getsockname, and ARP) each leaves on the dot:
        // the wake-up, the sendto()'s entry and dev_queue_xmit()
        for (int i = 1; i < 100; i++) {
            assertEquals(10 * SimTime.MILLISECOND + i * SimTime.MILLISECOND + TestNet.SYSCALL_COST + TestNet.XMIT_COST, sent.get(i));
        }
        var flow = sink.report(0).get(0);
        assertEquals(100, flow.packets());
        assertEquals(0, flow.lost());
        assertEquals(100_000, flow.bytes());
    }

    static SequentialEngine.Result poisson(long seed) {
        var sender = new UdpSender(new UdpSender.Options(TestNet.IP_B, 5001, 8_000_000, 1000, 0, SimTime.SECOND, true));
        TestNet.Builder lan = TestNet.lan().a(sender).b(new UdpSink(new UdpSink.Options(5001, 0, 0, SimTime.SECOND)));
        lan.seed(seed);
        return SequentialEngine.run(lan.build());
    }

    @Test
    void aPoissonSenderIsReproducibleFromItsSeedAndKeepsItsMeanRate() {
        List<Long> first = udpSendTimes(poisson(5)), again = udpSendTimes(poisson(5)), other = udpSendTimes(poisson(6));
        assertEquals(first, again, "the same seed gives the same departures");
        assertNotEquals(first, other, "another seed other ones");
        // about 1000 exponential gaps of mean 1 ms: the sample mean is within a few percent (sd 3%)
        double mean = (double) (first.get(first.size() - 1) - first.get(0)) / (first.size() - 1);
        assertTrue(Math.abs(mean - SimTime.MILLISECOND) < 0.12 * SimTime.MILLISECOND, "mean gap " + mean);
        assertTrue(first.size() > 850 && first.size() < 1150, first.size() + " datagrams in 1 s");
        long gapsUnderHalfMean = 0;
        for (int i = 1; i < first.size(); i++) if (first.get(i) - first.get(i - 1) < SimTime.MILLISECOND / 2) gapsUnderHalfMean++;
        // P(gap < mean / 2) = 1 - e^-0.5 = 39%: not evenly spaced
        double share = (double) gapsUnderHalfMean / (first.size() - 1);
        assertTrue(share > 0.30 && share < 0.48, "share of short gaps " + share);
    }

    static TestNet everything(long seed) {
        TestNet.Builder lan = TestNet.lan()
                .a(new Ping(new Ping.Options(TestNet.IP_B, 3, 200 * SimTime.MILLISECOND, 56, 0, 64, false, SimTime.SECOND)),
                        new UdpSender(new UdpSender.Options(TestNet.IP_B, 5001, 4_000_000, 500, 0, 300 * SimTime.MILLISECOND, true)),
                        new Script(new SocketTest.Steps().udpEchoRoundTrip()))
                .b(new UdpSink(new UdpSink.Options(5001, 2_000, 50_000, SimTime.MILLISECOND)), new UdpEcho(7));
        lan.seed(seed);
        lan.cableOf("a.eth0").lossAtoZ(() -> new knetsim.link.loss.BernoulliLoss(0.05));
        lan.spec("a").arpNotify(true);
        return lan.build();
    }

    @Test
    void theSameScenarioTwiceGivesTheSameDigest() throws Exception {
        SequentialEngine.Result one = SequentialEngine.run(everything(3));
        SequentialEngine.Result two = SequentialEngine.run(everything(3));
        SequentialEngine.Result other = SequentialEngine.run(everything(4));
        assertEquals(one.digest(), two.digest());
        assertEquals(one.events(), two.events());
        assertEquals(one.counters(), two.counters());
        assertEquals(PingTest.capture(one, "a.eth0").stream().map(CaptureRecord::timeNs).toList(),
                PingTest.capture(two, "a.eth0").stream().map(CaptureRecord::timeNs).toList());
        assertNotEquals(one.digest(), other.digest(), "the seed drives the loss and the Poisson gaps");
        Tshark.check(one, "a.eth0", dir);
        Tshark.check(one, "b.eth0", dir);
    }
}
