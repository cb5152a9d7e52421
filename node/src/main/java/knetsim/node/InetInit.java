package knetsim.node;

import knetsim.node.icmp.IcmpLayer;
import knetsim.node.inet.Inet;
import knetsim.node.inet.InetProtos;
import knetsim.node.inet.NetProtocol;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.tcp.Tcp;
import knetsim.node.udp.UdpLayer;

/** inet_init()'s registrations of the transports in inet_protos[]. */
final class InetInit {
    private InetInit() {
    }

    // inet_init(): inet_add_protocol(&icmp_protocol, IPPROTO_ICMP) and inet_add_protocol(&udp_protocol, IPPROTO_UDP)
    static void addDatagramProtocols(InetProtos protos, IcmpLayer icmp, UdpLayer udp) {
        protos.add(Inet.IPPROTO_ICMP, new NetProtocol() {
            public void handler(Ipv4Packet packet, int truesize, long now) {
                icmp.receive(packet, truesize, now);
            }

            public void errHandler(byte[] quote, int at, int type, int code, int info, Ipv4Address from, long now) {
                icmp.pingErr(quote, at, type, code, info, from, now);
            }
        });
        protos.add(Inet.IPPROTO_UDP, new NetProtocol() {
            public void handler(Ipv4Packet packet, int truesize, long now) {
                udp.receive(packet, truesize, now);
            }

            public void errHandler(byte[] quote, int at, int type, int code, int info, Ipv4Address from, long now) {
                udp.icmpError(quote, at, type, code, info, from, now);
            }
        });
    }

    // inet_init(): inet_add_protocol(&tcp_protocol, IPPROTO_TCP); the stack makes its TCP at the first segment
    static void addTcp(InetProtos protos, InetStack stack, IpInput input) {
        protos.add(Inet.IPPROTO_TCP, new NetProtocol() {
            public void handler(Ipv4Packet packet, int truesize, long now) {
                Tcp t = stack.tcp(); // segments come unfragmented: TCP charges the driver's skb by the segment's length
                if (t == null) {
                    input.unknownProtocol(); // a host built without TCP
                    return;
                }
                t.rcv(packet, truesize, now);
            }

            public void errHandler(byte[] quote, int at, int type, int code, int info, Ipv4Address from, long now) {
                Tcp t = stack.tcpIfMade(); // no TCP yet: no socket it could be about
                if (t != null) t.err(quote, at, type, code, info, now);
            }
        });
    }
}
