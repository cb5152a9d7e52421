package knetsim.node.tcp;

import knetsim.node.skb.SkbDropReason;

/**
 * tcp_input.c, the receiving half: tcp_rcv_state_process() and tcp_rcv_established() for synchronized
 * states, the receive and out-of-order queues with SACK and D-SACK generation, FIN. The ACK half is
 * {@link TcpAck}; the window, delayed ACKs and autotuning are {@link TcpRcvWindow}.
 */
final class TcpInput {
    private final Tcp tcp;

    TcpInput(Tcp tcp) {
        this.tcp = tcp;
    }

    // tcp_rcv_state_process() / tcp_rcv_established() for every state past SYN_SENT.
    void rcvSynchronized(TcpSock sk, TcpRx rx, long now) {
        sk.segsIn++;
        // tcp_validate_incoming(): PAWS is not modelled beyond ts_recent; sequence check first
        if (!sequenceOk(sk, rx)) {
            if (!rx.has(TcpHeader.RST)) {
                if (rx.endSeq <= sk.rcvNxt && rx.len > 0) dsackSet(sk, rx.seq, rx.endSeq, TcpMib.TCP_DSACK_OLD_SENT);
                tcp.drop(SkbDropReason.TCP_INVALID_SEQUENCE);
                tcp.out.sendAck(sk, now); // tcp_send_dupack()
            }
            return;
        }
        if (rx.has(TcpHeader.RST)) {
            // RFC 5961: only an RST at exactly rcv_nxt resets; others in the window get a challenge ACK
            if (rx.seq == sk.rcvNxt) tcp.reset(sk, now);
            else tcp.out.sendAck(sk, now);
            return;
        }
        if (rx.has(TcpHeader.SYN)) { // tcp_validate_incoming(): a SYN in a synchronized state: challenge ACK
            tcp.out.sendAck(sk, now);
            return;
        }
        if (!rx.has(TcpHeader.ACK)) {
            tcp.drop(SkbDropReason.TCP_FLAGS);
            return;
        }
        if (sk.state == TcpState.SYN_RECV && !tcp.mini.childAcked(sk, rx, now)) return;
        storeTimestamp(sk, rx, now);
        int flag = tcp.ack.ack(sk, rx, now);
        if (flag < 0) {
            if (flag == TcpAck.ACK_UNSENT) tcp.out.sendAck(sk, now);
            return;
        }
        // tcp_rcv_state_process(): a FIN of ours acknowledged moves the state on
        boolean finAcked = sk.finQueued && sk.sndUna == sk.writeSeq;
        switch (sk.state) {
            case FIN_WAIT1 -> {
                if (finAcked) {
                    tcp.setState(sk, TcpState.FIN_WAIT2);
                    tcp.wake(sk, now);
                    if (sk.dead) sk.keepaliveDeadline = now + tcp.sysctl.finTimeoutNs();
                }
            }
            case CLOSING -> {
                if (finAcked) {
                    tcp.mini.timeWait(sk, TcpState.TIME_WAIT, now);
                    return;
                }
            }
            case LAST_ACK -> {
                if (finAcked) {
                    tcp.done(sk, now);
                    return;
                }
            }
            default -> {}
        }
        // tcp_data_queue() in the states that still receive
        if ((rx.len > 0 || rx.has(TcpHeader.FIN))
                && (sk.state == TcpState.ESTABLISHED || sk.state == TcpState.FIN_WAIT1 || sk.state == TcpState.FIN_WAIT2)) {
            if (sk.shutRd && sk.dead && rx.len > 0) { // data for a socket the user closed: reset (tcp_reset after close)
                tcp.inc(TcpMib.TCP_ABORT_ON_DATA);
                tcp.out.sendActiveReset(sk, now);
                tcp.done(sk, now);
                return;
            }
            dataQueue(sk, rx, now);
            if (sk.state == TcpState.TIME_WAIT || sk.state == TcpState.CLOSE) return;
        }
        // tcp_data_snd_check(), tcp_ack_snd_check()
        if (!sk.writeQueue.isEmpty()) tcp.out.pushPendingFrames(sk, TcpOutput.nonagle(sk), now);
        tcp.checkSpace(sk, now);
        tcp.rwin.ackSndCheck(sk, now);
    }

