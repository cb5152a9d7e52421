package knetsim.node.netfilter;

import knetsim.node.ipv4.Ipv4Address;

/**
 * One iptables rule: where it hooks, what it matches, what it does. Null or -1 fields match
 * anything, as an omitted iptables option does. Prefixes are address and length (-s, -d).
 */
public record Rule(Hook hook, Ipv4Address source, int sourceLength, Ipv4Address destination, int destinationLength,
                   int protocol, int icmpType, String inInterface, String outInterface, Target target, int rejectCode,
                   int sourcePort, int destinationPort) {

    /** The netfilter hooks an IPv4 packet passes (NF_INET_*). */
    public enum Hook { PRE_ROUTING, LOCAL_IN, FORWARD, LOCAL_OUT, POST_ROUTING }

    /** ACCEPT and DROP end the chain; REJECT drops and answers with ICMP destination unreachable. */
    public enum Target { ACCEPT, DROP, REJECT }

    /** ipt_REJECT's default: --reject-with icmp-port-unreachable. */
    public static final int ICMP_PORT_UNREACH = 3;

    public Rule {
        if (hook == null || target == null) throw new IllegalArgumentException("a rule needs a hook and a target");
        if (sourceLength < 0 || sourceLength > 32 || destinationLength < 0 || destinationLength > 32) {
            throw new IllegalArgumentException("prefix lengths are 0..32");
        }
    }

    /** A rule matching everything on {@code hook}; narrow it with the with* methods. */
    public static Rule on(Hook hook, Target target) {
        return new Rule(hook, null, 0, null, 0, -1, -1, null, null, target, ICMP_PORT_UNREACH, -1, -1);
    }

    public Rule withSource(Ipv4Address address, int length) {
        return new Rule(hook, address, length, destination, destinationLength, protocol, icmpType, inInterface,
                outInterface, target, rejectCode, sourcePort, destinationPort);
    }

    public Rule withDestination(Ipv4Address address, int length) {
        return new Rule(hook, source, sourceLength, address, length, protocol, icmpType, inInterface, outInterface,
                target, rejectCode, sourcePort, destinationPort);
    }

    /** -p icmp --icmp-type TYPE (type -1: any ICMP). */
    public Rule withIcmp(int type) {
        return new Rule(hook, source, sourceLength, destination, destinationLength, 1, type, inInterface,
                outInterface, target, rejectCode, sourcePort, destinationPort);
    }

    public Rule withInInterface(String name) {
        return new Rule(hook, source, sourceLength, destination, destinationLength, protocol, icmpType, name,
                outInterface, target, rejectCode, sourcePort, destinationPort);
    }

    /** -p udp|tcp [--sport S] [--dport D] (-1: any port). */
    public Rule withPorts(int protocol, int sourcePort, int destinationPort) {
        return new Rule(hook, source, sourceLength, destination, destinationLength, protocol, icmpType, inInterface,
                outInterface, target, rejectCode, sourcePort, destinationPort);
    }

    /** -p PROTOCOL (-1: any). */
    public Rule withProtocol(int protocol) {
        return new Rule(hook, source, sourceLength, destination, destinationLength, protocol, icmpType, inInterface,
                outInterface, target, rejectCode, sourcePort, destinationPort);
    }

    public Rule withOutInterface(String name) {
        return new Rule(hook, source, sourceLength, destination, destinationLength, protocol, icmpType, inInterface,
                name, target, rejectCode, sourcePort, destinationPort);
    }

    /** -j REJECT --reject-with: the ICMP destination unreachable code. */
    public Rule rejectingWith(int code) {
        return new Rule(hook, source, sourceLength, destination, destinationLength, protocol, icmpType, inInterface,
                outInterface, target, code, sourcePort, destinationPort);
    }

    boolean matches(Ipv4Address src, Ipv4Address dst, int proto, int icmp, String in, String out, int sport, int dport) {
        return prefixMatches(source, sourceLength, src) && prefixMatches(destination, destinationLength, dst)
                && (sourcePort < 0 || sourcePort == sport) && (destinationPort < 0 || destinationPort == dport)
                && (protocol < 0 || protocol == proto) && (icmpType < 0 || icmpType == icmp)
                && (inInterface == null || inInterface.equals(in)) && (outInterface == null || outInterface.equals(out));
    }

    private static boolean prefixMatches(Ipv4Address prefix, int length, Ipv4Address address) {
        if (prefix == null || length == 0) return true;
        int mask = -1 << (32 - length);
        return (prefix.bits() & mask) == (address.bits() & mask);
    }
}
