package knetsim.node.tcp;

/**
 * One skb of the write or retransmit queue (struct tcp_skb_cb and the skb's payload): sequence range
 * (unwrapped 64-bit sequence numbers; the wire carries the low 32 bits), the SACK scoreboard bits, when it
 * was sent, and the delivery-rate snapshot tcp_rate_skb_sent() takes. A fresh segment is built from it for
 * every (re)transmission.
 */
final class TcpSkb {
    /** tcp_skb_cb.sacked bits. */
    static final int SACKED_ACKED = 0x01, SACKED_RETRANS = 0x02, LOST = 0x04, EVER_RETRANS = 0x80;

    long seq;
    long endSeq;
    /** TCPHDR_SYN / FIN / PSH carried by this skb. */
    int tcpFlags;
    byte[] data;
    int len;
    int sacked;
    /** skb_mstamp_ns: the last (re)transmission. */
    long txTimeNs;
    /** When it was first sent (for tcp_retrans_stamp / RACK). */
    long firstTxNs;
    /** TCP_SKB_CB(skb)->tx: tcp_rate_skb_sent()'s snapshot. */
    final TcpRate.SkbTx tx = new TcpRate.SkbTx();
    /** What an out-of-order skb is charged against sk_rcvbuf. */
    int truesize;
    /** Retransmissions of this skb. */
    int retransCount;

    TcpSkb(long seq, int tcpFlags, int capacity) {
        this.seq = seq;
        this.endSeq = seq + ((tcpFlags & (TcpHeader.SYN | TcpHeader.FIN)) != 0 ? 1 : 0);
        this.tcpFlags = tcpFlags;
        this.data = capacity == 0 ? EMPTY : new byte[capacity];
    }

    private static final byte[] EMPTY = new byte[0];

    /** skb_put(): appends up to {@code n} bytes, returns how many. */
    int append(byte[] from, int off, int n) {
        int take = Math.min(n, data.length - len);
        System.arraycopy(from, off, data, len, take);
        len += take;
        endSeq += take;
        return take;
    }

    boolean has(int bit) {
        return (sacked & bit) != 0;
    }

    /** tcp_skb_pcount(): no TSO, one segment per skb. */
    int pcount() {
        return 1;
    }

    /** Drops {@code n} bytes from the front (tcp_trim_head(): partially acked). */
    void trimHead(int n) {
        if (n <= 0) return;
        if ((tcpFlags & TcpHeader.SYN) != 0) { // the SYN's sequence number is consumed first
            tcpFlags &= ~TcpHeader.SYN;
            seq++;
            n--;
        }
        n = Math.min(n, len);
        System.arraycopy(data, n, data, 0, len - n);
        len -= n;
        seq += n;
    }

    @Override
    public String toString() {
        return "skb[" + seq + "," + endSeq + ") sacked=" + Integer.toHexString(sacked);
    }
}
