package knetsim.node.tcp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.TreeSet;

/**
 * tcp_timer.c: each socket keeps deadlines only (the retransmit timer multiplexed over RTO, zero-window probe,
 * loss probe and RACK's REO timeout; the delayed ACK; the keepalive timer, which also runs SYN-ACK
 * retransmission, FIN_WAIT2 and TIME_WAIT; the pacing hrtimer of {@link TcpPacing}). Sockets are filed by their earliest deadline, so
 * {@link #nextDeadline} is O(1) and re-arming on every ACK creates no events.
 */
final class TcpTimers {
    static final long NEVER = Long.MAX_VALUE;
    private static final long RTO_MAX_NS = TcpAck.RTO_MAX_US * 1000L, RTO_MIN_NS = TcpAck.RTO_MIN_US * 1000L;

    private final Tcp tcp;
    private final TreeSet<TcpSock> queue = new TreeSet<>(
            Comparator.<TcpSock>comparingLong(s -> s.timerQueued).thenComparingLong(s -> s.serial));

    TcpTimers(Tcp tcp) {
        this.tcp = tcp;
    }

    // inet_csk_reset_xmit_timer()
    void resetXmitTimer(TcpSock sk, int what, long deadline, long now) {
        sk.pending = what;
        sk.xmitDeadline = deadline;
    }

    // inet_csk_clear_xmit_timer()
    void clearXmitTimer(TcpSock sk) {
        sk.pending = TcpSock.TIME_NONE;
        sk.xmitDeadline = NEVER;
    }

    // tcp_rearm_rto(): RTO from now, or what is left of it after a REO/TLP timer.
    void rearmRto(TcpSock sk, long now) {
        if (sk.packetsOut == 0) {
            clearXmitTimer(sk);
            return;
        }
        long rto = sk.rtoNs;
        if (sk.pending == TcpSock.TIME_REO || sk.pending == TcpSock.TIME_LOSS_PROBE) rto = Math.max(rtoDeltaNs(sk, now), 1_000_000L);
        resetXmitTimer(sk, TcpSock.TIME_RETRANS, now + rto, now);
    }

    // tcp_rto_delta_us(): how far in the future the head's RTO lies.
    long rtoDeltaNs(TcpSock sk, long now) {
        if (sk.rtxQueue.isEmpty()) return sk.rtoNs;
        return sk.rtxQueue.get(0).txTimeNs + sk.rtoNs - now;
    }

    // tcp_probe0_base(), tcp_probe0_when()
    long probe0Base(TcpSock sk) {
        return Math.max(sk.rtoNs, RTO_MIN_NS);
    }

    long probe0When(TcpSock sk) {
        return Math.min(probe0Base(sk) << Math.min(sk.backoff, 20), RTO_MAX_NS);
    }

    /** Re-files {@code sk} under its earliest deadline. */
    void update(TcpSock sk) {
        long earliest = Math.min(Math.min(sk.xmitDeadline, sk.pacingDeadline), Math.min(sk.delackDeadline, sk.keepaliveDeadline));
        if (sk.released) earliest = NEVER;
        if (earliest == sk.timerQueued) return;
        if (sk.timerQueued != NEVER) queue.remove(sk);
        sk.timerQueued = earliest;
        if (earliest != NEVER) queue.add(sk);
    }

    long nextDeadline() {
        return queue.isEmpty() ? NEVER : queue.first().timerQueued;
    }

    /** Runs every timer due at or before {@code now}. */
    void run(long now) {
        ArrayList<TcpSock> due = new ArrayList<>();
        while (!queue.isEmpty() && queue.first().timerQueued <= now) {
            TcpSock sk = queue.pollFirst();
            sk.timerQueued = NEVER;
            due.add(sk);
        }
        for (TcpSock sk : due) {
            if (sk.released) continue;
            if (sk.delackDeadline <= now) delackTimer(sk, now);
            if (sk.xmitDeadline <= now) writeTimer(sk, now);
            if (sk.keepaliveDeadline <= now) keepaliveTimer(sk, now);
            if (sk.pacingDeadline <= now) tcp.pacing.kick(sk, now);
            tcp.touch(sk);
        }
    }

