package knetsim.node.tcp.cong;

/** enum tcp_ca_state: the loss-recovery state machine's states (ss -ti prints them as ca_state). */
public enum CaState {
    OPEN, DISORDER, CWR, RECOVERY, LOSS
}
