package knetsim.node.dev;

import java.util.Arrays;
import knetsim.core.engine.Counters;
import knetsim.link.ethernet.EtherType;
import knetsim.link.ethernet.MacAddress;
import knetsim.node.inet.Interface;
import knetsim.node.inet.MibCounter;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.OutPacket;
import knetsim.node.skb.SkbDropReason;

/**
 * drivers/net/loopback.c: {@code lo}, 127.0.0.1/8, MTU 65536, noqueue, no ring, no DMA, no interrupt.
 * loopback_xmit() turns the frame around with eth_type_trans() and hands it to netif_rx(), which queues it on the
 * CPU's backlog (netdev_max_backlog); process_backlog() later passes it to __netif_receive_skb(). Its header is an
 * Ethernet header with zero addresses, which is also what a capture on lo shows (LINKTYPE_ETHERNET).
 *
 * <p>One of these exists per host only once lo carried a packet (a host that never talks to itself pays nothing).
 * Its counters are the host's, named {@code lo.rx_packets} and so on; the results put them under {@code h1.lo}.
 */
public final class Loopback {
    /** lo is ifindex 1 on Linux; here NICs keep 1, 2, ... and lo takes an index no NIC gets. */
    public static final int IFINDEX = 65535;
    public static final String NAME = "lo";
    /** LOOPBACK_MTU: 64 KiB. */
    public static final int MTU = 65536;
    /** 127.0.0.1/8. */
    public static final Ipv4Address ADDRESS = Ipv4Address.parse("127.0.0.1");
    public static final int PREFIX_LENGTH = 8;
    /** The device as the IPv4 stack sees it (shared by every host: it holds nothing per host). */
    public static final Interface INTERFACE = new Interface(IFINDEX, NAME, MacAddress.ZERO, ADDRESS, PREFIX_LENGTH, MTU);
    /** net.core.netdev_max_backlog: packets a CPU's backlog holds before netif_rx() drops. */
    public static final int NETDEV_MAX_BACKLOG = 1000;
    /** Host counters with this prefix belong to the interface lo. */
    public static final String COUNTER_PREFIX = NAME + ".";
    private static final int ETH_HLEN = 14;

    private final MibCounter txPackets, txBytes, rxPackets, rxBytes, rxDropped, backlogDrops;
    private int backlog;

    public Loopback(Counters counters) {
        txPackets = new MibCounter(counters, COUNTER_PREFIX + "tx_packets");
        txBytes = new MibCounter(counters, COUNTER_PREFIX + "tx_bytes");
        rxPackets = new MibCounter(counters, COUNTER_PREFIX + "rx_packets");
        rxBytes = new MibCounter(counters, COUNTER_PREFIX + "rx_bytes");
        rxDropped = new MibCounter(counters, COUNTER_PREFIX + "rx_dropped");
        backlogDrops = new MibCounter(counters, "drop_" + SkbDropReason.CPU_BACKLOG.name());
    }

    /** Whether {@code address} is in 127.0.0.0/8 (ipv4_is_loopback()). */
    public static boolean isLoopback(Ipv4Address address) {
        return (address.bits() >>> 24) == 127;
    }

    /**
     * loopback_xmit() of the IP packet {@code packet}: the Ethernet frame that netif_rx() queues on the backlog, or
     * null when the backlog is full (enqueue_to_backlog(): CPU_BACKLOG, counted in lo's rx_dropped). lo's statistics
     * (dev_lstats_add(), after eth_type_trans() pulled the header, so IP bytes) count a packet once, on both sides.
     */
    public byte[] xmit(OutPacket packet) {
        if (backlog >= NETDEV_MAX_BACKLOG) {
            rxDropped.increment();
            backlogDrops.increment();
            return null;
        }
        backlog++;
        txPackets.increment();
        txBytes.add(packet.length());
        rxPackets.increment();
        rxBytes.add(packet.length());
        // dev_hard_header() -> eth_header() with lo's all-zero dev_addr as both addresses, pushed into the
        // packet's headroom (skb_push()); a buffer without it is copied behind a new header
        byte[] frame;
        if (packet.fitsHeader(ETH_HLEN)) {
            frame = packet.buffer();
            Arrays.fill(frame, 0, 12, (byte) 0);
        } else {
            frame = new byte[ETH_HLEN + packet.length()];
            System.arraycopy(packet.buffer(), packet.offset(), frame, ETH_HLEN, packet.length());
        }
        frame[12] = (byte) (EtherType.IPV4 >>> 8);
        frame[13] = (byte) EtherType.IPV4;
        return frame;
    }

    /** process_backlog(): a queued frame leaves the backlog for __netif_receive_skb(). */
    public void dequeued() {
        backlog--;
    }

    /** Frames waiting in the backlog. */
    public int backlog() {
        return backlog;
    }
}
