package knetsim.node.tcp.cong;

/**
 * struct tcp_congestion_ops. One instance per socket (its fields are the kernel's icsk_ca_priv),
 * made by {@link CongestionRegistry}. Required: {@link #ssthresh} and either {@link #congAvoid}
 * or {@link #congControl} (an algorithm with hasCongControl() true owns cwnd entirely, as BBR).
 */
public interface TcpCongestionOps {
    /** in_ack_event() flag CA_ACK_SLOWPATH: the ACK was processed in the slow path. */
    int CA_ACK_SLOWPATH = 1;
    /** in_ack_event() flag CA_ACK_WIN_UPDATE: the ACK updated the window. */
    int CA_ACK_WIN_UPDATE = 1 << 1;
    /** in_ack_event() flag CA_ACK_ECE: the ACK carried ECE (DCTCP counts these). */
    int CA_ACK_ECE = 1 << 2;

    /** The name TCP_CONGESTION takes and ss prints ("cubic", "reno"). */
    String name();

    /** init(): the socket was set up (connection established or algorithm changed). */
    default void init(CongState tp) {}

    /** release(). */
    default void release(CongState tp) {}

    /** ssthresh(): the new slow-start threshold after loss (required). */
    int ssthresh(CongState tp);

    /** cong_avoid(): grow cwnd on an ACK that acked {@code acked} segments up to {@code ack}. */
    void congAvoid(CongState tp, long ack, int acked);

    /** set_state(): the CA state is about to become {@code newState}. */
    default void setState(CongState tp, CaState newState) {}

    /** cwnd_event(). */
    default void cwndEvent(CongState tp, CaEvent event) {}

    /** in_ack_event(): flags CA_ACK_SLOWPATH etc.; unused by reno/cubic. */
    default void inAckEvent(CongState tp, int flags) {}

    /** pkts_acked(): RTT and count of each ACK. */
    default void pktsAcked(CongState tp, AckSample sample) {}

    /** undo_cwnd(): the cwnd to go back to when a reduction was spurious. */
    int undoCwnd(CongState tp);

    /** Whether {@link #congControl} replaces cong_avoid (tcp_cong_control()). */
    default boolean hasCongControl() {
        return false;
    }

    /** cong_control(): called on every ACK with the rate sample instead of the default cwnd logic. */
    default void congControl(CongState tp, RateSample rs) {}

    /** TCP_CONG_NEEDS_ECN in .flags: the socket must negotiate ECN (DCTCP). */
    default boolean needsEcn() {
        return false;
    }

    /** sndbuf_expand(): the multiple of cwnd tcp_sndbuf_expand() sizes sk_sndbuf for (BBR: 3). */
    default int sndbufExpand() {
        return 2;
    }

    /** A value for ss -ti and series (e.g. "bic_K", "bbr_bw"); NaN when unknown. */
    default double info(String key) {
        return Double.NaN;
    }
}
