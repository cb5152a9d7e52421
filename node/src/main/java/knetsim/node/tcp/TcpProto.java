package knetsim.node.tcp;

import java.util.ArrayList;
import java.util.SplittableRandom;
import knetsim.core.engine.Counters;
import knetsim.node.inet.NetworkLayer;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.skb.SkBuff;
import knetsim.node.skb.SkbDropReason;
import knetsim.node.tcp.cong.CaEvent;
import knetsim.node.tcp.cong.CongState;
import knetsim.node.tcp.cong.CongestionRegistry;
import knetsim.node.tcp.cong.RateSample;

/**
 * What the parts of {@link Tcp} share (struct net's TCP part and tcp.c/tcp_input.c helpers): the MIB, the
 * hash tables, the state changes (tcp_set_state, tcp_done, tcp_reset), connection set-up (tcp_connect_init,
 * tcp_init_transfer, tcp_sync_mss), buffer sizing and the bookkeeping that keeps the timer queue current.
 */
abstract class TcpProto {
    static final int ENOENT = 2, EPIPE = 32, EINVAL = 22, ENOPROTOOPT = 92, EADDRINUSE = 98, EADDRNOTAVAIL = 99,
            ENETUNREACH = 101, ECONNRESET = 104, EISCONN = 106, ENOTCONN = 107, ETIMEDOUT = 110, ECONNREFUSED = 111,
            EALREADY = 114;
    /** MAX_TCP_HEADER: headroom every skb of the write queue reserves. */
    static final int MAX_TCP_HEADER = 320;

    final NetworkLayer ip;
    final Tcp.Context context;
    final Counters counters;
    final SplittableRandom random;
    final TcpSysctl sysctl;
    final long[] mib = TcpMib.newTable();
    final InetHashtables hash;
    final TcpOutput out;
    final TcpTransmit xmit;
    final TcpInput in;
    final TcpRcvWindow rwin;
    final TcpAck ack;
    final TcpFastRetrans recovery;
    final TcpRecovery rack;
    final TcpTimers timers;
    final TcpIpv4 ipv4;
    final TcpMinisocks mini;
    final TcpPacing pacing;
    private final ArrayList<TcpSock> touched = new ArrayList<>();
    private final Counters.Counter[] dropCounters = new Counters.Counter[SkbDropReason.values().length];
    private long serials;
    private long announced = TcpTimers.NEVER;

    TcpProto(NetworkLayer ip, Tcp.Context context, Counters counters, SplittableRandom random, TcpSysctl sysctl) {
        this.ip = ip;
        this.context = context;
        this.counters = counters;
        this.random = random;
        this.sysctl = sysctl;
        Tcp self = (Tcp) this;
        this.hash = new InetHashtables(random.split());
        this.out = new TcpOutput(self);
        this.xmit = new TcpTransmit(self);
        this.in = new TcpInput(self);
        this.rwin = new TcpRcvWindow(self);
        this.ack = new TcpAck(self);
        this.recovery = new TcpFastRetrans(self);
        this.rack = new TcpRecovery(self);
        this.timers = new TcpTimers(self);
        this.ipv4 = new TcpIpv4(self);
        this.mini = new TcpMinisocks(self);
        this.pacing = new TcpPacing(self);
    }

    final void inc(TcpMib m) {
        mib[m.ordinal()]++;
    }

    // kfree_skb_reason(): counted as drop_<reason> like the rest of the stack.
    final void drop(SkbDropReason reason) {
        Counters.Counter c = dropCounters[reason.ordinal()];
        if (c == null) c = dropCounters[reason.ordinal()] = counters.counter("drop_" + reason.name());
        c.increment();
    }

    /** A socket whose deadlines may have changed during this call. */
    final void touch(TcpSock sk) {
        if (!touched.contains(sk)) touched.add(sk);
    }

    /** The end of every entry point: re-file touched sockets, tell the host about an earlier deadline. */
    final void finish(TcpSock sk) {
        if (sk != null) touch(sk);
        for (TcpSock s : touched) timers.update(s);
        touched.clear();
        long next = timers.nextDeadline();
        if (next != announced) {
            announced = next;
            if (next != TcpTimers.NEVER) context.wakeAt(next);
        }
    }

