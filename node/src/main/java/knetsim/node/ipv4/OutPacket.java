package knetsim.node.ipv4;

/**
 * A packet on its way out and the socket whose send memory it holds (-1: the kernel's own): what ip output
 * hands the neighbour subsystem, and what waits in an entry's arp_queue.
 */
public record OutPacket(byte[] bytes, int owner) {}