    // tcp_sequence(): some of the segment is inside the receive window.
    private static boolean sequenceOk(TcpSock sk, TcpRx rx) {
        if (rx.endSeq < sk.rcvWup) return false;
        if (rx.seq == rx.endSeq && rx.seq == sk.rcvNxt) return true;
        return rx.seq <= sk.rcvNxt + sk.receiveWindow();
    }

    // tcp_store_ts_recent(): the timestamp to echo, taken from a segment at or left of rcv_wup.
    private static void storeTimestamp(TcpSock sk, TcpRx rx, long now) {
        TcpOptions o = rx.options;
        if (!sk.tsOk || !o.timestamps()) return;
        sk.rcvTsecr = o.tsEcr();
        if (o.tsEcr() != 0 && o.tsEcr() != sk.rcvRttLastTsecr) { // tcp_rcv_rtt_measure_ts()
            long deltaMs = (TcpTransmit.tsVal(sk, now) - o.tsEcr()) & 0xffffffffL;
            if (deltaMs < 1_000_000L) {
                long m = Math.max(1, deltaMs) * 1000L;
                sk.rcvRttUs = sk.rcvRttUs == 0 ? m : sk.rcvRttUs + (m - sk.rcvRttUs) / 8;
            }
            sk.rcvRttLastTsecr = o.tsEcr();
        }
        if (rx.seq <= sk.rcvWup && (int) (o.tsVal() - sk.tsRecent) >= 0) {
            sk.tsRecent = o.tsVal();
            sk.tsRecentStampNs = now;
        }
    }

    // tcp_data_queue()
    private void dataQueue(TcpSock sk, TcpRx rx, long now) {
        boolean fin = rx.has(TcpHeader.FIN);
        if (rx.seq == sk.rcvNxt) {
            if (sk.receiveWindow() == 0 && rx.len > 0) {
                tcp.inc(TcpMib.TCP_ZERO_WINDOW_DROP);
                tcp.drop(SkbDropReason.TCP_ZEROWINDOW);
                TcpRcvWindow.enterQuickack(sk, TcpRcvWindow.MAX_QUICKACKS);
                tcp.out.sendAck(sk, now);
                return;
            }
            if (rx.len > 0 && !rmemSchedule(sk, rx.len)) {
                tcp.inc(TcpMib.TCP_RCV_Q_DROP);
                tcp.out.sendAck(sk, now);
                return;
            }
            if (rx.len > 0) queueRcv(sk, rx.buf, rx.off, rx.len, rx.truesize);
            sk.rcvNxt = rx.endSeq; // tcp_rcv_nxt_update() in tcp_queue_rcv(), before tcp_event_data_recv()
            if (rx.len > 0) tcp.rwin.eventDataRecv(sk, rx, now);
            if (rx.has(TcpHeader.PSH)) sk.ackPending |= TcpSock.ACK_PUSHED;
            if (fin) fin(sk, now);
            if (!sk.ofoQueue.isEmpty()) {
                ofoQueue(sk, now);
                // RFC 5681 4.2: ACK at once when a gap is filled
                if (sk.ofoQueue.isEmpty()) sk.ackPending |= TcpSock.ACK_NOW;
            }
            if (sk.numSacks > 0) sackRemove(sk);
            tcp.wake(sk, now); // tcp_data_ready()
            return;
        }
        if (rx.endSeq <= sk.rcvNxt) { // a retransmission of what we have: D-SACK it and ACK at once
            dsackSet(sk, rx.seq, rx.endSeq, TcpMib.TCP_DSACK_OLD_SENT);
            tcp.drop(SkbDropReason.TCP_OLD_DATA);
            TcpRcvWindow.enterQuickack(sk, TcpRcvWindow.MAX_QUICKACKS);
            tcp.out.sendAck(sk, now);
            return;
        }
        if (rx.seq >= sk.rcvNxt + sk.receiveWindow()) { // beyond the window
            tcp.drop(SkbDropReason.TCP_OVERWINDOW);
            TcpRcvWindow.enterQuickack(sk, TcpRcvWindow.MAX_QUICKACKS);
            tcp.out.sendAck(sk, now);
            return;
        }
        if (rx.seq < sk.rcvNxt) { // partly old: D-SACK the old part, keep the rest
            dsackSet(sk, rx.seq, sk.rcvNxt, TcpMib.TCP_DSACK_OLD_SENT);
            int cut = (int) (sk.rcvNxt - rx.seq);
            rx.off += cut;
            rx.len -= cut;
            rx.seq = sk.rcvNxt;
            if (sk.receiveWindow() == 0) {
                tcp.out.sendAck(sk, now);
                return;
            }
            dataQueue(sk, rx, now);
            return;
        }
        dataQueueOfo(sk, rx, now);
    }

