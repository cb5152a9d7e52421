package knetsim.node.tcp.cong;

import knetsim.node.tcp.WinMinmax;

/**
 * BBR v1 as net/ipv4/tcp_bbr.c of Linux 6.x (mainline) models the path: the bottleneck bandwidth is the windowed
 * maximum of delivery-rate samples over 10 packet-timed rounds, the propagation delay the minimum RTT over 10 s;
 * pacing_rate = pacing_gain * bw (1% below, the pacing margin), cwnd = cwnd_gain * bw * min_rtt plus the ACK
 * aggregation estimate and a quantization budget. The modes: STARTUP (gain 2/ln2) until three rounds without 25%
 * growth (full pipe), DRAIN (gain ln2/2) until in flight is down to one BDP, PROBE_BW cycling pacing_gain 5/4, 3/4,
 * then 1 for six phases (starting at a random phase), and PROBE_RTT every 10 s without a lower RTT sample: cwnd 4
 * for 200 ms plus a round. A token-bucket policer is detected from two lossy intervals with the same rate (lt_bw).
 *
 * <p>Arithmetic is the kernel's fixed point: gains in BBR_UNIT = 256ths, bandwidth in segments per microsecond
 * scaled by 2^24 (BW_UNIT), u32 jiffies (HZ 1000) for the min_rtt and PROBE_RTT stamps. It owns cwnd entirely
 * ({@link #congControl} replaces cong_avoid) and sets sk_pacing_rate; its init asks for SK_PACING_NEEDED.
 * bbr_tso_segs_goal() is computed as the kernel does (with sk_pacing_shift 10 and GSO_LEGACY_MAX_SIZE), although
 * knetsim sends one MSS per skb: its cwnd budget is Linux's.
 */
public final class Bbr implements TcpCongestionOps {
    static final int BW_SCALE = 24;
    static final long BW_UNIT = 1L << BW_SCALE;
    static final int BBR_SCALE = 8;
    static final int BBR_UNIT = 1 << BBR_SCALE;

    /** enum bbr_mode. */
    public enum Mode { STARTUP, DRAIN, PROBE_BW, PROBE_RTT }

    static final int CYCLE_LEN = 8;
    static final int BW_RTTS = CYCLE_LEN + 2;             // bbr_bw_rtts
    static final int MIN_RTT_WIN_SEC = 10;
    static final int PROBE_RTT_MODE_MS = 200;
    static final long MIN_TSO_RATE = 1_200_000;          // bits/s
    static final int PACING_MARGIN_PERCENT = 1;
    static final int HIGH_GAIN = BBR_UNIT * 2885 / 1000 + 1; // 2/ln(2): 739
    static final int DRAIN_GAIN = BBR_UNIT * 1000 / 2885;    // 88
    static final int CWND_GAIN = BBR_UNIT * 2;
    static final int[] PACING_GAIN = {BBR_UNIT * 5 / 4, BBR_UNIT * 3 / 4, BBR_UNIT, BBR_UNIT, BBR_UNIT, BBR_UNIT,
        BBR_UNIT, BBR_UNIT};
    static final int CYCLE_RAND = 7;
    static final int CWND_MIN_TARGET = 4;
    static final int FULL_BW_THRESH = BBR_UNIT * 5 / 4;
    static final int FULL_BW_CNT = 3;
    static final int LT_INTVL_MIN_RTTS = 4;
    static final int LT_LOSS_THRESH = 50;
    static final int LT_BW_RATIO = BBR_UNIT / 8;
    static final int LT_BW_DIFF = 4000 / 8;              // bytes/s
    static final int LT_BW_MAX_RTTS = 48;
    static final int EXTRA_ACKED_GAIN = BBR_UNIT;
    static final int EXTRA_ACKED_WIN_RTTS = 5;
    static final int ACK_EPOCH_ACKED_RESET_THRESH = 1 << 20;
    static final int EXTRA_ACKED_MAX_US = 100 * 1000;
    static final int TCP_INIT_CWND = 10;
    static final int GSO_LEGACY_MAX_SIZE = 65536, MAX_TCP_HEADER = 320, PACING_SHIFT = 10;
    static final long NO_RTT = 0xffffffffL;              // ~0U: no min_rtt sample

