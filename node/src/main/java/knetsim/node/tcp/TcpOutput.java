package knetsim.node.tcp;

import knetsim.node.inet.Inet;
import knetsim.node.tcp.cong.CaEvent;
import knetsim.node.tcp.cong.CaState;

/**
 * tcp_output.c, deciding what to send: the send loop (tcp_write_xmit() with its cwnd, window, Nagle and TSQ tests),
 * ACKs, FIN, RST, retransmissions and probes. Each segment is built and sent by {@link TcpTransmit}.
 */
final class TcpOutput {
    /** tp->nonagle bits. */
    static final int NAGLE_OFF = 1, NAGLE_CORK = 2, NAGLE_PUSH = 4;
    /** MAX_TCP_WINDOW, TCP_MAX_WSCALE. */
    static final int MAX_TCP_WINDOW = 32767, MAX_WSCALE = 14;
    /** TCP_TIMEOUT_MIN-ish slack for TLP and the REO timer (2 jiffies). */
    static final long TIMEOUT_MIN_NS = 2_000_000L;

    private final Tcp tcp;

    TcpOutput(Tcp tcp) {
        this.tcp = tcp;
    }

    // tcp_send_ack(): a pure ACK at snd_nxt.
    void sendAck(TcpSock sk, long now) {
        if (sk.state == TcpState.CLOSE || sk.state == TcpState.LISTEN || sk.state == TcpState.SYN_SENT) return;
        tcp.xmit.transmit(sk, sk.sndNxt, TcpHeader.ACK, null, 0, 0, now);
    }

    // __tcp_send_ack(sk, rcv_nxt): a pure ACK of an earlier rcv_nxt (DCTCP reflecting the previous CE state).
    void sendAckAt(TcpSock sk, long rcvNxt, long now) {
        if (sk.state == TcpState.CLOSE || sk.state == TcpState.LISTEN || sk.state == TcpState.SYN_SENT) return;
        tcp.xmit.transmit(sk, sk.sndNxt, TcpHeader.ACK, null, 0, 0, rcvNxt, now);
    }

    // tcp_send_delayed_ack(): arm the delayed-ACK timer at ato, bounded by the RTT and 200 ms (500 ms when not pushed).
    void sendDelayedAck(TcpSock sk, long now) {
        long ato = sk.atoNs;
        if (ato > TcpRcvWindow.ATO_MIN_NS) {
            long maxAto = 500_000_000L;
            if (sk.pingpong || (sk.ackPending & TcpSock.ACK_PUSHED) != 0) maxAto = TcpRcvWindow.DELACK_MAX_NS;
            if (sk.srttUs > 0) {
                long rtt = Math.max(sk.srttUs * 1000L, TcpRcvWindow.ATO_MIN_NS);
                if (rtt < maxAto) maxAto = rtt;
            }
            ato = Math.min(ato, maxAto);
        }
        long deadline = now + ato;
        if ((sk.ackPending & TcpSock.ACK_TIMER) != 0) {
            if (sk.delackDeadline <= now + (ato >> 2)) {
                sendAck(sk, now);
                return;
            }
            deadline = Math.min(deadline, sk.delackDeadline);
        }
        sk.ackPending |= TcpSock.ACK_SCHED | TcpSock.ACK_TIMER;
        sk.delackDeadline = deadline;
    }

    // tcp_send_active_reset() / tcp_v4_send_reset() for a socket: RST at snd_nxt.
    void sendActiveReset(TcpSock sk, long now) {
        tcp.xmit.transmit(sk, sk.sndNxt, TcpHeader.RST | TcpHeader.ACK, null, 0, 0, now);
        tcp.inc(TcpMib.OUT_RSTS);
    }

    // tcp_send_fin(): FIN on the last unsent skb, or a FIN-only skb.
    void sendFin(TcpSock sk, long now) {
        TcpSkb tail = sk.writeQueue.peekLast();
        if (tail != null) {
            tail.tcpFlags |= TcpHeader.FIN;
            tail.endSeq++;
        } else {
            TcpSkb fin = new TcpSkb(sk.writeSeq, TcpHeader.FIN | TcpHeader.ACK, 0);
            sk.writeQueue.add(fin);
        }
        sk.writeSeq++;
        sk.finQueued = true;
        pushPendingFrames(sk, NAGLE_OFF, now);
    }

