package knetsim.node.tcp;

import knetsim.node.tcp.cong.CaEvent;
import knetsim.node.tcp.cong.CaState;
import knetsim.node.tcp.cong.CongState;

/**
 * tcp_input.c's loss-recovery state machine: tcp_fastretrans_alert() over Open/Disorder/CWR/Recovery/Loss,
 * tcp_enter_recovery()/tcp_enter_loss(), PRR (tcp_cwnd_reduction()), F-RTO (tcp_process_loss()), undo on
 * D-SACK and timestamps, and tcp_cong_control().
 */
final class TcpFastRetrans {
    /** What tcp_xmit_recovery() is to do after this ACK. */
    static final int REXMIT_NONE = 0, REXMIT_LOST = 1, REXMIT_NEW = 2;

    private final Tcp tcp;

    TcpFastRetrans(Tcp tcp) {
        this.tcp = tcp;
    }

    // tcp_set_ca_state()
    void setCaState(TcpSock sk, CaState state) {
        if (sk.cong.caState != state) {
            tcp.syncCong(sk, 0);
            sk.ca.setState(sk.cong, state);
        }
        sk.cong.caState = state;
    }

    // tcp_fastretrans_alert(): returns the ACK flags (FLAG_SET_XMIT_TIMER may be cleared by RACK's REO timer).
    int fastretransAlert(TcpSock sk, long priorSndUna, int flag, int numDupack, long now) {
        sk.rexmit = REXMIT_NONE;
        if (sk.packetsOut == 0 && sk.sackedOut > 0) sk.sackedOut = 0;
        CaState state = sk.caState();
        // D. exit conditions: high_seq acknowledged
        if (state != CaState.OPEN && sk.sndUna >= sk.highSeq) {
            if (state == CaState.CWR) {
                if (sk.sndUna != sk.highSeq) {
                    endCwndReduction(sk);
                    setCaState(sk, CaState.OPEN);
                }
            } else if (state == CaState.RECOVERY) {
                if (tryUndoRecovery(sk)) return flag;
                endCwndReduction(sk);
            }
        }
        // E. process the state
        switch (sk.caState()) {
            case RECOVERY -> {
                if ((flag & TcpAck.FLAG_SND_UNA_ADVANCED) == 0) {
                    if (!sk.sackOk) TcpRenoSack.add(tcp, sk, numDupack);
                } else if (tryUndoPartial(sk, priorSndUna)) {
                    return flag;
                }
                if (tryUndoDsack(sk)) {
                    tryKeepOpen(sk);
                    return flag;
                }
                flag = identifyPacketLoss(sk, flag, now);
                sk.rexmit = REXMIT_LOST;
            }
            case LOSS -> {
                if (processLoss(sk, flag, numDupack)) return flag;
                flag = identifyPacketLoss(sk, flag, now);
                if (sk.caState() == CaState.OPEN || (flag & TcpAck.FLAG_LOST_RETRANS) != 0) {
                    flag = openOrRecover(sk, flag, numDupack, now);
                }
            }
            default -> flag = openOrRecover(sk, flag, numDupack, now);
        }
        return flag;
    }

    // the default branch of tcp_fastretrans_alert(): Open/Disorder/CWR: try to stay open, else enter Recovery.
    private int openOrRecover(TcpSock sk, int flag, int numDupack, long now) {
        if (!sk.sackOk) {
            if ((flag & TcpAck.FLAG_SND_UNA_ADVANCED) != 0) TcpRenoSack.reset(sk);
            TcpRenoSack.add(tcp, sk, numDupack);
        }
        if (sk.caState().ordinal() <= CaState.DISORDER.ordinal()) tryUndoDsack(sk);
        flag = identifyPacketLoss(sk, flag, now);
        if (sk.lostOut == 0) { // tcp_time_to_recover(): RACK marked nothing lost
            tryToOpen(sk, flag);
            return flag;
        }
        enterRecovery(sk, (flag & TcpAck.FLAG_ECE) != 0);
        sk.rexmit = REXMIT_LOST;
        return flag;
    }

    // tcp_identify_packet_loss(): NewReno without SACK, else RACK.
    private int identifyPacketLoss(TcpSock sk, int flag, long now) {
        if (sk.rtxQueue.isEmpty()) return flag;
        int priorRetrans = sk.retransOut;
        if (!sk.sackOk) {
            TcpRenoSack.markLost(tcp, sk, (flag & TcpAck.FLAG_SND_UNA_ADVANCED) != 0);
        } else if (tcp.rack.markLost(sk, now)) {
            flag &= ~TcpAck.FLAG_SET_XMIT_TIMER;
        }
        if (priorRetrans > sk.retransOut) flag |= TcpAck.FLAG_LOST_RETRANS;
        return flag;
    }