    // sk_alloc() + tcp_init_sock(): buffers from tcp_rmem[1]/tcp_wmem[1], the default congestion control.
    final TcpSock newSock(int id) {
        TcpSock sk = new TcpSock(id);
        sk.serial = serials++;
        sk.setRcvbufExactly(sysctl.rmem()[1]);
        sk.setSndbufExactly(sysctl.wmem()[1]);
        String name = sysctl.congestionControl();
        // Until every algorithm is registered, a missing default falls back to reno (a named one never does).
        if (!CongestionRegistry.available(name) && name.equals(CongestionRegistry.DEFAULT)) name = "reno";
        switchCongestion(sk, name);
        if (id >= 0 && sk.ca == null) throw new IllegalStateException("no congestion control " + name);
        sk.cong.sndCwnd = sysctl.initCwnd();
        Tcp self = (Tcp) this;
        sk.cong.mib = (field, value) -> self.mib[TcpMib.of(field).ordinal()] += value;
        sk.cong.sock = new TcpEcn.EcnSock(self, sk);
        sk.cong.prandom = n -> random.nextInt(n);
        return sk;
    }

    // tcp_set_congestion_control()
    final boolean switchCongestion(TcpSock sk, String name) {
        if (!CongestionRegistry.available(name)) return false;
        if (sk.ca != null) sk.ca.release(sk.cong);
        sk.ca = CongestionRegistry.create(name);
        sk.caName = name;
        if (sk.state == TcpState.ESTABLISHED || sk.state == TcpState.CLOSE_WAIT) {
            syncCong(sk, 0);
            sk.ca.init(sk.cong);
            TcpPacing.afterCaInit(sk);
        }
        return true;
    }

    // tcp_set_state(): CurrEstab and EstabResets follow the state.
    final void setState(TcpSock sk, TcpState next) {
        TcpState old = sk.state;
        if (next == TcpState.ESTABLISHED && old != TcpState.ESTABLISHED) {
            inc(TcpMib.CURR_ESTAB);
            sk.everConnected = true;
        }
        if (next == TcpState.CLOSE && (old == TcpState.ESTABLISHED || old == TcpState.CLOSE_WAIT)) inc(TcpMib.ESTAB_RESETS);
        if (next != TcpState.ESTABLISHED && (old == TcpState.ESTABLISHED || old == TcpState.CLOSE_WAIT)
                && next != TcpState.CLOSE_WAIT) {
            mib[TcpMib.CURR_ESTAB.ordinal()]--;
        }
        if (next == TcpState.CLOSE_WAIT && old != TcpState.ESTABLISHED) inc(TcpMib.CURR_ESTAB);
        sk.state = next;
    }

    // tcp_done(): CLOSE, timers off, out of the hash; an orphan is freed, an owned socket woken.
    final void done(TcpSock sk, long now) {
        if (sk.state == TcpState.SYN_SENT || sk.state == TcpState.SYN_RECV) inc(TcpMib.ATTEMPT_FAILS);
        if (sk.state == TcpState.SYN_RECV && sk.parent != null) {
            sk.parent.synQueueLen--;
            sk.parent = null;
            sk.dead = true;
        }
        if (sk.state != TcpState.CLOSE) setState(sk, TcpState.CLOSE);
        timers.clearXmitTimer(sk);
        sk.delackDeadline = TcpTimers.NEVER;
        sk.keepaliveDeadline = TcpTimers.NEVER;
        sk.shutRd = true;
        sk.shutWr = true;
        hash.unhashEstablished(sk);
        touch(sk);
        if (sk.dead) release(sk);
        else wake(sk, now);
    }

    // inet_csk_destroy_sock() / __sk_free()
    final void release(TcpSock sk) {
        if (sk.released) return;
        hash.unhashEstablished(sk);
        hash.unbind(sk);
        sk.released = true;
        sk.writeQueue.clear();
        sk.rtxQueue.clear();
        sk.ofoQueue.clear();
        sk.receiveQueue.clear();
        sk.rcvTruesizes.clear();
        sk.wmemQueued = 0;
        sk.rmemAllocBytes = 0;
        sk.packetsOut = sk.sackedOut = sk.lostOut = sk.retransOut = 0;
        if (sk.ca != null) sk.ca.release(sk.cong);
        touch(sk);
        if (sk.id() >= 0) context.releaseSocketId(sk);
    }

    // tcp_reset(): the peer reset the connection.
    final void reset(TcpSock sk, long now) {
        int err = switch (sk.state) {
            case SYN_SENT -> ECONNREFUSED;
            case CLOSE_WAIT -> EPIPE;
            case CLOSE -> 0;
            default -> ECONNRESET;
        };
        if (err == 0) return;
        if (sk.state == TcpState.SYN_SENT) sk.connectError = err;
        if (sk.state != TcpState.SYN_RECV || sk.parent == null) sk.setPendingError(err);
        sk.writeQueue.clear();
        done(sk, now);
    }

