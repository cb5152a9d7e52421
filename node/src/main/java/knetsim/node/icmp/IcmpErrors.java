package knetsim.node.icmp;

import knetsim.node.socket.Errno;

/** icmp_err_convert[]: the errno an ICMP error becomes on a socket, and whether it is fatal ("hard"). */
public record IcmpErrors(int errno, boolean hard) {
    public static IcmpErrors of(int type, int code) {
        if (type == IcmpPacket.ICMP_TIME_EXCEEDED) return new IcmpErrors(Errno.EHOSTUNREACH, false);
        if (type != IcmpPacket.ICMP_DEST_UNREACH) return new IcmpErrors(Errno.EINVAL, false);
        return switch (code) {
            case IcmpPacket.ICMP_NET_UNREACH -> new IcmpErrors(Errno.ENETUNREACH, false);
            case IcmpPacket.ICMP_HOST_UNREACH -> new IcmpErrors(Errno.EHOSTUNREACH, false);
            case IcmpPacket.ICMP_PROT_UNREACH -> new IcmpErrors(92 /* ENOPROTOOPT */, true);
            case IcmpPacket.ICMP_PORT_UNREACH -> new IcmpErrors(Errno.ECONNREFUSED, true);
            case IcmpPacket.ICMP_FRAG_NEEDED -> new IcmpErrors(Errno.EMSGSIZE, false);
            default -> new IcmpErrors(Errno.EHOSTUNREACH, code == 9 || code == 10 || code == 13);
        };
    }
}
