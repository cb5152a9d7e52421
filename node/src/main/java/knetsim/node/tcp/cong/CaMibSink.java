package knetsim.node.tcp.cong;

/** Receives the counter updates a congestion-control module makes (NET_ADD_STATS(net, field, value)). */
@FunctionalInterface
public interface CaMibSink {
    /** Discards every update (a socket not wired to a MIB, unit tests). */
    CaMibSink NONE = (field, value) -> {};

    void add(CaMib field, long value);
}
