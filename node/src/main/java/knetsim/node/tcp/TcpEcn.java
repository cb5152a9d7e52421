package knetsim.node.tcp;

import knetsim.node.ipv4.Ipv4Packet;
import knetsim.node.tcp.cong.CaEvent;
import knetsim.node.tcp.cong.CaSock;

/**
 * RFC 3168 ECN in TCP as Linux does it (include/net/tcp_ecn.h, the tcp_ecn_* helpers of tcp_input.c and
 * tcp_output.c): negotiation (a SYN with ECE|CWR, a SYN-ACK with ECE) under net.ipv4.tcp_ecn (0 off, 1 ask and
 * accept, 2 accept only, the default) or because the congestion control needs ECN (DCTCP); ECT(0) on new data
 * segments only; the receiver's CE turned into ECE on every segment until a CWR arrives; the sender's
 * reduction once per window (tcp_enter_cwr()) and CWR on the next new data segment.
 */
final class TcpEcn {
    /** tp->ecn_flags bits. */
    static final int OK = 1, QUEUE_CWR = 2, DEMAND_CWR = 4, SEEN = 8;
    /** INET_ECN_* codepoints. */
    static final int NOT_ECT = 0, ECT_1 = 1, ECT_0 = 2, CE = 3;
    /** TCPHDR_SYN_ECN. */
    static final int SYN_ECN = TcpHeader.SYN | TcpHeader.ECE | TcpHeader.CWR;

    private TcpEcn() {}

    static boolean ok(TcpSock sk) {
        return (sk.ecnFlags & OK) != 0;
    }

    // tcp_ca_needs_ecn()
    static boolean caNeedsEcn(TcpSock sk) {
        return sk.ca != null && sk.ca.needsEcn();
    }

    // tcp_ecn_send_syn(): ask for ECN when tcp_ecn is 1 or the congestion control needs it; the SYN's extra flags.
    static int sendSyn(TcpSock sk, TcpSysctl sysctl) {
        boolean useEcn = sysctl.ecn() == 1 || caNeedsEcn(sk);
        sk.ecnFlags = 0;
        if (!useEcn) return 0;
        sk.ecnFlags = OK;
        if (caNeedsEcn(sk)) sk.ecnTos = ECT_0; // INET_ECN_xmit(): a DCTCP SYN is ECT(0) too
        return TcpHeader.ECE | TcpHeader.CWR;
    }

    // tcp_ecn_clear_syn() from __tcp_retransmit_skb(): RFC 3168 6.1.1.1, a retransmitted SYN no longer asks.
    static void clearSyn(TcpSkb skb) {
        if ((skb.tcpFlags & SYN_ECN) == SYN_ECN) skb.tcpFlags &= ~(TcpHeader.ECE | TcpHeader.CWR);
    }

    // tcp_ecn_create_request(): a SYN with ECE|CWR and Not-ECT is accepted when tcp_ecn is not 0; an ECT SYN
    // only by a listener whose congestion control needs ECN. Sets the new connection's ecn_flags.
    static void createRequest(TcpSock child, TcpSock listener, TcpRx rx, TcpSysctl sysctl) {
        child.ecnFlags = 0;
        if (!rx.has(TcpHeader.ECE) || !rx.has(TcpHeader.CWR)) return;
        boolean ect = rx.ecn != NOT_ECT;
        boolean ecnOk = sysctl.ecn() != 0;
        if ((!ect && ecnOk) || caNeedsEcn(listener)) child.ecnFlags = OK; // tcp_ecn_openreq_child()
    }

    // tcp_ecn_make_synack(): ECE on the SYN-ACK when ECN was accepted.
    static int makeSynack(TcpSock child) {
        return ok(child) ? TcpHeader.ECE : 0;
    }

    // tcp_ecn_rcv_synack(): no ECE on the SYN-ACK (or ECE with CWR): ECN is off for this connection.
    static void rcvSynack(TcpSock sk, TcpRx rx) {
        if (ok(sk) && (!rx.has(TcpHeader.ECE) || rx.has(TcpHeader.CWR))) sk.ecnFlags &= ~OK;
    }

