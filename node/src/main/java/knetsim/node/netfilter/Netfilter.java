package knetsim.node.netfilter;

import java.util.List;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;

/**
 * The filter table of one host: the rules of each hook in order, the first match decides, and
 * a chain's policy (ACCEPT) applies when none does. Each rule counts what it matched, as
 * `iptables -L -v` shows (pkts, bytes).
 */
public final class Netfilter {
    private final List<Rule> rules;
    private final long[] packets;
    private final long[] bytes;

    public Netfilter(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.packets = new long[rules.size()];
        this.bytes = new long[rules.size()];
    }

    /** nf_hook_slow() for an IPv4 packet: the first matching rule of {@code hook}, or null for ACCEPT. */
    public Rule verdict(Rule.Hook hook, Ipv4Packet packet, String in, String out) {
        // only a first fragment carries the ICMP header an --icmp-type match reads
        int icmpType = packet.protocol() == 1 && packet.fragmentOffset() == 0 && packet.payloadLength() > 0
                ? packet.buffer()[packet.payloadOffset()] & 0xff : -1;
        // --sport/--dport read the UDP/TCP header, which only a first fragment has
        boolean ports = (packet.protocol() == 17 || packet.protocol() == 6) && packet.fragmentOffset() == 0
                && packet.payloadLength() >= 4;
        byte[] b = packet.buffer();
        int at = packet.payloadOffset();
        int sport = ports ? ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff) : -1;
        int dport = ports ? ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff) : -1;
        return verdict(hook, packet.source(), packet.destination(), packet.protocol(), icmpType, in, out,
                packet.totalLength(), sport, dport);
    }

    /** The first matching rule of {@code hook} for these header fields, or null for the ACCEPT policy. */
    public Rule verdict(Rule.Hook hook, Ipv4Address source, Ipv4Address destination, int protocol, int icmpType,
                        String in, String out, int length, int sourcePort, int destinationPort) {
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            if (rule.hook() == hook && rule.matches(source, destination, protocol, icmpType, in, out, sourcePort, destinationPort)) {
                packets[i]++;
                bytes[i] += length;
                return rule;
            }
        }
        return null;
    }

    public long packets(int rule) {
        return packets[rule];
    }

    public long bytes(int rule) {
        return bytes[rule];
    }

    public int size() {
        return rules.size();
    }
}
