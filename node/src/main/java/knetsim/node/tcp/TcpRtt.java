package knetsim.node.tcp;

/**
 * One socket's RTT estimator and retransmission timeout, in the kernel's own scaled integer arithmetic
 * (tcp_input.c: tcp_rtt_estimator(), tcp_set_rto(), tcp_ack_update_rtt(), tcp_update_rtt_min(); tcp_timer.c:
 * the backoff of tcp_retransmit_timer()). RFC 6298 as Linux does it: srtt gains 1/8, mdev 1/4 (1/32 when the RTT
 * falls), and the variance term is the largest mdev of the last RTT but never below tcp_rto_min, so
 * RTO = srtt + max(4 * mdev, 200 ms) after the first sample: srtt = r, rttvar = r/2 (4 * rttvar = 2r), RTO =
 * r + max(2r, 200 ms). RTOs are whole jiffies (CONFIG_HZ = 1000: milliseconds, rounded up as
 * usecs_to_jiffies() does), at most TCP_RTO_MAX (120 s); before any sample the RTO is TCP_TIMEOUT_INIT (1 s).
 *
 * <p>How the protocol calls it: tcp_clean_rtx_queue() (and tcp_synack_rtt_meas() for the handshake) calls
 * {@link #ackUpdateRtt} once per ACK with the RTTs it measured (-1 when none), which also keeps min_rtt;
 * the RTO timer is armed with {@link #rtoUs()}; tcp_retransmit_timer() calls {@link #retransmitTimerBackoff};
 * probe timers use {@link #rtoBackoffUs}; TCP_INFO and congestion control read {@link #srttUs()},
 * {@link #rttvarUs()}, {@link #minRttUs()}. Times are microseconds of virtual time. Not modelled: the
 * thin-stream linear timeouts (tcp_thin_linear_timeouts, off by default) and TCP_USER_TIMEOUT clamping.
 */
public final class TcpRtt {
    /** TCP_RTO_MIN (HZ / 5), the default of tcp_rto_min(). */
    public static final long RTO_MIN_US = 200_000;
    /** TCP_RTO_MAX (120 * HZ). */
    public static final long RTO_MAX_US = 120_000_000;
    /** TCP_TIMEOUT_INIT (1 * HZ): the RTO before any RTT sample (RFC 6298 section 2.1). */
    public static final long TIMEOUT_INIT_US = 1_000_000;
    /** One jiffy at CONFIG_HZ = 1000. */
    public static final long JIFFY_US = 1_000;
    /** net.ipv4.tcp_min_rtt_wlen default: the min_rtt window, 300 s (in jiffies, as the kernel keeps it). */
    public static final long MIN_RTT_WLEN_JIFFIES = 300 * 1000;

    private final long rtoMinUs;
    private long srttUs8;          // srtt_us: smoothed RTT << 3; 0 until the first sample
    private long mdevUs = TIMEOUT_INIT_US; // mdev_us: mean deviation << 2 (tcp_init_sock() sets 1 s)
    private long mdevMaxUs;        // mdev_max_us: the largest mdev_us in the current RTT
    private long rttvarUs;         // rttvar_us: the variance term of the RTO, >= tcp_rto_min
    private long rttSeq;           // rtt_seq: snd_nxt when the current RTT began
    private long rtoUs = TIMEOUT_INIT_US; // icsk_rto
    private int backoff;           // icsk_backoff
    private final WinMinmax rttMin = new WinMinmax(0, 0xffffffffL); // rtt_min, reset to ~0U
    private long lastCaRttUs = -1; // rs->rtt_us of the last ACK

    /** An estimator with tcp_rto_min 200 ms. */
    public TcpRtt() {
        this(RTO_MIN_US);
    }

    /** An estimator with another tcp_rto_min (the route's rto_min, or net.ipv4.tcp_rto_min_us). */
    public TcpRtt(long rtoMinUs) {
        if (rtoMinUs <= 0 || rtoMinUs > RTO_MAX_US) throw new IllegalArgumentException("rto_min " + rtoMinUs + " us");
        this.rtoMinUs = rtoMinUs;
    }

