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
}
