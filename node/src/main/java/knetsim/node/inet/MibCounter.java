package knetsim.node.inet;

import knetsim.core.engine.Counters;

/**
 * One SNMP MIB counter (IpInReceives, UdpOutDatagrams...) of a host, kept as a handle: the name is looked up
 * once, at the first count, so the per-packet cost is a field increment and a counter never counted is not
 * reported (as nstat leaves out zeros).
 */
public final class MibCounter {
    private final Counters counters;
    private final String name;
    private Counters.Counter handle;

    public MibCounter(Counters counters, String name) {
        this.counters = counters;
        this.name = name;
    }

    public void increment() {
        handle().increment();
    }

    public void add(long delta) {
        handle().add(delta);
    }

    private Counters.Counter handle() {
        if (handle == null) handle = counters.counter(name);
        return handle;
    }

    /**
     * The drop counters "drop_" + reason of one host, by SKB_DROP_REASON ordinal. A reason's handle is made at
     * its first drop: a host that drops nothing holds no table, not a hundred handles and names it never counts.
     */
    public static final class Drops {
        private static final String[] NAMES = names();
        private final Counters counters;
        private MibCounter[] byReason; // made at the first drop

        public Drops(Counters counters) {
            this.counters = counters;
        }

        private static String[] names() {
            var reasons = knetsim.node.skb.SkbDropReason.values();
            String[] names = new String[reasons.length];
            for (var r : reasons) names[r.ordinal()] = "drop_" + r.name();
            return names;
        }

        // kfree_skb_reason()
        public void drop(knetsim.node.skb.SkbDropReason reason) {
            int i = reason.ordinal();
            if (byReason == null) byReason = new MibCounter[NAMES.length];
            MibCounter c = byReason[i];
            if (c == null) byReason[i] = c = new MibCounter(counters, NAMES[i]);
            c.increment();
        }
    }
}
