package knetsim.link.ethernet;

/**
 * The EtherType values knetsim's protocols use, as plain {@code int}s because the field is an open 16-bit space:
 * an unknown type must still parse so the receiver can count it, as the kernel does for protocols it lacks.
 */
public final class EtherType {
    public static final int IPV4 = 0x0800; // ETH_P_IP
    public static final int ARP = 0x0806;  // ETH_P_ARP
    public static final int VLAN = 0x8100; // ETH_P_8021Q, the 802.1Q tag protocol identifier (TPID)
    public static final int IPV6 = 0x86DD; // ETH_P_IPV6

    /** ETH_P_802_3_MIN: smaller values of the type/length field are 802.3 lengths, not EtherTypes. */
    public static final int MIN = 0x0600;

    private EtherType() {
    }

    /** eth_proto_is_802_3(): whether the field holds an 802.3 length rather than an Ethernet II type. */
    public static boolean isLength(int typeOrLength) {
        return typeOrLength < MIN;
    }

    /** A display name in tcpdump's spelling, or the hex value for types knetsim does not model. */
    public static String name(int type) {
        return switch (type) {
            case IPV4 -> "IPv4";
            case ARP -> "ARP";
            case VLAN -> "802.1Q";
            case IPV6 -> "IPv6";
            default -> String.format("0x%04x", type);
        };
    }
}