    // tcp_push_pending_frames()
    void pushPendingFrames(TcpSock sk, int nonagle, long now) {
        if (sk.writeQueue.isEmpty()) return;
        if (writeXmit(sk, nonagle, false, now)) checkProbeTimer(sk, now);
    }

    /** tp->nonagle for this socket. */
    static int nonagle(TcpSock sk) {
        return (sk.nodelay ? NAGLE_OFF : 0) | (sk.cork ? NAGLE_CORK : 0);
    }

    // tcp_write_xmit(): send what cwnd, the peer's window, Nagle and TSQ allow; true when something is left unsent
    // with nothing in flight (the caller arms the zero-window probe).
    boolean writeXmit(TcpSock sk, int nonagle, boolean probe, long now) {
        int mss = sk.mssCache;
        int sent = 0;
        boolean cwndLimited = false;
        TcpSkb skb;
        while ((skb = sk.writeQueue.peekFirst()) != null) {
            if (TcpPacing.check(sk, now)) break;
            if (skb.len > mss) fragment(sk, skb, mss);
            if (smallQueueCheck(sk)) break;
            int quota = cwndTest(sk, skb);
            if (quota == 0) {
                if (!probe) {
                    cwndLimited = true;
                    break;
                }
            }
            if (skb.endSeq - ((skb.tcpFlags & TcpHeader.FIN) != 0 ? 1 : 0) > sk.sndUna + sk.sndWnd) break; // tcp_snd_wnd_test
            boolean last = sk.writeQueue.size() == 1;
            if (!nagleTest(sk, skb, mss, last ? nonagle : NAGLE_PUSH)) break;
            if (transmitNew(sk, skb, now) != 0) break;
            sent++;
            if (probe) break;
        }
        cwndLimited |= sk.inFlight() >= sk.cong.sndCwnd;
        if (sent > 0) {
            cwndValidate(sk, cwndLimited);
            if (!probe && (sk.pending == TcpSock.TIME_NONE || sk.pending == TcpSock.TIME_RETRANS
                    || sk.pending == TcpSock.TIME_LOSS_PROBE)) {
                if (!tcp.rack.scheduleLossProbe(sk, false, now)) tcp.timers.rearmRto(sk, now);
            }
            return false;
        }
        return sk.packetsOut == 0 && !sk.writeQueue.isEmpty();
    }

    // tcp_event_new_data_sent() after __tcp_transmit_skb(): the skb moves to the retransmit queue.
    private int transmitNew(TcpSock sk, TcpSkb skb, long now) {
        if (sk.packetsOut == 0) {
            tcp.syncCong(sk, now); // tcp_mstamp of this send, not of the last ACK
            tcp.caEvent(sk, CaEvent.TX_START);
        }
        boolean restart = sk.packetsOut == 0;
        int flags = skb.tcpFlags | TcpHeader.ACK;
        if (sk.writeQueue.size() == 1 && skb.len > 0) flags |= TcpHeader.PSH;
        tcp.rateSkbSent(sk, skb, now);
        int err = tcp.xmit.transmit(sk, skb.seq, flags, skb.data, 0, skb.len, now);
        if (err != 0) return err;
        sk.writeQueue.pollFirst();
        skb.txTimeNs = now;
        skb.firstTxNs = now;
        sk.rtxQueue.add(skb);
        sk.sndNxt = skb.endSeq;
        sk.packetsOut++;
        sk.bytesSent += skb.len;
        tcp.inc(TcpMib.TCP_ORIGIN_DATA_SENT);
        if (skb.len < sk.mssCache) sk.sndSml = skb.endSeq; // tcp_minshall_update()
        if (sk.caState() == CaState.RECOVERY || sk.caState() == CaState.CWR) sk.prrOut++;
        if (restart && sk.pending == TcpSock.TIME_NONE) tcp.timers.rearmRto(sk, now);
        return 0;
    }

    // tcp_fragment(): split the head of the write queue into MSS-sized skbs (after the path MTU went down).
    void fragment(TcpSock sk, TcpSkb skb, int mss) {
        java.util.ArrayList<TcpSkb> parts = new java.util.ArrayList<>();
        sk.writeQueue.pollFirst();
        int fin = skb.tcpFlags & TcpHeader.FIN;
        for (int at = 0; at < skb.len; at += mss) {
            int n = Math.min(mss, skb.len - at);
            TcpSkb t = new TcpSkb(skb.seq + at, 0, n);
            t.append(skb.data, at, n);
            parts.add(t);
        }
        TcpSkb last = parts.get(parts.size() - 1);
        if (fin != 0) {
            last.tcpFlags |= TcpHeader.FIN;
            last.endSeq++;
        }
        for (int i = parts.size() - 1; i >= 0; i--) sk.writeQueue.addFirst(parts.get(i));
    }

