package knetsim.node.app;

import knetsim.core.serial.CrossJvm;

/** A TCP server's view of one accepted connection: its peer, the bytes read, the first and last read, and EOF. */
public record TcpSinkReport(String process, String local, String peer, long bytes, long acceptedNs, long firstReadNs,
                            long lastReadNs, boolean eof) implements CrossJvm {}
