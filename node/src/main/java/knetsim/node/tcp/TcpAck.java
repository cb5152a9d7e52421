package knetsim.node.tcp;

import knetsim.node.tcp.cong.AckSample;
import knetsim.node.tcp.cong.CaState;
import knetsim.node.tcp.cong.TcpCongestionOps;

/**
 * tcp_input.c, the ACK half: tcp_ack() with the window update, tcp_sacktag_write_queue() (SACK scoreboard and
 * D-SACK), tcp_clean_rtx_queue() with the RTT samples, and the hand-over to loss recovery and congestion
 * control ({@link TcpRecovery}).
 */
final class TcpAck {
    static final int FLAG_DATA = 0x01, FLAG_WIN_UPDATE = 0x02, FLAG_DATA_ACKED = 0x04, FLAG_RETRANS_DATA_ACKED = 0x08,
            FLAG_SYN_ACKED = 0x10, FLAG_DATA_SACKED = 0x20, FLAG_ECE = 0x40, FLAG_LOST_RETRANS = 0x80,
            FLAG_ORIG_SACK_ACKED = 0x200, FLAG_SND_UNA_ADVANCED = 0x400, FLAG_DSACKING_ACK = 0x800,
            FLAG_SET_XMIT_TIMER = 0x1000, FLAG_DSACK_TLP = 0x20000;
    static final int FLAG_ACKED = FLAG_DATA_ACKED | FLAG_SYN_ACKED;
    static final int FLAG_NOT_DUP = FLAG_DATA | FLAG_WIN_UPDATE | FLAG_ACKED;
    static final int FLAG_CA_ALERT = FLAG_DATA_SACKED | FLAG_ECE | FLAG_DSACKING_ACK;
    static final int FLAG_FORWARD_PROGRESS = FLAG_ACKED | FLAG_DATA_SACKED;
    /** ack() results below zero. */
    static final int ACK_OLD_DROP = -1, ACK_UNSENT = -2;
    /** TCP_RTO_MIN, TCP_RTO_MAX in microseconds. */
    static final long RTO_MIN_US = TcpRtt.RTO_MIN_US, RTO_MAX_US = TcpRtt.RTO_MAX_US;

    private final Tcp tcp;

    TcpAck(Tcp tcp) {
        this.tcp = tcp;
    }

    /** Per-ACK scratch (struct tcp_sacktag_state). */
    private static final class State {
        long firstSacktNs, lastSacktNs;
        long reord = Long.MAX_VALUE;
        int flag;
        int delivered;
    }

