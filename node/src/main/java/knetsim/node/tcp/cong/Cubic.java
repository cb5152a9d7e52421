package knetsim.node.tcp.cong;

/**
 * CUBIC as net/ipv4/tcp_cubic.c of Linux 6.x does it (module parameters at their defaults): the
 * window after a loss follows W(t) = C(t - K)^3 + Wmax with C = 0.4 (bic_scale 41) and
 * K = cbrt(Wmax(1 - beta)/C), the multiplicative decrease is beta = 717/1024, fast convergence
 * lowers Wmax when losses come before the last Wmax is regained, a TCP-friendly estimate of Reno's
 * window (alpha = 3(1 - beta)/(1 + beta)) is never undercut, and HyStart (ACK train and delay
 * increase, from cwnd 16) ends slow start before the first loss.
 *
 * <p>Time is the kernel's: the cubic epoch runs on tcp_jiffies32 with {@link #HZ} 1000 (CONFIG_HZ
 * 1000; jiffies start at INITIAL_JIFFIES, 300 s before they wrap, as in the kernel) and HyStart on
 * the microsecond clock (tcp_mstamp). All state is u32 arithmetic like struct bictcp's. The one
 * departure: {@link #cubicRoot} is the exact integer cube root rather than the kernel's table
 * lookup plus one Newton step (whose average error is 0.195%), so K can differ from the kernel's
 * by a few 1/1024 s.
 *
 * <p>HyStart exits are reported through {@link CongState#mib} (TcpExt TCPHystartTrainDetect,
 * TCPHystartTrainCwnd, TCPHystartDelayDetect, TCPHystartDelayCwnd).
 */
public final class Cubic implements TcpCongestionOps {
    /** CONFIG_HZ: the tick of tcp_jiffies32. */
    public static final int HZ = 1000;
    /** INITIAL_JIFFIES: jiffies start 300 s before the 32-bit wrap. */
    static final int INITIAL_JIFFIES = -300 * HZ;

    static final int BICTCP_BETA_SCALE = 1024;
    static final int BICTCP_HZ = 10;                   // 2^10 units per second in the cubic function
    static final int BETA = 717;                       // beta = 717/1024
    static final int BIC_SCALE = 41;                   // C = 41/1024 * 10 = 0.4
    static final boolean FAST_CONVERGENCE = true;
    static final boolean TCP_FRIENDLINESS = true;
    static final boolean HYSTART = true;
    static final int HYSTART_ACK_TRAIN = 0x1;
    static final int HYSTART_DELAY = 0x2;
    static final int HYSTART_DETECT = HYSTART_ACK_TRAIN | HYSTART_DELAY;
    static final int HYSTART_LOW_WINDOW = 16;
    static final int HYSTART_ACK_DELTA_US = 2000;
    static final int HYSTART_MIN_SAMPLES = 8;
    static final int HYSTART_DELAY_MIN = 4000;         // us
    static final int HYSTART_DELAY_MAX = 16000;        // us

    // cubictcp_register(): scale factors precomputed for an srtt of 100 ms
    static final int BETA_SCALE = 8 * (BICTCP_BETA_SCALE + BETA) / 3 / (BICTCP_BETA_SCALE - BETA); // 15
    static final int CUBE_RTT_SCALE = BIC_SCALE * 10;                                             // 410
    static final long CUBE_FACTOR = (1L << (10 + 3 * BICTCP_HZ)) / (BIC_SCALE * 10);              // 2^40/410

    // struct bictcp (u32 fields held in ints)
    private int cnt;               // increase cwnd by 1 after this many ACKed segments
    private int lastMaxCwnd;       // last maximum snd_cwnd (Wmax)
    private int lastCwnd;          // the last snd_cwnd
    private int lastTime;          // jiffies when last_cwnd was updated
    private int bicOriginPoint;    // origin point of the cubic function
    private int bicK;              // time to the origin point from the epoch start, in 1/1024 s
    private int delayMin;          // min delay (us)
    private int epochStart;        // jiffies at the beginning of an epoch; 0: none
    private int ackCnt;            // segments ACKed (TCP-friendly estimate)
    private int tcpCwnd;           // estimated Reno cwnd
    private int sampleCnt;         // HyStart: delay samples this round
    private boolean found;         // HyStart: the exit point was found
    private int roundStart;        // HyStart: us at the beginning of the round
    private long endSeq;           // HyStart: snd_nxt when the round began
    private int lastAck;           // HyStart: us of the last ACK of a train
    private int currRtt = -1;      // HyStart: minimum RTT of the round (u32, ~0 at reset)

