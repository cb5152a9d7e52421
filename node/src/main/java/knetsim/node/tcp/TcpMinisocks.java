package knetsim.node.tcp;

import java.util.ArrayList;
import knetsim.node.ipv4.IpIdents;
import knetsim.node.skb.SkbDropReason;

/**
 * tcp_minisocks.c with the listener's half of tcp_input.c: tcp_conn_request() (a SYN on a listener makes a
 * SYN_RECV request socket, which answers with a SYN-ACK and retries it tcp_synack_retries times),
 * tcp_check_req() (the final ACK makes it an established child in the accept queue), and TIME_WAIT
 * (tcp_time_wait(), tcp_timewait_state_process()): a small socket holding the 4-tuple for 60 s; and
 * inet_csk_listen_stop() for a listener that closes with children and requests pending.
 */
final class TcpMinisocks {
    /** TCP_TIMEWAIT_LEN. */
    static final long TIMEWAIT_LEN_NS = 60_000_000_000L;

    private final Tcp tcp;

    TcpMinisocks(Tcp tcp) {
        this.tcp = tcp;
    }

    // tcp_v4_rcv() for a listener: tcp_rcv_state_process(TCP_LISTEN).
    void listenProcess(TcpSock listener, TcpRx rx, long now) {
        if (rx.has(TcpHeader.RST)) return;
        if (rx.has(TcpHeader.ACK)) { // an ACK nobody asked for (no request socket): RST
            tcp.ipv4.sendReset(rx, now);
            return;
        }
        if (!rx.has(TcpHeader.SYN)) {
            tcp.drop(SkbDropReason.TCP_FLAGS);
            return;
        }
        connRequest(listener, rx, now);
    }

    // tcp_conn_request(): accept queue full: ListenOverflows and ListenDrops; else a request socket and a SYN-ACK.
    private void connRequest(TcpSock listener, TcpRx rx, long now) {
        if (listener.acceptQueue.size() > listener.backlog) {
            tcp.inc(TcpMib.LISTEN_OVERFLOWS);
            tcp.inc(TcpMib.LISTEN_DROPS);
            return;
        }
        if (listener.synQueueLen >= Math.max(listener.backlog, 1) * 2L + 8) { // no SYN cookies: drop
            tcp.inc(TcpMib.LISTEN_DROPS);
            return;
        }
        int id = tcp.context.allocateSocketId();
        TcpSock child = tcp.newSock(id);
        tcp.context.socketCreated(child);
        child.parent = listener;
        child.saddr = rx.daddr;
        child.sport = rx.dport;
        child.daddr = rx.saddr;
        child.dport = rx.sport;
        child.nodelay = listener.nodelay;
        child.keepalive = listener.keepalive;
        child.userMss = listener.userMss;
        child.lingerSec = listener.lingerSec;
        child.setTtl(listener.ttl());
        child.setTos(listener.tos());
        if (listener.userRcvbuf) {
            child.userRcvbuf = true;
            child.setRcvbufExactly(listener.rcvbuf());
        }
        if (listener.userSndbuf) {
            child.userSndbuf = true;
            child.setSndbufExactly(listener.sndbuf());
        }
        if (!listener.caName.equals(child.caName)) tcp.setCongestion(child, listener.caName);
        TcpEcn.createRequest(child, listener, rx, tcp.sysctl);
        TcpOptions o = rx.options;
        child.sackOk = tcp.sysctl.sack() && o.sackPermitted();
        child.tsOk = tcp.sysctl.timestamps() && o.timestamps();
        child.wscaleOk = tcp.sysctl.windowScaling() && o.wscale() >= 0;
        child.sndWscale = child.wscaleOk ? Math.min(o.wscale(), TcpOutput.MAX_WSCALE) : 0;
        child.rxOptMss = o.mss() > 0 ? o.mss() : 536;
        if (child.tsOk) {
            child.tsRecent = o.tsVal();
            child.tsRecentStampNs = now;
        }
        if (!tcp.hash.hashEstablished(child)) {
            tcp.context.releaseSocketId(child);
            return;
        }
        child.irs = rx.rawSeq;
        child.rcvNxt = child.irs + 1;
        child.rcvWup = child.rcvNxt;
        child.copiedSeq = child.rcvNxt;
        child.rcvqSpaceSeq = child.rcvNxt;
        child.iss = tcp.random.nextLong() & 0xffffffffL;
        child.tsOffset = tcp.random.nextLong() & 0xffffffffL;
        child.setInetId(IpIdents.randomInetId(tcp.random)); // tcp_v4_syn_recv_sock(): get_random_u16()
        tcp.initConnection(child, child.daddr, now);
        if (!child.wscaleOk) child.rcvWscale = 0;
        tcp.syncMss(child, child.pmtuCookie);
        // tcp_openreq_init_rwin(): the SYN-ACK's window counts the timestamp option out of the MSS
        long space = Math.min(child.windowClamp, TcpRcvWindow.winFromSpace(child, child.rcvbuf()));
        int mss = child.advmss - (child.tsOk ? 12 : 0);
        child.rcvWnd = Math.min(space / mss * mss, 65535);
        child.rcvSsthresh = child.rcvWnd;
        child.sndWnd = rx.window;
        child.sndWl1 = child.irs;
        child.state = TcpState.SYN_RECV;
        listener.synQueueLen++;
        child.sndUna = child.iss;
        TcpSkb synack = new TcpSkb(child.iss, TcpHeader.SYN | TcpHeader.ACK, 0);
        synack.txTimeNs = now;
        synack.firstTxNs = now;
        child.rtxQueue.add(synack);
        child.packetsOut = 1;
        child.sndNxt = child.iss + 1;
        child.writeSeq = child.iss + 1;
        tcp.xmit.transmit(child, child.iss, TcpHeader.SYN | TcpHeader.ACK, null, 0, 0, now);
        child.keepaliveDeadline = now + 1_000_000_000L; // reqsk timer: TCP_TIMEOUT_INIT
        tcp.touch(child);
    }

