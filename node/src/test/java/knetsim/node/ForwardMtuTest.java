package knetsim.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import knetsim.core.engine.Counters;
import knetsim.link.ethernet.EtherType;
import knetsim.link.ethernet.EthernetHeader;
import knetsim.link.ethernet.MacAddress;
import knetsim.node.inet.Config;
import knetsim.node.inet.Interface;
import knetsim.node.inet.StackOutput;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Header;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.neigh.ArpMessage;
import knetsim.node.neigh.NeighbourParameters;
import org.junit.jupiter.api.Test;

/** ip_forward() onto a link with a smaller MTU: fragmentation needed for DF, fragments otherwise. */
class ForwardMtuTest {
    static final MacAddress R0 = MacAddress.parse("02:00:00:00:01:01"), R1 = MacAddress.parse("02:00:00:00:02:01");
    static final MacAddress A = MacAddress.parse("02:00:00:00:01:02"), B = MacAddress.parse("02:00:00:00:02:02");
    static final Ipv4Address IP_A = Ipv4Address.parse("10.0.1.2"), IP_B = Ipv4Address.parse("10.0.2.2");

    record Sent(int ifindex, byte[] frame) {}

    final List<Sent> sent = new ArrayList<>();
    final Counters counters = new Counters();
    final InetStack router = new InetStack(new Config(List.of(
            new Interface(1, "eth0", R0, Ipv4Address.parse("10.0.1.1"), 24, 1500),
            new Interface(2, "eth1", R1, Ipv4Address.parse("10.0.2.1"), 24, 576)), List.of(), true),
            NeighbourParameters.linuxDefaults(), new SplittableRandom(1), new StackOutput() {
                public void transmit(int ifindex, byte[] frame, int owner) {
                    sent.add(new Sent(ifindex, frame));
                }

                public void wakeAt(long time) {}
            }, (socket, now) -> {}, counters);

    static byte[] frame(MacAddress to, MacAddress from, int type, byte[] body) {
        EthernetHeader h = EthernetHeader.untagged(to, from, type);
        byte[] f = new byte[h.length() + body.length];
        h.emit(f, 0);
        System.arraycopy(body, 0, f, h.length(), body.length);
        return f;
    }

    static byte[] arpRequest(MacAddress from, Ipv4Address ip, String target) {
        ArpMessage m = ArpMessage.request(from, ip.bits(), Ipv4Address.parse(target).bits());
        byte[] body = new byte[m.length()];
        m.emit(body, 0);
        return frame(MacAddress.BROADCAST, from, EtherType.ARP, body);
    }

    static byte[] udpFromAToB(int payload, boolean df) {
        Ipv4Header h = new Ipv4Header(0, 7, df ? Ipv4Packet.IP_DF : 0, 0, 64, 17, IP_A, IP_B, new byte[0], 8 + payload);
        byte[] ip = new byte[h.length() + 8 + payload];
        h.emit(ip, 0);
        return frame(R0, A, EtherType.IPV4, ip);
    }

    void learnNeighbours() {
        router.arpRcv(1, arpRequest(A, IP_A, "10.0.1.1"), 0);
        router.arpRcv(2, arpRequest(B, IP_B, "10.0.2.1"), 0);
        sent.clear(); // the ARP replies
    }

    @Test
    void aDontFragmentDatagramTooBigForTheNextHopIsAnsweredWithFragmentationNeeded() {
        learnNeighbours();
        router.ipRcv(1, udpFromAToB(1000, true), 1_000);
        assertEquals(1, sent.size(), "only the ICMP error: " + sent.size());
        byte[] f = sent.get(0).frame();
        assertEquals(1, sent.get(0).ifindex(), "back towards A");
        assertEquals(1, f[14 + 9], "ICMP");
        assertEquals(3, f[34] & 0xff, "destination unreachable");
        assertEquals(4, f[35] & 0xff, "fragmentation needed");
        assertEquals(576, ((f[34 + 6] & 0xff) << 8) | (f[34 + 7] & 0xff), "the next hop's MTU");
        router.publishCounters();
        assertEquals(1, counters.get("IpFragFails"));
        assertEquals(0, counters.get("IpForwDatagrams"));
    }

    @Test
    void aDatagramWithoutDfIsFragmentedForTheNextHop() {
        learnNeighbours();
        router.ipRcv(1, udpFromAToB(1000, false), 1_000);
        assertTrue(sent.size() >= 2, "fragments: " + sent.size());
        int data = 0;
        for (Sent s : sent) {
            assertEquals(2, s.ifindex());
            assertTrue(s.frame().length - 14 <= 576, "each fits eth1's MTU: " + (s.frame().length - 14));
            data += s.frame().length - 14 - 20;
        }
        assertEquals(1008, data, "the UDP header and payload, split");
        router.publishCounters();
        assertEquals(1, counters.get("IpFragOKs"));
    }
}