    // tcp_ack(): >= 0 the FLAG_* bits, < 0 the ACK was dropped.
    int ack(TcpSock sk, TcpRx rx, long now) {
        long priorSndUna = sk.sndUna;
        long priorFack = sk.sackedOut > 0 ? sk.highestSackEnd : sk.sndUna;
        long ack = rx.ack;
        State st = new State();
        if (ack < priorSndUna) {
            if (ack < priorSndUna - sk.maxWindow) return ACK_OLD_DROP;
            if (rx.options.sackBlockCount() > 0) { // old ACK with SACK: D-SACK and the scoreboard still count
                sacktag(sk, rx, priorSndUna, st, now);
                if ((st.flag & FLAG_CA_ALERT) != 0) tcp.recovery.fastretransAlert(sk, priorSndUna, st.flag, 0, now);
            }
            return 0;
        }
        if (ack > sk.sndNxt) return ACK_UNSENT;
        int flag = 0;
        if (ack > priorSndUna) {
            flag |= FLAG_SND_UNA_ADVANCED;
            sk.retransmits = 0;
        }
        sk.rate.beginAck();
        long priorDelivered = sk.delivered;
        long priorLost = sk.lost;
        int priorInFlight = sk.inFlight();
        int priorPackets = sk.packetsOut;
        flag |= updateWindow(sk, rx, ack);
        sk.bytesAcked += ack - priorSndUna;
        sk.sndUna = ack;
        if (rx.len > 0) flag |= FLAG_DATA;
        if (TcpEcn.rcvEcnEcho(sk, rx)) flag |= FLAG_ECE;
        if (rx.options.sackBlockCount() > 0 && sk.sackOk) sacktag(sk, rx, priorSndUna, st, now);
        flag |= st.flag;
        TcpEcn.acceptCwr(sk, rx); // on pure ACKs too (a deviation from RFC 3168 Linux makes, so ECE is never latched)
        sk.rcvTstamp = now;
        sk.probesOut = 0;
        if (priorPackets == 0) {
            inAckEvent(sk, flag, now);
            if (!sk.writeQueue.isEmpty()) ackProbe(sk, now);
            return flag;
        }
        flag |= cleanRtxQueue(sk, priorFack, priorInFlight, st, rx, now);
        newlyDelivered(sk, priorDelivered, flag);
        inAckEvent(sk, flag, now);
        if (sk.tlpHighSeq != 0) tcp.rack.processTlpAck(sk, ack, flag);
        int numDupack = (flag & FLAG_NOT_DUP) == 0 && ack == priorSndUna ? 1 : 0;
        int ackedSacked = (int) (sk.delivered - priorDelivered);
        if (isDubious(sk, flag)) {
            flag = tcp.recovery.fastretransAlert(sk, priorSndUna, flag, numDupack, now);
        }
        if ((flag & FLAG_SET_XMIT_TIMER) != 0) {
            if (!tcp.rack.scheduleLossProbe(sk, true, now)) tcp.timers.rearmRto(sk, now);
        }
        tcp.rateGen(sk, ackedSacked, (int) (sk.lost - priorLost), priorInFlight, now);
        tcp.recovery.congControl(sk, ack, ackedSacked, flag, now);
        sk.stats.cwnd(sk.cong.sndCwnd);
        tcp.recovery.xmitRecovery(sk, now);
        if (sk.packetsOut == 0 && sk.pending != TcpSock.TIME_PROBE0) tcp.timers.clearXmitTimer(sk);
        return flag;
    }

    // tcp_count_delivered()'s delivered_ce and tcp_newly_delivered(): TCPDelivered, TCPDeliveredCE (ECE ACKs).
    private void newlyDelivered(TcpSock sk, long priorDelivered, int flag) {
        long delivered = sk.delivered - priorDelivered;
        if (delivered <= 0) return;
        tcp.mib[TcpMib.TCP_DELIVERED.ordinal()] += delivered;
        if ((flag & FLAG_ECE) != 0) {
            sk.deliveredCe += delivered;
            tcp.mib[TcpMib.TCP_DELIVERED_CE.ordinal()] += delivered;
        }
    }

    // tcp_in_ack_event(): the congestion control sees every ACK (DCTCP's alpha update); no fast path here.
    private void inAckEvent(TcpSock sk, int flag, long now) {
        int ev = TcpCongestionOps.CA_ACK_SLOWPATH;
        if ((flag & FLAG_WIN_UPDATE) != 0) ev |= TcpCongestionOps.CA_ACK_WIN_UPDATE;
        if ((flag & FLAG_ECE) != 0) ev |= TcpCongestionOps.CA_ACK_ECE;
        tcp.syncCong(sk, now);
        sk.ca.inAckEvent(sk.cong, ev);
    }

    // tcp_ack_is_dubious()
    private static boolean isDubious(TcpSock sk, int flag) {
        return (flag & FLAG_NOT_DUP) == 0 || (flag & FLAG_CA_ALERT) != 0 || sk.caState() != CaState.OPEN;
    }

    // tcp_ack_update_window(): take the peer's window when the segment is newer (snd_wl1).
    private int updateWindow(TcpSock sk, TcpRx rx, long ack) {
        long nwin = rx.window;
        if (!rx.has(TcpHeader.SYN)) nwin <<= sk.sndWscale;
        int flag = 0;
        if (ack > sk.sndUna || rx.seq > sk.sndWl1 || (rx.seq == sk.sndWl1 && (nwin > sk.sndWnd || nwin == 0))) {
            flag |= FLAG_WIN_UPDATE;
            sk.sndWl1 = rx.seq;
            if (sk.sndWnd != nwin) {
                sk.sndWnd = nwin;
                if (nwin > sk.maxWindow) sk.maxWindow = nwin;
            }
        }
        return flag;
    }

