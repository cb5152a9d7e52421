package knetsim.node.tcp;

/**
 * TCP pacing as Linux 4.20+ does it (tcp_output.c, tcp_input.c): every segment leaves with an earliest departure
 * time (EDT, skb->tstamp) taken from tp->tcp_wstamp_ns, which each data segment pushes later by len / sk_pacing_rate
 * once the socket paces ({@code sk_pacing_status} not NONE). Who enforces the EDT depends on the status:
 * <ul>
 *   <li>{@link #FQ} (SK_PACING_FQ): the route's qdisc is fq with pacing on; fq holds each skb until its tstamp
 *   (sch_fq sets the status when it first classifies a socket's skb; here when the connection is set up).</li>
 *   <li>{@link #NEEDED} (SK_PACING_NEEDED): a congestion control asked for pacing (BBR's init) and no fq does it, so
 *   TCP paces internally: tcp_pacing_check() holds the send loop while tcp_wstamp_ns lies in the future and arms the
 *   socket's pacing hrtimer for it; tcp_pace_kick() then runs the TSQ handler (tcp_tsq_write()).</li>
 *   <li>{@link #NONE}: no pacing; the EDT is simply "now".</li>
 * </ul>
 * The pacing hrtimer is one more socket deadline in {@link TcpTimers} (virtual time; a deadline already passed or
 * pushed away is simply found not due, so no stale timer fires).
 */
final class TcpPacing {
    /** enum sk_pacing: sk->sk_pacing_status. */
    static final int NONE = 0, NEEDED = 1, FQ = 2;
    /** net.ipv4.tcp_pacing_ss_ratio and tcp_pacing_ca_ratio (percent). */
    static final int SS_RATIO = 200, CA_RATIO = 120;
    /** "Original sch_fq does not pace first 10 MSS": data segments sent unpaced. */
    static final int UNPACED_SEGS = 10;

    private final Tcp tcp;

    TcpPacing(Tcp tcp) {
        this.tcp = tcp;
    }

    // tcp_needs_internal_pacing(): only SK_PACING_NEEDED paces inside TCP
    static boolean needsInternalPacing(TcpSock sk) {
        return sk.pacingStatus == NEEDED;
    }

    // __tcp_transmit_skb(): tp->tcp_wstamp_ns = max(tcp_wstamp_ns, tcp_clock_cache) is the skb's tstamp (its EDT)
    static long departureTime(TcpSock sk, long now) {
        sk.wstampNs = Math.max(sk.wstampNs, now);
        return sk.wstampNs;
    }

    // tcp_update_skb_after_send(): a paced socket's next EDT is len / sk_pacing_rate later, less the credit the
    // clock gave since the previous send (at most half the gap: "OS jitter")
    static void afterSend(TcpSock sk, int len, long priorWstampNs) {
        if (sk.pacingStatus == NONE) return;
        long rate = sk.cong.pacingRate;
        if (rate <= 0 || rate == Long.MAX_VALUE || sk.dataSegsOut < UNPACED_SEGS) return;
        long lenNs = len * 1_000_000_000L / rate;
        long credit = sk.wstampNs - priorWstampNs;
        lenNs -= Math.min(lenNs / 2, credit);
        sk.wstampNs += lenNs;
    }

    // tcp_pacing_check(): with internal pacing, hold the send loop until tcp_wstamp_ns; arm the hrtimer for it
    static boolean check(TcpSock sk, long now) {
        if (!needsInternalPacing(sk)) return false;
        if (sk.wstampNs <= now) return false;
        if (sk.pacingDeadline == TcpTimers.NEVER) sk.pacingDeadline = sk.wstampNs; // !hrtimer_is_queued()
        return true;
    }

    // tcp_pace_kick(): the pacing hrtimer fired; tcp_tsq_handler() sends what waits
    void kick(TcpSock sk, long now) {
        sk.pacingDeadline = TcpTimers.NEVER;
        tsqWrite(sk, now);
    }

    // tcp_tsq_write(): in a sending state, retransmit what is lost and cwnd allows, then tcp_write_xmit()
    void tsqWrite(TcpSock sk, long now) {
        if (sk.released) return;
        if (sk.state == TcpState.ESTABLISHED || sk.state == TcpState.CLOSE_WAIT || sk.state == TcpState.FIN_WAIT1
                || sk.state == TcpState.LAST_ACK || sk.state == TcpState.CLOSING) {
            if (sk.lostOut > sk.retransOut && sk.cong.sndCwnd > sk.inFlight()) tcp.out.xmitRetransmitQueue(sk, now);
            tcp.out.pushPendingFrames(sk, TcpOutput.nonagle(sk), now);
        }
    }

    // tcp_update_pacing_rate(): 200% of mss * max(cwnd, packets_out) / srtt well inside slow start
    // (cwnd < ssthresh / 2), 120% after; an algorithm with cong_control sets sk_pacing_rate itself
    static void updatePacingRate(TcpSock sk) {
        if (sk.ca.hasCongControl()) return;
        long rate = (long) sk.mssCache * Math.max(sk.cong.sndCwnd, sk.packetsOut) * 1_000_000L / 100;
        rate *= sk.cong.sndCwnd < sk.cong.sndSsthresh / 2 ? SS_RATIO : CA_RATIO;
        if (sk.srttUs > 0) sk.cong.pacingRate = rate / sk.srttUs; // no RTT yet: sk_pacing_rate stays unlimited
    }

    // bbr_init()'s cmpxchg(&sk->sk_pacing_status, SK_PACING_NONE, SK_PACING_NEEDED) after the algorithm's init()
    static void afterCaInit(TcpSock sk) {
        if (sk.cong.pacingNeeded && sk.pacingStatus == NONE) sk.pacingStatus = NEEDED;
        sk.cong.pacingNeeded = sk.pacingStatus != NONE;
    }

    // fq_classify(): fq (with pacing on) takes the socket over: sk_pacing_status = SK_PACING_FQ
    static void fqAttached(TcpSock sk) {
        sk.pacingStatus = FQ;
        sk.cong.pacingNeeded = true;
    }
}
