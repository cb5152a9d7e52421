package knetsim.node.tcp.cong;

/**
 * The part of struct tcp_sock (and inet_connection_sock) that congestion control reads and writes:
 * the socket owns one and keeps its read-only fields current before calling into
 * {@link TcpCongestionOps}; an algorithm writes only cwnd, ssthresh, cwndCnt and its own state.
 * Lets each algorithm be unit-tested from ACK sequences without a network.
 */
public final class CongState {
    /** TCP_INFINITE_SSTHRESH. */
    public static final int INFINITE_SSTHRESH = 0x7fffffff;

    // written by congestion control
    public int sndCwnd = 10;            // snd_cwnd, in segments
    public int sndSsthresh = INFINITE_SSTHRESH; // snd_ssthresh
    public int sndCwndCnt;              // snd_cwnd_cnt: linear-increase counter
    public int sndCwndClamp = 0x7fffffff / 2; // snd_cwnd_clamp
    // kept current by the socket
    public long nowUs;                  // tcp_jiffies32 / tcp_clock_us(): virtual time in microseconds
    public int mssCache = 1448;         // mss_cache
    public long srttUs;                 // srtt, in microseconds (not <<3 as in the kernel); 0: no sample yet
    public long minRttUs = Long.MAX_VALUE; // tcp_min_rtt()
    public int packetsOut;              // packets_out
    public int maxPacketsOut;           // max_packets_out: most packets out in the window tcp_cwnd_validate() tracks
    public int inFlight;                // tcp_packets_in_flight()
    public boolean cwndLimited;         // tcp_is_cwnd_limited() as tcp_cwnd_validate() last set it
    public int priorCwnd;               // prior_cwnd (undo)
    public int priorSsthresh;           // prior_ssthresh (undo)
    public long sndNxt;                 // snd_nxt
    public long sndUna;                 // snd_una
    public long delivered;              // delivered: segments delivered (SACKed or ACKed)
    public long deliveredMstampUs;      // delivered_mstamp
    public long lost;                   // lost: segments marked lost
    public long deliveredCe;            // delivered_ce: delivered segments that were CE-marked (DCTCP)
    public boolean ecnOk;               // tp->ecn_flags & TCP_ECN_OK: ECN was negotiated (dctcp_init() checks it)
    public long rcvNxt;                 // rcv_nxt (unwrapped; DCTCP's prior_rcv_nxt)
    public int rcvMss = 536;            // icsk_ack.rcv_mss
    /** The socket's ECN echo and delayed ACK, for an algorithm that drives them (DCTCP). */
    public CaSock sock = CaSock.NONE;
    public CaState caState = CaState.OPEN; // icsk_ca_state
    public long pacingRate;             // sk_pacing_rate in bytes per second (set by tcp_update_pacing_rate or the algorithm)
    public boolean isAppLimited;        // app_limited != 0
    public long lsndtimeUs;             // lsndtime: when data was last sent (updated after the TX_START event, as tcp_event_data_sent())
    public boolean pacingNeeded;        // sk_pacing_status != SK_PACING_NONE (fq or an algorithm such as BBR paces)
    public int gsoMaxSize = 65536;      // sk_gso_max_size (GSO_LEGACY_MAX_SIZE; HyStart's ACK-delay cushion uses it)
    // for an algorithm with cong_control() (BBR)
    public long wstampNs;               // tcp_wstamp_ns: the earliest departure time of the next segment
    public long clockNs;                // tcp_clock_cache: the socket's clock (ns) when it last called in
    public long appLimitedRequest = -1; // the algorithm's write to tp->app_limited (BBR's PROBE_RTT); -1: none
    /** prandom_u32_max(n): uniform in [0, n), from the host's seeded stream. */
    public java.util.function.IntUnaryOperator prandom = n -> 0;
    /** Where an algorithm's NET_INC_STATS/NET_ADD_STATS go (TcpExt TCPHystart*); the socket points it at its MIB. */
    public CaMibSink mib = CaMibSink.NONE;

    /** tcp_in_slow_start(). */
    public boolean inSlowStart() {
        return sndCwnd < sndSsthresh;
    }
}