    // tcp_delack_timer_handler(): the delayed ACK goes out; ato inflates (or pingpong ends).
    private void delackTimer(TcpSock sk, long now) {
        sk.delackDeadline = NEVER;
        if ((sk.ackPending & TcpSock.ACK_TIMER) == 0) return;
        if ((sk.ackPending & TcpSock.ACK_SCHED) != 0) {
            if (!sk.pingpong) {
                sk.atoNs = Math.min(sk.atoNs << 1, sk.rtoNs);
            } else {
                sk.pingpong = false;
                sk.pingpongCount = 0;
                sk.atoNs = TcpRcvWindow.ATO_MIN_NS;
            }
            tcp.out.sendAck(sk, now);
            tcp.inc(TcpMib.DELAYED_ACKS);
        }
        sk.ackPending = 0;
    }

    // tcp_write_timer_handler()
    private void writeTimer(TcpSock sk, long now) {
        int what = sk.pending;
        // the REO and loss-probe handlers see their own timer pending (tcp_rearm_rto() then keeps the head's RTO)
        if (what == TcpSock.TIME_RETRANS || what == TcpSock.TIME_PROBE0) sk.pending = TcpSock.TIME_NONE;
        sk.xmitDeadline = NEVER;
        if (sk.state == TcpState.CLOSE || sk.state == TcpState.LISTEN) {
            sk.pending = TcpSock.TIME_NONE;
            return;
        }
        switch (what) {
            case TcpSock.TIME_REO -> tcp.rack.reoTimeout(sk, now);
            case TcpSock.TIME_LOSS_PROBE -> tcp.rack.sendLossProbe(sk, now);
            case TcpSock.TIME_RETRANS -> retransmitTimer(sk, now);
            case TcpSock.TIME_PROBE0 -> probeTimer(sk, now);
            default -> {}
        }
    }

    // tcp_retransmit_timer(): RTO: enter Loss, retransmit the head, back off (linearly for the first SYNs).
    void retransmitTimer(TcpSock sk, long now) {
        if (sk.packetsOut == 0 || sk.rtxQueue.isEmpty()) return;
        boolean handshake = sk.state == TcpState.SYN_SENT || sk.state == TcpState.SYN_RECV;
        if (sk.sndWnd == 0 && !sk.dead && !handshake) { // the peer shrank its window: retransmissions are probes
            if (now - sk.rcvTstamp > RTO_MAX_NS) {
                tcp.writeErr(sk, now);
                return;
            }
            tcp.recovery.enterLoss(sk, now);
            tcp.out.retransmitSkb(sk, sk.rtxQueue.get(0), now);
            backoffAndRearm(sk, now);
            return;
        }
        tcp.inc(TcpMib.TCP_TIMEOUTS);
        if (writeTimeout(sk, now)) return;
        tcp.recovery.enterLoss(sk, now);
        sk.retransmits++;
        sk.totalRto++;
        TcpSkb head = sk.rtxQueue.get(0);
        if ((head.tcpFlags & TcpHeader.SYN) != 0) tcp.inc(TcpMib.TCP_SYN_RETRANS);
        tcp.out.retransmitSkb(sk, head, now);
        backoffAndRearm(sk, now);
    }

    private void backoffAndRearm(TcpSock sk, long now) {
        int before = sk.rtt.backoff();
        sk.rtt.retransmitTimerBackoff(sk.state == TcpState.SYN_SENT, sk.totalRto, tcp.sysctl.synLinearTimeouts());
        if (sk.rtt.backoff() > before) sk.backoff++;
        TcpAck.syncRtt(sk);
        resetXmitTimer(sk, TcpSock.TIME_RETRANS, now + sk.rtoNs, now);
    }

