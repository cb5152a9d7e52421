package knetsim.node.tcp;

import knetsim.core.engine.Counters;
import knetsim.node.tcp.cong.CaMib;

/**
 * The Tcp (/proc/net/snmp) and TcpExt (/proc/net/netstat) counters TCP keeps, under the names nstat prints
 * ("TcpActiveOpens", "TcpExtTCPTimeouts"). A host keeps one long[] indexed by ordinal: the hot path is an
 * array increment, never a string lookup; {@link #publish} copies them into the host's counters.
 */
public enum TcpMib {
    ACTIVE_OPENS("TcpActiveOpens"), PASSIVE_OPENS("TcpPassiveOpens"), ATTEMPT_FAILS("TcpAttemptFails"),
    ESTAB_RESETS("TcpEstabResets"), CURR_ESTAB("TcpCurrEstab"), IN_SEGS("TcpInSegs"), OUT_SEGS("TcpOutSegs"),
    RETRANS_SEGS("TcpRetransSegs"), IN_ERRS("TcpInErrs"), OUT_RSTS("TcpOutRsts"), IN_CSUM_ERRORS("TcpInCsumErrors"),
    TCP_TIMEOUTS("TcpExtTCPTimeouts"), TCP_LOSS_PROBES("TcpExtTCPLossProbes"),
    TCP_LOSS_PROBE_RECOVERY("TcpExtTCPLossProbeRecovery"), TCP_SACK_RECOVERY("TcpExtTCPSackRecovery"),
    TCP_RENO_RECOVERY("TcpExtTCPRenoRecovery"), TCP_RENO_REORDER("TcpExtTCPRenoReorder"), TCP_FAST_RETRANS("TcpExtTCPFastRetrans"),
    TCP_SLOW_START_RETRANS("TcpExtTCPSlowStartRetrans"), TCP_LOST_RETRANSMIT("TcpExtTCPLostRetransmit"),
    TCP_SPURIOUS_RTOS("TcpExtTCPSpuriousRTOs"), TCP_DSACK_RECV("TcpExtTCPDSACKRecv"),
    TCP_DSACK_OFO_RECV("TcpExtTCPDSACKOfoRecv"), TCP_DSACK_OLD_SENT("TcpExtTCPDSACKOldSent"),
    TCP_DSACK_OFO_SENT("TcpExtTCPDSACKOfoSent"), TCP_DSACK_UNDO("TcpExtTCPDSACKUndo"),
    TCP_FULL_UNDO("TcpExtTCPFullUndo"), TCP_PARTIAL_UNDO("TcpExtTCPPartialUndo"), TCP_LOSS_UNDO("TcpExtTCPLossUndo"),
    TCP_SACK_REORDER("TcpExtTCPSACKReorder"), TCP_TS_REORDER("TcpExtTCPTSReorder"), TCP_OFO_QUEUE("TcpExtTCPOFOQueue"), TCP_OFO_DROP("TcpExtTCPOFODrop"),
    TCP_OFO_MERGE("TcpExtTCPOFOMerge"), DELAYED_ACKS("TcpExtDelayedACKs"), TCP_PURE_ACKS("TcpExtTCPPureAcks"),
    TCP_HP_ACKS("TcpExtTCPHPAcks"), TCP_HP_HITS("TcpExtTCPHPHits"),
    TCP_HYSTART_TRAIN_DETECT("TcpExtTCPHystartTrainDetect"), TCP_HYSTART_TRAIN_CWND("TcpExtTCPHystartTrainCwnd"),
    TCP_HYSTART_DELAY_DETECT("TcpExtTCPHystartDelayDetect"), TCP_HYSTART_DELAY_CWND("TcpExtTCPHystartDelayCwnd"),
    LISTEN_OVERFLOWS("TcpExtListenOverflows"), LISTEN_DROPS("TcpExtListenDrops"), TCP_ABORT_ON_DATA("TcpExtTCPAbortOnData"),
    TCP_ABORT_ON_CLOSE("TcpExtTCPAbortOnClose"), TCP_ABORT_ON_TIMEOUT("TcpExtTCPAbortOnTimeout"),
    TCP_ABORT_ON_LINGER("TcpExtTCPAbortOnLinger"), TCP_TIMEWAIT("TcpExtTW"), TCP_SYN_RETRANS("TcpExtTCPSynRetrans"),
    TCP_ZERO_WINDOW_DROP("TcpExtTCPZeroWindowDrop"), TCP_WANT_ZERO_WINDOW_ADV("TcpExtTCPWantZeroWindowAdv"),
    TCP_TO_ZERO_WINDOW_ADV("TcpExtTCPToZeroWindowAdv"), TCP_FROM_ZERO_WINDOW_ADV("TcpExtTCPFromZeroWindowAdv"),
    TCP_KEEPALIVE("TcpExtTCPKeepAlive"), TCP_AUTOCORKING("TcpExtTCPAutoCorking"),
    TCP_ORIGIN_DATA_SENT("TcpExtTCPOrigDataSent"), TCP_DELIVERED("TcpExtTCPDelivered"),
    TCP_DELIVERED_CE("TcpExtTCPDeliveredCE"),
    TCP_SPURIOUS_RTX_HOST_QUEUES("TcpExtTCPSpuriousRtxHostQueues"), TCP_RCV_COALESCE("TcpExtTCPRcvCoalesce"),
    TCP_BACKLOG_DROP("TcpExtTCPBacklogDrop"), TCP_RCV_Q_DROP("TcpExtTCPRcvQDrop"), EMBRYONIC_RSTS("TcpExtEmbryonicRsts"),
    PAWS_ESTAB("TcpExtPAWSEstab"), TCP_ACK_SKIPPED_SEQ("TcpExtTCPACKSkippedSeq"),
    TCP_MTUP_FAIL("TcpExtTCPMTUPFail");

