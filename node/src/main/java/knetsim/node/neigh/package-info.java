/**
 * The neighbour subsystem (net/core/neighbour.c, net/ipv4/arp.c): the ARP codec and the NUD state machine of one
 * neighbour entry, kept free of actors so the Host can drive it with virtual-time timers.
 */
package knetsim.node.neigh;
