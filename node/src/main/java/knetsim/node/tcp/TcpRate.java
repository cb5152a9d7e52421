package knetsim.node.tcp;

import knetsim.node.tcp.cong.RateSample;

/**
 * net/ipv4/tcp_rate.c: delivery-rate sampling (draft-cheng-iccrg-delivery-rate-estimation). Each skb remembers,
 * when sent, how much had been delivered and when; when it is (S)ACKed, the most recently sent of the newly
 * delivered skbs gives the sample: delivered since it was sent, over the longer of its send phase and its ACK
 * phase. Samples taken while the application, not the network, limited sending are marked app-limited, and do
 * not lower the recorded rate.
 *
 * <p>How the protocol calls it (one TcpRate per socket; times in microseconds of virtual time, counts in
 * segments): each TcpSkb carries a {@link SkbTx} (TCP_SKB_CB(skb)->tx). __tcp_transmit_skb() calls
 * {@link #skbSent} for every (re)transmission. tcp_ack() calls {@link #beginAck} first (the on-stack
 * {@code struct rate_sample rs = {}}), then for each skb that tcp_sacktag_write_queue() newly SACKs or
 * tcp_clean_rtx_queue() cumulatively ACKs: {@link #skbDelivered} and {@link #countDelivered} (tcp_count_delivered()),
 * and at the end {@link #gen}, whose {@link RateSample} goes to cong_control(). tcp_sendmsg_locked() calls
 * {@link #checkAppLimited} on entry, before it queues the new data. TCP_INFO reads {@link #deliveryRate} and
 * {@link #rateAppLimited()};
 * congestion control sees {@link #delivered()}, {@link #deliveredMstampUs()} and {@link #isAppLimited()} through
 * its CongState, which the socket keeps current from here.
 */
public final class TcpRate {
    /** A timestamp that is not there (the kernel's 0: virtual time may really be 0 here). */
    public static final long NONE = -1;

    /** TCP_SKB_CB(skb)->tx: the connection's delivery state when the skb was (last) sent. */
    public static final class SkbTx {
        long deliveredMstampUs = NONE;
        long firstTxMstampUs;
        long delivered;
        boolean isAppLimited;

        /** tx.delivered: segments delivered when this skb was sent. */
        public long delivered() {
            return delivered;
        }

        /** tx.delivered_mstamp; {@link #NONE} once SACKed (so a later cumulative ACK does not count it again). */
        public long deliveredMstampUs() {
            return deliveredMstampUs;
        }

        /** tx.first_tx_mstamp: when the send phase this skb ends began. */
        public long firstTxMstampUs() {
            return firstTxMstampUs;
        }

        /** tx.is_app_limited. */
        public boolean isAppLimited() {
            return isAppLimited;
        }
    }

    // struct tcp_sock
    private long delivered;                    // delivered
    private long deliveredMstampUs = NONE;     // delivered_mstamp
    private long firstTxMstampUs = NONE;       // first_tx_mstamp
    private long appLimited;                   // app_limited: 0, or the delivered count that ends the bubble
    private long rateDelivered;                // rate_delivered
    private long rateIntervalUs;               // rate_interval_us
    private boolean rateAppLimited;            // rate_app_limited
    // struct rate_sample while one ACK is processed
    private long rsPriorDelivered;
    private long rsPriorMstampUs = NONE;
    private long rsIntervalUs;
    private boolean rsIsAppLimited;
    private boolean rsIsRetrans;
    private long rsLastEndSeq;

    /**
     * tcp_rate_skb_sent(): records the delivery state in {@code tx} for an skb sent at {@code txTimeUs}; with
     * nothing in flight ({@code packetsOut} 0, before this skb counts) a new sampling interval starts now.
     */
    public void skbSent(SkbTx tx, long txTimeUs, int packetsOut) {
        if (packetsOut == 0) {
            firstTxMstampUs = txTimeUs;
            deliveredMstampUs = txTimeUs;
        }
        tx.firstTxMstampUs = firstTxMstampUs;
        tx.deliveredMstampUs = deliveredMstampUs;
        tx.delivered = delivered;
        tx.isAppLimited = appLimited != 0;
    }

    /** The start of tcp_ack(): a fresh rate sample. */
    public void beginAck() {
        rsPriorDelivered = 0;
        rsPriorMstampUs = NONE;
        rsIntervalUs = 0;
        rsIsAppLimited = false;
        rsIsRetrans = false;
        rsLastEndSeq = 0;
    }

    /**
     * tcp_rate_skb_delivered(): an skb sent at {@code txTimeUs} ending at {@code endSeq} was just SACKed
     * ({@code sackedAcked}) or cumulatively ACKed; the most recently sent of these sets the sample's start.
     * {@code retrans}: TCPCB_RETRANS was set on it.
     */
    public void skbDelivered(SkbTx tx, long txTimeUs, long endSeq, boolean retrans, boolean sackedAcked) {
        if (tx.deliveredMstampUs == NONE) return;
        if (rsPriorDelivered == 0 || sentAfter(txTimeUs, firstTxMstampUs, endSeq, rsLastEndSeq)) {
            rsPriorDelivered = tx.delivered;
            rsPriorMstampUs = tx.deliveredMstampUs;
            rsIsAppLimited = tx.isAppLimited;
            rsIsRetrans = retrans;
            rsLastEndSeq = endSeq;
            firstTxMstampUs = txTimeUs;                             // the send time of the newest delivered skb
            rsIntervalUs = stampDelta(firstTxMstampUs, tx.firstTxMstampUs); // the send phase of this window
        }
        if (sackedAcked) tx.deliveredMstampUs = NONE; // counted once: not again when cumulatively ACKed
    }