    // tcp_ecn_send(): a new data segment is ECT(0) and takes a queued CWR; a pure ACK or a retransmission is
    // Not-ECT (unless the congestion control needs ECN); every segment carries ECE while a CWR is awaited.
    static int send(TcpSock sk, long seq, int len, int flags) {
        if (!ok(sk)) return flags;
        if (len > 0 && seq >= sk.sndNxt) {
            sk.ecnTos = ECT_0;
            if ((sk.ecnFlags & QUEUE_CWR) != 0) {
                sk.ecnFlags &= ~QUEUE_CWR;
                flags |= TcpHeader.CWR;
            }
        } else if (!caNeedsEcn(sk)) {
            sk.ecnTos = NOT_ECT;
        }
        if ((sk.ecnFlags & DEMAND_CWR) != 0) flags |= TcpHeader.ECE;
        return flags;
    }

    /** The TOS byte of the socket's next packet: IP_TOS without its ECN bits, and the ECN field TCP chose. */
    static int tos(TcpSock sk) {
        return (sk.tos() & ~Ipv4Packet.INET_ECN_MASK) | sk.ecnTos;
    }

    // tcp_ecn_accept_cwr(): the sender reduced: stop echoing; a CWR on data is ACKed at once.
    static void acceptCwr(TcpSock sk, TcpRx rx) {
        if (!rx.has(TcpHeader.CWR)) return;
        sk.ecnFlags &= ~DEMAND_CWR;
        if (rx.len > 0) sk.ackPending |= TcpSock.ACK_NOW;
    }

    // tcp_ecn_check_ce(): CE on received data: ECE until CWR and quick ACKs; Not-ECT after ECT was seen is
    // probably a retransmission: quick ACKs. A congestion control that needs ECN is told of every ECT/CE segment.
    static void checkCe(Tcp tcp, TcpSock sk, TcpRx rx, long now) {
        if (!ok(sk)) return;
        if (sk.cong.sock instanceof EcnSock s) s.now = now;
        switch (rx.ecn) {
            case NOT_ECT -> {
                if ((sk.ecnFlags & SEEN) != 0) TcpRcvWindow.enterQuickack(sk, 2);
            }
            case CE -> {
                if (caNeedsEcn(sk)) tcp.caEvent(sk, CaEvent.ECN_IS_CE);
                if ((sk.ecnFlags & DEMAND_CWR) == 0) {
                    TcpRcvWindow.enterQuickack(sk, 2); // better not delay ACKs: the sender may have a tiny cwnd
                    sk.ecnFlags |= DEMAND_CWR;
                }
                sk.ecnFlags |= SEEN;
            }
            default -> {
                if (caNeedsEcn(sk)) tcp.caEvent(sk, CaEvent.ECN_NO_CE);
                sk.ecnFlags |= SEEN;
            }
        }
    }

    // tcp_ecn_rcv_ecn_echo(): an ACK (not a SYN) with ECE on an ECN connection.
    static boolean rcvEcnEcho(TcpSock sk, TcpRx rx) {
        return rx.has(TcpHeader.ECE) && !rx.has(TcpHeader.SYN) && ok(sk);
    }

    // tcp_ecn_queue_cwr(): the next new data segment carries CWR.
    static void queueCwr(TcpSock sk) {
        if (ok(sk)) sk.ecnFlags |= QUEUE_CWR;
    }

    // tcp_ecn_withdraw_cwr(): the reduction was undone.
    static void withdrawCwr(TcpSock sk) {
        sk.ecnFlags &= ~QUEUE_CWR;
    }

    /** The socket as DCTCP's receiver side drives it (CongState.sock); {@link #now} is set before each event. */
    static final class EcnSock implements CaSock {
        private final Tcp tcp;
        private final TcpSock sk;
        long now;

        EcnSock(Tcp tcp, TcpSock sk) {
            this.tcp = tcp;
            this.sk = sk;
        }

        public boolean delayedAckPending() {
            return (sk.ackPending & TcpSock.ACK_TIMER) != 0;
        }

        public void sendAck(long rcvNxt) {
            tcp.out.sendAckAt(sk, rcvNxt, now);
        }

        public void ackNow() {
            sk.ackPending |= TcpSock.ACK_NOW;
        }

        public void demandCwr(boolean on) {
            if (on) sk.ecnFlags |= DEMAND_CWR;
            else sk.ecnFlags &= ~DEMAND_CWR;
        }

        public void ecnDontXmit() {
            sk.ecnTos = NOT_ECT;
        }
    }
}
