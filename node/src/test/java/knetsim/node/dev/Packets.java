package knetsim.node.dev;

import knetsim.node.skb.SkBuff;

/** Frames for qdisc tests: only len and priority matter to a qdisc. */
final class Packets {
    private Packets() {
    }

    static SkBuff frame(int length) {
        return frame(length, 0);
    }

    static SkBuff frame(int length, int priority) {
        SkBuff skb = SkBuff.allocate(0, length);
        skb.put(length);
        skb.setPriority(priority);
        return skb;
    }

    /**
     * An Ethernet frame with a valid IPv4 header (10.0.0.1 -> 10.0.0.2, TOS = the ECN bits given) and a UDP header
     * with these ports, {@code length} bytes in all: what the flow-hashing and ECN-marking qdiscs look into.
     */
    static SkBuff udp(int sourcePort, int destinationPort, int ecn, int length) {
        SkBuff skb = frame(length);
        byte[] b = skb.buffer();
        int at = skb.data();
        b[at + 12] = 0x08;
        int ip = at + 14;
        b[ip] = 0x45;
        b[ip + 1] = (byte) ecn;
        int total = length - 14;
        b[ip + 2] = (byte) (total >> 8);
        b[ip + 3] = (byte) total;
        b[ip + 6] = 0x40; // DF
        b[ip + 8] = 64;
        b[ip + 9] = 17;
        b[ip + 12] = 10; b[ip + 15] = 1;
        b[ip + 16] = 10; b[ip + 19] = 2;
        int check = knetsim.node.ipv4.InternetChecksum.compute(b, ip, 20);
        b[ip + 10] = (byte) (check >> 8);
        b[ip + 11] = (byte) check;
        b[ip + 20] = (byte) (sourcePort >> 8);
        b[ip + 21] = (byte) sourcePort;
        b[ip + 22] = (byte) (destinationPort >> 8);
        b[ip + 23] = (byte) destinationPort;
        return skb;
    }

    static boolean ipHeaderValid(SkBuff skb) {
        return knetsim.node.ipv4.InternetChecksum.isValid(skb.buffer(), skb.data() + 14, 20);
    }
}