    /** tcp_count_delivered(): {@code segments} more were (S)ACKed. */
    public void countDelivered(int segments) {
        delivered += segments;
    }

    /**
     * tcp_rate_gen(): ends the ACK's sample. {@code newlyDelivered} and {@code newlyLost} are this ACK's counts,
     * {@code nowUs} tp->tcp_mstamp, {@code minRttUs} tcp_min_rtt(); {@code rttUs}, {@code priorInFlight} and
     * {@code ackDelayed} are passed into the sample as tcp_ack() sets them. Invalid samples have delivered and
     * intervalUs -1 (no timing, or SACK reneging), or intervalUs -1 alone (an interval below min_rtt).
     */
    public RateSample gen(long nowUs, int newlyDelivered, int newlyLost, boolean isSackReneg, long minRttUs,
                          long rttUs, int priorInFlight, boolean ackDelayed) {
        // the app-limited bubble is gone once everything sent in it is delivered
        if (appLimited != 0 && TcpSeq.after(delivered, appLimited)) appLimited = 0;
        if (newlyDelivered != 0) deliveredMstampUs = nowUs;
        if (rsPriorMstampUs == NONE || isSackReneg) {
            return sample(-1, -1, rttUs, newlyLost, newlyDelivered, priorInFlight, ackDelayed);
        }
        long sampleDelivered = delivered - rsPriorDelivered;
        // sending and ACKing are separate pipeline phases; the longer one is the safe interval
        long sndUs = rsIntervalUs;
        long ackUs = stampDelta(nowUs, rsPriorMstampUs);
        long intervalUs = Math.max(sndUs, ackUs);
        if (intervalUs < minRttUs) {
            return sample(sampleDelivered, -1, rttUs, newlyLost, newlyDelivered, priorInFlight, ackDelayed);
        }
        // keep the last non-app-limited rate, or a higher app-limited one
        if (!rsIsAppLimited || sampleDelivered * rateIntervalUs >= rateDelivered * intervalUs) {
            rateDelivered = sampleDelivered;
            rateIntervalUs = intervalUs;
            rateAppLimited = rsIsAppLimited;
        }
        return sample(sampleDelivered, intervalUs, rttUs, newlyLost, newlyDelivered, priorInFlight, ackDelayed);
    }

    private RateSample sample(long sampleDelivered, long intervalUs, long rttUs, int losses, int ackedSacked,
                              int priorInFlight, boolean ackDelayed) {
        return new RateSample(rsPriorDelivered, sampleDelivered, intervalUs, rttUs, losses, ackedSacked,
                priorInFlight, rsIsAppLimited, rsIsRetrans, ackDelayed);
    }

    /**
     * tcp_rate_check_app_limited(): when less than a segment waits to be sent ({@code writeSeq - sndNxt < mss}),
     * nothing of ours sits in the qdisc or the NIC ({@code hostQueuesEmpty}: sk_wmem_alloc below one skb), cwnd
     * is not the limit and every lost segment has been retransmitted, the flow is application-limited until
     * what is in flight now has been delivered.
     */
    public void checkAppLimited(long writeSeq, long sndNxt, int mssCache, boolean hostQueuesEmpty, int inFlight,
                                int cwnd, int lostOut, int retransOut) {
        if (TcpSeq.diff(writeSeq, sndNxt) < mssCache && hostQueuesEmpty && inFlight < cwnd && lostOut <= retransOut) {
            long mark = delivered + inFlight;
            appLimited = mark != 0 ? mark : 1;
        }
    }

    /** A congestion control's write to tp->app_limited (BBR's PROBE_RTT: delivered + in flight, or 1). */
    public void setAppLimited(long mark) {
        appLimited = mark != 0 ? mark : 1;
    }

    /** tcp_compute_delivery_rate(): the recorded rate in bytes per second (tcpi_delivery_rate); 0 without one. */
    public long deliveryRate(int mssCache) {
        if (rateDelivered == 0 || rateIntervalUs == 0) return 0;
        return rateDelivered * mssCache * 1_000_000L / rateIntervalUs;
    }

    /** tp->delivered: segments delivered (SACKed or ACKed) so far. */
    public long delivered() {
        return delivered;
    }

    /** tp->delivered_mstamp: when the last delivery was counted ({@link #NONE} before the first send). */
    public long deliveredMstampUs() {
        return deliveredMstampUs;
    }

    /** tp->app_limited != 0. */
    public boolean isAppLimited() {
        return appLimited != 0;
    }

    /** tp->app_limited: the delivered count that ends the app-limited bubble, 0 if none. */
    public long appLimitedMark() {
        return appLimited;
    }

    /** tcpi_delivery_rate_app_limited: whether the recorded rate came from an app-limited sample. */
    public boolean rateAppLimited() {
        return rateAppLimited;
    }

    /** tp->rate_delivered. */
    public long rateDelivered() {
        return rateDelivered;
    }

    /** tp->rate_interval_us. */
    public long rateIntervalUs() {
        return rateIntervalUs;
    }

    // tcp_skb_sent_after(): sent later, or at the same time but later in sequence
    private static boolean sentAfter(long t1, long t2, long seq1, long seq2) {
        return t1 > t2 || (t1 == t2 && TcpSeq.after(seq1, seq2));
    }

    // tcp_stamp_us_delta(): never negative
    private static long stampDelta(long t1, long t0) {
        return Math.max(t1 - t0, 0);
    }
}
