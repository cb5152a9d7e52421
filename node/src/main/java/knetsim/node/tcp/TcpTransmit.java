package knetsim.node.tcp;

import knetsim.node.inet.Inet;
import knetsim.node.inet.Transport;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.Sock;
import knetsim.node.tcp.cong.CaEvent;

/**
 * tcp_output.c, building one segment: __tcp_transmit_skb() with the options it carries (tcp_syn_options(),
 * tcp_established_options()) and the window it advertises (tcp_select_window()), and what a sent segment updates
 * (tcp_event_ack_sent(), tcp_event_data_sent()). What to send and when is {@link TcpOutput}.
 */
final class TcpTransmit {
    private final Tcp tcp;

    TcpTransmit(Tcp tcp) {
        this.tcp = tcp;
    }

    /** A TCP segment as IP output's payload: written once the route has chosen the source address. */
    record Segment(TcpHeader header, byte[] payload, int off, int len, long departureTime) implements Transport {
        Segment(TcpHeader header, byte[] payload, int off, int len) {
            this(header, payload, off, len, 0);
        }

        public int length() {
            return TcpSegment.headerLength(header.options()) + len;
        }

        public void emit(byte[] b, int at, Ipv4Address source, Ipv4Address destination) {
            TcpSegment.emit(header, payload, off, len, b, at, source.bits(), destination.bits());
        }
    }

    // tcp_time_stamp_ts(): the TSval clock, milliseconds plus the connection's offset.
    static long tsVal(TcpSock sk, long now) {
        return (now / 1_000_000L + sk.tsOffset) & 0xffffffffL;
    }

    // __tcp_transmit_skb(): a fresh segment for [seq, seq+len) with the current ACK, window and options.
    int transmit(TcpSock sk, long seq, int flags, byte[] data, int off, int len, long now) {
        return transmit(sk, seq, flags, data, off, len, sk.rcvNxt, now);
    }

    // __tcp_transmit_skb(sk, skb, clone_it, gfp_mask, rcv_nxt): acknowledging {@code rcvNxt}, which only DCTCP's
    // ACK of an earlier CE state makes differ from rcv_nxt.
    int transmit(TcpSock sk, long seq, int flags, byte[] data, int off, int len, long rcvNxt, long now) {
        boolean syn = (flags & TcpHeader.SYN) != 0;
        TcpOptions options;
        int window;
        if (syn) {
            options = synOptions(sk, now);
            window = (int) Math.min(sk.rcvWnd, 65535); // the window of a SYN is never scaled
            if (sk.state == TcpState.SYN_RECV) flags |= TcpEcn.makeSynack(sk);
        } else {
            options = establishedOptions(sk, now);
            window = selectWindow(sk);
            flags = TcpEcn.send(sk, seq, len, flags);
        }
        if ((flags & TcpHeader.ACK) == 0 && !syn) flags |= TcpHeader.ACK;
        TcpHeader h = new TcpHeader(sk.sport, sk.dport, seq & 0xffffffffL, (flags & TcpHeader.ACK) != 0 ? rcvNxt & 0xffffffffL : 0,
                flags, window, 0, options);
        long priorWstamp = sk.wstampNs;
        long edt = TcpPacing.departureTime(sk, now);
        // A SYN-ACK leaves by ip_build_and_send_pkt() (DF, ID 0), a TIME_WAIT ACK by the control socket
        // (IP_PMTUDISC_DO: DF, ID 0); a full socket's segments by ip_queue_xmit() with IDs from its inet_id.
        boolean noInetId = sk.id() < 0 || (syn && sk.state == TcpState.SYN_RECV);
        Segment segment = new Segment(h, data, off, len, edt);
        int err = noInetId
                ? tcp.ip.output(sk.saddr, sk.daddr, TcpHeader.PROTOCOL, segment, sk.ttl(), TcpEcn.tos(sk), Sock.PMTUDISC_DO, sk.id(), now)
                : tcp.ip.output(sk.saddr, sk.daddr, TcpHeader.PROTOCOL, segment, sk.ttl(), TcpEcn.tos(sk), Sock.PMTUDISC_DO, sk.ipOwner, now);
        if (err != 0) return err;
        if (seq + len > sk.sndNxt || len == 0) tcp.inc(TcpMib.OUT_SEGS); // retransmissions are RetransSegs only
        sk.segsOut++;
        sk.tsqBytes += Inet.truesizeOfPacket(20 + TcpSegment.headerLength(options) + len);
        if ((flags & TcpHeader.ACK) != 0 && rcvNxt == sk.rcvNxt) eventAckSent(sk); // not for DCTCP's special ACK
        if (len > 0) {
            sk.dataSegsOut++;
            eventDataSent(sk, now);
            TcpPacing.afterSend(sk, len, priorWstamp);
        }
        if (sk.dsackPending) sk.dsackPending = false;
        return 0;
    }

    // tcp_syn_options() / tcp_synack_options(): MSS, SACK_PERM, TS and WS (a SYN-ACK only what the SYN offered).
    private TcpOptions synOptions(TcpSock sk, long now) {
        TcpSysctl s = tcp.sysctl;
        boolean synAck = sk.state == TcpState.SYN_RECV;
        boolean ts = synAck ? sk.tsOk : s.timestamps();
        boolean sack = synAck ? sk.sackOk : s.sack();
        int ws = (synAck ? sk.wscaleOk : s.windowScaling()) ? sk.rcvWscale : -1;
        return new TcpOptions(sk.advmss, ws, sack, ts, ts ? tsVal(sk, now) : 0, ts && synAck ? sk.tsRecent : 0, new long[0]);
    }