    // tcp_ack_probe(): the window opened for the queued data: stop probing.
    private void ackProbe(TcpSock sk, long now) {
        TcpSkb head = sk.writeQueue.peekFirst();
        if (head.endSeq <= sk.sndUna + sk.sndWnd) {
            sk.backoff = 0;
            sk.probesOut = 0;
            if (sk.pending == TcpSock.TIME_PROBE0) tcp.timers.clearXmitTimer(sk);
        } else {
            tcp.timers.resetXmitTimer(sk, TcpSock.TIME_PROBE0, now + tcp.timers.probe0When(sk), now);
        }
    }

    // tcp_sacktag_write_queue(): mark what the SACK blocks cover; detect D-SACK (tcp_check_dsack()).
    private void sacktag(TcpSock sk, TcpRx rx, long priorSndUna, State st, long now) {
        long[] raw = rx.options.sackBlocks();
        int n = raw.length / 2;
        long s0 = TcpRx.unwrap(raw[0], priorSndUna), e0 = TcpRx.unwrap(raw[1], priorSndUna);
        boolean dsack = false;
        if (s0 < rx.ack) {
            dsack = true;
            tcp.inc(TcpMib.TCP_DSACK_RECV);
        } else if (n > 1) {
            long s1 = TcpRx.unwrap(raw[2], priorSndUna), e1 = TcpRx.unwrap(raw[3], priorSndUna);
            if (e0 <= e1 && s0 >= s1) {
                dsack = true;
                tcp.inc(TcpMib.TCP_DSACK_OFO_RECV);
            }
        }
        if (dsack) {
            st.flag |= FLAG_DSACKING_ACK;
            sk.rackDsackSeen = 1;
            if (sk.undoMarker != 0 && sk.undoRetrans > 0 && e0 <= priorSndUna && e0 > sk.undoMarker) sk.undoRetrans--;
            if (sk.tlpHighSeq != 0 && e0 == sk.tlpHighSeq) st.flag |= FLAG_DSACK_TLP;
        }
        long priorHighest = sk.sackedOut > 0 ? sk.highestSackEnd : sk.sndUna;
        for (int b = 0; b < n; b++) {
            long start = TcpRx.unwrap(raw[2 * b], priorSndUna), end = TcpRx.unwrap(raw[2 * b + 1], priorSndUna);
            boolean dup = dsack && b == 0;
            if (end <= start || end > sk.sndNxt) continue;
            if (!dup && end <= sk.sndUna) continue;
            int i = firstEndingAfter(sk, start);
            for (; i < sk.rtxQueue.size(); i++) {
                TcpSkb skb = sk.rtxQueue.get(i);
                if (skb.seq >= end) break;
                if (skb.seq < start || skb.endSeq > end) continue;
                sacktagOne(sk, skb, dup, st, priorHighest, now);
            }
        }
        if (st.reord < priorHighest) checkSackReordering(sk, st.reord, priorHighest);
    }

