package knetsim.node.tcp.cong;

/** struct ack_sample: what pkts_acked() is told about one ACK (rttUs -1: no valid sample). */
public record AckSample(int pktsAcked, long rttUs, int inFlight) {}
