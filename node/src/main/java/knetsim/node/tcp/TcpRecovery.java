package knetsim.node.tcp;

import knetsim.node.tcp.cong.CaState;

/**
 * tcp_recovery.c: RACK loss detection (RFC 8985) with its reordering window and REO timer, and the tail loss
 * probe (tcp_schedule_loss_probe()/tcp_send_loss_probe()/tcp_process_tlp_ack() of tcp_output.c/tcp_input.c).
 */
final class TcpRecovery {
    private final Tcp tcp;

    TcpRecovery(Tcp tcp) {
        this.tcp = tcp;
    }

    // tcp_skb_sent_after(): t1/seq1 sent after t2/seq2 (ties broken by sequence).
    private static boolean sentAfter(long t1, long t2, long seq1, long seq2) {
        return t1 > t2 || (t1 == t2 && seq1 > seq2);
    }

    // tcp_rack_advance(): the most recently sent delivered skb and its RTT.
    void advance(TcpSock sk, int sacked, long endSeq, long xmitNs, long now) {
        long rttUs = (now - xmitNs) / 1000;
        if ((sacked & (TcpSkb.SACKED_RETRANS | TcpSkb.EVER_RETRANS)) != 0 && rttUs < sk.minRttUs) return; // ambiguous
        sk.rackAdvanced = true;
        sk.rackRttUs = rttUs;
        if (sentAfter(xmitNs, sk.rackMstampNs, endSeq, sk.rackEndSeq)) {
            sk.rackMstampNs = xmitNs;
            sk.rackEndSeq = endSeq;
        }
    }

    // tcp_rack_reo_wnd(): zero while no reordering was seen and recovery or the dupthresh says act now,
    // else min_rtt/4 per step, at most srtt.
    private long reoWndUs(TcpSock sk) {
        if (sk.reordSeen == 0) {
            if (sk.caState().ordinal() >= CaState.RECOVERY.ordinal()) return 0;
            if (sk.sackedOut >= sk.reordering) return 0;
        }
        long minRtt = sk.minRttUs == Long.MAX_VALUE ? 0 : sk.minRttUs;
        return Math.min((minRtt >> 2) * sk.rackReoWndSteps, sk.srttUs);
    }

    // tcp_rack_skb_timeout(): how long until {@code skb} counts as lost (<= 0: lost now).
    long skbTimeout(TcpSock sk, TcpSkb skb, long reoWndUs, long now) {
        return sk.rackRttUs + reoWndUs - (now - skb.txTimeNs) / 1000;
    }

    // tcp_rack_detect_loss(): mark lost what was sent before the latest delivered skb by more than RTT+reo_wnd;
    // returns the longest wait (us) of those not yet lost.
    long detectLoss(TcpSock sk, long now) {
        long reoWnd = reoWndUs(sk);
        long reoTimeout = 0;
        for (TcpSkb skb : sk.rtxQueue) {
            if (skb.endSeq <= sk.sndUna || skb.has(TcpSkb.SACKED_ACKED)) continue;
            if (skb.has(TcpSkb.LOST) && !skb.has(TcpSkb.SACKED_RETRANS)) continue;
            if (!sentAfter(sk.rackMstampNs, skb.txTimeNs, sk.rackEndSeq, skb.endSeq)) continue;
            long remaining = skbTimeout(sk, skb, reoWnd, now);
            if (remaining <= 0) markSkbLost(sk, skb);
            else reoTimeout = Math.max(reoTimeout, remaining);
        }
        return reoTimeout;
    }

    // tcp_mark_skb_lost(): a lost retransmission counts TCPLostRetransmit.
    void markSkbLost(TcpSock sk, TcpSkb skb) {
        if (skb.has(TcpSkb.SACKED_ACKED)) return;
        if (skb.has(TcpSkb.LOST)) {
            if (skb.has(TcpSkb.SACKED_RETRANS)) {
                skb.sacked &= ~TcpSkb.SACKED_RETRANS;
                sk.retransOut--;
                tcp.inc(TcpMib.TCP_LOST_RETRANSMIT);
                sk.lost++; // tcp_notify_skb_loss_event()
            }
        } else {
            sk.lostOut++;
            sk.lost++;
            skb.sacked |= TcpSkb.LOST;
        }
    }

    // tcp_rack_mark_lost(): true when the REO timer was armed.
    boolean markLost(TcpSock sk, long now) {
        if (!sk.rackAdvanced) return false;
        sk.rackAdvanced = false;
        long timeoutUs = detectLoss(sk, now);
        if (timeoutUs > 0) {
            long deadline = now + timeoutUs * 1000L + TcpOutput.TIMEOUT_MIN_NS;
            tcp.timers.resetXmitTimer(sk, TcpSock.TIME_REO, Math.min(deadline, now + sk.rtoNs), now);
            return true;
        }
        return false;
    }