    // struct bbr
    private long minRttUs;               // min RTT in the min_rtt_win_sec window (u32)
    private int minRttStamp;             // jiffies of min_rtt_us
    private int probeRttDoneStamp;       // end of PROBE_RTT (jiffies); 0: not set
    private final WinMinmax bw = new WinMinmax(0, 0); // max recent delivery rate, segments/us << 24
    private long rttCnt;                 // packet-timed rounds elapsed
    private long nextRttDelivered;       // tx.delivered at the end of the round
    private long cycleMstamp;            // start of this gain-cycle phase (us)
    private Mode mode = Mode.STARTUP;
    private CaState prevCaState = CaState.OPEN;
    private boolean packetConservation, roundStart, idleRestart, probeRttRoundDone;
    private boolean ltIsSampling, ltUseBw;
    private int ltRttCnt;
    private long ltBw;                   // long-term delivery rate, segments/us << 24
    private long ltLastDelivered, ltLastStampMs, ltLastLost;
    private int pacingGain = HIGH_GAIN, cwndGain = HIGH_GAIN;
    private boolean fullBwReached;
    private int fullBwCnt, cycleIdx;
    private boolean hasSeenRtt;
    private int priorCwnd;
    private long fullBw;
    private long ackEpochMstamp;         // start of the ACK sampling epoch (us)
    private final int[] extraAcked = new int[2];
    private int ackEpochAcked, extraAckedWinRtts, extraAckedWinIdx;
    private int mss = 1448;              // tp->mss_cache when last called (for get_info)

    @Override
    public String name() {
        return "bbr";
    }

    // ---- the model's quantities ----

    /** bbr_max_bw(): the windowed maximum delivery rate, segments/us << 24. */
    public long maxBw() {
        return bw.get();
    }

    /** bbr_bw(): lt_bw while policed, else the max filter. */
    public long bw() {
        return ltUseBw ? ltBw : maxBw();
    }

    // bbr_extra_acked(): the larger of the two extra_acked windows
    private int extraAcked() {
        return Math.max(extraAcked[0], extraAcked[1]);
    }

    // bbr_rate_bytes_per_sec(): segments/us << 24 with a gain, in bytes/s, 1% below (pacing margin)
    static long rateBytesPerSec(int mss, long rate, int gain) {
        rate *= mss;
        rate *= gain;
        rate >>>= BBR_SCALE;
        rate *= 1_000_000L / 100 * (100 - PACING_MARGIN_PERCENT);
        return rate >>> BW_SCALE;
    }

    // bbr_bw_to_pacing_rate() (sk_max_pacing_rate is unlimited)
    static long bwToPacingRate(int mss, long bw, int gain) {
        return rateBytesPerSec(mss, bw, gain);
    }

    // bbr_init_pacing_rate_from_rtt(): high_gain * cwnd / srtt (1 ms before any RTT sample)
    private void initPacingRateFromRtt(CongState tp) {
        long rttUs;
        if (tp.srttUs > 0) {
            rttUs = Math.max(tp.srttUs, 1);
            hasSeenRtt = true;
        } else {
            rttUs = 1000;
        }
        long b = (long) tp.sndCwnd * BW_UNIT / rttUs;
        tp.pacingRate = bwToPacingRate(tp.mssCache, b, HIGH_GAIN);
    }

    // bbr_set_pacing_rate(): before the pipe is full only ever raise it
    private void setPacingRate(CongState tp, long b, int gain) {
        long rate = bwToPacingRate(tp.mssCache, b, gain);
        if (!hasSeenRtt && tp.srttUs > 0) initPacingRateFromRtt(tp);
        if (fullBwReached || rate > tp.pacingRate) tp.pacingRate = rate;
    }

    // bbr_min_tso_segs()
    static int minTsoSegs(long pacingRate) {
        return pacingRate < (MIN_TSO_RATE >> 3) ? 1 : 2;
    }

    // bbr_tso_segs_goal(): about 1 ms of data at the pacing rate, at most 127 segments
    static int tsoSegsGoal(long pacingRate, int mss) {
        long bytes = Math.min(pacingRate >> PACING_SHIFT, GSO_LEGACY_MAX_SIZE - 1 - MAX_TCP_HEADER);
        long segs = Math.max(bytes / mss, minTsoSegs(pacingRate));
        return (int) Math.min(segs, 0x7f);
    }