    // tcp_try_to_open()
    private void tryToOpen(TcpSock sk, int flag) {
        if (!anyRetransDone(sk)) sk.retransStamp = 0;
        if ((flag & TcpAck.FLAG_ECE) != 0) enterCwr(sk);
        if (sk.caState() != CaState.CWR) tryKeepOpen(sk);
    }

    // tcp_enter_cwr(): an ECN echo: reduce cwnd once (PRR towards the new ssthresh), without retransmitting.
    void enterCwr(TcpSock sk) {
        sk.priorSsthresh = 0;
        if (sk.caState().ordinal() < CaState.CWR.ordinal()) {
            sk.undoMarker = 0;
            initCwndReduction(sk);
            setCaState(sk, CaState.CWR);
        }
    }

    // tcp_try_keep_open(): Disorder while anything is SACKed, lost or retransmitted, else Open.
    void tryKeepOpen(TcpSock sk) {
        CaState state = (sk.sackedOut + sk.lostOut) > 0 || sk.retransOut > 0 || sk.undoMarker != 0
                ? CaState.DISORDER : CaState.OPEN;
        if (sk.caState() != state) {
            setCaState(sk, state);
            sk.highSeq = sk.sndNxt;
        }
    }

    private static boolean anyRetransDone(TcpSock sk) {
        if (sk.retransOut > 0) return true;
        return !sk.rtxQueue.isEmpty() && sk.rtxQueue.get(0).has(TcpSkb.EVER_RETRANS);
    }

    // tcp_enter_recovery()
    void enterRecovery(TcpSock sk, boolean ece) {
        tcp.inc(sk.sackOk ? TcpMib.TCP_SACK_RECOVERY : TcpMib.TCP_RENO_RECOVERY);
        sk.priorSsthresh = 0;
        initUndo(sk);
        if (!inCwndReduction(sk)) {
            if (!ece) sk.priorSsthresh = tcp.currentSsthresh(sk);
            initCwndReduction(sk);
        }
        setCaState(sk, CaState.RECOVERY);
    }

    // tcp_init_undo()
    private static void initUndo(TcpSock sk) {
        sk.undoMarker = sk.sndUna;
        sk.undoRetrans = sk.retransOut > 0 ? sk.retransOut : -1;
    }

    static boolean inCwndReduction(TcpSock sk) {
        return sk.caState() == CaState.CWR || sk.caState() == CaState.RECOVERY;
    }

    // tcp_init_cwnd_reduction(): PRR starts; ssthresh from the congestion control.
    void initCwndReduction(TcpSock sk) {
        sk.highSeq = sk.sndNxt;
        sk.tlpHighSeq = 0;
        sk.cong.sndCwndCnt = 0;
        sk.cong.priorCwnd = sk.cong.sndCwnd;
        sk.prrDelivered = 0;
        sk.prrOut = 0;
        tcp.syncCong(sk, 0);
        sk.cong.sndSsthresh = sk.ca.ssthresh(sk.cong);
        TcpEcn.queueCwr(sk);
    }

    // tcp_cwnd_reduction(): Proportional Rate Reduction (RFC 6937), PRR-SSRB.
    void cwndReduction(TcpSock sk, int newlyAckedSacked, int newlyLost, int flag) {
        CongState c = sk.cong;
        if (newlyAckedSacked <= 0 || c.priorCwnd == 0) return;
        sk.prrDelivered += newlyAckedSacked;
        int delta = c.sndSsthresh - sk.inFlight();
        long sndcnt;
        if (delta < 0) {
            long dividend = (long) c.sndSsthresh * sk.prrDelivered + c.priorCwnd - 1;
            sndcnt = dividend / c.priorCwnd - sk.prrOut;
        } else {
            sndcnt = Math.max(sk.prrDelivered - sk.prrOut, newlyAckedSacked);
            if ((flag & TcpAck.FLAG_SND_UNA_ADVANCED) != 0 && newlyLost == 0) sndcnt++;
            sndcnt = Math.min(delta, sndcnt);
        }
        sndcnt = Math.max(sndcnt, sk.prrOut > 0 ? 0 : 1); // force a fast retransmit on entering recovery
        c.sndCwnd = (int) Math.max(1, sk.inFlight() + sndcnt);
    }

    // tcp_end_cwnd_reduction(): cwnd = ssthresh when recovery ends.
    void endCwndReduction(TcpSock sk) {
        if (sk.ca.hasCongControl()) return;
        if (sk.caState() == CaState.CWR || (sk.caState() == CaState.RECOVERY && sk.cong.sndSsthresh < CongState.INFINITE_SSTHRESH)) {
            sk.cong.sndCwnd = sk.cong.sndSsthresh;
        }
        tcp.caEvent(sk, CaEvent.COMPLETE_CWR);
    }

