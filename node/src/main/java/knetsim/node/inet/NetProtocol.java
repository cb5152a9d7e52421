package knetsim.node.inet;

import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;

/** struct net_protocol: a transport's receive handler and its ICMP error handler, registered in {@link InetProtos}. */
public interface NetProtocol {
    // net_protocol.handler: udp_rcv(), icmp_rcv(), tcp_v4_rcv() for a packet addressed to this host, in an skb of
    // {@code truesize} (the driver's, or the fragments' together after ip_defrag()): what a socket is charged for it
    void handler(Ipv4Packet packet, int truesize, long now);

    // net_protocol.err_handler: udp_err(), ping_err() (icmp_err), tcp_v4_err(); quote[at] is the quoted transport header
    void errHandler(byte[] quote, int at, int type, int code, int info, Ipv4Address from, long now);
}
