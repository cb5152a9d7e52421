package knetsim.node.app;

import knetsim.core.serial.CrossJvm;

/** A UDP sender's side of a flow: what it sent from {@code source} to {@code destination}, and failed sends by errno. */
public record UdpSenderReport(String process, String source, String destination, long packets, long bytes,
                              long failedSends, String firstError) implements CrossJvm {}