    // bbr_save_cwnd(): the last good cwnd, to restore after loss recovery or PROBE_RTT
    private void saveCwnd(CongState tp) {
        if (prevCaState.ordinal() < CaState.RECOVERY.ordinal() && mode != Mode.PROBE_RTT) {
            priorCwnd = tp.sndCwnd;
        } else {
            priorCwnd = Math.max(priorCwnd, tp.sndCwnd);
        }
    }

    // bbr_cwnd_event(): restarting from idle while app-limited: pace at the estimated bw
    @Override
    public void cwndEvent(CongState tp, CaEvent event) {
        if (event == CaEvent.TX_START && tp.isAppLimited) {
            idleRestart = true;
            ackEpochMstamp = tp.nowUs;
            ackEpochAcked = 0;
            if (mode == Mode.PROBE_BW) setPacingRate(tp, bw(), BBR_UNIT);
            else if (mode == Mode.PROBE_RTT) checkProbeRttDone(tp);
        }
    }

    // bbr_bdp(): ceil(bw * min_rtt * gain), TCP_INIT_CWND before any RTT sample
    long bdp(long b, int gain) {
        if (minRttUs == NO_RTT) return TCP_INIT_CWND;
        long w = b * minRttUs;
        return (((w * gain) >>> BBR_SCALE) + BW_UNIT - 1) / BW_UNIT;
    }

    // bbr_quantization_budget(): room for 3 TSO bursts, an even cwnd, +2 in the probing phase
    long quantizationBudget(long pacingRate, int mss, long cwnd) {
        cwnd += 3L * tsoSegsGoal(pacingRate, mss);
        cwnd = (cwnd + 1) & ~1L;
        if (mode == Mode.PROBE_BW && cycleIdx == 0) cwnd += 2;
        return cwnd;
    }

    // bbr_inflight(): the BDP for a gain, with the quantization budget
    long inflight(CongState tp, long b, int gain) {
        return quantizationBudget(tp.pacingRate, tp.mssCache, bdp(b, gain));
    }

    // bbr_packets_in_net_at_edt(): what is in flight less what the bottleneck drains before the next EDT
    long packetsInNetAtEdt(CongState tp, long inflightNow) {
        long nowNs = tp.clockNs;
        long edtNs = Math.max(tp.wstampNs, nowNs);
        long intervalUs = (edtNs - nowNs) / 1000;
        long intervalDelivered = (bw() * intervalUs) >>> BW_SCALE;
        long inflightAtEdt = inflightNow;
        if (pacingGain > BBR_UNIT) inflightAtEdt += tsoSegsGoal(tp.pacingRate, tp.mssCache); // include the EDT skb
        if (intervalDelivered >= inflightAtEdt) return 0;
        return inflightAtEdt - intervalDelivered;
    }

    // bbr_ack_aggregation_cwnd(): extra cwnd for the ACK aggregation seen, at most 100 ms at bw
    private long ackAggregationCwnd() {
        if (!fullBwReached) return 0;
        long maxAggrCwnd = bw() * EXTRA_ACKED_MAX_US / BW_UNIT;
        long aggrCwnd = ((long) EXTRA_ACKED_GAIN * extraAcked()) >>> BBR_SCALE;
        return Math.min(aggrCwnd, maxAggrCwnd);
    }

    // bbr_set_cwnd_to_recover_or_restore(): packet conservation in the first round of recovery, cwnd restored after
    // it; returns the cwnd, negative (~cwnd) when packet conservation applies
    private long recoverOrRestore(CongState tp, RateSample rs, int acked) {
        CaState prev = prevCaState, state = tp.caState;
        long cwnd = tp.sndCwnd;
        if (rs.losses() > 0) cwnd = Math.max(cwnd - rs.losses(), 1);
        if (state == CaState.RECOVERY && prev != CaState.RECOVERY) {
            packetConservation = true;
            nextRttDelivered = tp.delivered; // start the round now
            cwnd = tp.inFlight + acked;      // cut unused cwnd
        } else if (prev.ordinal() >= CaState.RECOVERY.ordinal() && state.ordinal() < CaState.RECOVERY.ordinal()) {
            cwnd = Math.max(cwnd, priorCwnd); // exiting recovery: the cwnd saved before it
            packetConservation = false;
        }
        prevCaState = state;
        if (packetConservation) return ~Math.max(cwnd, (long) tp.inFlight + acked);
        return cwnd;
    }