    /**
     * tcp_ack_update_rtt(): takes one ACK's RTT measurements and returns whether the estimator was updated.
     * {@code seqRttUs} is the RTT of the oldest newly ACKed never-retransmitted segment (Karn: -1 if any ACKed
     * segment was retransmitted), {@code sackRttUs} that of the newest SACKed one, {@code caRttUs} that of the
     * newest (S)ACKed one for congestion control; {@code tsRttUs} is {@link #tsEcrRttUs}'s answer when the ACK
     * carried a non-zero TSecr and ACKed new data, else -1. The RTT for the rate sample and pkts_acked() is then
     * {@link #lastCaRttUs()}. A valid sample resets the backoff (RFC 6298 section 5.7).
     */
    // tcp_ack_update_rtt(): prefer the ACK's timing to TS-ECR; Karn's algorithm forbids retransmitted data.
    public boolean ackUpdateRtt(long seqRttUs, long sackRttUs, long caRttUs, long tsRttUs, boolean ackMaybeDelayed,
                                long nowUs, long sndUna, long sndNxt) {
        if (seqRttUs < 0) seqRttUs = sackRttUs;
        if (seqRttUs < 0 && tsRttUs >= 0) {
            seqRttUs = tsRttUs;
            caRttUs = tsRttUs;
        }
        lastCaRttUs = caRttUs;
        if (seqRttUs < 0) return false;
        if (caRttUs >= 0) updateRttMin(caRttUs, ackMaybeDelayed, nowUs); // the kernel's invariant, checked
        estimate(seqRttUs, sndUna, sndNxt);
        setRto();
        backoff = 0;
        return true;
    }

    /** rs->rtt_us as the last {@link #ackUpdateRtt} left it: the RTT of the last (S)ACKed segment, -1 none. */
    public long lastCaRttUs() {
        return lastCaRttUs;
    }

    /**
     * The TS-ECR RTT of tcp_ack_update_rtt(): (TSval clock now - TSecr) in milliseconds (TCP_TS_HZ 1000) as
     * microseconds, at least 1 ms; -1 when the difference is implausible (INT_MAX / 1000 ms or more, i.e. the
     * echo is from the future or ancient).
     */
    public static long tsEcrRttUs(long tsNowMs, long tsEcr) {
        long delta = (tsNowMs - tsEcr) & 0xffffffffL;
        if (delta >= Integer.MAX_VALUE / 1000) return -1;
        return Math.max(delta, 1) * 1000;
    }

    // tcp_update_rtt_min(): a windowed minimum over tcp_min_rtt_wlen; skip suspected delayed ACKs above it.
    private void updateRttMin(long rttUs, boolean ackMaybeDelayed, long nowUs) {
        if (ackMaybeDelayed && rttUs > rttMin.get()) return;
        rttMin.runningMin(MIN_RTT_WLEN_JIFFIES, nowUs / JIFFY_US, rttUs != 0 ? rttUs : JIFFY_US);
    }

    /** tcp_rtt_estimator(): one RTT sample {@code mrttUs} into srtt, mdev, mdev_max and rttvar. */
    public void estimate(long mrttUs, long sndUna, long sndNxt) {
        long m = mrttUs;
        long srtt = srttUs8;
        if (srtt != 0) {
            m -= srtt >> 3;              // m is now the error in the estimate
            srtt += m;                   // srtt = 7/8 srtt + 1/8 new
            if (m < 0) {
                m = -m;                  // |error|
                m -= mdevUs >> 2;
                if (m > 0) m >>= 3;      // the RTT fell: a finer gain for mdev (as Eifel, but not blocking it)
            } else {
                m -= mdevUs >> 2;
            }
            mdevUs += m;                 // mdev = 3/4 mdev + 1/4 |error|
            if (mdevUs > mdevMaxUs) {
                mdevMaxUs = mdevUs;
                if (mdevMaxUs > rttvarUs) rttvarUs = mdevMaxUs;
            }
            if (TcpSeq.after(sndUna, rttSeq)) {
                // once per RTT: let rttvar decay towards this RTT's largest mdev
                if (mdevMaxUs < rttvarUs) rttvarUs -= (rttvarUs - mdevMaxUs) >> 2;
                rttSeq = sndNxt;
                mdevMaxUs = rtoMinUs;
            }
        } else {
            srtt = m << 3;               // the first measurement is the RTT
            mdevUs = m << 1;             // so that rto = 3 * rtt
            rttvarUs = Math.max(mdevUs, rtoMinUs);
            mdevMaxUs = rttvarUs;
            rttSeq = sndNxt;
        }
        srttUs8 = Math.max(1, srtt);
    }