    // tcp_data_queue_ofo(): out of order: keep it, SACK it (most recent first) and ACK at once.
    private void dataQueueOfo(TcpSock sk, TcpRx rx, long now) {
        TcpEcn.checkCe(tcp, sk, rx, now);
        if (!rmemSchedule(sk, rx.len)) {
            tcp.inc(TcpMib.TCP_OFO_DROP);
            tcp.drop(SkbDropReason.TCP_OFO_DROP);
            return;
        }
        tcp.inc(TcpMib.TCP_OFO_QUEUE);
        sk.ackPending |= TcpSock.ACK_SCHED;
        long seq = rx.seq, end = rx.endSeq;
        int i = 0;
        while (i < sk.ofoQueue.size() && sk.ofoQueue.get(i).seq < seq) i++;
        // a duplicate of queued data: D-SACK it (TCPOFOMerge)
        if (i > 0 && sk.ofoQueue.get(i - 1).endSeq >= end) {
            tcp.inc(TcpMib.TCP_OFO_MERGE);
            dsackSet(sk, seq, end, TcpMib.TCP_DSACK_OFO_SENT);
            tcp.drop(SkbDropReason.TCP_OFOMERGE);
            tcp.out.sendAck(sk, now);
            return;
        }
        if (i < sk.ofoQueue.size() && sk.ofoQueue.get(i).seq == seq && sk.ofoQueue.get(i).endSeq >= end) {
            tcp.inc(TcpMib.TCP_OFO_MERGE);
            dsackSet(sk, seq, end, TcpMib.TCP_DSACK_OFO_SENT);
            tcp.out.sendAck(sk, now);
            return;
        }
        TcpSkb skb = new TcpSkb(seq, rx.flags & TcpHeader.FIN, rx.len);
        skb.append(rx.buf, rx.off, rx.len);
        skb.endSeq = end;
        skb.truesize = rx.truesize;
        sk.rmemAllocBytes += rx.truesize;
        sk.ofoQueue.add(i, skb);
        // drop queued segments the new one covers completely
        while (i + 1 < sk.ofoQueue.size() && sk.ofoQueue.get(i + 1).endSeq <= end) {
            TcpSkb gone = sk.ofoQueue.remove(i + 1);
            sk.rmemAllocBytes -= gone.truesize;
            dsackSet(sk, gone.seq, gone.endSeq, TcpMib.TCP_DSACK_OFO_SENT);
        }
        if (sk.sackOk) sackNewOfoSkb(sk, seq, end);
        tcp.out.sendAck(sk, now);
    }

    // tcp_ofo_queue(): move what became in order to the receive queue.
    private void ofoQueue(TcpSock sk, long now) {
        while (!sk.ofoQueue.isEmpty()) {
            TcpSkb skb = sk.ofoQueue.get(0);
            if (skb.seq > sk.rcvNxt) break;
            sk.ofoQueue.remove(0);
            sk.rmemAllocBytes -= skb.truesize;
            if (skb.endSeq <= sk.rcvNxt) {
                dsackSet(sk, skb.seq, skb.endSeq, TcpMib.TCP_DSACK_OLD_SENT);
                continue;
            }
            int cut = (int) (sk.rcvNxt - skb.seq);
            int n = skb.len - cut;
            if (n > 0) queueRcv(sk, skb.data, cut, n, skb.truesize);
            sk.rcvNxt = skb.endSeq;
            if ((skb.tcpFlags & TcpHeader.FIN) != 0) {
                fin(sk, now);
                break;
            }
        }
    }