    // bbr_set_cwnd(): slow-start toward the target, or snap down to it once the pipe was full
    private void setCwnd(CongState tp, RateSample rs, int acked, long b, int gain) {
        long cwnd = tp.sndCwnd;
        if (acked > 0) {
            long c = recoverOrRestore(tp, rs, acked);
            if (c < 0) {
                cwnd = ~c;
            } else {
                cwnd = c;
                long target = bdp(b, gain);
                target += ackAggregationCwnd();
                target = quantizationBudget(tp.pacingRate, tp.mssCache, target);
                if (fullBwReached) cwnd = Math.min(cwnd + acked, target);
                else if (cwnd < target || tp.delivered < TCP_INIT_CWND) cwnd = cwnd + acked;
                cwnd = Math.max(cwnd, CWND_MIN_TARGET);
            }
        }
        tp.sndCwnd = (int) Math.min(cwnd, tp.sndCwndClamp);
        if (mode == Mode.PROBE_RTT) tp.sndCwnd = Math.min(tp.sndCwnd, CWND_MIN_TARGET); // drain the queue
    }

    // bbr_is_next_cycle_phase(): a phase lasts min_rtt; 5/4 until in flight reaches 5/4 BDP (or loss), 3/4 until
    // in flight is down to one BDP
    private boolean isNextCyclePhase(CongState tp, RateSample rs) {
        boolean isFullLength = Math.max(tp.deliveredMstampUs - cycleMstamp, 0) > minRttUs;
        if (pacingGain == BBR_UNIT) return isFullLength;
        long inflight = packetsInNetAtEdt(tp, rs.priorInFlight());
        long b = maxBw();
        if (pacingGain > BBR_UNIT) return isFullLength && (rs.losses() > 0 || inflight >= inflight(tp, b, pacingGain));
        return isFullLength || inflight <= inflight(tp, b, BBR_UNIT);
    }

    // bbr_advance_cycle_phase()
    private void advanceCyclePhase(CongState tp) {
        cycleIdx = (cycleIdx + 1) & (CYCLE_LEN - 1);
        cycleMstamp = tp.deliveredMstampUs;
    }

    // bbr_update_cycle_phase()
    private void updateCyclePhase(CongState tp, RateSample rs) {
        if (mode == Mode.PROBE_BW && isNextCyclePhase(tp, rs)) advanceCyclePhase(tp);
    }

    // bbr_reset_probe_bw_mode(): a random start phase, never the 3/4 one first
    private void resetProbeBwMode(CongState tp) {
        mode = Mode.PROBE_BW;
        cycleIdx = CYCLE_LEN - 1 - tp.prandom.applyAsInt(CYCLE_RAND);
        advanceCyclePhase(tp);
    }

    // bbr_reset_mode()
    private void resetMode(CongState tp) {
        if (!fullBwReached) mode = Mode.STARTUP;
        else resetProbeBwMode(tp);
    }

    // bbr_reset_lt_bw_sampling_interval()
    private void resetLtBwSamplingInterval(CongState tp) {
        ltLastStampMs = Math.floorDiv(tp.deliveredMstampUs, 1000) & NO_RTT;
        ltLastDelivered = tp.delivered;
        ltLastLost = tp.lost;
        ltRttCnt = 0;
    }

    // bbr_reset_lt_bw_sampling()
    private void resetLtBwSampling(CongState tp) {
        ltBw = 0;
        ltUseBw = false;
        ltIsSampling = false;
        resetLtBwSamplingInterval(tp);
    }

    // bbr_lt_bw_interval_done(): two intervals with a consistent rate: we are policed, use their average
    private void ltBwIntervalDone(CongState tp, long b) {
        if (ltBw != 0) {
            long diff = Math.abs(b - ltBw);
            if (diff * BBR_UNIT <= (long) LT_BW_RATIO * ltBw || rateBytesPerSec(tp.mssCache, diff, BBR_UNIT) <= LT_BW_DIFF) {
                ltBw = (b + ltBw) >>> 1;
                ltUseBw = true;
                pacingGain = BBR_UNIT;
                ltRttCnt = 0;
                return;
            }
        }
        ltBw = b;
        resetLtBwSamplingInterval(tp);
    }