    @Override
    public String name() {
        return "cubic";
    }

    // tcp_jiffies32
    static int jiffies(long nowUs) {
        return (int) (nowUs / (1_000_000 / HZ)) + INITIAL_JIFFIES;
    }

    // usecs_to_jiffies(): rounded up
    static int usecsToJiffies(int us) {
        int perJiffy = 1_000_000 / HZ;
        return (int) ((Integer.toUnsignedLong(us) + perJiffy - 1) / perJiffy);
    }

    // bictcp_reset(): everything up to struct bictcp's unused field, and found
    private void reset() {
        cnt = lastMaxCwnd = lastCwnd = lastTime = bicOriginPoint = bicK = delayMin = epochStart = ackCnt = tcpCwnd = 0;
        found = false;
    }

    // bictcp_hystart_reset(): a new HyStart round ends when snd_una passes today's snd_nxt
    private void hystartReset(CongState tp) {
        roundStart = lastAck = (int) tp.nowUs;
        endSeq = tp.sndNxt;
        currRtt = -1;
        sampleCnt = 0;
    }

    // cubictcp_init()
    @Override
    public void init(CongState tp) {
        reset();
        if (HYSTART) hystartReset(tp);
        // initial_ssthresh is 0: ssthresh stays infinite
    }

    // cubictcp_cwnd_event(): after idle, shift the epoch so growth continues on the cubic curve
    @Override
    public void cwndEvent(CongState tp, CaEvent event) {
        if (event != CaEvent.TX_START) return;
        int now = jiffies(tp.nowUs);
        int delta = now - jiffies(tp.lsndtimeUs);
        // We were application limited (idle) for a while.
        if (epochStart != 0 && delta > 0) {
            epochStart += delta;
            if (epochStart - now > 0) epochStart = now;   // after(epoch_start, now)
        }
    }

    // cubic_root(): floor(cbrt(a)) for a < 2^63 (the kernel approximates it with a table and one Newton step)
    static int cubicRoot(long a) {
        if (a <= 0) return 0;
        long x = (long) Math.cbrt((double) a);
        while (x * x * x > a) x--;
        while ((x + 1) * (x + 1) * (x + 1) <= a) x++;
        return (int) x;
    }

    /**
     * The cubic function's target window {@code origin ± C·(t - K)^3} for t and K in 1/1024 s, as
     * bictcp_update() computes it (u64 product, u32 result).
     */
    static int bicTarget(int originPoint, int bicK, long t) {
        long k = Integer.toUnsignedLong(bicK);
        long offs = t < k ? k - t : t - k;
        // c/rtt * (t-K)^3
        int delta = (int) ((CUBE_RTT_SCALE * offs * offs * offs) >>> (10 + 3 * BICTCP_HZ));
        return t < k ? originPoint - delta : originPoint + delta;
    }

