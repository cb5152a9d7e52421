package knetsim.node;

import knetsim.core.engine.Counters;
import knetsim.link.drop.FlowDrops;
import knetsim.node.icmp.IcmpLayer;
import knetsim.node.icmp.IcmpMessage;
import knetsim.node.inet.MibCounter;
import knetsim.node.ipv4.IpOutput;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.netfilter.Netfilter;
import knetsim.node.netfilter.Rule;
import knetsim.node.skb.SkbDropReason;

/**
 * NF_HOOK() of one host's IPv4 paths (net/netfilter/core.c with the filter table of iptable_filter): the
 * verdict {@link IpInput}, {@link IpForward} and {@link IpOutput} ask at each hook, and the rules' counters.
 */
final class NfHooks implements IpOutput.NfHook {
    private final Netfilter netfilter;
    private final IcmpLayer icmp;
    private final MibCounter.Drops drops;
    private final FlowDrops flowDrops;

    NfHooks(Netfilter netfilter, IcmpLayer icmp, MibCounter.Drops drops, FlowDrops flowDrops) {
        this.netfilter = netfilter;
        this.icmp = icmp;
        this.drops = drops;
        this.flowDrops = flowDrops;
    }

    // NF_HOOK(): the filter table's verdict; DROP counts NETFILTER_DROP, REJECT also answers (ipt_REJECT).
    @Override
    public boolean hook(Rule.Hook hook, Ipv4Packet packet, String in, String out, long now) {
        if (netfilter.size() == 0) return true; // an empty filter table accepts without reading the packet
        Rule rule = netfilter.verdict(hook, packet, in, out);
        if (rule == null || rule.target() == Rule.Target.ACCEPT) return true;
        drops.drop(SkbDropReason.NETFILTER_DROP);
        flowDrops.ip(SkbDropReason.NETFILTER_DROP.name(), packet.buffer(), packet.offset(), packet.totalLength());
        if (rule.target() == Rule.Target.REJECT) {
            icmp.send(IcmpMessage.destinationUnreachable(rule.rejectCode(), packet), packet, now);
        }
        return false;
    }

    // iptables -L -v -x: each rule's packets and bytes, at the end of a run.
    void publishCounters(Counters counters) {
        for (int i = 0; i < netfilter.size(); i++) {
            counters.counter("netfilter_rule_" + i + "_packets").add(netfilter.packets(i));
            counters.counter("netfilter_rule_" + i + "_bytes").add(netfilter.bytes(i));
        }
    }
}
