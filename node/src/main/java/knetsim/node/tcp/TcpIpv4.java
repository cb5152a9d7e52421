package knetsim.node.tcp;

import knetsim.link.wire.Parsed;
import knetsim.node.icmp.IcmpErrors;
import knetsim.node.icmp.IcmpPacket;
import knetsim.node.inet.Inet;
import knetsim.node.ipv4.IpIdents;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.skb.SkbDropReason;
import knetsim.node.socket.Sock;
import knetsim.node.tcp.cong.CaState;

/**
 * tcp_ipv4.c: tcp_v4_rcv() (checks, demultiplexing to an established, TIME_WAIT or listening socket, RST to
 * closed ports), tcp_v4_send_reset(), tcp_v4_connect() and tcp_v4_err().
 */
final class TcpIpv4 {
    private final Tcp tcp;

    TcpIpv4(Tcp tcp) {
        this.tcp = tcp;
    }

    // tcp_v4_rcv()
    void rcv(Ipv4Packet packet, int truesize, long now) {
        Parsed<TcpSegment> parsed = TcpSegment.parse(packet.buffer(), packet.payloadOffset(), packet.payloadLength());
        if (!parsed.isOk()) {
            if (TcpSegment.countsAsInErr(parsed.reason())) tcp.inc(TcpMib.IN_ERRS);
            tcp.drop(SkbDropReason.PKT_TOO_SMALL);
            return;
        }
        TcpSegment seg = parsed.value();
        Ipv4Address saddr = packet.source(), daddr = packet.destination();
        if (!seg.checksumValid(saddr.bits(), daddr.bits())) {
            tcp.inc(TcpMib.IN_CSUM_ERRORS);
            tcp.inc(TcpMib.IN_ERRS);
            tcp.drop(SkbDropReason.TCP_CSUM);
            return;
        }
        tcp.inc(TcpMib.IN_SEGS);
        TcpHeader h = seg.header();
        TcpRx rx = new TcpRx();
        rx.saddr = saddr;
        rx.daddr = daddr;
        rx.sport = h.sourcePort();
        rx.dport = h.destinationPort();
        rx.rawSeq = h.seq();
        rx.rawAck = h.ack();
        rx.flags = h.flags();
        rx.window = h.window();
        rx.options = h.options();
        rx.buf = seg.buffer();
        rx.off = seg.payloadOffset();
        rx.len = seg.payloadLength();
        rx.ipLength = packet.totalLength();
        rx.ecn = packet.ecn();
        rx.truesize = truesize; // the driver's skb (SkBuff#rxTruesize), or over lo the sender's
        TcpSock sk = tcp.hash.lookupEstablished(daddr.bits(), rx.dport, saddr.bits(), rx.sport);
        if (sk != null) {
            rx.unwrapFor(sk);
            tcp.touch(sk);
            switch (sk.state) {
                case TIME_WAIT -> tcp.mini.timeWaitProcess(sk, rx, now);
                case SYN_SENT -> synSentProcess(sk, rx, now);
                default -> tcp.in.rcvSynchronized(sk, rx, now);
            }
            return;
        }
        TcpSock listener = tcp.hash.lookupListener(daddr.bits(), rx.dport);
        if (listener != null) {
            tcp.touch(listener);
            tcp.mini.listenProcess(listener, rx, now);
            return;
        }
        tcp.drop(SkbDropReason.NO_SOCKET);
        sendReset(rx, now);
    }

    // tcp_v4_send_reset(): the RST answering a segment nobody takes (never for an RST).
    void sendReset(TcpRx rx, long now) {
        if (rx.has(TcpHeader.RST)) return;
        long seq, ack;
        int flags;
        if (rx.has(TcpHeader.ACK)) {
            seq = rx.rawAck;
            ack = 0;
            flags = TcpHeader.RST;
        } else {
            seq = 0;
            ack = (rx.rawSeq + rx.len + (rx.has(TcpHeader.SYN) ? 1 : 0) + (rx.has(TcpHeader.FIN) ? 1 : 0)) & 0xffffffffL;
            flags = TcpHeader.RST | TcpHeader.ACK;
        }
        TcpHeader h = new TcpHeader(rx.dport, rx.sport, seq, ack, flags, 0, 0, TcpOptions.NONE);
        int err = tcp.ip.output(rx.daddr, rx.saddr, TcpHeader.PROTOCOL, new TcpTransmit.Segment(h, null, 0, 0),
                Inet.DEFAULT_TTL, 0, Sock.PMTUDISC_DO, -1, now);
        if (err == 0) {
            tcp.inc(TcpMib.OUT_SEGS);
            tcp.inc(TcpMib.OUT_RSTS);
        }
    }

