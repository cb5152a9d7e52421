package knetsim.node.tcp.cong;

/**
 * struct rate_sample (tcp_rate.c): a delivery-rate sample for cong_control() (BBR) and the socket's
 * delivery rate. {@code intervalUs} -1: no valid sample.
 */
public record RateSample(long priorDelivered, long delivered, long intervalUs, long rttUs, int losses,
                         int ackedSacked, int priorInFlight, boolean isAppLimited, boolean isRetrans,
                         boolean isAckDelayed) {}
