package knetsim.link.drop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import knetsim.link.wire.NetworkBytes;

/**
 * Which flow each dropped packet belonged to, kept by the LP that dropped it, as ns-3's FlowMonitor
 * attributes losses: the drop site hands over the packet's bytes only when it drops, the 5-tuple is
 * read then, and (reason, 5-tuple) is counted in a small map. Nothing is done for a delivered
 * packet. A non-IPv4 frame (ARP) or a non-first fragment, whose ports are not in it, counts under
 * protocol 0 or with ports 0. For ICMP the "ports" are the message's type and, for echo, its id.
 */
public final class FlowDrops {
    private static final int ETH_P_IP = 0x0800;
    private static final int ETH_HLEN = 14;

    private record Key(String reason, int protocol, int source, int destination, int sourcePort, int destinationPort) {}

    private final Map<Key, long[]> counts = new HashMap<>();

    // kfree_skb_reason() on a frame: the Ethernet header, then the IPv4 packet it carries.
    public void frame(String reason, byte[] frame, int offset, int length) {
        if (length >= ETH_HLEN && NetworkBytes.readShort(frame, offset + 12) == ETH_P_IP) {
            ip(reason, frame, offset + ETH_HLEN, length - ETH_HLEN);
        } else {
            count(new Key(reason, 0, 0, 0, 0, 0), length);
        }
    }

    // kfree_skb_reason() on an IPv4 packet: its addresses, protocol and (first fragment only) ports.
    public void ip(String reason, byte[] packet, int offset, int length) {
        if (length < 20 || (packet[offset] & 0xf0) != 0x40) {
            count(new Key(reason, 0, 0, 0, 0, 0), length);
            return;
        }
        int ihl = (packet[offset] & 0x0f) * 4;
        int protocol = packet[offset + 9] & 0xff;
        int source = NetworkBytes.readInt(packet, offset + 12), destination = NetworkBytes.readInt(packet, offset + 16);
        int totalLength = Math.min(length, NetworkBytes.readShort(packet, offset + 2));
        boolean firstFragment = (NetworkBytes.readShort(packet, offset + 6) & 0x1fff) == 0;
        int sport = 0, dport = 0, l4 = offset + ihl;
        if (firstFragment && ihl >= 20 && length >= ihl + 4) {
            if (protocol == 1) {
                sport = packet[l4] & 0xff;
                boolean echo = sport == 0 || sport == 8;
                dport = echo && length >= ihl + 6 ? NetworkBytes.readShort(packet, l4 + 4) : 0;
            } else {
                sport = NetworkBytes.readShort(packet, l4);
                dport = NetworkBytes.readShort(packet, l4 + 2);
            }
        }
        count(new Key(reason, protocol, source, destination, sport, dport), totalLength);
    }

    private void count(Key key, long bytes) {
        long[] c = counts.computeIfAbsent(key, k -> new long[2]);
        c[0]++;
        c[1] += bytes;
    }

    /** What was dropped so far, one entry per (reason, 5-tuple); null when nothing was. */
    public FlowDropReport report(String place) {
        if (counts.isEmpty()) return null;
        List<Map.Entry<Key, long[]>> entries = new ArrayList<>(counts.entrySet());
        // the digest does not see reports, but their order should still not depend on hashing
        entries.sort((a, b) -> a.getKey().toString().compareTo(b.getKey().toString()));
        int n = entries.size();
        String[] reasons = new String[n];
        int[] tuple = new int[n * 5];
        long[] packets = new long[n], bytes = new long[n];
        for (int i = 0; i < n; i++) {
            Key k = entries.get(i).getKey();
            reasons[i] = k.reason();
            tuple[i * 5] = k.protocol();
            tuple[i * 5 + 1] = k.source();
            tuple[i * 5 + 2] = k.destination();
            tuple[i * 5 + 3] = k.sourcePort();
            tuple[i * 5 + 4] = k.destinationPort();
            packets[i] = entries.get(i).getValue()[0];
            bytes[i] = entries.get(i).getValue()[1];
        }
        return new FlowDropReport(place, reasons, tuple, packets, bytes);
    }
}
