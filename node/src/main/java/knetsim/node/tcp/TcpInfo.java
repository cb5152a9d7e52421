package knetsim.node.tcp;

/**
 * struct tcp_info as getsockopt(TCP_INFO) returns it and ss -ti prints it (times in microseconds,
 * cwnd and ssthresh in segments, rates in bytes per second), plus the per-flow statistics a study
 * reads at the end (knetsim's own, marked below). {@code pacingRate} 0: unlimited (no RTT yet, or not paced).
 * The bbr fields are INET_DIAG_BBRINFO (ss -ti's bbr:(bw, mrtt, pacing_gain, cwnd_gain)): bw in bytes per second,
 * min RTT in us, gains in 256ths; -1 when the socket's congestion control is not BBR.
 */
public record TcpInfo(TcpState state, String caState, String congestionControl, int retransmits, int probes,
                      int backoff, long rtoUs, long atoUs, int sndMss, int rcvMss, int unacked, int sacked, int lost,
                      int retrans, long rttUs, long rttvarUs, long minRttUs, int sndSsthresh, int sndCwnd, int advmss,
                      int reordering, int rcvSpace, int rcvWnd, int sndWnd, long totalRetrans, long bytesSent,
                      long bytesRetrans, long bytesAcked, long bytesReceived, long segsOut, long segsIn,
                      long dataSegsOut, long dataSegsIn, long deliveryRate, boolean deliveryRateAppLimited,
                      long pacingRate, long notsentBytes, int rcvSsthresh,
                      // tcpi_options TCPI_OPT_ECN / TCPI_OPT_ECN_SEEN (ss: "ecn", "ecnseen"), tcpi_delivered_ce
                      boolean ecn, boolean ecnSeen, long deliveredCe,
                      long bbrBw, long bbrMinRttUs, int bbrPacingGain, int bbrCwndGain,
                      // knetsim's per-flow statistics (not in struct tcp_info)
                      long rttSamples, long rttP50Us, long rttP90Us, long rttP99Us, int minCwnd, int maxCwnd,
                      double meanCwnd) {}