    private static int firstEndingAfter(TcpSock sk, long seq) {
        int lo = 0, hi = sk.rtxQueue.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sk.rtxQueue.get(mid).endSeq <= seq) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    // tcp_sacktag_one()
    private void sacktagOne(TcpSock sk, TcpSkb skb, boolean dup, State st, long priorHighest, long now) {
        if (dup && skb.has(TcpSkb.EVER_RETRANS)) {
            if (sk.undoMarker != 0 && sk.undoRetrans > 0 && skb.endSeq > sk.undoMarker) sk.undoRetrans--;
        }
        if (!skb.has(TcpSkb.SACKED_ACKED) && skb.endSeq > sk.sndUna) {
            tcp.rack.advance(sk, skb.sacked, skb.endSeq, skb.txTimeNs, now);
            if (skb.has(TcpSkb.SACKED_RETRANS)) {
                if (skb.has(TcpSkb.LOST)) {
                    skb.sacked &= ~(TcpSkb.LOST | TcpSkb.SACKED_RETRANS);
                    sk.lostOut--;
                    sk.retransOut--;
                }
            } else {
                if (!skb.has(TcpSkb.EVER_RETRANS)) {
                    if (skb.seq < priorHighest && skb.seq < st.reord) st.reord = skb.seq;
                    if (skb.endSeq <= sk.highSeq) st.flag |= FLAG_ORIG_SACK_ACKED;
                    if (st.firstSacktNs == 0) st.firstSacktNs = skb.txTimeNs;
                    st.lastSacktNs = skb.txTimeNs;
                }
                if (skb.has(TcpSkb.LOST)) {
                    skb.sacked &= ~TcpSkb.LOST;
                    sk.lostOut--;
                }
            }
            skb.sacked |= TcpSkb.SACKED_ACKED;
            st.flag |= FLAG_DATA_SACKED;
            sk.sackedOut++;
            sk.delivered++;
            tcp.rateSkbDelivered(sk, skb, true);
            if (sk.sackedOut == 1 || skb.endSeq > sk.highestSackEnd) sk.highestSackEnd = Math.max(skb.endSeq, sk.highestSackEnd);
        }
        if (dup && skb.has(TcpSkb.SACKED_RETRANS)) {
            skb.sacked &= ~TcpSkb.SACKED_RETRANS;
            sk.retransOut--;
        }
    }

    // tcp_check_sack_reordering(): data below the highest SACK arrived late: raise the reordering degree.
    void checkSackReordering(TcpSock sk, long lowSeq, long fack) {
        checkSackReordering(sk, lowSeq, fack, false);
    }

    void checkSackReordering(TcpSock sk, long lowSeq, long fack, boolean ts) {
        if (lowSeq >= fack) return;
        long metric = fack - lowSeq;
        int mss = sk.mssCache;
        if (metric > (long) sk.reordering * mss) {
            sk.reordering = (int) Math.min(tcp.sysctl.maxReordering(), (metric + mss - 1) / mss);
        }
        sk.reordSeen++;
        tcp.inc(ts ? TcpMib.TCP_TS_REORDER : TcpMib.TCP_SACK_REORDER);
    }