    // bbr_lt_bw_sampling(): token-bucket policer detection from lossy intervals of 4-16 rounds
    private void ltBwSampling(CongState tp, RateSample rs) {
        if (ltUseBw) {
            if (mode == Mode.PROBE_BW && roundStart && ++ltRttCnt >= LT_BW_MAX_RTTS) {
                resetLtBwSampling(tp);
                resetProbeBwMode(tp);
            }
            return;
        }
        if (!ltIsSampling) {
            if (rs.losses() == 0) return; // wait for the first loss: the policer's tokens are spent
            resetLtBwSamplingInterval(tp);
            ltIsSampling = true;
        }
        if (rs.isAppLimited()) {
            resetLtBwSampling(tp);
            return;
        }
        if (roundStart) ltRttCnt = Math.min(ltRttCnt + 1, 0x7f); // a 7-bit field
        if (ltRttCnt < LT_INTVL_MIN_RTTS) return;
        if (ltRttCnt > 4 * LT_INTVL_MIN_RTTS) {
            resetLtBwSampling(tp);
            return;
        }
        if (rs.losses() == 0) return;
        long lost = (tp.lost - ltLastLost) & NO_RTT, delivered = (tp.delivered - ltLastDelivered) & NO_RTT;
        if (delivered == 0 || (lost << BBR_SCALE) < (long) LT_LOSS_THRESH * delivered) return;
        int t = (int) ((Math.floorDiv(tp.deliveredMstampUs, 1000) & NO_RTT) - ltLastStampMs);
        if (t < 1) return;
        if (Integer.toUnsignedLong(t) >= NO_RTT / 1000) {
            resetLtBwSampling(tp);
            return;
        }
        long tUs = (long) t * 1000;
        ltBwIntervalDone(tp, delivered * BW_UNIT / tUs);
    }

    // bbr_update_bw(): rounds, and the bandwidth sample into the max filter (app-limited ones only if higher)
    private void updateBw(CongState tp, RateSample rs) {
        roundStart = false;
        if (rs.delivered() < 0 || rs.intervalUs() <= 0) return;
        if (rs.priorDelivered() >= nextRttDelivered) { // !before(prior_delivered, next_rtt_delivered)
            nextRttDelivered = tp.delivered;
            rttCnt++;
            roundStart = true;
            packetConservation = false;
        }
        ltBwSampling(tp, rs);
        long b = rs.delivered() * BW_UNIT / rs.intervalUs();
        if (!rs.isAppLimited() || b >= maxBw()) bw.runningMax(BW_RTTS, rttCnt & NO_RTT, b);
    }

    // bbr_update_ack_aggregation(): data ACKed beyond bw * epoch, max over 5-10 rounds
    private void updateAckAggregation(CongState tp, RateSample rs) {
        if (rs.ackedSacked() <= 0 || rs.delivered() < 0 || rs.intervalUs() <= 0) return;
        if (roundStart) {
            extraAckedWinRtts = Math.min(0x1f, extraAckedWinRtts + 1);
            if (extraAckedWinRtts >= EXTRA_ACKED_WIN_RTTS) {
                extraAckedWinRtts = 0;
                extraAckedWinIdx = extraAckedWinIdx == 0 ? 1 : 0;
                extraAcked[extraAckedWinIdx] = 0;
            }
        }
        long epochUs = Math.max(tp.deliveredMstampUs - ackEpochMstamp, 0);
        long expectedAcked = bw() * epochUs / BW_UNIT;
        if (ackEpochAcked <= expectedAcked || ackEpochAcked + rs.ackedSacked() >= ACK_EPOCH_ACKED_RESET_THRESH) {
            ackEpochAcked = 0;
            ackEpochMstamp = tp.deliveredMstampUs;
            expectedAcked = 0;
        }
        ackEpochAcked = Math.min(0xfffff, ackEpochAcked + rs.ackedSacked());
        long extra = Math.min(ackEpochAcked - expectedAcked, tp.sndCwnd);
        extra = Math.min(extra, 0xffff); // a u16
        if (extra > extraAcked[extraAckedWinIdx]) extraAcked[extraAckedWinIdx] = (int) extra;
    }

    // bbr_check_full_bw_reached(): three non-app-limited rounds without 25% growth: the pipe is full
    private void checkFullBwReached(RateSample rs) {
        if (fullBwReached || !roundStart || rs.isAppLimited()) return;
        long bwThresh = (fullBw * FULL_BW_THRESH) >>> BBR_SCALE;
        if (maxBw() >= bwThresh) {
            fullBw = maxBw();
            fullBwCnt = 0;
            return;
        }
        fullBwCnt = Math.min(fullBwCnt + 1, 3); // a 2-bit field
        fullBwReached = fullBwCnt >= FULL_BW_CNT;
    }