    // bictcp_update(): compute cnt, the ACKed segments per cwnd increment
    private void update(CongState tp, int cwnd, int acked) {
        int jiffies = jiffies(tp.nowUs);
        ackCnt += acked;   // count the number of ACKed packets

        if (lastCwnd == cwnd && jiffies - lastTime <= HZ / 32) return;

        // The CUBIC function can update cnt at most once per jiffy; every reduction zeroes epoch_start.
        if (epochStart == 0 || jiffies != lastTime) {
            lastCwnd = cwnd;
            lastTime = jiffies;
            if (epochStart == 0) {
                epochStart = jiffies;   // record beginning
                ackCnt = acked;         // start counting
                tcpCwnd = cwnd;         // syn with cubic
                if (Integer.compareUnsigned(lastMaxCwnd, cwnd) <= 0) {
                    bicK = 0;
                    bicOriginPoint = cwnd;
                } else {
                    // K = cbrt((wmax - cwnd) / C) in 1/1024 s
                    bicK = cubicRoot(CUBE_FACTOR * Integer.toUnsignedLong(lastMaxCwnd - cwnd));
                    bicOriginPoint = lastMaxCwnd;
                }
            }
            // the target one delay_min ahead, in 1/1024 s
            long t = (long) (jiffies - epochStart) + usecsToJiffies(delayMin);
            t = (t << BICTCP_HZ) / HZ;
            int bicTarget = bicTarget(bicOriginPoint, bicK, t);
            if (Integer.compareUnsigned(bicTarget, cwnd) > 0) {
                cnt = Integer.divideUnsigned(cwnd, bicTarget - cwnd);
            } else {
                cnt = 100 * cwnd;   // very small increment
            }
            // The initial growth of the cubic function may be too conservative when the bandwidth is unknown.
            if (lastMaxCwnd == 0 && Integer.compareUnsigned(cnt, 20) > 0) cnt = 20;   // 5% per RTT
        }

        // tcp_friendliness: never grow slower than the Reno estimate (alpha = 3(1 - beta)/(1 + beta))
        if (TCP_FRIENDLINESS) {
            int delta = (cwnd * BETA_SCALE) >>> 3;   // ACKed segments per +1 of the Reno estimate
            if (delta > 0 && Integer.compareUnsigned(ackCnt, delta) > 0) {
                int steps = Integer.divideUnsigned(ackCnt - 1, delta);   // while (ack_cnt > delta)
                ackCnt -= steps * delta;
                tcpCwnd += steps;
            }
            if (Integer.compareUnsigned(tcpCwnd, cwnd) > 0) {   // if bic is slower than tcp
                int maxCnt = Integer.divideUnsigned(cwnd, tcpCwnd - cwnd);
                if (Integer.compareUnsigned(cnt, maxCnt) > 0) cnt = maxCnt;
            }
        }
        // At most 1 packet per 2 ACKed: cwnd grows at most 1.5x per RTT.
        if (Integer.compareUnsigned(cnt, 2) < 0) cnt = 2;
    }

    // cubictcp_cong_avoid()
    @Override
    public void congAvoid(CongState tp, long ack, int acked) {
        if (!TcpCong.isCwndLimited(tp)) return;
        if (tp.inSlowStart()) {
            acked = TcpCong.slowStart(tp, acked);
            if (acked == 0) return;
        }
        update(tp, tp.sndCwnd, acked);
        TcpCong.congAvoidAi(tp, cnt, acked);
    }

    // cubictcp_recalc_ssthresh(): Wmax (with fast convergence) and cwnd * 717/1024
    @Override
    public int ssthresh(CongState tp) {
        epochStart = 0;   // end of epoch
        int cwnd = tp.sndCwnd;
        // Wmax and fast convergence
        if (Integer.compareUnsigned(cwnd, lastMaxCwnd) < 0 && FAST_CONVERGENCE) {
            lastMaxCwnd = (int) ((long) cwnd * (BICTCP_BETA_SCALE + BETA) / (2 * BICTCP_BETA_SCALE));
        } else {
            lastMaxCwnd = cwnd;
        }
        return Math.max((int) ((long) cwnd * BETA / BICTCP_BETA_SCALE), 2);
    }

    // cubictcp_state(): an RTO forgets everything, HyStart included
    @Override
    public void setState(CongState tp, CaState newState) {
        if (newState == CaState.LOSS) {
            reset();
            hystartReset(tp);
        }
    }

    // .undo_cwnd = tcp_reno_undo_cwnd
    @Override
    public int undoCwnd(CongState tp) {
        return TcpCong.renoUndoCwnd(tp);
    }

    // hystart_ack_delay(): cushion for TSO/GRO aggregation, two GSO packets at the pacing rate, at most 1 ms
    static int hystartAckDelay(CongState tp) {
        long rate = tp.pacingRate;
        if (rate <= 0) return 0;
        return (int) Math.min(1000L, (long) tp.gsoMaxSize * 4 * 1_000_000L / rate);
    }