    // tcp_write_timeout(): give up after tcp_syn_retries (+ linear timeouts) SYNs or tcp_retries2's time.
    private boolean writeTimeout(TcpSock sk, long now) {
        boolean expired;
        if (sk.state == TcpState.SYN_SENT || sk.state == TcpState.SYN_RECV) {
            int max = tcp.sysctl.synRetries() + (sk.state == TcpState.SYN_SENT ? tcp.sysctl.synLinearTimeouts() : 0);
            expired = sk.retransmits >= max;
        } else {
            int boundary = tcp.sysctl.retries2();
            if (sk.dead) boundary = sk.rtoNs < RTO_MAX_NS ? 8 : 0; // tcp_orphan_retries(): 8 while alive
            expired = retransmitsTimedOut(sk, boundary, now);
        }
        if (expired) {
            tcp.inc(TcpMib.TCP_ABORT_ON_TIMEOUT);
            tcp.writeErr(sk, now);
            return true;
        }
        return false;
    }

    // retransmits_timed_out() with tcp_model_timeout(): the time the RTOs of {@code boundary} retransmissions take.
    static boolean retransmitsTimedOut(TcpSock sk, int boundary, long now) {
        if (sk.retransmits == 0 || sk.retransStamp == 0) return false;
        int thresh = 9; // ilog2(TCP_RTO_MAX / TCP_RTO_MIN)
        long timeout = boundary <= thresh ? ((2L << boundary) - 1) * RTO_MIN_NS
                : ((2L << thresh) - 1) * RTO_MIN_NS + (long) (boundary - thresh) * RTO_MAX_NS;
        return now - sk.retransStamp - timeout >= 0;
    }

    // tcp_probe_timer(): probe a zero window; give up after tcp_retries2 unanswered probes.
    private void probeTimer(TcpSock sk, long now) {
        if (sk.packetsOut > 0 || sk.writeQueue.isEmpty()) {
            sk.probesOut = 0;
            return;
        }
        int maxProbes = tcp.sysctl.retries2();
        if (sk.probesOut >= maxProbes) {
            tcp.writeErr(sk, now);
            return;
        }
        tcp.out.writeWakeup(sk, now); // tcp_send_probe0()
        if (sk.packetsOut > 0 || sk.writeQueue.isEmpty()) {
            sk.probesOut = 0;
            sk.backoff = 0;
            if (sk.pending == TcpSock.TIME_NONE) rearmRto(sk, now);
            return;
        }
        sk.probesOut++;
        if (sk.backoff < tcp.sysctl.retries2()) sk.backoff++;
        resetXmitTimer(sk, TcpSock.TIME_PROBE0, now + probe0When(sk), now);
    }

    // tcp_keepalive_timer(): keepalive probes, and the SYN-ACK, FIN_WAIT2 and TIME_WAIT timers it stands for.
    private void keepaliveTimer(TcpSock sk, long now) {
        sk.keepaliveDeadline = NEVER;
        switch (sk.state) {
            case SYN_RECV -> tcp.mini.synackTimer(sk, now);
            case TIME_WAIT -> tcp.mini.timeWaitExpired(sk, now);
            case FIN_WAIT2 -> {
                if (sk.dead) tcp.done(sk, now);
            }
            case ESTABLISHED, CLOSE_WAIT, FIN_WAIT1 -> keepalive(sk, now);
            default -> {}
        }
    }

    private void keepalive(TcpSock sk, long now) {
        if (!sk.keepalive) return;
        TcpSysctl s = tcp.sysctl;
        if (sk.packetsOut > 0 || !sk.writeQueue.isEmpty()) {
            sk.keepaliveDeadline = now + s.keepaliveIntvlNs();
            return;
        }
        long elapsed = now - Math.max(sk.lrcvtime, sk.rcvTstamp);
        if (elapsed >= s.keepaliveTimeNs()) {
            if (sk.probesOut >= s.keepaliveProbes()) {
                tcp.writeErr(sk, now);
                return;
            }
            tcp.out.writeWakeup(sk, now);
            tcp.inc(TcpMib.TCP_KEEPALIVE);
            sk.probesOut++;
            sk.keepaliveDeadline = now + s.keepaliveIntvlNs();
        } else {
            sk.keepaliveDeadline = now + s.keepaliveTimeNs() - elapsed;
        }
    }
}
