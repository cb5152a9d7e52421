package knetsim.node.tcp.cong;

/**
 * What an algorithm that owns the receiver's ECN echo (DCTCP's dctcp_ece_ack_update()) does to its socket:
 * the delayed-ACK state (icsk_ack.pending), __tcp_send_ack() for an earlier rcv_nxt and the
 * TCP_ECN_DEMAND_CWR bit of tp->ecn_flags. The socket points {@link CongState#sock} at its own.
 */
public interface CaSock {
    /** A socket that is not wired (unit tests without one): nothing pending, every action ignored. */
    CaSock NONE = new CaSock() {
        public boolean delayedAckPending() {
            return false;
        }

        public void sendAck(long rcvNxt) {}

        public void ackNow() {}

        public void demandCwr(boolean on) {}

        public void ecnDontXmit() {}
    };

    /** icsk_ack.pending & ICSK_ACK_TIMER: a delayed ACK is scheduled. */
    boolean delayedAckPending();

    /** __tcp_send_ack(sk, rcv_nxt): a pure ACK acknowledging {@code rcvNxt} (unwrapped), ECE as the flags say now. */
    void sendAck(long rcvNxt);

    /** icsk_ack.pending |= ICSK_ACK_NOW: the ACK of the segment being processed goes out at once. */
    void ackNow();

    /** Sets or clears TCP_ECN_DEMAND_CWR (whether the socket's segments carry ECE). */
    void demandCwr(boolean on);

    /** INET_ECN_dontxmit(): the socket's packets go out Not-ECT from now on. */
    void ecnDontXmit();
}
