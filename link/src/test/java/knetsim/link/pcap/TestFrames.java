package knetsim.link.pcap;

import java.nio.ByteBuffer;

/**
 * Real Ethernet frames built byte by byte, independently of the simulator's own codecs, so that
 * tshark judges the capture files on frames whose layout and checksums are known to be right.
 */
final class TestFrames {
    static final byte[] MAC_A = {0x02, 0, 0, 0, 0, 0x0a};
    static final byte[] MAC_B = {0x02, 0, 0, 0, 0, 0x0b};
    static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    static final byte[] IP_A = {10, 0, 0, 1};
    static final byte[] IP_B = {10, 0, 0, 2};

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_ARP = 0x0806;
    static final int PROTO_ICMP = 1;
    static final int PROTO_UDP = 17;

    /** Which checksum to corrupt, so tests can show tshark notices each one. */
    enum Break { NONE, IP, UDP, ICMP }

    private TestFrames() {
    }

    /** RFC 1071 Internet checksum over {@code data[offset, offset+length)}, continuing {@code sum}. */
    static int onesComplementSum(long sum, byte[] data, int offset, int length) {
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((data[offset + i] & 0xff) << 8) | (data[offset + i + 1] & 0xff);
        }
        if ((length & 1) != 0) sum += (data[offset + length - 1] & 0xff) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) sum;
    }

    static int checksum(byte[] data, int offset, int length) {
        return ~onesComplementSum(0, data, offset, length) & 0xffff;
    }

    /** Who-has {@code IP_B}, tell {@code IP_A}: the 42-byte broadcast a host sends first. */
    static byte[] arpRequest() {
        ByteBuffer b = ethernet(BROADCAST, MAC_A, ETHERTYPE_ARP, 28);
        b.putShort((short) 1)                  // hardware type: Ethernet
                .putShort((short) ETHERTYPE_IPV4)  // protocol type
                .put((byte) 6).put((byte) 4)   // address lengths
                .putShort((short) 1)           // operation: request
                .put(MAC_A).put(IP_A)
                .put(new byte[6]).put(IP_B);   // target MAC unknown
        return b.array();
    }

    static byte[] udp(int srcPort, int dstPort, byte[] payload, Break broken) {
        byte[] udp = new byte[8 + payload.length];
        ByteBuffer.wrap(udp).putShort((short) srcPort).putShort((short) dstPort)
                .putShort((short) udp.length).putShort((short) 0).put(payload);
        // The pseudo-header ties the datagram to its addresses (RFC 768).
        byte[] pseudo = ByteBuffer.allocate(12).put(IP_A).put(IP_B)
                .put((byte) 0).put((byte) PROTO_UDP).putShort((short) udp.length).array();
        int sum = ~onesComplementSum(onesComplementSum(0, pseudo, 0, 12), udp, 0, udp.length) & 0xffff;
        if (sum == 0) sum = 0xffff;  // 0 means "no checksum" in UDP over IPv4
        if (broken == Break.UDP) sum ^= 0x0101;
        ByteBuffer.wrap(udp).putShort(6, (short) sum);
        return ipv4(PROTO_UDP, udp, broken);
    }

    static byte[] icmpEchoRequest(int id, int seq, byte[] data, Break broken) {
        byte[] icmp = new byte[8 + data.length];
        ByteBuffer.wrap(icmp).put((byte) 8).put((byte) 0).putShort((short) 0)
                .putShort((short) id).putShort((short) seq).put(data);
        int sum = checksum(icmp, 0, icmp.length);
        if (broken == Break.ICMP) sum ^= 0x0101;
        ByteBuffer.wrap(icmp).putShort(2, (short) sum);
        return ipv4(PROTO_ICMP, icmp, broken);
    }

    /** An Ethernet frame carrying an IPv4 packet from {@code IP_A} to {@code IP_B}. */
    private static byte[] ipv4(int protocol, byte[] payload, Break broken) {
        ByteBuffer b = ethernet(MAC_B, MAC_A, ETHERTYPE_IPV4, 20 + payload.length);
        int ip = b.position();
        b.put((byte) 0x45).put((byte) 0)        // version 4, 20-byte header; DSCP/ECN 0
                .putShort((short) (20 + payload.length))
                .putShort((short) 0x1c46)      // identification
                .putShort((short) 0x4000)      // don't fragment
                .put((byte) 64).put((byte) protocol)
                .putShort((short) 0)           // checksum, filled in below
                .put(IP_A).put(IP_B);
        int sum = checksum(b.array(), ip, 20);
        if (broken == Break.IP) sum ^= 0x0101;
        b.putShort(ip + 10, (short) sum);
        b.put(payload);
        return b.array();
    }

    private static ByteBuffer ethernet(byte[] dst, byte[] src, int etherType, int payloadLength) {
        return ByteBuffer.allocate(14 + payloadLength).put(dst).put(src).putShort((short) etherType);
    }
}
