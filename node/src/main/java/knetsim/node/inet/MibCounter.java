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

    /** The drop counters "drop_" + reason of one host, by SKB_DROP_REASON ordinal. */
    public static final class Drops {
        private final MibCounter[] byReason;

        public Drops(Counters counters) {
            var reasons = knetsim.node.skb.SkbDropReason.values();
            byReason = new MibCounter[reasons.length];
            for (var r : reasons) byReason[r.ordinal()] = new MibCounter(counters, "drop_" + r.name());
        }

        // kfree_skb_reason()
        public void drop(knetsim.node.skb.SkbDropReason reason) {
            byReason[reason.ordinal()].increment();
        }
    }
}
