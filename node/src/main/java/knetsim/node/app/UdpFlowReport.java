package knetsim.node.app;

import knetsim.core.serial.CrossJvm;

/**
 * A UDP sink's view of one sender (one source address and port): datagrams and bytes read, loss
 * from the sequence numbers (iperf's way: the highest sequence seen + 1 minus those received),
 * one-way delays (kernel receive time minus the send time the sender wrote), RFC 3550 jitter, and
 * the bytes read per {@code bucketNs} of virtual time from 0 (its goodput over time).
 */
public record UdpFlowReport(String process, String source, String destination, long packets, long bytes, long lost,
                            long outOfOrder, long[] delaysNs, double jitterNs, long firstNs, long lastNs,
                            long bucketNs, long[] bucketBytes) implements CrossJvm {}