    // tcp_rack_reo_timeout(): the reordering window passed: mark and retransmit.
    void reoTimeout(TcpSock sk, long now) {
        int priorInFlight = sk.inFlight();
        detectLoss(sk, now);
        if (priorInFlight != sk.inFlight()) {
            if (sk.caState() != CaState.RECOVERY) {
                tcp.recovery.enterRecovery(sk, false);
                if (!sk.ca.hasCongControl()) tcp.recovery.cwndReduction(sk, 1, 0, 0);
            }
            tcp.out.xmitRetransmitQueue(sk, now);
        }
        if (sk.pending != TcpSock.TIME_RETRANS) tcp.timers.rearmRto(sk, now);
    }

    // tcp_schedule_loss_probe(): in Open/CWR with SACK, probe 2*srtt (plus slack) after the last send/ACK,
    // unless the RTO comes earlier.
    boolean scheduleLossProbe(TcpSock sk, boolean advancingRto, long now) {
        if (sk.pending == TcpSock.TIME_REO) return false;
        if (tcp.sysctl.recovery() == 0 || sk.packetsOut == 0 || !sk.sackOk
                || (sk.caState() != CaState.OPEN && sk.caState() != CaState.CWR)) return false;
        if (sk.state != TcpState.ESTABLISHED && sk.state != TcpState.CLOSE_WAIT && sk.state != TcpState.FIN_WAIT1
                && sk.state != TcpState.LAST_ACK && sk.state != TcpState.CLOSING) return false;
        long timeout;
        if (sk.srttUs > 0) {
            timeout = 2 * sk.srttUs * 1000L;
            timeout += sk.packetsOut == 1 ? TcpAck.RTO_MIN_US * 1000L : TcpOutput.TIMEOUT_MIN_NS;
        } else {
            timeout = 1_000_000_000L;
        }
        long rtoDelta = advancingRto ? sk.rtoNs : tcp.timers.rtoDeltaNs(sk, now);
        if (rtoDelta > 0) timeout = Math.min(timeout, rtoDelta);
        tcp.timers.resetXmitTimer(sk, TcpSock.TIME_LOSS_PROBE, now + timeout, now);
        return true;
    }

    // tcp_send_loss_probe(): new data if the window allows, else the last sent skb again.
    void sendLossProbe(TcpSock sk, long now) {
        boolean sent = false;
        TcpSkb head = sk.writeQueue.peekFirst();
        if (head != null && head.endSeq <= sk.sndUna + sk.sndWnd) {
            int before = sk.packetsOut;
            tcp.out.writeXmit(sk, TcpOutput.NAGLE_OFF, true, now);
            sent = sk.packetsOut > before;
            if (sent) sk.tlpRetrans = false;
        } else if (sk.tlpHighSeq == 0 && !sk.rtxQueue.isEmpty()) {
            TcpSkb last = sk.rtxQueue.get(sk.rtxQueue.size() - 1);
            if (tcp.out.retransmitSkbRaw(sk, last, now) == 0) {
                sk.tlpRetrans = true;
                sent = true;
            }
        }
        if (sent) {
            sk.tlpHighSeq = sk.sndNxt;
            tcp.inc(TcpMib.TCP_LOSS_PROBES);
            sk.pending = TcpSock.TIME_NONE;
        }
        tcp.timers.rearmRto(sk, now);
    }

    // tcp_process_tlp_ack(): was the probe's segment lost? Then a reduction (CWR), TCPLossProbeRecovery.
    void processTlpAck(TcpSock sk, long ack, int flag) {
        if (ack < sk.tlpHighSeq) return;
        if (!sk.tlpRetrans) {
            sk.tlpHighSeq = 0;
        } else if ((flag & TcpAck.FLAG_DSACK_TLP) != 0) {
            sk.tlpHighSeq = 0;
        } else if (ack > sk.tlpHighSeq) {
            tcp.recovery.initCwndReduction(sk);
            tcp.recovery.setCaState(sk, CaState.CWR);
            tcp.recovery.endCwndReduction(sk);
            tcp.recovery.tryKeepOpen(sk);
            tcp.inc(TcpMib.TCP_LOSS_PROBE_RECOVERY);
        } else if ((flag & (TcpAck.FLAG_SND_UNA_ADVANCED | TcpAck.FLAG_NOT_DUP | TcpAck.FLAG_DATA_SACKED)) == 0) {
            sk.tlpHighSeq = 0;
        }
    }
}