    // tcp_write_err(): the connection timed out (or a soft error explains why).
    final void writeErr(TcpSock sk, long now) {
        int err = sk.softError != 0 ? sk.softError : ETIMEDOUT;
        if (sk.state == TcpState.SYN_SENT) sk.connectError = err;
        sk.setPendingError(err);
        sk.softError = 0;
        done(sk, now);
    }

    final void wake(TcpSock sk, long now) {
        if (sk.id() >= 0 && !sk.dead) context.wake(sk, now);
    }

    // tcp_check_space() -> tcp_new_space(): a writer that found the buffer full may go on.
    final void checkSpace(TcpSock sk, long now) {
        if (sk.nospace && sk.writeSpace()) {
            sk.nospace = false;
            wake(sk, now);
        }
    }

    // tcp_connect_init() / tcp_openreq_init_rwin(): MSS from the route, buffers, window scale, initial window.
    final void initConnection(TcpSock sk, Ipv4Address daddr, long now) {
        int pmtu = context.pathMtu(daddr, now);
        if (pmtu <= 0) pmtu = 1500;
        sk.pmtuCookie = pmtu;
        sk.advmss = Math.min(pmtu, 65535) - 40; // ipv4_default_advmss(): at most IPV4_MAX_PMTU - headers (lo: 65495)
        if (sk.userMss > 0) sk.advmss = Math.min(sk.advmss, sk.userMss);
        sk.mssCache = sk.advmss;
        sk.rcvMss = Math.max(88, Math.min(Math.min(sk.advmss, 536), sk.advmss));
        if (!sk.userRcvbuf) sk.setRcvbufExactly(sysctl.rmem()[1]);
        long maxSpace = sk.userRcvbuf ? sk.rcvbuf() : Math.max(sysctl.rmem()[2], knetsim.node.socket.Sock.RMEM_MAX);
        sk.rcvWscale = sysctl.windowScaling() ? Math.max(0, Math.min(TcpOutput.MAX_WSCALE, 63 - Long.numberOfLeadingZeros(maxSpace) - 15)) : 0;
        sk.windowClamp = TcpRcvWindow.winFromSpace(sk, sk.userRcvbuf || !sysctl.moderateRcvbuf() ? sk.rcvbuf() : sysctl.rmem()[2]);
        long space = Math.min(sk.windowClamp, TcpRcvWindow.winFromSpace(sk, sk.rcvbuf()));
        if (space > sk.advmss) space = space / sk.advmss * sk.advmss;
        sk.rcvWnd = Math.min(space, 65535);
        sk.rcvSsthresh = sk.rcvWnd;
        sk.cong.sndCwnd = sysctl.initCwnd();
        sk.cong.sndSsthresh = CongState.INFINITE_SSTHRESH;
        sk.reordering = sysctl.reordering();
        if (context.fqPaces(daddr)) TcpPacing.fqAttached(sk);
    }

    // tcp_init_transfer(): buffers sized (tcp_init_buffer_space), congestion control initialised.
    final void initTransfer(TcpSock sk, long now) {
        sk.rcvqSpaceSpace = Math.min(Math.min(sk.rcvSsthresh, sk.rcvWnd), (long) sysctl.initCwnd() * sk.advmss);
        sk.rcvqSpaceTimeNs = now;
        sk.rcvqSpaceSeq = sk.copiedSeq;
        sk.atoNs = 0;
        sk.lsndtime = now;
        sk.cong.sndCwnd = sysctl.initCwnd();
        sndbufExpand(sk);
        syncCong(sk, now);
        sk.ca.init(sk.cong);
        TcpPacing.afterCaInit(sk);
    }

    // tcp_sync_mss(): the MSS for a path MTU, less the options every segment carries.
    final void syncMss(TcpSock sk, int pmtu) {
        int clamp = sk.rxOptMss;
        if (sk.userMss > 0) clamp = Math.min(clamp, sk.userMss);
        int mss = Math.min(pmtu - 40, clamp);
        mss -= sk.tsOk ? 12 : 0;
        sk.mssCache = Math.max(48, mss);
        sk.pmtuCookie = pmtu;
    }

