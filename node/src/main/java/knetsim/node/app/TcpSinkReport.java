package knetsim.node.app;

import knetsim.core.serial.CrossJvm;

/**
 * A TCP server's view of one accepted connection: its peer, the bytes read, the first and last read, and EOF; with
 * EOF, the segments the server's socket had sent and received then (TCP_INFO's tcpi_segs_out and tcpi_segs_in,
 * read before close(): its FIN and the ACK of that FIN come after), otherwise -1.
 */
public record TcpSinkReport(String process, String local, String peer, long bytes, long acceptedNs, long firstReadNs,
                            long lastReadNs, boolean eof, long segsOut, long segsIn) implements CrossJvm {}