    /** tcp_set_rto(): __tcp_set_rto() (srtt + rttvar, in whole jiffies), then tcp_bound_rto() (at most 120 s). */
    public void setRto() {
        rtoUs = Math.min(usecsToJiffies((srttUs8 >> 3) + rttvarUs) * JIFFY_US, RTO_MAX_US);
    }

    /** usecs_to_jiffies(): rounds up. */
    static long usecsToJiffies(long us) {
        return (us + JIFFY_US - 1) / JIFFY_US;
    }

    /**
     * tcp_retransmit_timer()'s backoff: icsk_backoff++ and the RTO doubles (up to 120 s), except that a
     * SYN_SENT socket keeps its RTO for its first tcp_syn_linear_timeouts timeouts ({@code totalRto}: the
     * timeouts so far, this one included, tp->total_rto).
     */
    public void retransmitTimerBackoff(boolean synSent, int totalRto, int synLinearTimeouts) {
        if (!synSent || totalRto > synLinearTimeouts) {
            backoff++;
            rtoUs = Math.min(rtoUs << 1, RTO_MAX_US);
        }
    }

    /** inet_csk_rto_backoff(): icsk_rto << icsk_backoff, at most {@code maxWhenUs} (zero-window probes). */
    public long rtoBackoffUs(long maxWhenUs) {
        // a u64 shift in the kernel; here a shift that would overflow is simply past any max_when
        if (backoff >= Long.numberOfLeadingZeros(rtoUs)) return maxWhenUs;
        return Math.min(rtoUs << backoff, maxWhenUs);
    }

    /** icsk_rto: the retransmission timeout now, microseconds (a whole number of jiffies). */
    public long rtoUs() {
        return rtoUs;
    }

    /** Sets icsk_rto directly (tcp_init_metrics()' TCP_TIMEOUT_FALLBACK, a connection's initial RTO). */
    public void setRtoUs(long rtoUs) {
        this.rtoUs = Math.min(rtoUs, RTO_MAX_US);
    }

    /** icsk_backoff. */
    public int backoff() {
        return backoff;
    }

    /** Whether a sample has been taken (srtt_us != 0). */
    public boolean hasSample() {
        return srttUs8 != 0;
    }

    /** srtt_us >> 3: the smoothed RTT (tcpi_rtt); 0 before a sample. */
    public long srttUs() {
        return srttUs8 >> 3;
    }

    /** srtt_us as the kernel holds it (<< 3), for formulas written against it (TLP's 2 * srtt is srtt_us >> 2). */
    public long srttUsScaled() {
        return srttUs8;
    }

    /** mdev_us >> 2: tcpi_rttvar, the mean deviation ss -ti shows after the slash in "rtt:10/5". */
    public long rttvarUs() {
        return mdevUs >> 2;
    }

    /** rttvar_us: the variance term added to srtt for the RTO (never below tcp_rto_min). */
    public long rttvarTermUs() {
        return rttvarUs;
    }

    /** tcp_min_rtt(): the windowed minimum RTT; Long.MAX_VALUE before a sample (the kernel's ~0U). */
    public long minRttUs() {
        long v = rttMin.get();
        return v == 0xffffffffL ? Long.MAX_VALUE : v;
    }

    @Override
    public String toString() {
        return String.format("rtt:%.3f/%.3f rto:%d", srttUs() / 1000.0, rttvarUs() / 1000.0, rtoUs / 1000);
    }
}
