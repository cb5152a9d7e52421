package knetsim.node.tcp;

import knetsim.node.ipv4.Ipv4Address;

/**
 * One received segment as tcp_v4_rcv() hands it on (the skb with its tcp_skb_cb): the header decoded, the
 * sequence numbers unwrapped against the socket that takes it, the payload in place.
 */
final class TcpRx {
    Ipv4Address saddr, daddr;
    int sport, dport;
    /** Wire values (32-bit) as received. */
    long rawSeq, rawAck;
    /** Unwrapped against the receiving socket (rcv_nxt for seq, snd_una for ack). */
    long seq, endSeq, ack;
    int flags;
    int window;
    TcpOptions options;
    byte[] buf;
    int off, len;
    int truesize;
    int ipLength;
    /** The ECN field of the IPv4 header (TCP_SKB_CB(skb)->ip_dsfield & INET_ECN_MASK). */
    int ecn;

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    // The unwrapped value of a 32-bit sequence number nearest to {@code reference}.
    static long unwrap(long raw, long reference) {
        return reference + (int) (raw - reference);
    }

    void unwrapFor(TcpSock sk) {
        seq = unwrap(rawSeq, sk.rcvNxt);
        endSeq = seq + len + (has(TcpHeader.SYN) ? 1 : 0) + (has(TcpHeader.FIN) ? 1 : 0);
        ack = unwrap(rawAck, sk.sndUna);
    }
}