    // tcp_may_undo(): the reduction was spurious if every retransmission was D-SACKed or the ACK echoes a
    // timestamp older than the first retransmission (tcp_packet_delayed()).
    private boolean mayUndo(TcpSock sk) {
        return sk.undoMarker != 0 && (sk.undoRetrans == 0 || packetDelayed(sk));
    }

    private static boolean packetDelayed(TcpSock sk) {
        if (sk.retransStamp == 0 || !sk.tsOk || sk.rcvTsecr == 0) return false;
        long stampTs = (sk.retransStamp / 1_000_000L + sk.tsOffset) & 0xffffffffL;
        return (int) (sk.rcvTsecr - stampTs) < 0;
    }

    // tcp_undo_cwnd_reduction()
    private void undoCwndReduction(TcpSock sk, boolean unmarkLoss) {
        if (unmarkLoss) {
            for (TcpSkb skb : sk.rtxQueue) skb.sacked &= ~TcpSkb.LOST;
            sk.lostOut = 0;
        }
        if (sk.priorSsthresh != 0) {
            tcp.syncCong(sk, 0);
            sk.cong.sndCwnd = sk.ca.undoCwnd(sk.cong);
            if (sk.priorSsthresh > sk.cong.sndSsthresh) {
                sk.cong.sndSsthresh = (int) sk.priorSsthresh;
                TcpEcn.withdrawCwr(sk);
            }
        }
        sk.undoMarker = 0;
    }

    // tcp_try_undo_recovery()
    private boolean tryUndoRecovery(TcpSock sk) {
        if (mayUndo(sk)) {
            undoCwndReduction(sk, false);
            tcp.inc(sk.caState() == CaState.LOSS ? TcpMib.TCP_LOSS_UNDO : TcpMib.TCP_FULL_UNDO);
        }
        setCaState(sk, CaState.OPEN);
        return false;
    }

    // tcp_try_undo_dsack(): every retransmission was D-SACKed.
    private boolean tryUndoDsack(TcpSock sk) {
        if (sk.undoMarker != 0 && sk.undoRetrans == 0) {
            sk.rackReoWndSteps = Math.min(0xff, sk.rackReoWndSteps + 1);
            undoCwndReduction(sk, false);
            tcp.inc(TcpMib.TCP_DSACK_UNDO);
            return true;
        }
        return false;
    }

    // tcp_try_undo_partial(): a partial ACK of data sent before recovery, echoing an old timestamp.
    private boolean tryUndoPartial(TcpSock sk, long priorSndUna) {
        if (sk.undoMarker != 0 && packetDelayed(sk)) {
            // the hole was filled by the delayed original, not the retransmission: reordering
            tcp.ack.checkSackReordering(sk, priorSndUna, sk.sackedOut > 0 ? sk.highestSackEnd : sk.sndUna, true);
            if (sk.retransOut > 0) return true;
            if (!anyRetransDone(sk)) sk.retransStamp = 0;
            undoCwndReduction(sk, true);
            tcp.inc(TcpMib.TCP_PARTIAL_UNDO);
            tryKeepOpen(sk);
            return true;
        }
        return false;
    }

    // tcp_try_undo_loss()
    private boolean tryUndoLoss(TcpSock sk, boolean frtoUndo) {
        if (frtoUndo || mayUndo(sk)) {
            undoCwndReduction(sk, true);
            tcp.inc(TcpMib.TCP_LOSS_UNDO);
            if (frtoUndo) tcp.inc(TcpMib.TCP_SPURIOUS_RTOS);
            sk.retransmits = 0;
            setCaState(sk, CaState.OPEN);
            return true;
        }
        return false;
    }

    // tcp_process_loss(): F-RTO (RFC 5682, SACK-enhanced); true when the ACK is fully handled.
    private boolean processLoss(TcpSock sk, int flag, int numDupack) {
        boolean recovered = sk.sndUna >= sk.highSeq;
        if ((flag & TcpAck.FLAG_SND_UNA_ADVANCED) != 0 && tryUndoLoss(sk, false)) return true;
        if (sk.frtoActive) {
            if ((flag & TcpAck.FLAG_ORIG_SACK_ACKED) != 0 && tryUndoLoss(sk, true)) return true;
            if (sk.sndNxt > sk.highSeq) {
                if ((flag & TcpAck.FLAG_DATA_SACKED) != 0 || numDupack > 0) sk.frtoActive = false; // step 3.a: loss was real
            } else if ((flag & TcpAck.FLAG_SND_UNA_ADVANCED) != 0 && !recovered) {
                sk.highSeq = sk.sndNxt;
                // step 2.b: send new data instead of retransmitting
                if (!sk.writeQueue.isEmpty() && sk.sndUna + sk.sndWnd > sk.sndNxt) {
                    sk.rexmit = REXMIT_NEW;
                    return true;
                }
                sk.frtoActive = false;
            }
        }
        if (recovered) {
            tryUndoRecovery(sk);
            return true;
        }
        if (!sk.sackOk) {
            // a Reno duplicate ACK after F-RTO's new data means that data arrived: count it, do not undo
            if (sk.sndNxt > sk.highSeq && numDupack > 0) TcpRenoSack.add(tcp, sk, numDupack);
            else if ((flag & TcpAck.FLAG_SND_UNA_ADVANCED) != 0) TcpRenoSack.reset(sk);
        }
        sk.rexmit = REXMIT_LOST;
        return false;
    }