    // tcp_clean_rtx_queue(): drop what is now cumulatively acknowledged; RTT samples; pkts_acked().
    private int cleanRtxQueue(TcpSock sk, long priorFack, int priorInFlight, State st, TcpRx rx, long now) {
        int flag = 0;
        long firstAcktNs = 0, lastAcktNs = 0;
        long reord = Long.MAX_VALUE;
        int pktsAcked = 0;
        while (!sk.rtxQueue.isEmpty()) {
            TcpSkb skb = sk.rtxQueue.get(0);
            if (skb.endSeq > sk.sndUna) {
                if (skb.seq < sk.sndUna) { // partially acknowledged
                    int n = (int) (sk.sndUna - skb.seq);
                    sk.wmemQueued -= Math.min(n, skb.len);
                    skb.trimHead(n);
                    flag |= FLAG_DATA_ACKED;
                }
                break;
            }
            int sacked = skb.sacked;
            if ((sacked & (TcpSkb.SACKED_RETRANS | TcpSkb.EVER_RETRANS)) != 0) { // Karn: no RTT sample
                if ((sacked & TcpSkb.SACKED_RETRANS) != 0) sk.retransOut--;
                flag |= FLAG_RETRANS_DATA_ACKED;
            } else if ((sacked & TcpSkb.SACKED_ACKED) == 0) {
                lastAcktNs = skb.txTimeNs;
                if (firstAcktNs == 0) firstAcktNs = lastAcktNs;
                if ((sacked & TcpSkb.EVER_RETRANS) == 0) reord = Math.min(reord, skb.seq);
                if (skb.endSeq <= sk.highSeq) flag |= FLAG_ORIG_SACK_ACKED;
            }
            if ((sacked & TcpSkb.SACKED_ACKED) != 0) {
                sk.sackedOut--;
            } else if (sk.sackOk) {
                sk.delivered++;
                tcp.rateSkbDelivered(sk, skb, false);
                tcp.rack.advance(sk, sacked, skb.endSeq, skb.txTimeNs, now);
            } else {
                tcp.rateSkbDelivered(sk, skb, false); // delivered counts come from TcpRenoSack.remove()
            }
            if ((sacked & TcpSkb.LOST) != 0) sk.lostOut--;
            sk.packetsOut--;
            pktsAcked++;
            flag |= (skb.tcpFlags & TcpHeader.SYN) != 0 ? FLAG_SYN_ACKED : FLAG_DATA_ACKED;
            sk.wmemQueued -= Tcp.skbTruesize(skb);
            sk.rtxQueue.remove(0);
        }
        if (!sk.sackOk && (flag & FLAG_ACKED) != 0) {
            TcpRenoSack.remove(tcp, sk, pktsAcked);
            // without SACK an ACK of retransmitted data cannot show that an original got through
            if ((flag & FLAG_RETRANS_DATA_ACKED) != 0) flag &= ~FLAG_ORIG_SACK_ACKED;
        }
        if (sk.sackedOut == 0) sk.highestSackEnd = sk.sndUna;
        long seqRttUs = -1, caRttUs = -1, sackRttUs = -1;
        if (firstAcktNs != 0 && (flag & FLAG_RETRANS_DATA_ACKED) == 0) {
            seqRttUs = (now - firstAcktNs) / 1000;
            caRttUs = (now - lastAcktNs) / 1000;
        }
        if (st.firstSacktNs != 0) {
            sackRttUs = (now - st.firstSacktNs) / 1000;
            if (caRttUs < 0) caRttUs = (now - st.lastSacktNs) / 1000;
        }
        boolean rttUpdate = ackUpdateRtt(sk, flag, seqRttUs, sackRttUs, caRttUs, rx, now);
        if ((flag & FLAG_ACKED) != 0) {
            flag |= FLAG_SET_XMIT_TIMER;
            if (reord < priorFack) checkSackReordering(sk, reord, priorFack);
        } else if (rttUpdate && sackRttUs >= 0 && !sk.rtxQueue.isEmpty()
                && sackRttUs > (now - sk.rtxQueue.get(0).txTimeNs) / 1000) {
            flag |= FLAG_SET_XMIT_TIMER;
        }
        if (pktsAcked > 0 || caRttUs >= 0) {
            tcp.syncCong(sk, now);
            sk.ca.pktsAcked(sk.cong, new AckSample(pktsAcked, caRttUs, priorInFlight));
        }
        return flag;
    }

    // tcp_ack_update_rtt() through the socket's TcpRtt; the cached srtt/RTO/min_rtt follow it.
    private boolean ackUpdateRtt(TcpSock sk, int flag, long seqRttUs, long sackRttUs, long caRttUs, TcpRx rx, long now) {
        long tsRttUs = -1;
        if (sk.tsOk && rx.options.timestamps() && rx.options.tsEcr() != 0 && (flag & FLAG_ACKED) != 0) {
            tsRttUs = TcpRtt.tsEcrRttUs(TcpTransmit.tsVal(sk, now), rx.options.tsEcr());
        }
        boolean updated = sk.rtt.ackUpdateRtt(seqRttUs, sackRttUs, caRttUs, tsRttUs, false, now / 1000, sk.sndUna, sk.sndNxt);
        sk.lastRttUs = sk.rtt.lastCaRttUs();
        if (updated) sk.stats.rtt(sk.lastRttUs);
        syncRtt(sk);
        if (updated) sk.backoff = 0;
        return updated;
    }

    /** Copies what the estimator holds into the socket's cached fields (srtt, rttvar, RTO, min_rtt). */
    static void syncRtt(TcpSock sk) {
        sk.srttUs = sk.rtt.srttUs();
        sk.rttvarUs = sk.rtt.rttvarUs();
        sk.rtoNs = sk.rtt.rtoUs() * 1000L;
        sk.minRttUs = sk.rtt.minRttUs();
    }
}
