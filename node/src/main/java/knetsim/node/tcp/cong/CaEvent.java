package knetsim.node.tcp.cong;

/** enum tcp_ca_event: what cwnd_event() is told. */
public enum CaEvent {
    /** First transmit when no packets in flight. */
    TX_START,
    /** Congestion window restart after idle. */
    CWND_RESTART,
    /** End of congestion recovery. */
    COMPLETE_CWR,
    /** Loss timeout. */
    LOSS,
    /** ECT set, but not CE marked. */
    ECN_NO_CE,
    /** Received CE marked IP packet. */
    ECN_IS_CE
}
