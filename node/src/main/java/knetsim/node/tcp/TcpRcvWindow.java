package knetsim.node.tcp;

/**
 * tcp_input.c, what the receiver advertises and when it ACKs: turning receive memory into window at the
 * socket's measured scaling_ratio (tcp_win_from_space(), tcp_measure_rcv_mss()), window growth
 * (tcp_grow_window()), receive-buffer autotuning (tcp_rcv_space_adjust()), the ACK-delay estimator and
 * quickack mode (tcp_event_data_recv()), and whether to ACK now or later (__tcp_ack_snd_check()).
 */
final class TcpRcvWindow {
    /** TCP_ATO_MIN, TCP_DELACK_MAX, TCP_MAX_QUICKACKS. */
    static final long ATO_MIN_NS = 40_000_000L, DELACK_MAX_NS = 200_000_000L;
    static final int MAX_QUICKACKS = 16;
    /**
     * TCP_RMEM_TO_WIN_SCALE: scaling_ratio is payload per truesize in 1/256ths; TCP_DEFAULT_SCALING_RATIO: half,
     * what a socket assumes until tcp_measure_rcv_mss() has measured a segment (the SYN's window 64240 uses it).
     */
    static final int RMEM_TO_WIN_SCALE = 8, DEFAULT_SCALING_RATIO = 1 << (RMEM_TO_WIN_SCALE - 1);

    private final Tcp tcp;

    TcpRcvWindow(Tcp tcp) {
        this.tcp = tcp;
    }

    // tcp_win_from_space(): the window {@code space} bytes of receive memory hold at this socket's scaling_ratio.
    static long winFromSpace(TcpSock sk, long space) {
        return space * sk.scalingRatio >> RMEM_TO_WIN_SCALE;
    }

    // tcp_space_from_win(): the receive memory a window of {@code win} bytes needs.
    static long spaceFromWin(TcpSock sk, long win) {
        return (win << RMEM_TO_WIN_SCALE) / sk.scalingRatio;
    }

    // tcp_space(): the window the free receive buffer allows.
    long space(TcpSock sk) {
        return winFromSpace(sk, sk.rcvbuf() - sk.rmemAllocBytes);
    }

    // tcp_full_space()
    long fullSpace(TcpSock sk) {
        return winFromSpace(sk, sk.rcvbuf());
    }

    // tcp_event_data_recv(): the ACK-delay estimator (ato), quickack after a long gap, window growth.
    void eventDataRecv(TcpSock sk, TcpRx rx, long now) {
        sk.ackPending |= TcpSock.ACK_SCHED;
        measureRcvMss(sk, rx);
        if (sk.atoNs == 0) {
            enterQuickack(sk, MAX_QUICKACKS);
            sk.atoNs = ATO_MIN_NS;
        } else {
            long m = now - sk.lrcvtime;
            if (m <= ATO_MIN_NS / 2) {
                sk.atoNs = (sk.atoNs >> 1) + ATO_MIN_NS / 2;
            } else if (m < sk.atoNs) {
                sk.atoNs = Math.min((sk.atoNs >> 1) + m, sk.rtoNs);
            } else if (m > sk.rtoNs) {
                incrQuickack(sk, MAX_QUICKACKS);
            }
        }
        sk.lrcvtime = now;
        TcpEcn.checkCe(tcp, sk, rx, now);
        if (rx.len >= 128) growWindow(sk, rx);
    }

    // tcp_measure_rcv_mss(): a segment of a new size at or above rcv_mss re-measures scaling_ratio (len/truesize).
    static void measureRcvMss(TcpSock sk, TcpRx rx) {
        int len = rx.len; // no GRO: skb->len is one segment's payload
        if (len < sk.rcvMss) return;
        if (len != sk.rcvMss) {
            int oldRatio = sk.scalingRatio;
            long val = ((long) len << RMEM_TO_WIN_SCALE) / Math.max(1, rx.truesize);
            sk.scalingRatio = (int) Math.max(1, Math.min(255, val)); // a u8
            if (sk.scalingRatio != oldRatio) { // Linux 6.10+: the clamp follows the new ratio (6.14: and rcvq_space)
                setWindowClamp(sk, winFromSpace(sk, sk.rcvbuf()));
                if (sk.windowClamp < sk.rcvqSpaceSpace) sk.rcvqSpaceSpace = sk.windowClamp;
            }
        }
        sk.rcvMss = Math.min(len, sk.advmss);
    }

