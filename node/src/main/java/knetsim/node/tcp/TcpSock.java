package knetsim.node.tcp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import knetsim.node.inet.SkbOwner;
import knetsim.node.ipv4.Ipv4Address;
import knetsim.node.socket.Sock;
import knetsim.node.tcp.cong.CaState;
import knetsim.node.tcp.cong.CongState;
import knetsim.node.tcp.cong.TcpCongestionOps;

/**
 * struct tcp_sock (with inet_connection_sock and the request/timewait roles): one TCP endpoint. Sequence
 * numbers are kept unwrapped in 64 bits (iss/irs + offset) so that comparisons are plain; only the wire
 * carries them modulo 2^32. Fields are the protocol's (package-private); the socket layer sees the socket
 * through {@link Tcp}'s operations and the read-only accessors.
 */
public class TcpSock extends Sock {
    /** icsk_pending: which timer the retransmit deadline is. */
    static final int TIME_NONE = 0, TIME_RETRANS = 1, TIME_PROBE0 = 3, TIME_LOSS_PROBE = 5, TIME_REO = 6;
    /** icsk_ack.pending bits. */
    static final int ACK_SCHED = 1, ACK_TIMER = 2, ACK_PUSHED = 4, ACK_NOW = 8;

    TcpState state = TcpState.CLOSE;
    // 4-tuple
    Ipv4Address saddr = Ipv4Address.ANY;
    Ipv4Address daddr = Ipv4Address.ANY;
    int sport;
    int dport;
    boolean hashed;          // in the established hash
    boolean bound;           // owns its local port (bhash)
    // listener
    int backlog;
    final ArrayDeque<TcpSock> acceptQueue = new ArrayDeque<>();
    int synQueueLen;
    TcpSock parent;          // the listener of a request/child socket not yet accepted
    int synackRetries;
    // sender
    long iss;
    long sndUna, sndNxt, writeSeq, sndUp;
    long sndWl1;
    long sndWnd;
    long maxWindow;
    int sndWscale, rcvWscale;
    boolean wscaleOk, sackOk, tsOk;
    int mssCache = 536, advmss = 1460, mssClamp = 65535, rxOptMss = 536, pmtuCookie = 1500;
    final ArrayDeque<TcpSkb> writeQueue = new ArrayDeque<>();
    final ArrayList<TcpSkb> rtxQueue = new ArrayList<>();
    long wmemQueued;
    int packetsOut, sackedOut, lostOut, retransOut;
    int reordering = 3;
    int reordSeen;
    long highSeq;            // high_seq: snd_nxt when recovery started
    long undoMarker;         // 0: no undo possible
    int undoRetrans;
    long priorSsthresh;
    long retransStamp;       // ns of the first retransmission of the head (0: none)
    long rcvTstamp;          // when the last ACK arrived (ns)
    long lsndtime;           // when data was last sent (ns)
    long lrcvtime;           // when data was last received (ns)
    boolean frtoActive;
    int rexmit;              // what tcp_xmit_recovery() does after this ACK
    long frtoHighmark;
    boolean tlpPending;
    long tlpHighSeq;
    boolean tlpRetrans;
    int prrDelivered, prrOut, priorCwndForPrr;
    long tsqBytes;           // sk_wmem_alloc: truesize in qdisc and driver
    long sndSml;             // snd_sml: end of the last small segment sent (Minshall)
    long cwndUsageSeq;       // cwnd_usage_seq
    boolean tsqThrottled;
    boolean repairAfterRto;  // tcp_enter_loss marked the queue
    long totalRetrans;
    long bytesSent, bytesRetrans, bytesAcked, bytesReceived, segsOut, segsIn, dataSegsOut, dataSegsIn;
    long delivered;          // tp->delivered (TcpRate keeps the same count for its samples)
    long lost;               // tp->lost: segments ever marked lost (tcp_sum_lost())
    long deliveryRate;
    boolean deliveryAppLimited;
    final CongState cong = new CongState();
    TcpCongestionOps ca;
    // RTT (tcp_rtt_estimator): microseconds
    final TcpRtt rtt = new TcpRtt();
    final TcpFlowStats stats = new TcpFlowStats();
    final TcpRate rate = new TcpRate();
    knetsim.node.tcp.cong.RateSample lastRs;
    long srttUs, rttvarUs, lastRttUs = -1; // cached from rtt
    long highestSackEnd;     // end of the highest SACKed skb (tcp_highest_sack_seq)
    long minRttUs = Long.MAX_VALUE;
    long rtoNs = 1_000_000_000L;
    int backoff, retransmits, totalRto, probesOut;
    // RACK
    long rackMstampNs, rackEndSeq, rackRttUs;
    boolean rackAdvanced;
    int rackReoWndSteps = 1, rackDsackSeen;
    long rackReoWndUs;
    // receiver
    long irs;
    long rcvNxt, rcvWup, rcvWnd, copiedSeq;
    long rcvSsthresh, windowClamp;
    int scalingRatio = TcpRcvWindow.DEFAULT_SCALING_RATIO; // payload per truesize (/256), tcp_measure_rcv_mss()
    final ArrayDeque<byte[]> receiveQueue = new ArrayDeque<>();
    final ArrayDeque<Integer> rcvTruesizes = new ArrayDeque<>();
    long rcvRttUs;           // rcv_rtt_est (receiver-side RTT, from timestamps)
    long rcvRttLastTsecr;
    int receiveHeadOffset;
    long rcvQueued;          // bytes in the receive queue
    long rmemAllocBytes;     // truesize charged
    final ArrayList<TcpSkb> ofoQueue = new ArrayList<>();
    long[] selectiveAcks = new long[8];
    int numSacks;
    long[] dsack = new long[2];
    boolean dsackPending;
    boolean finReceived;     // RCV_SHUTDOWN
    // rcv space (autotuning)
    long rcvqSpaceSpace, rcvqSpaceSeq, rcvqSpaceTimeNs;
    boolean userRcvbuf, userSndbuf;
    // timestamps
    long tsRecent, tsRecentStampNs, tsOffset, rcvTsecr;
    // delayed ACK (icsk_ack)
    int ackPending, quick, rcvMss = 536;
    long atoNs = 40_000_000L;
    boolean pingpong;
    int pingpongCount;
    long delackDeadline = Long.MAX_VALUE;
    // timers
    int pending = TIME_NONE;
    long xmitDeadline = Long.MAX_VALUE;
    long keepaliveDeadline = Long.MAX_VALUE; // keepalive, SYN-ACK retransmit, FIN_WAIT2, TIME_WAIT
    long timerQueued = Long.MAX_VALUE;       // the deadline TcpTimers filed this socket under
    long serial;             // ties between equal deadlines
    // pacing (TcpPacing)
    int pacingStatus = TcpPacing.NONE;       // sk_pacing_status
    long wstampNs;                           // tcp_wstamp_ns: the next segment's earliest departure time
    long pacingDeadline = Long.MAX_VALUE;    // the pacing hrtimer (internal pacing); NEVER: not queued
    // user side
    boolean nodelay, cork, keepalive, autocorked;
    int lingerSec = -1;
    int userMss;
    boolean shutWr, shutRd;  // SEND_SHUTDOWN / user shut reads
    boolean finQueued;       // a FIN is in the write queue or sent
    boolean dead;            // closed by the user (orphan)
    int connectError;        // the errno connect() ends with
    boolean everConnected;
    boolean released;
    boolean nospace;         // SOCK_NOSPACE: a writer found the send buffer full
    int softError;           // sk_err_soft
    String caName = "";
    // ECN (tp->ecn_flags, the ECN bits of inet->tos, delivered_ce)
    int ecnFlags;            // TcpEcn.OK | QUEUE_CWR | DEMAND_CWR | SEEN
    int ecnTos;              // the ECN field this socket's packets carry now (INET_ECN_xmit / INET_ECN_dontxmit)
    long deliveredCe;        // tp->delivered_ce: delivered segments whose ACK carried ECE

