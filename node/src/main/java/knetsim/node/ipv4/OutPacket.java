package knetsim.node.ipv4;

import knetsim.link.ethernet.EthernetFrame;

/**
 * A packet on its way out and the socket whose send memory it holds (-1: the kernel's own): what ip output
 * hands the neighbour subsystem, and what waits in an entry's arp_queue. {@code tstamp} is skb->tstamp, the
 * earliest departure time TCP set (0: now; a forwarded packet's is cleared, as ip_forward() does).
 * <p>
 * The IP packet is {@code buffer[offset, offset + length)}. Like an skb allocated with LL_RESERVED_SPACE, a buffer
 * built by ip output has {@link #HEADROOM} bytes in front of the packet and nothing behind it, so the link layer
 * pushes its header into it (skb_push() in dev_hard_header()) and sends the buffer itself as the frame. An
 * OutPacket is transmitted at most once: the frame then belongs to the device.
 */
public record OutPacket(byte[] buffer, int offset, int length, int owner, long tstamp) {
    /** LL_RESERVED_SPACE() of an Ethernet device: room for an untagged header (ETH_HLEN). */
    public static final int HEADROOM = EthernetFrame.HEADER_LEN;

    /** A fresh buffer for an IP packet of {@code length} bytes, at {@link #HEADROOM}. */
    public static byte[] allocate(int length) {
        return new byte[HEADROOM + length];
    }

    /** The packet built in {@code buffer} by {@link #allocate}. */
    public static OutPacket withHeadroom(byte[] buffer, int owner, long tstamp) {
        return new OutPacket(buffer, HEADROOM, buffer.length - HEADROOM, owner, tstamp);
    }

    /** skb_headroom() >= {@code len} with the packet running to the buffer's end: a header of {@code len} bytes
     * can be pushed in front of it and the whole buffer be the frame. */
    public boolean fitsHeader(int len) {
        return offset == len && offset + length == buffer.length;
    }
}