    // bbr_check_drain(): STARTUP -> DRAIN once the pipe is full; DRAIN -> PROBE_BW once in flight <= BDP
    private void checkDrain(CongState tp) {
        if (mode == Mode.STARTUP && fullBwReached) {
            mode = Mode.DRAIN;
            tp.sndSsthresh = (int) Math.min(inflight(tp, maxBw(), BBR_UNIT), CongState.INFINITE_SSTHRESH);
        }
        if (mode == Mode.DRAIN && packetsInNetAtEdt(tp, tp.inFlight) <= inflight(tp, maxBw(), BBR_UNIT)) {
            resetProbeBwMode(tp);
        }
    }

    // bbr_check_probe_rtt_done()
    private void checkProbeRttDone(CongState tp) {
        int now = Cubic.jiffies(tp.nowUs);
        if (!(probeRttDoneStamp != 0 && now - probeRttDoneStamp > 0)) return;
        minRttStamp = now; // wait a while until PROBE_RTT
        tp.sndCwnd = Math.max(tp.sndCwnd, priorCwnd);
        resetMode(tp);
    }

    // bbr_update_min_rtt(): the 10 s min filter; PROBE_RTT when it expires
    private void updateMinRtt(CongState tp, RateSample rs) {
        int now = Cubic.jiffies(tp.nowUs);
        boolean filterExpired = now - (minRttStamp + MIN_RTT_WIN_SEC * Cubic.HZ) > 0;
        if (rs.rttUs() >= 0 && (rs.rttUs() <= minRttUs || (filterExpired && !rs.isAckDelayed()))) {
            minRttUs = rs.rttUs() & NO_RTT;
            minRttStamp = now;
        }
        if (PROBE_RTT_MODE_MS > 0 && filterExpired && !idleRestart && mode != Mode.PROBE_RTT) {
            mode = Mode.PROBE_RTT; // dip, drain the queue
            saveCwnd(tp);
            probeRttDoneStamp = 0;
        }
        if (mode == Mode.PROBE_RTT) {
            long mark = tp.delivered + tp.inFlight; // ignore low-rate samples in this mode
            tp.appLimitedRequest = mark != 0 ? mark : 1;
            if (probeRttDoneStamp == 0 && tp.inFlight <= CWND_MIN_TARGET) {
                probeRttDoneStamp = now + PROBE_RTT_MODE_MS * Cubic.HZ / 1000;
                probeRttRoundDone = false;
                nextRttDelivered = tp.delivered;
            } else if (probeRttDoneStamp != 0) {
                if (roundStart) probeRttRoundDone = true;
                if (probeRttRoundDone) checkProbeRttDone(tp);
            }
        }
        if (rs.delivered() > 0) idleRestart = false;
    }

    // bbr_update_gains()
    private void updateGains() {
        switch (mode) {
            case STARTUP -> {
                pacingGain = HIGH_GAIN;
                cwndGain = HIGH_GAIN;
            }
            case DRAIN -> {
                pacingGain = DRAIN_GAIN;
                cwndGain = HIGH_GAIN;
            }
            case PROBE_BW -> {
                pacingGain = ltUseBw ? BBR_UNIT : PACING_GAIN[cycleIdx];
                cwndGain = CWND_GAIN;
            }
            case PROBE_RTT -> {
                pacingGain = BBR_UNIT;
                cwndGain = BBR_UNIT;
            }
        }
    }

    // bbr_main(): update the model, then pacing rate and cwnd
    @Override
    public void congControl(CongState tp, RateSample rs) {
        mss = tp.mssCache;
        updateBw(tp, rs);
        updateAckAggregation(tp, rs);
        updateCyclePhase(tp, rs);
        checkFullBwReached(rs);
        checkDrain(tp);
        updateMinRtt(tp, rs);
        updateGains();
        long b = bw();
        setPacingRate(tp, b, pacingGain);
        setCwnd(tp, rs, rs.ackedSacked(), b, cwndGain);
    }

    @Override
    public boolean hasCongControl() {
        return true;
    }