    // reqsk_timer_handler(): retransmit the SYN-ACK with exponential backoff; give up after tcp_synack_retries.
    void synackTimer(TcpSock child, long now) {
        if (child.synackRetries >= tcp.sysctl.synackRetries()) {
            dropRequest(child, now);
            return;
        }
        child.synackRetries++;
        tcp.inc(TcpMib.TCP_SYN_RETRANS);
        tcp.inc(TcpMib.RETRANS_SEGS);
        child.totalRetrans++;
        child.rtxQueue.get(0).sacked |= TcpSkb.EVER_RETRANS;
        tcp.xmit.transmit(child, child.iss, TcpHeader.SYN | TcpHeader.ACK, null, 0, 0, now);
        child.keepaliveDeadline = now + Math.min(1_000_000_000L << child.synackRetries, TcpAck.RTO_MAX_US * 1000L);
    }

    private void dropRequest(TcpSock child, long now) {
        if (child.parent != null) child.parent.synQueueLen--;
        child.parent = null;
        tcp.inc(TcpMib.ATTEMPT_FAILS);
        child.dead = true;
        child.state = TcpState.CLOSE;
        tcp.release(child);
    }

    // tcp_check_req(): the ACK completing the handshake; true when the child is established (and queued).
    boolean childAcked(TcpSock child, TcpRx rx, long now) {
        long ack = rx.ack;
        if (ack != child.iss + 1) {
            tcp.ipv4.sendReset(rx, now);
            return false;
        }
        TcpSock listener = child.parent;
        if (listener == null || listener.state != TcpState.LISTEN) {
            tcp.ipv4.sendReset(rx, now);
            dropRequest(child, now);
            return false;
        }
        if (listener.acceptQueue.size() > listener.backlog) { // listen_overflow: ignore the ACK, keep the request
            tcp.inc(TcpMib.LISTEN_OVERFLOWS);
            tcp.inc(TcpMib.LISTEN_DROPS);
            return false;
        }
        child.keepaliveDeadline = TcpTimers.NEVER;
        listener.synQueueLen--;
        listener.acceptQueue.add(child);
        tcp.setState(child, TcpState.ESTABLISHED);
        tcp.inc(TcpMib.PASSIVE_OPENS);
        child.sndWnd = (long) rx.window << child.sndWscale;
        child.maxWindow = child.sndWnd;
        child.sndWl1 = rx.seq;
        tcp.initTransfer(child, now);
        if (child.keepalive) child.keepaliveDeadline = now + tcp.sysctl.keepaliveTimeNs();
        child.lrcvtime = now;
        tcp.wake(listener, now);
        return true;
    }