    // tcp_current_ssthresh()
    final int currentSsthresh(TcpSock sk) {
        if (TcpFastRetrans.inCwndReduction(sk)) return sk.cong.sndSsthresh;
        int c = sk.cong.sndCwnd;
        return Math.max(sk.cong.sndSsthresh, (c >> 1) + (c >> 2));
    }

    final void caEvent(TcpSock sk, CaEvent event) {
        syncCong(sk, 0);
        sk.ca.cwndEvent(sk.cong, event);
    }

    /** Keeps the read-only part of the congestion state current before calling the algorithm. */
    final void syncCong(TcpSock sk, long now) {
        CongState c = sk.cong;
        if (now > 0) c.nowUs = now / 1000;
        c.mssCache = sk.mssCache;
        c.srttUs = sk.srttUs;
        c.minRttUs = sk.minRttUs;
        c.packetsOut = sk.packetsOut;
        c.inFlight = sk.inFlight();
        c.sndNxt = sk.sndNxt;
        c.sndUna = sk.sndUna;
        c.delivered = sk.rate.delivered();
        c.deliveredMstampUs = sk.rate.deliveredMstampUs();
        c.isAppLimited = sk.rate.isAppLimited();
        c.lsndtimeUs = sk.lsndtime / 1000;
        c.deliveredCe = sk.deliveredCe;
        c.ecnOk = TcpEcn.ok(sk);
        c.rcvNxt = sk.rcvNxt;
        c.rcvMss = sk.rcvMss;
        c.lost = sk.lost;
        c.pacingNeeded = sk.pacingStatus != TcpPacing.NONE;
        c.wstampNs = sk.wstampNs;
        c.clockNs = now > 0 ? now : c.clockNs;
    }

    // tcp_update_pacing_rate() (TcpPacing).
    final void updatePacingRate(TcpSock sk) {
        TcpPacing.updatePacingRate(sk);
    }

    final long pacingRate(TcpSock sk) {
        return sk.cong.pacingRate;
    }

    // tcp_sndbuf_expand(): room for two windows of (max(cwnd, IW, reordering + 1)) skbs.
    final void sndbufExpand(TcpSock sk) {
        if (sk.userSndbuf) return;
        int perMss = Integer.highestOneBit(Math.max(sk.mssCache, 536) + MAX_TCP_HEADER + 320 - 1) * 2 + 256;
        int segs = Math.max(Math.max(sysctl.initCwnd(), sk.cong.sndCwnd), sk.reordering + 1);
        long want = Math.min((long) sk.ca.sndbufExpand() * segs * perMss, sysctl.wmem()[2]);
        if (want > sk.sndbuf()) sk.setSndbufExactly((int) want);
    }

    /** What a queued skb is charged against sk_sndbuf (sk_wmem_queued). */
    static int skbTruesize(TcpSkb skb) {
        return SkBuff.truesizeOf(MAX_TCP_HEADER + skb.data.length);
    }

    // tcp_rate_skb_sent() through the socket's TcpRate.
    final void rateSkbSent(TcpSock sk, TcpSkb skb, long now) {
        sk.rate.skbSent(skb.tx, now / 1000, sk.packetsOut);
    }

    // tcp_rate_skb_delivered() and tcp_count_delivered() for one newly (S)ACKed skb.
    final void rateSkbDelivered(TcpSock sk, TcpSkb skb, boolean sacked) {
        sk.rate.skbDelivered(skb.tx, skb.txTimeNs / 1000, skb.endSeq,
                skb.has(TcpSkb.SACKED_RETRANS) || skb.has(TcpSkb.EVER_RETRANS), sacked);
        sk.rate.countDelivered(1);
    }

    // tcp_rate_gen(): the ACK's rate sample (cong_control()'s input) and the delivery rate of TCP_INFO.
    final void rateGen(TcpSock sk, int delivered, int lost, int priorInFlight, long now) {
        long minRtt = sk.minRttUs == Long.MAX_VALUE ? 0xffffffffL : sk.minRttUs;
        sk.lastRs = sk.rate.gen(now / 1000, delivered, lost, false, minRtt, sk.lastRttUs, priorInFlight, false);
        sk.deliveryRate = sk.rate.deliveryRate(sk.mssCache);
        sk.deliveryAppLimited = sk.rate.rateAppLimited();
    }

    final RateSample lastRateSample(TcpSock sk) {
        return sk.lastRs != null ? sk.lastRs
                : new RateSample(0, -1, -1, sk.lastRttUs, 0, 0, sk.inFlight(), false, false, false);
    }

}
