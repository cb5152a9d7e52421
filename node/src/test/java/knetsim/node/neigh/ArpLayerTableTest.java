package knetsim.node.neigh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import knetsim.core.engine.Counters;
import knetsim.core.time.SimTime;
import knetsim.link.ethernet.MacAddress;
import knetsim.node.inet.Config;
import knetsim.node.inet.InetAddrList;
import knetsim.node.inet.Interface;
import knetsim.node.inet.StackOutput;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.OutPacket;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The neighbour table's hashed lookups and its kept earliest timer answer as a walk over the ordered table would:
 * random runs of sends, ARP replies and requests (some not for us), timer expiries and garbage collection, checked
 * after every step against each entry's own timer.
 */
class ArpLayerTableTest {
    private static final int OURS_1 = Ipv4Address.parse("10.0.1.1").bits();
    private static final int OURS_2 = Ipv4Address.parse("10.0.2.1").bits();

    @Property(tries = 40)
    void earliestTimerAndLookupsMatchTheTable(@ForAll long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Config config = new Config(List.of(
                new Interface(1, "eth0", MacAddress.parse("02:00:00:00:00:01"), Ipv4Address.of(OURS_1), 24, 1500),
                new Interface(2, "eth1", MacAddress.parse("02:00:00:00:00:02"), Ipv4Address.of(OURS_2), 24, 1500)),
                List.of(), true);
        List<long[]> timers = new ArrayList<>();
        StackOutput output = new StackOutput() {
            public void transmit(int ifindex, byte[] frame, int owner) {
            }

            public void wakeAt(long time) {
                timers.add(new long[] {time});
            }
        };
        ArpLayer arp = new ArpLayer(new InetAddrList(config), NeighbourParameters.linuxDefaults(), random.split(),
                output, new Counters(), null, new ArpLayer.Stack() {
                    public void txFreed(int owner, int truesize, long now) {
                    }

                    public void wakeForTimers() {
                    }
                });
        long now = 0;
        List<int[]> known = new ArrayList<>(); // (ifindex, address) of every entry made
        for (int step = 0; step < 400; step++) {
            now += random.nextLong(3 * SimTime.SECOND);
            int ifindex = 1 + random.nextInt(2);
            int neighbour = (ifindex == 1 ? OURS_1 : OURS_2) + 1 + random.nextInt(6);
            MacAddress mac = MacAddress.of(0x020000000100L + random.nextInt(3));
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    // not an IPv4 packet: a failed entry's arp_error_report() finds nothing to answer
                    arp.resolve(ifindex, neighbour, OutPacket.withHeadroom(new byte[OutPacket.HEADROOM + 40], -1, 0), now);
                    remember(known, ifindex, neighbour);
                }
                case 2 -> {
                    arp.arpRcv(ifindex, arpFrame(ArpMessage.REPLY, mac, neighbour, ifindex == 1 ? OURS_1 : OURS_2), now);
                    remember(known, ifindex, neighbour);
                }
                case 3 -> {
                    arp.arpRcv(ifindex, arpFrame(ArpMessage.REQUEST, mac, neighbour, ifindex == 1 ? OURS_1 : OURS_2), now);
                    remember(known, ifindex, neighbour);
                }
                case 4 -> arp.arpRcv(ifindex, arpFrame(ArpMessage.REQUEST, mac, neighbour, neighbour), now); // gratuitous
                default -> {
                    arp.periodicWork(now);
                    arp.timerExpired(now);
                }
            }
            long earliest = SimTime.NEVER;
            for (int[] k : known) {
                NeighbourEntry<?> entry = arp.neighbour(k[0], Ipv4Address.of(k[1]));
                assertNotNull(entry, "entry made and never collected (below gc_thresh1)");
                assertEquals(k[1], entry.address());
                assertSame(entry, arp.neighbour(k[0], Ipv4Address.of(k[1])));
                earliest = Math.min(earliest, entry.nextTimer());
            }
            assertEquals(known.size(), arp.neighbourCount());
            assertEquals(earliest, arp.nextTimer(), "step " + step);
        }
    }

    @Test
    void garbageCollectionLeavesTheHashedIndexInStepWithTheTable() {
        Config config = new Config(List.of(
                new Interface(1, "eth0", MacAddress.parse("02:00:00:00:00:01"), Ipv4Address.parse("10.0.0.1"), 16, 1500)),
                List.of(), true);
        Counters counters = new Counters();
        ArpLayer arp = new ArpLayer(new InetAddrList(config), NeighbourParameters.linuxDefaults(), new SplittableRandom(1),
                new StackOutput() {
                    public void transmit(int ifindex, byte[] frame, int owner) {
                    }

                    public void wakeAt(long time) {
                    }
                }, counters, null, new ArpLayer.Stack() {
                    public void txFreed(int owner, int truesize, long now) {
                    }

                    public void wakeForTimers() {
                    }
                });
        int first = Ipv4Address.parse("10.0.1.0").bits();
        int n = ArpLayer.GC_THRESH1 + 12;
        for (int i = 0; i < n; i++) arp.resolve(1, first + i, OutPacket.withHeadroom(new byte[OutPacket.HEADROOM + 40], -1, 0), 0);
        // ten answer and stay REACHABLE; the others fail after their probes and are collectable
        for (int i = 0; i < 10; i++) {
            arp.arpRcv(1, arpFrame(ArpMessage.REPLY, MacAddress.of(0x020000001000L + i), first + i, OURS_GC), SimTime.MILLISECOND);
        }
        for (long t = 100 * SimTime.MILLISECOND; t <= ArpLayer.GC_INTERVAL; t += 100 * SimTime.MILLISECOND) {
            arp.periodicWork(t);
            arp.timerExpired(t);
        }
        assertEquals(1, counters.get("periodic_gc_runs"));
        assertEquals(n - 10, counters.get("destroys"));
        assertEquals(10, arp.neighbourCount());
        long earliest = SimTime.NEVER;
        for (int i = 0; i < n; i++) {
            NeighbourEntry<?> entry = arp.neighbour(1, Ipv4Address.of(first + i));
            if (i >= 10) {
                assertNull(entry, "collected: " + i);
                continue;
            }
            assertEquals(NudState.REACHABLE, entry.state());
            earliest = Math.min(earliest, entry.nextTimer());
        }
        assertEquals(earliest, arp.nextTimer());
        // a collected neighbour used again is a new entry, found by the index
        arp.resolve(1, first + 20, OutPacket.withHeadroom(new byte[OutPacket.HEADROOM + 40], -1, 0), ArpLayer.GC_INTERVAL);
        assertEquals(11, arp.neighbourCount());
        assertEquals(NudState.INCOMPLETE, arp.neighbour(1, Ipv4Address.of(first + 20)).state());
    }

    private static final int OURS_GC = Ipv4Address.parse("10.0.0.1").bits();

    private static void remember(List<int[]> known, int ifindex, int address) {
        for (int[] k : known) if (k[0] == ifindex && k[1] == address) return;
        known.add(new int[] {ifindex, address});
    }

    private static byte[] arpFrame(int operation, MacAddress sender, int senderIp, int targetIp) {
        ArpMessage message = new ArpMessage(operation, sender, senderIp, MacAddress.ZERO, targetIp);
        byte[] frame = new byte[14 + message.length()];
        frame[12] = 0x08;
        frame[13] = 0x06;
        message.emit(frame, 14);
        return frame;
    }
}