    // tcp_time_wait(): a TIME_WAIT socket takes the 4-tuple for 60 s; the full socket is done.
    void timeWait(TcpSock sk, TcpState state, long now) {
        TcpSock tw = tcp.newSock(-1);
        tw.saddr = sk.saddr;
        tw.sport = sk.sport;
        tw.daddr = sk.daddr;
        tw.dport = sk.dport;
        tw.rcvNxt = sk.rcvNxt;
        tw.rcvWup = sk.rcvNxt;
        tw.sndNxt = sk.sndNxt;
        tw.sndUna = sk.sndNxt;
        tw.rcvWnd = sk.rcvWnd;
        tw.rcvWscale = sk.rcvWscale;
        tw.wscaleOk = sk.wscaleOk;
        tw.tsOk = sk.tsOk;
        tw.tsRecent = sk.tsRecent;
        tw.tsOffset = sk.tsOffset;
        tw.setTtl(sk.ttl());
        tw.setTos(sk.tos());
        tw.state = state;
        tcp.hash.unhashEstablished(sk);
        tcp.done(sk, now);
        tcp.hash.hashEstablished(tw);
        tw.keepaliveDeadline = now + TIMEWAIT_LEN_NS;
        tcp.touch(tw);
    }

    // tcp_timewait_state_process(): re-ACK a retransmitted FIN, an RST kills it, a newer SYN may reuse the tuple.
    void timeWaitProcess(TcpSock tw, TcpRx rx, long now) {
        if (rx.has(TcpHeader.RST)) { // RFC 1337 not applied (tcp_rfc1337 0): the RST ends TIME_WAIT
            timeWaitExpired(tw, now);
            return;
        }
        if (rx.has(TcpHeader.SYN) && !rx.has(TcpHeader.ACK) && rx.seq > tw.rcvNxt) { // TCP_TW_SYN
            timeWaitExpired(tw, now);
            TcpSock listener = tcp.hash.lookupListener(rx.daddr.bits(), rx.dport);
            if (listener != null) listenProcess(listener, rx, now);
            return;
        }
        if (rx.has(TcpHeader.FIN) && rx.endSeq == tw.rcvNxt) {
            tw.keepaliveDeadline = now + TIMEWAIT_LEN_NS; // a retransmitted FIN restarts the timer
        }
        if (rx.len > 0 || rx.has(TcpHeader.FIN) || rx.seq != tw.rcvNxt) tcp.xmit.transmit(tw, tw.sndNxt, TcpHeader.ACK, null, 0, 0, now);
    }

    // inet_twsk_kill()
    void timeWaitExpired(TcpSock tw, long now) {
        if (tw.released) return;
        tcp.hash.unhashEstablished(tw);
        tcp.inc(TcpMib.TCP_TIMEWAIT);
        tw.keepaliveDeadline = TcpTimers.NEVER;
        tw.released = true;
        tcp.touch(tw);
    }

    // inet_csk_listen_stop(): children not yet accepted are reset, requests dropped.
    void listenStop(TcpSock sk, long now) {
        tcp.hash.unhashListener(sk);
        sk.state = TcpState.CLOSE;
        for (TcpSock child : sk.acceptQueue) {
            child.dead = true;
            tcp.out.sendActiveReset(child, now);
            tcp.done(child, now);
        }
        sk.acceptQueue.clear();
        for (TcpSock other : new ArrayList<>(tcp.hash.established())) {
            if (other.parent == sk && other.state == TcpState.SYN_RECV) {
                other.dead = true;
                tcp.done(other, now);
            }
        }
    }
}