    // tcp_enter_loss(): the RTO fired: everything not SACKed is lost, cwnd 1, F-RTO armed.
    void enterLoss(TcpSock sk, long now) {
        boolean newRecovery = sk.caState().ordinal() < CaState.RECOVERY.ordinal();
        if (sk.caState().ordinal() <= CaState.DISORDER.ordinal() || sk.sndUna >= sk.highSeq
                || (sk.caState() == CaState.LOSS && sk.retransmits == 0)) {
            sk.priorSsthresh = tcp.currentSsthresh(sk);
            sk.cong.priorCwnd = sk.cong.sndCwnd;
            tcp.syncCong(sk, now);
            sk.cong.sndSsthresh = sk.ca.ssthresh(sk.cong);
            tcp.caEvent(sk, CaEvent.LOSS);
            initUndo(sk);
        }
        // tcp_timeout_mark_lost()
        if (!sk.sackOk) TcpRenoSack.reset(sk);
        sk.retransOut = 0;
        boolean head = true;
        for (TcpSkb skb : sk.rtxQueue) {
            skb.sacked &= ~TcpSkb.SACKED_RETRANS;
            if (!skb.has(TcpSkb.SACKED_ACKED)) {
                if (head || tcp.rack.skbTimeout(sk, skb, 0, now) <= 0) markLostQuiet(sk, skb);
            }
            head = false;
        }
        sk.cong.sndCwnd = sk.inFlight() + 1;
        sk.cong.sndCwndCnt = 0;
        if (sk.reordering < tcp.sysctl.reordering() && sk.rackDsackSeen > 0) sk.reordering = tcp.sysctl.reordering();
        setCaState(sk, CaState.LOSS);
        sk.highSeq = sk.sndNxt;
        TcpEcn.queueCwr(sk); // push out CWR
        sk.tlpHighSeq = 0;
        sk.frtoActive = tcp.sysctl.frto() > 0 && (newRecovery || sk.retransmits > 0);
    }

    private static void markLostQuiet(TcpSock sk, TcpSkb skb) {
        if (!skb.has(TcpSkb.LOST)) {
            skb.sacked |= TcpSkb.LOST;
            sk.lostOut++;
            sk.lost++;
        }
    }

    // tcp_cong_control() without cong_control: PRR while reducing, else cong_avoid when cwnd may grow.
    void congControl(TcpSock sk, long ack, int ackedSacked, int flag, long now) {
        tcp.syncCong(sk, now);
        if (sk.ca.hasCongControl()) {
            sk.ca.congControl(sk.cong, tcp.lastRateSample(sk));
            if (sk.cong.appLimitedRequest >= 0) { // BBR's PROBE_RTT: tp->app_limited = delivered + in flight
                sk.rate.setAppLimited(sk.cong.appLimitedRequest);
                sk.cong.appLimitedRequest = -1;
            }
            tcp.sndbufExpand(sk);
            return; // the algorithm sets sk_pacing_rate itself
        } else if (inCwndReduction(sk)) {
            cwndReduction(sk, ackedSacked, 0, flag);
        } else if (mayRaiseCwnd(sk, flag)) {
            sk.ca.congAvoid(sk.cong, ack, ackedSacked);
        }
        tcp.updatePacingRate(sk);
        tcp.sndbufExpand(sk);
    }

    // tcp_may_raise_cwnd()
    private boolean mayRaiseCwnd(TcpSock sk, int flag) {
        if (sk.reordering > tcp.sysctl.reordering()) return (flag & TcpAck.FLAG_FORWARD_PROGRESS) != 0;
        return (flag & TcpAck.FLAG_DATA_ACKED) != 0;
    }

    // tcp_xmit_recovery()
    void xmitRecovery(TcpSock sk, long now) {
        int rexmit = sk.rexmit;
        sk.rexmit = REXMIT_NONE;
        if (rexmit == REXMIT_NONE || sk.state == TcpState.SYN_SENT) return;
        if (rexmit == REXMIT_NEW) {
            tcp.out.writeXmit(sk, TcpOutput.NAGLE_OFF, false, now);
            if (sk.sndNxt > sk.highSeq) return;
            sk.frtoActive = false;
        }
        tcp.out.xmitRetransmitQueue(sk, now);
    }
}