    // hystart_update(): ACK-train and delay-increase detection; on either, ssthresh = cwnd
    private void hystartUpdate(CongState tp, int delay) {
        if ((int) (tp.sndUna - endSeq) > 0) hystartReset(tp);   // after(snd_una, end_seq)

        // hystart triggers when cwnd is larger than some threshold
        if (tp.sndCwnd < HYSTART_LOW_WINDOW) return;

        if ((HYSTART_DETECT & HYSTART_ACK_TRAIN) != 0) {
            int now = (int) tp.nowUs;
            // first detection parameter - ack-train detection
            if (now - lastAck <= HYSTART_ACK_DELTA_US) {
                lastAck = now;
                int threshold = delayMin + hystartAckDelay(tp);
                // The train spans more than delay_min/2 (pacing may delay packets up to RTT/2 in slow start).
                if (!tp.pacingNeeded) threshold >>>= 1;
                if (Integer.compareUnsigned(now - roundStart, threshold) > 0) {
                    found = true;
                    tp.mib.add(CaMib.TCP_HYSTART_TRAIN_DETECT, 1);
                    tp.mib.add(CaMib.TCP_HYSTART_TRAIN_CWND, tp.sndCwnd);
                    tp.sndSsthresh = tp.sndCwnd;
                }
            }
        }

        if ((HYSTART_DETECT & HYSTART_DELAY) != 0) {
            // obtain the minimum delay of more than sampling packets
            if (Integer.compareUnsigned(currRtt, delay) > 0) currRtt = delay;
            if (sampleCnt < HYSTART_MIN_SAMPLES) {
                sampleCnt++;
            } else {
                int thresh = Math.min(Math.max(delayMin >>> 3, HYSTART_DELAY_MIN), HYSTART_DELAY_MAX);
                if (Integer.compareUnsigned(currRtt, delayMin + thresh) > 0) {
                    found = true;
                    tp.mib.add(CaMib.TCP_HYSTART_DELAY_DETECT, 1);
                    tp.mib.add(CaMib.TCP_HYSTART_DELAY_CWND, tp.sndCwnd);
                    tp.sndSsthresh = tp.sndCwnd;
                }
            }
        }
    }

    // cubictcp_acked(): delay_min from RTT samples, and HyStart while in slow start
    @Override
    public void pktsAcked(CongState tp, AckSample sample) {
        // Some calls are for duplicates without timestamps
        if (sample.rttUs() < 0) return;
        // Discard delay samples right after fast recovery
        if (epochStart != 0 && jiffies(tp.nowUs) - epochStart < HZ) return;

        int delay = (int) Math.min(sample.rttUs(), 0xffffffffL);
        if (delay == 0) delay = 1;
        // first time call or link delay decreases
        if (delayMin == 0 || Integer.compareUnsigned(delayMin, delay) > 0) delayMin = delay;

        if (!found && tp.inSlowStart() && HYSTART) hystartUpdate(tp, delay);
    }

    /**
     * struct bictcp's fields for ss -ti and series: bic_K (1/1024 s), bic_origin_point,
     * last_max_cwnd, last_cwnd, cnt, delay_min (us), tcp_cwnd, ack_cnt, epoch_start (jiffies),
     * hystart_found (0/1), curr_rtt (us), sample_cnt.
     */
    @Override
    public double info(String key) {
        return switch (key) {
            case "bic_K" -> Integer.toUnsignedLong(bicK);
            case "bic_origin_point" -> Integer.toUnsignedLong(bicOriginPoint);
            case "last_max_cwnd" -> Integer.toUnsignedLong(lastMaxCwnd);
            case "last_cwnd" -> Integer.toUnsignedLong(lastCwnd);
            case "cnt" -> Integer.toUnsignedLong(cnt);
            case "delay_min" -> Integer.toUnsignedLong(delayMin);
            case "tcp_cwnd" -> Integer.toUnsignedLong(tcpCwnd);
            case "ack_cnt" -> Integer.toUnsignedLong(ackCnt);
            case "epoch_start" -> Integer.toUnsignedLong(epochStart);
            case "hystart_found" -> found ? 1 : 0;
            case "curr_rtt" -> Integer.toUnsignedLong(currRtt);
            case "sample_cnt" -> sampleCnt;
            default -> Double.NaN;
        };
    }
}