    // tcp_queue_rcv(): append to the receive queue, charged by truesize.
    private static void queueRcv(TcpSock sk, byte[] b, int off, int len, int truesize) {
        byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
        sk.receiveQueue.add(copy);
        sk.rcvQueued += len;
        sk.rmemAllocBytes += truesize;
        sk.rcvTruesizes.add(truesize);
        sk.bytesReceived += len;
        sk.dataSegsIn++;
    }

    // tcp_try_rmem_schedule() -> tcp_can_ingest() (Linux 6.18): sk_rmem_alloc + skb->len within sk_rcvbuf.
    // The payload, not the truesize, decides: a sub-MSS segment filling the rest of a window offered at the
    // measured scaling_ratio is taken although its truesize overshoots sk_rcvbuf (queue collapsing not modelled).
    private static boolean rmemSchedule(TcpSock sk, int len) {
        return sk.rmemAllocBytes + len <= sk.rcvbuf();
    }

    // tcp_fin(): the peer is done sending.
    void fin(TcpSock sk, long now) {
        sk.finReceived = true;
        sk.ackPending |= TcpSock.ACK_SCHED;
        switch (sk.state) {
            case SYN_RECV, ESTABLISHED -> {
                tcp.setState(sk, TcpState.CLOSE_WAIT);
                sk.pingpong = true;
            }
            case FIN_WAIT1 -> {
                tcp.out.sendAck(sk, now);
                tcp.setState(sk, TcpState.CLOSING);
            }
            case FIN_WAIT2 -> {
                tcp.out.sendAck(sk, now);
                tcp.mini.timeWait(sk, TcpState.TIME_WAIT, now);
            }
            default -> {}
        }
        for (TcpSkb s : sk.ofoQueue) sk.rmemAllocBytes -= s.truesize;
        sk.ofoQueue.clear();
        sk.numSacks = 0;
        tcp.wake(sk, now);
    }

    // tcp_dsack_set(): report [seq, end) as a duplicate in the next ACK.
    private void dsackSet(TcpSock sk, long seq, long end, TcpMib mib) {
        if (!sk.sackOk) return;
        tcp.inc(mib);
        sk.dsack[0] = seq;
        sk.dsack[1] = end;
        sk.dsackPending = true;
    }

    // tcp_sack_new_ofo_skb(): the block holding the new data goes first; blocks it touches are merged into it.
    private static void sackNewOfoSkb(TcpSock sk, long seq, long end) {
        long[] s = sk.selectiveAcks;
        int n = sk.numSacks;
        for (int i = 0; i < n; i++) {
            if (s[2 * i] <= end && seq <= s[2 * i + 1]) { // overlaps or touches: extend
                long lo = Math.min(s[2 * i], seq), hi = Math.max(s[2 * i + 1], end);
                System.arraycopy(s, 0, s, 2, 2 * i); // move it to the front
                s[0] = lo;
                s[1] = hi;
                // tcp_sack_maybe_coalesce()
                for (int j = 1; j < n; j++) {
                    if (s[2 * j] <= s[1] && s[0] <= s[2 * j + 1]) {
                        s[0] = Math.min(s[0], s[2 * j]);
                        s[1] = Math.max(s[1], s[2 * j + 1]);
                        System.arraycopy(s, 2 * j + 2, s, 2 * j, 2 * (n - j - 1));
                        n--;
                        j--;
                    }
                }
                sk.numSacks = n;
                return;
            }
        }
        if (n >= 4) n = 3; // the oldest block is forgotten
        System.arraycopy(s, 0, s, 2, 2 * n);
        s[0] = seq;
        s[1] = end;
        sk.numSacks = n + 1;
    }

    // tcp_sack_remove(): blocks now below rcv_nxt are gone.
    private static void sackRemove(TcpSock sk) {
        long[] s = sk.selectiveAcks;
        int n = sk.numSacks;
        for (int i = 0; i < n; ) {
            if (s[2 * i] <= sk.rcvNxt) {
                System.arraycopy(s, 2 * i + 2, s, 2 * i, 2 * (n - i - 1));
                n--;
            } else {
                i++;
            }
        }
        sk.numSacks = sk.ofoQueue.isEmpty() ? 0 : n;
    }
}
