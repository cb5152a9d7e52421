package knetsim.node.ipv4;

/**
 * A packet on its way out and the socket whose send memory it holds (-1: the kernel's own): what ip output
 * hands the neighbour subsystem, and what waits in an entry's arp_queue. {@code tstamp} is skb->tstamp, the
 * earliest departure time TCP set (0: now; a forwarded packet's is cleared, as ip_forward() does).
 */
public record OutPacket(byte[] bytes, int owner, long tstamp) {
    public OutPacket(byte[] bytes, int owner) {
        this(bytes, owner, 0);
    }
}