    // bbr_init()
    @Override
    public void init(CongState tp) {
        mss = tp.mssCache;
        priorCwnd = 0;
        tp.sndSsthresh = CongState.INFINITE_SSTHRESH;
        rttCnt = 0;
        nextRttDelivered = 0;
        prevCaState = CaState.OPEN;
        packetConservation = false;
        probeRttDoneStamp = 0;
        probeRttRoundDone = false;
        minRttUs = tp.minRttUs == Long.MAX_VALUE ? NO_RTT : tp.minRttUs;
        minRttStamp = Cubic.jiffies(tp.nowUs);
        bw.reset(rttCnt, 0);
        hasSeenRtt = false;
        initPacingRateFromRtt(tp);
        roundStart = false;
        idleRestart = false;
        fullBwReached = false;
        fullBw = 0;
        fullBwCnt = 0;
        cycleMstamp = 0;
        cycleIdx = 0;
        resetLtBwSampling(tp);
        mode = Mode.STARTUP;
        ackEpochMstamp = tp.nowUs;
        ackEpochAcked = 0;
        extraAckedWinRtts = 0;
        extraAckedWinIdx = 0;
        extraAcked[0] = 0;
        extraAcked[1] = 0;
        tp.pacingNeeded = true; // cmpxchg(sk_pacing_status, SK_PACING_NONE, SK_PACING_NEEDED)
    }

    // bbr_sndbuf_expand(): 3 * cwnd, since BBR may slow-start even during recovery
    @Override
    public int sndbufExpand() {
        return 3;
    }

    // bbr_undo_cwnd(): a spurious slow-down; reset full-pipe detection and lt sampling
    @Override
    public int undoCwnd(CongState tp) {
        fullBw = 0;
        fullBwCnt = 0;
        resetLtBwSampling(tp);
        return tp.sndCwnd;
    }

    // bbr_ssthresh(): entering loss recovery, save cwnd for when we exit or undo it
    @Override
    public int ssthresh(CongState tp) {
        saveCwnd(tp);
        return tp.sndSsthresh;
    }

    @Override
    public void congAvoid(CongState tp, long ack, int acked) {
        throw new IllegalStateException("bbr has cong_control");
    }

    // bbr_set_state(): an RTO counts as the end of a round with a loss for the lt sampling
    @Override
    public void setState(CongState tp, CaState newState) {
        if (newState == CaState.LOSS) {
            prevCaState = CaState.LOSS;
            fullBw = 0;
            roundStart = true;
            ltBwSampling(tp, new RateSample(0, 0, 0, -1, 1, 0, 0, false, false, false));
        }
    }

    /**
     * bbr_get_info() (INET_DIAG_BBRINFO, ss -ti's bbr:(...)): "bbr_bw" in bytes/s, "bbr_min_rtt" in us,
     * "bbr_pacing_gain" and "bbr_cwnd_gain" in BBR_UNIT (256ths); also "bbr_mode" (0-3), "bbr_cycle_idx",
     * "bbr_full_bw_reached", "bbr_lt_use_bw", "bbr_extra_acked".
     */
    @Override
    public double info(String key) {
        return switch (key) {
            case "bbr_bw" -> bwBytesPerSec();
            case "bbr_min_rtt" -> minRttUs;
            case "bbr_pacing_gain" -> pacingGain;
            case "bbr_cwnd_gain" -> cwndGain;
            case "bbr_mode" -> mode.ordinal();
            case "bbr_cycle_idx" -> cycleIdx;
            case "bbr_full_bw_reached" -> fullBwReached ? 1 : 0;
            case "bbr_lt_use_bw" -> ltUseBw ? 1 : 0;
            case "bbr_extra_acked" -> extraAcked();
            default -> Double.NaN;
        };
    }

    /** bbr_get_info()'s bw: bbr_bw() * mss_cache * USEC_PER_SEC >> BW_SCALE, in bytes/s. */
    public long bwBytesPerSec() {
        return (bw() * mss * 1_000_000L) >>> BW_SCALE;
    }

    public Mode mode() {
        return mode;
    }

    /** The current pacing_gain and cwnd_gain, in BBR_UNIT (256ths). */
    public int pacingGain() {
        return pacingGain;
    }

    public int cwndGain() {
        return cwndGain;
    }

    public int cycleIndex() {
        return cycleIdx;
    }

    public boolean fullBwReached() {
        return fullBwReached;
    }

    public boolean ltUseBw() {
        return ltUseBw;
    }

    public long minRttUs() {
        return minRttUs;
    }

    public long roundCount() {
        return rttCnt;
    }
}