    // tcp_set_window_clamp() (tcp.c): a smaller clamp pulls rcv_ssthresh down; a larger one lets it up to rcv_wnd.
    static void setWindowClamp(TcpSock sk, long val) {
        long clamp = Math.max(val, knetsim.node.socket.Sock.SOCK_MIN_RCVBUF / 2);
        long old = sk.windowClamp;
        if (clamp == old) return;
        sk.windowClamp = clamp;
        if (clamp < old) sk.rcvSsthresh = Math.min(sk.rcvSsthresh, clamp); // __tcp_adjust_rcv_ssthresh()
        else sk.rcvSsthresh = Math.max(Math.min(sk.rcvWnd, clamp), sk.rcvSsthresh);
    }

    // tcp_grow_window(): rcv_ssthresh climbs by two segments per good segment, up to the window the buffer allows.
    private void growWindow(TcpSock sk, TcpRx rx) {
        long full = Math.min(sk.windowClamp, fullSpace(sk));
        if (sk.rcvSsthresh < full && space(sk) > sk.rcvSsthresh) {
            sk.rcvSsthresh = Math.min(sk.rcvSsthresh + 2L * sk.rcvMss, full);
        }
    }

    // tcp_incr_quickack()
    static void incrQuickack(TcpSock sk, int max) {
        long quickacks = sk.rcvWnd / (2L * Math.max(1, sk.rcvMss));
        if (quickacks == 0) quickacks = 2;
        quickacks = Math.min(quickacks, max);
        if (quickacks > sk.quick) sk.quick = (int) quickacks;
    }

    // tcp_enter_quickack_mode()
    static void enterQuickack(TcpSock sk, int max) {
        incrQuickack(sk, max);
        sk.pingpong = false;
        sk.pingpongCount = 0;
        sk.atoNs = ATO_MIN_NS;
    }

    // __tcp_ack_snd_check(): ACK now (two full segments, quickack, out-of-order data) or delay it.
    void ackSndCheck(TcpSock sk, long now) {
        if ((sk.ackPending & TcpSock.ACK_SCHED) == 0) return;
        boolean now2 = sk.rcvNxt - sk.rcvWup > sk.rcvMss && tcp.xmit.selectWindowRaw(sk) >= sk.rcvWnd;
        boolean quickMode = sk.quick > 0 && !sk.pingpong;
        if (now2 || quickMode || (sk.ackPending & TcpSock.ACK_NOW) != 0 || !sk.ofoQueue.isEmpty()) {
            tcp.out.sendAck(sk, now);
        } else {
            tcp.out.sendDelayedAck(sk, now);
        }
    }

    // tcp_recvmsg() after copying: tcp_rcv_space_adjust() and tcp_cleanup_rbuf().
    void afterRead(TcpSock sk, long copied, long now) {
        rcvSpaceAdjust(sk, now);
        // tcp_cleanup_rbuf(): a window update when reading opened the window enough
        if (sk.state == TcpState.ESTABLISHED || sk.state == TcpState.FIN_WAIT1 || sk.state == TcpState.FIN_WAIT2) {
            long rcvWindowNow = sk.receiveWindow();
            if (copied > 0 && 2 * rcvWindowNow <= sk.windowClamp) {
                long newWindow = tcp.xmit.selectWindowRaw(sk);
                if (newWindow > 0 && newWindow >= 2 * rcvWindowNow) tcp.out.sendAck(sk, now);
            }
        }
    }

    // tcp_rcv_space_adjust(): once per RTT, size sk_rcvbuf for twice what the application read in that RTT.
    private void rcvSpaceAdjust(TcpSock sk, long now) {
        long rtt = sk.rcvRttUs > 0 ? sk.rcvRttUs : sk.srttUs;
        if (rtt == 0 || now - sk.rcvqSpaceTimeNs < rtt * 1000L) return;
        long copied = sk.copiedSeq - sk.rcvqSpaceSeq;
        if (copied > sk.rcvqSpaceSpace) {
            if (tcp.sysctl.moderateRcvbuf() && !sk.userRcvbuf) {
                long rcvwin = (copied << 1) + 16L * sk.advmss;
                long grow = rcvwin * (copied - sk.rcvqSpaceSpace) / Math.max(1, sk.rcvqSpaceSpace);
                rcvwin += grow << 1;
                long rcvbuf = Math.min(spaceFromWin(sk, rcvwin), tcp.sysctl.rmem()[2]);
                if (rcvbuf > sk.rcvbuf()) {
                    sk.setRcvbufExactly((int) rcvbuf);
                    sk.windowClamp = winFromSpace(sk, rcvbuf);
                }
            }
            sk.rcvqSpaceSpace = copied;
        }
        sk.rcvqSpaceSeq = sk.copiedSeq;
        sk.rcvqSpaceTimeNs = now;
    }
}
