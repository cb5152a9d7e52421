package knetsim.node.app;

import knetsim.core.serial.CrossJvm;

/**
 * A TCP client's view of its flow (tcp-bulk, tcp-rr): what it wrote from {@code source} to {@code destination},
 * when it started (the connect() call), connected and finished (the peer's FIN came back after all was read:
 * every byte delivered), and what TCP_INFO said: retransmitted segments, the RTT percentiles of the
 * sender's own samples, the congestion window's range. Every {@code sampleNs} the client read TCP_INFO;
 * the samples (cwnd and ssthresh in segments, srtt in us, delivery rate in bytes/s, bytes acked, the pacing rate in
 * bytes/s, and for BBR its bw in bytes/s, min RTT in us and gains in 256ths, -1 for other algorithms) give the
 * per-socket series. {@code transactionsNs}: tcp-rr's request/response times (or flow completion times in
 * short-flow mode). {@code segsOut}, {@code segsIn}: tcpi_segs_out and tcpi_segs_in of the last TCP_INFO read
 * (-1: none was read). {@code rttSamples} 0: TCP_INFO kept no per-flow RTT statistics, only the samples here
 * describe the flow. {@code error}: the errno name that ended the flow early, or "".
 */
public record TcpFlowReport(String process, String flow, String kind, String source, String destination, String cc,
                            long bytes, long startNs, long connectedNs, long endNs, boolean finished, long bytesAcked,
                            long retransSegs, long rttSamples, long rttP50Us, long rttP90Us, long rttP99Us, long minRttUs, int minCwnd,
                            int maxCwnd, double meanCwnd, long sampleNs, long[] sampleTimesNs, int[] cwnd, int[] ssthresh,
                            long[] srttUs, long[] deliveryRate, long[] sampleBytesAcked, long[] pacingRate,
                            long[] bbrBw, long[] bbrMinRttUs, int[] bbrPacingGain, int[] bbrCwndGain, long[] transactionsNs,
                            String error, long segsOut, long segsIn) implements CrossJvm {}
