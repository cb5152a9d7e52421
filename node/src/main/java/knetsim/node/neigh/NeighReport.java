package knetsim.node.neigh;

import knetsim.core.serial.CrossJvm;

/**
 * A host's neighbour table over the run: every NUD state transition, as {@code ip monitor neigh} shows them
 * (column i of the arrays is transition i, in time order: the interface, the neighbour's address as dotted
 * quad, its link-layer address or "" while none is known, the state before and after), and the table at the
 * end as {@code ip neigh} prints it, one entry a line.
 */
public record NeighReport(long[] timesNs, String[] interfaces, String[] addresses, String[] lladdrs, String[] from,
                          String[] to, String[] table) implements CrossJvm {
}