    // tcp_established_options(): timestamps, then a D-SACK block and the SACK blocks that fit (3 with TS).
    private TcpOptions establishedOptions(TcpSock sk, long now) {
        int room = 40 - (sk.tsOk ? 12 : 0);
        long[] blocks = NO_BLOCKS;
        int eff = sk.sackOk ? sk.numSacks + (sk.dsackPending ? 1 : 0) : 0;
        if (eff > 0) {
            int n = Math.min(eff, (room - 4) / 8);
            blocks = new long[2 * n];
            int i = 0;
            if (sk.dsackPending) {
                blocks[0] = sk.dsack[0] & 0xffffffffL;
                blocks[1] = sk.dsack[1] & 0xffffffffL;
                i = 1;
            }
            for (int j = 0; i < n; i++, j++) {
                blocks[2 * i] = sk.selectiveAcks[2 * j] & 0xffffffffL;
                blocks[2 * i + 1] = sk.selectiveAcks[2 * j + 1] & 0xffffffffL;
            }
        }
        if (!sk.tsOk && blocks.length == 0) return TcpOptions.NONE;
        return new TcpOptions(-1, -1, false, sk.tsOk, sk.tsOk ? tsVal(sk, now) : 0, sk.tsOk ? sk.tsRecent : 0, blocks);
    }

    private static final long[] NO_BLOCKS = new long[0];

    // tcp_select_window(): the window to advertise, never moving the right edge left; remembers rcv_wnd/rcv_wup.
    int selectWindow(TcpSock sk) {
        long cur = sk.receiveWindow();
        long win = selectWindowRaw(sk);
        if (win < cur) {
            // Never shrink the offered window: keep the right edge where it was (rounded up to the scale).
            win = align(cur, sk.rcvWscale);
        }
        sk.rcvWnd = win;
        sk.rcvWup = sk.rcvNxt;
        win = Math.min(win, 65535L << sk.rcvWscale);
        if (!sk.wscaleOk) win = Math.min(win, 65535);
        int raw = (int) (win >> sk.rcvWscale);
        if (raw == 0) sk.rcvWnd = 0;
        return raw;
    }

    // ALIGN(v, 1 << scale): round up to what the window scale can express.
    private static long align(long v, int scale) {
        long unit = 1L << scale;
        return (v + unit - 1) / unit * unit;
    }

    // __tcp_select_window(): free receive space, limited by rcv_ssthresh, rounded to the window scale.
    long selectWindowRaw(TcpSock sk) {
        int mss = sk.rcvMss;
        long free = tcp.rwin.space(sk);
        long full = Math.min(sk.windowClamp, tcp.rwin.fullSpace(sk));
        if (mss > full) mss = (int) Math.max(1, full);
        if (free < full / 2) {
            sk.quick = 0; // memory pressure: leave quickack mode
            if (free < mss) return 0;
        }
        if (free > sk.rcvSsthresh) free = sk.rcvSsthresh;
        if (sk.rcvWscale > 0) {
            long unit = 1L << sk.rcvWscale;
            return (free + unit - 1) / unit * unit;
        }
        long window = sk.rcvWnd;
        if (window <= free - mss || window > free) window = free / mss * mss;
        else if (mss == full && free > window + full / 2) window = free;
        return window;
    }

    // tcp_event_ack_sent(): an ACK went out; the delayed ACK is no longer due.
    private void eventAckSent(TcpSock sk) {
        if (sk.quick > 0) { // tcp_dec_quickack_mode()
            int pkts = (sk.ackPending & TcpSock.ACK_SCHED) != 0 ? 1 : 0;
            if (pkts >= sk.quick) {
                sk.quick = 0;
                sk.atoNs = TcpRcvWindow.ATO_MIN_NS;
            } else {
                sk.quick -= pkts;
            }
        }
        sk.ackPending = 0;
        sk.delackDeadline = Long.MAX_VALUE;
    }

    // tcp_event_data_sent(): lsndtime, restart after idle, pingpong detection.
    private void eventDataSent(TcpSock sk, long now) {
        if (sk.packetsOut == 0 && tcp.sysctl.slowStartAfterIdle() && sk.lsndtime != 0 && now - sk.lsndtime > sk.rtoNs) {
            cwndRestart(sk, now);
        }
        sk.lsndtime = now;
        if (now - sk.lrcvtime < sk.atoNs) {
            if (++sk.pingpongCount >= 1) sk.pingpong = true;
        }
    }

    // tcp_cwnd_restart(): halve cwnd for every RTO of idleness, down to the restart window.
    private void cwndRestart(TcpSock sk, long now) {
        int restart = Math.min(tcp.sysctl.initCwnd(), sk.cong.sndCwnd);
        int cwnd = sk.cong.sndCwnd;
        tcp.caEvent(sk, CaEvent.CWND_RESTART);
        sk.cong.sndSsthresh = tcp.currentSsthresh(sk);
        long delta = now - sk.lsndtime;
        while ((delta -= sk.rtoNs) > 0 && cwnd > restart) cwnd >>= 1;
        sk.cong.sndCwnd = Math.max(cwnd, restart);
        sk.cong.sndCwndCnt = 0;
    }
}