    private static final TcpMib[] ALL = values();
    private final String nstatName;

    TcpMib(String nstatName) {
        this.nstatName = nstatName;
    }

    /** The name nstat prints. */
    public String nstatName() {
        return nstatName;
    }

    private static final java.util.Map<String, TcpMib> BY_NAME = new java.util.HashMap<>();

    static {
        for (TcpMib m : ALL) BY_NAME.put(m.nstatName, m);
    }

    /** The counter nstat calls {@code name} ("TcpExtTCPTimeouts"), or null. */
    public static TcpMib byName(String name) {
        return BY_NAME.get(name);
    }

    /** Every name, in declaration order (what a series may record). */
    public static java.util.List<String> names() {
        return java.util.Arrays.stream(ALL).map(TcpMib::nstatName).toList();
    }

    /** A host's counter array. */
    public static long[] newTable() {
        return new long[ALL.length];
    }

    /** The TcpMib a congestion module's CaMib counter lands in. */
    public static TcpMib of(CaMib m) {
        return switch (m) {
            case TCP_HYSTART_TRAIN_DETECT -> TCP_HYSTART_TRAIN_DETECT;
            case TCP_HYSTART_TRAIN_CWND -> TCP_HYSTART_TRAIN_CWND;
            case TCP_HYSTART_DELAY_DETECT -> TCP_HYSTART_DELAY_DETECT;
            case TCP_HYSTART_DELAY_CWND -> TCP_HYSTART_DELAY_CWND;
        };
    }

    /**
     * Sets the host's counters to the table's values; counters still zero are left out, as nstat leaves
     * them out, so a host that never used TCP publishes nothing.
     */
    public static void publish(long[] table, Counters counters) {
        java.util.Map<String, Long> present = counters.snapshot();
        for (TcpMib m : ALL) {
            long v = table[m.ordinal()];
            if (v == 0 && !present.containsKey(m.nstatName)) continue;
            Counters.Counter c = counters.counter(m.nstatName);
            c.add(v - c.value());
        }
    }
}