    // tcp_cwnd_test(): how many segments cwnd allows now (a FIN-only skb always goes).
    private static int cwndTest(TcpSock sk, TcpSkb skb) {
        if ((skb.tcpFlags & TcpHeader.FIN) != 0 && skb.len == 0) return 1;
        int inFlight = sk.inFlight();
        int cwnd = sk.cong.sndCwnd;
        return inFlight >= cwnd ? 0 : cwnd - inFlight;
    }

    // tcp_nagle_test(): may a partial segment go now?
    private static boolean nagleTest(TcpSock sk, TcpSkb skb, int mss, int nonagle) {
        if ((nonagle & NAGLE_PUSH) != 0) return true;
        if ((skb.tcpFlags & TcpHeader.FIN) != 0) return true;
        boolean partial = skb.len < mss;
        // tcp_nagle_check(): corked, or Nagle on with a small segment still unacknowledged (Minshall)
        boolean hold = partial && ((nonagle & NAGLE_CORK) != 0
                || (nonagle == 0 && sk.packetsOut > 0 && sk.sndSml > sk.sndUna && sk.sndSml <= sk.sndNxt));
        return !hold;
    }

    // tcp_small_queue_check(): about 1 ms of data (or two skbs) may wait in the qdisc and the driver.
    boolean smallQueueCheck(TcpSock sk) {
        long limit = Math.max(2L * Inet.truesizeOfPacket(sk.mssCache + 52), tcp.pacingRate(sk) >> 10);
        limit = Math.min(limit, tcp.sysctl.limitOutputBytes());
        if (sk.tsqBytes > limit) {
            sk.tsqThrottled = true;
            return true;
        }
        return false;
    }

    // tcp_cwnd_validate(): remember whether this window was cwnd-limited (congestion control grows cwnd only then).
    private void cwndValidate(TcpSock sk, boolean cwndLimited) {
        if (sk.sndUna >= sk.cwndUsageSeq || cwndLimited || (!sk.cong.cwndLimited && sk.packetsOut > sk.cong.maxPacketsOut)) {
            sk.cong.cwndLimited = cwndLimited;
            sk.cong.maxPacketsOut = sk.packetsOut;
            sk.cwndUsageSeq = sk.sndNxt;
        }
    }

    // tcp_check_probe_timer(): nothing in flight but data waiting (zero window): arm the probe timer.
    void checkProbeTimer(TcpSock sk, long now) {
        if (sk.packetsOut == 0 && sk.pending == TcpSock.TIME_NONE && !sk.writeQueue.isEmpty()) {
            tcp.timers.resetXmitTimer(sk, TcpSock.TIME_PROBE0, now + tcp.timers.probe0Base(sk), now);
        }
    }

    // tcp_retransmit_skb(): __tcp_retransmit_skb() and the scoreboard's retrans_out, retrans_stamp, undo_retrans.
    int retransmitSkb(TcpSock sk, TcpSkb skb, long now) {
        int err = retransmitSkbRaw(sk, skb, now);
        if (err == 0) {
            if (!skb.has(TcpSkb.SACKED_RETRANS)) sk.retransOut++;
            skb.sacked |= TcpSkb.SACKED_RETRANS;
        }
        if (sk.retransStamp == 0) sk.retransStamp = skb.txTimeNs; // the first retransmission's time
        if (sk.undoRetrans < 0) sk.undoRetrans = 0;
        sk.undoRetrans++;
        return err;
    }

