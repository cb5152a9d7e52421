package knetsim.topology.config;

import knetsim.node.netfilter.Rule;

/**
 * An iptables-like rule. protocol 0, prefix length 0, port -1 and a null interface match anything, as an
 * omitted iptables option does.
 */
public record NetfilterRuleSpec(Rule.Hook hook, Rule.Target target, int protocol, int source, int sourceLength,
                                int destination, int destinationLength, int sourcePort, int destinationPort,
                                String in, String out) {
}
