package knetsim.node.ipv4;

import knetsim.link.wire.NetworkBytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import knetsim.link.wire.Parsed;

/**
 * ip_fragment()/ip_do_fragment() as a plain object, so the output path can split a datagram bigger than the route
 * MTU into real fragment bytes and keep the FragOKs/FragFails/FragCreates counters of /proc/net/snmp.
 */
public final class Fragmenter {
    /** RFC 791's smallest MTU every IPv4 link must carry; a 60-byte header still leaves 8 bytes of data. */
    public static final int MIN_MTU = 68;

    // Option types, as include/uapi/linux/ip.h names them.
    static final int IPOPT_END = 0;
    static final int IPOPT_NOOP = 1;
    static final int IPOPT_COPY = 0x80;

    /** What {@link #fragment} made of a datagram. */
    public sealed interface Result permits Fragments, FragmentationNeeded {
    }

    /**
     * The datagram as it goes to the device: one unchanged copy when it fits the MTU, otherwise its fragments in
     * offset order.
     */
    public record Fragments(List<byte[]> fragments) implements Result {
        public Fragments {
            fragments = List.copyOf(fragments);
        }
    }

    /**
     * DF was set and the datagram is bigger than the MTU: the caller sends ICMP destination unreachable, fragmentation
     * needed (type 3 code 4) carrying {@code mtu}, or a local sender gets EMSGSIZE.
     */
    public record FragmentationNeeded(int mtu) implements Result {
    }

    /** The counters under their nstat names (/proc/net/snmp Ip: FragOKs, FragFails, FragCreates). */
    public record Stats(long fragOks, long fragFails, long fragCreates) {
        public Map<String, Long> asMap() {
            Map<String, Long> map = new LinkedHashMap<>();
            map.put("IpFragOKs", fragOks);
            map.put("IpFragFails", fragFails);
            map.put("IpFragCreates", fragCreates);
            return map;
        }
    }

    private long fragOks;
    private long fragFails;
    private long fragCreates;

    /**
     * Splits the datagram in {@code datagram} (header first, anything after its total length ignored) for a device
     * of {@code mtu} bytes.
     *
     * @throws IllegalArgumentException if the bytes do not parse as an IPv4 packet or the MTU is below 68
     */
    public Result fragment(byte[] datagram, int mtu) {
        return fragment(datagram, 0, datagram.length, mtu, 0);
    }

    /**
     * {@link #fragment(byte[], int)} of the datagram in {@code datagram[offset, offset + length)}, each piece starting
     * {@code headroom} bytes into its own buffer (LL_RESERVED_SPACE of ip_frag_next()'s alloc_skb()), which it fills
     * to the end.
     */
    public Result fragment(byte[] datagram, int offset, int length, int mtu, int headroom) {
        if (mtu < MIN_MTU) {
            throw new IllegalArgumentException("MTU " + mtu + " is below the IPv4 minimum " + MIN_MTU);
        }
        Parsed<Ipv4Packet> parsed = Ipv4Packet.parse(datagram, offset, length);
        if (!parsed.isOk()) {
            throw new IllegalArgumentException("not an IPv4 packet: " + parsed.reason());
        }
        Ipv4Packet packet = parsed.value();
        int start = packet.offset();
        // ip_finish_output(): only skb->len > mtu goes to ip_fragment().
        if (packet.totalLength() <= mtu) {
            byte[] copy = new byte[headroom + packet.totalLength()];
            System.arraycopy(datagram, start, copy, headroom, packet.totalLength());
            return new Fragments(List.of(copy));
        }
        // ip_fragment(): DF without ignore_df -> FRAGFAILS, icmp_send(ICMP_FRAG_NEEDED, mtu), -EMSGSIZE.
        if (packet.dontFragment()) {
            fragFails++;
            return new FragmentationNeeded(mtu);
        }
        return new Fragments(doFragment(packet, mtu, headroom));
    }

    // ip_do_fragment(), slow path: every fragment is a fresh copy with the (option-fixed) header of the original.
    private List<byte[]> doFragment(Ipv4Packet packet, int mtu, int headroom) {
        byte[] src = packet.buffer();
        int hlen = packet.headerLength();
        byte[] header = Arrays.copyOfRange(src, packet.offset(), packet.offset() + hlen);
        int room = mtu - hlen;
        int left = packet.payloadLength();
        int ptr = packet.payloadOffset();
        // ip_frag_init(): refragmenting a fragment continues from its offset and keeps its MF on the last piece.
        int offset = packet.fragmentOffset() * 8;
        boolean notLastFrag = packet.moreFragments();
        List<byte[]> fragments = new ArrayList<>();
        boolean first = true;
        while (left > 0) {
            // ip_frag_next(): as much as fits, cut to a multiple of 8 unless this is the rest.
            int len = Math.min(left, room);
            if (len < left) {
                len &= ~7;
            }
            byte[] fragment = new byte[headroom + hlen + len];
            int at = headroom;
            System.arraycopy(header, 0, fragment, at, hlen);
            System.arraycopy(src, ptr, fragment, at + hlen, len);
            left -= len;
            // frag_off is rebuilt, so DF and the reserved bit do not survive (IPSKB_FRAG_PMTU is not modelled).
            int fragOff = (offset >>> 3) | (left > 0 || notLastFrag ? Ipv4Packet.IP_MF : 0);
            NetworkBytes.writeShort(fragment, at + 2, hlen + len);
            NetworkBytes.writeShort(fragment, at + 6, fragOff);
            NetworkBytes.writeShort(fragment, at + Ipv4Packet.CHECK, 0);
            NetworkBytes.writeShort(fragment, at + Ipv4Packet.CHECK, InternetChecksum.compute(fragment, at, hlen));
            fragments.add(fragment);
            fragCreates++;
            if (first) {
                // ip_frag_ipcb(): the first fragment keeps every option, the rest inherit the NOOP-filled header.
                optionsFragment(header);
                first = false;
            }
            ptr += len;
            offset += len;
        }
        fragOks++;
        return fragments;
    }

    /**
     * ip_options_fragment(): overwrites each option whose copied flag is clear with NOOPs, keeping the header length,
     * so every later fragment has the same room for data; a malformed option list is left alone from there on.
     */
    static void optionsFragment(byte[] header) {
        int at = Ipv4Packet.HEADER_LEN;
        int l = header.length - Ipv4Packet.HEADER_LEN;
        while (l > 0) {
            int type = header[at] & 0xff;
            if (type == IPOPT_END) {
                return;
            }
            if (type == IPOPT_NOOP) {
                l--;
                at++;
                continue;
            }
            int optlen = l >= 2 ? header[at + 1] & 0xff : 0;
            if (optlen < 2 || optlen > l) {
                return;
            }
            if ((type & IPOPT_COPY) == 0) {
                Arrays.fill(header, at, at + optlen, (byte) IPOPT_NOOP);
            }
            l -= optlen;
            at += optlen;
        }
    }

    public Stats stats() {
        return new Stats(fragOks, fragFails, fragCreates);
    }

    @Override
    public String toString() {
        return "Fragmenter" + stats().asMap();
    }
}