    /** What IP output sees of this socket: its number, and IP IDs from its inet_id. */
    final SkbOwner ipOwner = SkbOwner.tcp(this);

    public TcpSock(int id) {
        super(id);
    }

    public TcpState state() {
        return state;
    }

    /** TCP_INFO. */
    public TcpInfo info(long now) {
        return TcpInfos.of(this, now);
    }

    /** TCP never refuses a segment at IP output for send memory: its own check is sk_wmem_queued in tcp_sendmsg. */
    @Override
    public boolean writable() {
        return true;
    }

    /** sk_stream_is_writeable(): free send space at least a third of sndbuf (EPOLLOUT and write wakeups). */
    @Override
    public boolean writeSpace() {
        return sndbuf() - wmemQueued >= wmemQueued / 2 && wmemQueued < sndbuf();
    }

    public Ipv4Address localAddress() {
        return saddr;
    }

    public int localPort() {
        return sport;
    }

    public Ipv4Address remoteAddress() {
        return daddr;
    }

    public int remotePort() {
        return dport;
    }

    /** Bytes readable now (SIOCINQ / FIONREAD). */
    public long readable() {
        return rcvQueued;
    }

    /** Bytes written but not yet acknowledged (SIOCOUTQ). */
    public long unacked() {
        return writeSeq - sndUna;
    }

    // tcp_packets_in_flight(): packets_out - left_out + retrans_out
    int inFlight() {
        return packetsOut - (sackedOut + lostOut) + retransOut;
    }

    CaState caState() {
        return cong.caState;
    }

    int cwnd() {
        return cong.sndCwnd;
    }

    /** tcp_receive_window(): what is left of the window we advertised. */
    long receiveWindow() {
        long w = rcvWup + rcvWnd - rcvNxt;
        return Math.max(0, w);
    }

    @Override
    public String toString() {
        return "tcp[" + id() + " " + state + " " + saddr + ":" + sport + "->" + daddr + ":" + dport + "]";
    }
}