    // tcp_v4_connect(): route, source address, ephemeral port (4-tuple hashed), ISN, SYN.
    int connect(TcpSock sk, Ipv4Address address, int port, long now) {
        Ipv4Address source = tcp.ip.sourceFor(address);
        if (source == null) return -Tcp.ENETUNREACH;
        if (sk.saddr.bits() == 0) sk.saddr = source;
        sk.daddr = address;
        sk.dport = port;
        if (!sk.bound) {
            if (tcp.hash.hashConnect(sk) < 0) return -Tcp.EADDRNOTAVAIL;
        } else if (!tcp.hash.hashEstablished(sk)) {
            return -Tcp.EADDRNOTAVAIL;
        }
        sk.iss = tcp.random.nextLong() & 0xffffffffL; // secure_tcp_seq()
        sk.tsOffset = tcp.random.nextLong() & 0xffffffffL; // secure_tcp_ts_off()
        sk.setInetId(IpIdents.randomInetId(tcp.random)); // atomic_set(&inet->inet_id, get_random_u16())
        tcp.initConnection(sk, address, now);
        tcp.setState(sk, TcpState.SYN_SENT);
        tcp.inc(TcpMib.ACTIVE_OPENS);
        // tcp_connect(): the SYN goes in the retransmit queue
        TcpSkb syn = new TcpSkb(sk.iss, TcpHeader.SYN, 0);
        sk.sndUna = sk.iss;
        sk.sndNxt = sk.iss;
        sk.writeSeq = sk.iss + 1;
        sk.sndWl1 = 0;
        sk.highSeq = sk.iss + 1;
        sk.rtt.setRtoUs(TcpRtt.TIMEOUT_INIT_US);
        TcpAck.syncRtt(sk);
        syn.txTimeNs = now;
        syn.firstTxNs = now;
        syn.tcpFlags |= TcpEcn.sendSyn(sk, tcp.sysctl);
        tcp.xmit.transmit(sk, sk.iss, syn.tcpFlags, null, 0, 0, now);
        sk.rtxQueue.add(syn);
        sk.packetsOut = 1;
        sk.sndNxt = sk.iss + 1;
        sk.retransStamp = now;
        tcp.timers.resetXmitTimer(sk, TcpSock.TIME_RETRANS, now + sk.rtoNs, now);
        return 0;
    }

    // tcp_rcv_synsent_state_process()
    private void synSentProcess(TcpSock sk, TcpRx rx, long now) {
        sk.segsIn++;
        if (rx.has(TcpHeader.ACK)) {
            long ack = TcpRx.unwrap(rx.rawAck, sk.iss);
            if (ack <= sk.iss || ack > sk.sndNxt) {
                if (!rx.has(TcpHeader.RST)) sendReset(rx, now);
                return;
            }
            if (rx.has(TcpHeader.RST)) { // tcp_reset(): connection refused
                tcp.reset(sk, now);
                return;
            }
            if (!rx.has(TcpHeader.SYN)) return;
            TcpOptions o = rx.options;
            sk.irs = rx.rawSeq;
            sk.rcvNxt = sk.irs + 1;
            sk.rcvWup = sk.rcvNxt;
            sk.copiedSeq = sk.rcvNxt;
            sk.rcvqSpaceSeq = sk.rcvNxt;
            sk.sackOk = tcp.sysctl.sack() && o.sackPermitted();
            sk.tsOk = tcp.sysctl.timestamps() && o.timestamps();
            sk.wscaleOk = tcp.sysctl.windowScaling() && o.wscale() >= 0;
            if (!sk.wscaleOk) sk.rcvWscale = 0;
            sk.sndWscale = sk.wscaleOk ? Math.min(o.wscale(), TcpOutput.MAX_WSCALE) : 0;
            if (sk.tsOk) {
                sk.tsRecent = o.tsVal();
                sk.tsRecentStampNs = now;
            }
            sk.rxOptMss = o.mss() > 0 ? o.mss() : 536;
            TcpEcn.rcvSynack(sk, rx);
            tcp.syncMss(sk, sk.pmtuCookie);
            rx.seq = sk.irs;
            rx.endSeq = sk.irs + 1;
            rx.ack = ack;
            sk.sndWl1 = sk.irs;
            sk.sndWnd = rx.window; // a SYN's window is not scaled
            sk.maxWindow = sk.sndWnd;
            tcp.ack.ack(sk, rx, now); // the SYN leaves the retransmit queue, RTT sample
            sk.sndWnd = rx.window;
            // tcp_finish_connect()
            tcp.setState(sk, TcpState.ESTABLISHED);
            tcp.initTransfer(sk, now);
            sk.lrcvtime = now;
            if (sk.keepalive) sk.keepaliveDeadline = now + tcp.sysctl.keepaliveTimeNs();
            tcp.wake(sk, now);
            tcp.out.sendAck(sk, now);
            if (!sk.writeQueue.isEmpty()) tcp.out.pushPendingFrames(sk, TcpOutput.nonagle(sk), now);
            return;
        }
        if (rx.has(TcpHeader.RST)) return;
        // a SYN without ACK: simultaneous open, not modelled: drop
        tcp.drop(SkbDropReason.TCP_FLAGS);
    }

