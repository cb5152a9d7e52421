/**
 * The neighbour subsystem (net/core/neighbour.c, net/ipv4/arp.c): the ARP codec, the NUD state machine of one
 * neighbour entry, and {@link knetsim.node.neigh.ArpLayer}, the table of entries with arp_rcv() and
 * arp_solicit(); kept free of actors so the Host can drive it with virtual-time timers.
 */
package knetsim.node.neigh;
