package knetsim.node.icmp;

import knetsim.node.socket.Errno;

/** icmp_err_convert[] (net/ipv4/icmp.c): the errno an ICMP error becomes on a socket, and whether it is fatal ("hard"). */
public record IcmpErrors(int errno, boolean hard) {
    public static IcmpErrors of(int type, int code) {
        if (type == IcmpPacket.ICMP_TIME_EXCEEDED) return new IcmpErrors(Errno.EHOSTUNREACH, false);
        if (type != IcmpPacket.ICMP_DEST_UNREACH) return new IcmpErrors(Errno.EINVAL, false);
        return switch (code) {
            case IcmpPacket.ICMP_NET_UNREACH -> new IcmpErrors(Errno.ENETUNREACH, false);
            case IcmpPacket.ICMP_HOST_UNREACH -> new IcmpErrors(Errno.EHOSTUNREACH, false);
            case IcmpPacket.ICMP_PROT_UNREACH -> new IcmpErrors(Errno.ENOPROTOOPT, true);
            case IcmpPacket.ICMP_PORT_UNREACH -> new IcmpErrors(Errno.ECONNREFUSED, true);
            case IcmpPacket.ICMP_FRAG_NEEDED -> new IcmpErrors(Errno.EMSGSIZE, false);
            case 5 -> new IcmpErrors(Errno.EOPNOTSUPP, false); // ICMP_SR_FAILED
            case 6 -> new IcmpErrors(Errno.ENETUNREACH, true); // ICMP_NET_UNKNOWN
            case 7 -> new IcmpErrors(Errno.EHOSTDOWN, true); // ICMP_HOST_UNKNOWN
            case 8 -> new IcmpErrors(Errno.ENONET, true); // ICMP_HOST_ISOLATED
            case 9 -> new IcmpErrors(Errno.ENETUNREACH, true); // ICMP_NET_ANO
            case 10 -> new IcmpErrors(Errno.EHOSTUNREACH, true); // ICMP_HOST_ANO
            case 11 -> new IcmpErrors(Errno.ENETUNREACH, false); // ICMP_NET_UNR_TOS
            case 12 -> new IcmpErrors(Errno.EHOSTUNREACH, false); // ICMP_HOST_UNR_TOS
            // ICMP_PKT_FILTERED, ICMP_PREC_VIOLATION, ICMP_PREC_CUTOFF; above NR_ICMP_UNREACH the
            // callers' default: EHOSTUNREACH, not fatal
            case 13, 14, 15 -> new IcmpErrors(Errno.EHOSTUNREACH, true);
            default -> new IcmpErrors(Errno.EHOSTUNREACH, false);
        };
    }
}