    // __tcp_retransmit_skb(): a fresh copy of a queued skb (the loss probe's retransmission stops here).
    int retransmitSkbRaw(TcpSock sk, TcpSkb skb, long now) {
        if (skb.endSeq <= sk.sndUna) return -1;
        if (skb.seq < sk.sndUna) {
            int n = (int) (sk.sndUna - skb.seq);
            skb.trimHead(n);
        }
        if (skb.len > sk.mssCache) {
            splitRtx(sk, skb, sk.mssCache);
        }
        if (skb.seq >= sk.sndUna + sk.sndWnd && skb.seq != sk.sndUna) return -1; // outside the peer's window
        if ((skb.tcpFlags & TcpHeader.SYN) != 0) TcpEcn.clearSyn(skb); // RFC 3168 6.1.1.1: ECN fallback
        int flags = skb.tcpFlags | (sk.state == TcpState.SYN_SENT ? 0 : TcpHeader.ACK);
        if ((flags & TcpHeader.SYN) != 0 && sk.state == TcpState.SYN_SENT) flags &= ~TcpHeader.ACK;
        tcp.rateSkbSent(sk, skb, now);
        int err = tcp.xmit.transmit(sk, skb.seq, flags, skb.data, 0, skb.len, now);
        if (err != 0) return err;
        skb.txTimeNs = now;
        skb.sacked |= TcpSkb.EVER_RETRANS;
        skb.retransCount++;
        tcp.inc(TcpMib.RETRANS_SEGS);
        sk.totalRetrans++;
        sk.bytesRetrans += skb.len;
        return 0;
    }

    // tcp_fragment() on the retransmit queue (in __tcp_retransmit_skb() when the MSS went down): MSS-sized pieces.
    private void splitRtx(TcpSock sk, TcpSkb skb, int mss) {
        int i = sk.rtxQueue.indexOf(skb);
        while (skb.len > mss) {
            int tailLen = skb.len - mss;
            TcpSkb t = new TcpSkb(skb.seq + mss, 0, tailLen);
            t.append(skb.data, mss, tailLen);
            t.tcpFlags = skb.tcpFlags & ~TcpHeader.SYN;
            if ((t.tcpFlags & TcpHeader.FIN) != 0) t.endSeq++;
            t.sacked = skb.sacked;
            t.txTimeNs = skb.txTimeNs;
            t.firstTxNs = skb.firstTxNs;
            skb.tcpFlags &= ~(TcpHeader.FIN | TcpHeader.PSH);
            skb.len = mss;
            skb.endSeq = skb.seq + mss;
            sk.rtxQueue.add(++i, t);
            sk.packetsOut++;
            if (t.has(TcpSkb.LOST)) sk.lostOut++;
            if (t.has(TcpSkb.SACKED_RETRANS)) sk.retransOut++;
            skb = t;
        }
    }

    // tcp_xmit_retransmit_queue(): retransmit the skbs marked lost, as cwnd allows.
    void xmitRetransmitQueue(TcpSock sk, long now) {
        if (sk.packetsOut == 0) return;
        boolean rearm = false;
        for (int i = 0; i < sk.rtxQueue.size(); i++) {
            TcpSkb skb = sk.rtxQueue.get(i);
            if (TcpPacing.check(sk, now)) break;
            if (sk.cong.sndCwnd - sk.inFlight() <= 0) break;
            if (sk.retransOut >= sk.lostOut) break;
            if (!skb.has(TcpSkb.LOST)) continue;
            if (skb.has(TcpSkb.SACKED_ACKED) || skb.has(TcpSkb.SACKED_RETRANS)) continue;
            if (smallQueueCheck(sk)) break;
            if (retransmitSkb(sk, skb, now) != 0) break;
            tcp.inc(sk.caState() != CaState.LOSS ? TcpMib.TCP_FAST_RETRANS : TcpMib.TCP_SLOW_START_RETRANS);
            if (sk.caState() == CaState.RECOVERY || sk.caState() == CaState.CWR) sk.prrOut++;
            if (i == 0 && sk.pending != TcpSock.TIME_REO) rearm = true;
        }
        if (rearm) tcp.timers.resetXmitTimer(sk, TcpSock.TIME_RETRANS, now + sk.rtoNs, now);
    }

    // tcp_write_wakeup() for the zero-window probe: a segment of new data if the window allows it, else
    // tcp_xmit_probe_skb(): an old sequence number (snd_una - 1) the peer must ACK.
    void writeWakeup(TcpSock sk, long now) {
        TcpSkb skb = sk.writeQueue.peekFirst();
        if (skb != null && skb.seq < sk.sndUna + sk.sndWnd) {
            long room = sk.sndUna + sk.sndWnd - skb.seq;
            if (skb.len > room && room > 0) fragment(sk, skb, (int) room);
            transmitNew(sk, sk.writeQueue.peekFirst(), now);
            return;
        }
        tcp.xmit.transmit(sk, sk.sndUna - 1, TcpHeader.ACK, null, 0, 0, now);
    }
}
