/** UDP (net/ipv4/udp.c): the datagram codec with its RFC 768 checksum over the IPv4 pseudo header. */
package knetsim.node.udp;