    // tcp_v4_err(): frag-needed lowers the MSS; hard errors abort a connection being set up.
    void err(byte[] quote, int at, int type, int code, int info, long now) {
        if (quote.length < at + 8 || at < 20) return;
        Ipv4Address source = Ipv4Address.read(quote, 12), destination = Ipv4Address.read(quote, 16);
        int sport = ((quote[at] & 0xff) << 8) | (quote[at + 1] & 0xff);
        int dport = ((quote[at + 2] & 0xff) << 8) | (quote[at + 3] & 0xff);
        long rawSeq = ((quote[at + 4] & 0xffL) << 24) | ((quote[at + 5] & 0xffL) << 16) | ((quote[at + 6] & 0xffL) << 8)
                | (quote[at + 7] & 0xffL);
        TcpSock sk = tcp.hash.lookupEstablished(source.bits(), sport, destination.bits(), dport);
        if (sk == null || sk.state == TcpState.TIME_WAIT) return;
        tcp.touch(sk);
        long seq = TcpRx.unwrap(rawSeq, sk.sndUna);
        if (sk.state != TcpState.SYN_RECV && (seq < sk.sndUna || seq >= Math.max(sk.sndNxt, sk.sndUna + 1))) return;
        if (type == IcmpPacket.ICMP_DEST_UNREACH && code == IcmpPacket.ICMP_FRAG_NEEDED) {
            mtuReduced(sk, info, now);
            return;
        }
        if (type != IcmpPacket.ICMP_DEST_UNREACH && type != IcmpPacket.ICMP_TIME_EXCEEDED) return; // redirects, quench
        if (type == IcmpPacket.ICMP_DEST_UNREACH && code > 15) return; // above NR_ICMP_UNREACH
        IcmpErrors e = IcmpErrors.of(type, code);
        if (sk.state == TcpState.SYN_SENT) {
            // a connecting socket gives up on any of them, fatal or not (tcp_done_with_error)
            sk.connectError = e.errno();
            sk.setPendingError(e.errno());
            tcp.done(sk, now);
        } else if (sk.state == TcpState.SYN_RECV) {
            // tcp_req_err(): a request is dropped only for net or host unreachable and time exceeded
            if (type == IcmpPacket.ICMP_TIME_EXCEEDED || code == IcmpPacket.ICMP_NET_UNREACH
                    || code == IcmpPacket.ICMP_HOST_UNREACH) {
                tcp.inc(TcpMib.LISTEN_DROPS);
                tcp.done(sk, now);
            }
        } else if (sk.recverr()) {
            sk.setPendingError(e.errno());
            tcp.wake(sk, now);
        } else {
            sk.softError = e.errno();
        }
    }

    // tcp_v4_mtu_reduced(): the path MTU went down: new MSS, retransmit what no longer fits.
    private void mtuReduced(TcpSock sk, int mtu, long now) {
        if (mtu < 68) return;
        tcp.ip.updatePmtu(sk.daddr, mtu, now);
        int pmtu = tcp.context.pathMtu(sk.daddr, now);
        if (pmtu <= 0) pmtu = mtu;
        if (sk.pmtuCookie <= pmtu) return;
        tcp.syncMss(sk, pmtu);
        // tcp_simple_retransmit()
        int priorLost = sk.lostOut;
        for (TcpSkb skb : sk.rtxQueue) {
            if (skb.len > sk.mssCache && !skb.has(TcpSkb.SACKED_ACKED)) {
                if (skb.has(TcpSkb.SACKED_RETRANS)) {
                    skb.sacked &= ~TcpSkb.SACKED_RETRANS;
                    sk.retransOut--;
                }
                if (!skb.has(TcpSkb.LOST)) {
                    skb.sacked |= TcpSkb.LOST;
                    sk.lostOut++;
                    sk.lost++;
                }
            }
        }
        if (priorLost == sk.lostOut) return;
        if (sk.caState() != CaState.LOSS) {
            sk.highSeq = sk.sndNxt;
            sk.cong.sndSsthresh = tcp.currentSsthresh(sk);
            sk.priorSsthresh = 0;
            sk.undoMarker = 0;
            tcp.recovery.setCaState(sk, CaState.LOSS);
        }
        tcp.out.xmitRetransmitQueue(sk, now);
    }
}
