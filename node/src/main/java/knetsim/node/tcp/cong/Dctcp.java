package knetsim.node.tcp.cong;

/**
 * DataCenter TCP (net/ipv4/tcp_dctcp.c, RFC 8257): Reno whose reduction on an ECN echo is proportional to
 * alpha, a moving average (gain g = 1/2^dctcp_shift_g) of the fraction of delivered segments that were
 * CE-marked, updated once per window of data (per RTT). alpha is kept scaled by 1024 (DCTCP_MAX_ALPHA) and
 * starts at dctcp_alpha_on_init; ssthresh = cwnd - cwnd * alpha / 2048. As the receiver, it echoes CE
 * exactly (dctcp_ece_ack_update()): ECE follows the CE state of the last segment, and a change of state
 * sends the delayed ACK first with the old state. A loss halves cwnd as Reno does. A connection that did not
 * negotiate ECN falls back to "dctcp-reno" (plain Reno, Not-ECT), as dctcp_init() switches icsk_ca_ops.
 */
public final class Dctcp implements TcpCongestionOps {
    /** DCTCP_MAX_ALPHA: alpha = 1.0. */
    public static final int MAX_ALPHA = 1024;
    /** The module parameters' defaults: dctcp_shift_g 4 (g = 1/16), dctcp_alpha_on_init 1024. */
    public static final int DEFAULT_SHIFT_G = 4, DEFAULT_ALPHA_ON_INIT = MAX_ALPHA;

    private final int shiftG;
    private final int alphaOnInit;
    // struct dctcp
    private long oldDelivered;
    private long oldDeliveredCe;
    private long priorRcvNxt;
    private int alpha;
    private long nextSeq;
    private int ceState;
    private int lossCwnd;
    /** icsk_ca_ops == &dctcp_reno: no ECN on this connection. */
    private boolean reno;

    public Dctcp() {
        this(DEFAULT_SHIFT_G, DEFAULT_ALPHA_ON_INIT);
    }

    /** With module parameters dctcp_shift_g (0..10) and dctcp_alpha_on_init. */
    public Dctcp(int shiftG, int alphaOnInit) {
        if (shiftG < 0 || shiftG > 10) throw new IllegalArgumentException("dctcp_shift_g " + shiftG + " is not in 0..10");
        this.shiftG = shiftG;
        this.alphaOnInit = alphaOnInit;
        this.alpha = Math.min(alphaOnInit, MAX_ALPHA);
    }

    @Override
    public String name() {
        return reno ? "dctcp-reno" : "dctcp";
    }

    /** dctcp_alpha, scaled by 1024. */
    public int alpha() {
        return alpha;
    }

    /** ce_state: whether the last segment received was CE-marked. */
    public int ceState() {
        return ceState;
    }

    // dctcp_init(): with ECN negotiated, alpha starts at dctcp_alpha_on_init; without, fall back to Reno, Not-ECT.
    @Override
    public void init(CongState tp) {
        if (tp.ecnOk) {
            priorRcvNxt = tp.rcvNxt;
            alpha = Math.min(alphaOnInit, MAX_ALPHA);
            lossCwnd = 0;
            ceState = 0;
            reset(tp);
            return;
        }
        reno = true;
        tp.sock.ecnDontXmit();
    }

    // dctcp_reset(): a new observation window ends when snd_nxt of now is acknowledged.
    private void reset(CongState tp) {
        nextSeq = tp.sndNxt;
        oldDelivered = tp.delivered;
        oldDeliveredCe = tp.deliveredCe;
    }

    // dctcp_ssthresh(): cwnd reduced by alpha / 2 (reno: by half).
    @Override
    public int ssthresh(CongState tp) {
        if (reno) return TcpCong.renoSsthresh(tp);
        lossCwnd = tp.sndCwnd;
        return (int) Math.max(tp.sndCwnd - (((long) tp.sndCwnd * alpha) >> 11), 2);
    }

    // dctcp_update_alpha(): once per window, alpha = (1 - g) * alpha + g * delivered_ce / delivered.
    @Override
    public void inAckEvent(CongState tp, int flags) {
        if (reno || tp.sndUna < nextSeq) return;
        long delivered = (tp.delivered - oldDelivered) & 0xffffffffL;
        long deliveredCe = (tp.deliveredCe - oldDeliveredCe) & 0xffffffffL;
        int a = alpha;
        int decay = a >>> shiftG;
        a -= decay == 0 ? a : decay; // min_not_zero(alpha, alpha >> g)
        if (deliveredCe != 0) {
            deliveredCe = (deliveredCe << (10 - shiftG)) & 0xffffffffL;
            deliveredCe /= Math.max(1, delivered);
            a = (int) Math.min(a + deliveredCe, MAX_ALPHA);
        }
        alpha = a;
        reset(tp);
    }

    // dctcp_react_to_loss(): a loss halves the window, as Reno.
    private void reactToLoss(CongState tp) {
        lossCwnd = tp.sndCwnd;
        tp.sndSsthresh = Math.max(tp.sndCwnd >>> 1, 2);
    }

    // dctcp_state(): entering Recovery is a loss (an RTO comes as CA_EVENT_LOSS, once per RTT).
    @Override
    public void setState(CongState tp, CaState newState) {
        if (!reno && newState == CaState.RECOVERY && newState != tp.caState) reactToLoss(tp);
    }

    // dctcp_cwnd_event()
    @Override
    public void cwndEvent(CongState tp, CaEvent event) {
        if (reno) return;
        switch (event) {
            case ECN_IS_CE, ECN_NO_CE -> eceAckUpdate(tp, event);
            case LOSS -> reactToLoss(tp);
            default -> {}
        }
    }

    // dctcp_ece_ack_update(): ECE mirrors the CE state; a change sends the pending delayed ACK with the old state
    // first (acknowledging what arrived before), then the ACK of this segment goes at once.
    private void eceAckUpdate(CongState tp, CaEvent event) {
        int newCeState = event == CaEvent.ECN_IS_CE ? 1 : 0;
        if (ceState != newCeState) {
            if (tp.sock.delayedAckPending()) {
                tp.sock.demandCwr(ceState == 1); // dctcp_ece_ack_cwr(sk, *ce_state)
                tp.sock.sendAck(priorRcvNxt);
            }
            tp.sock.ackNow();
        }
        priorRcvNxt = tp.rcvNxt;
        ceState = newCeState;
        tp.sock.demandCwr(newCeState == 1);
    }

    // dctcp_cwnd_undo()
    @Override
    public int undoCwnd(CongState tp) {
        if (reno) return TcpCong.renoUndoCwnd(tp);
        return Math.max(tp.sndCwnd, lossCwnd);
    }

    // tcp_reno_cong_avoid()
    @Override
    public void congAvoid(CongState tp, long ack, int acked) {
        TcpCong.renoCongAvoid(tp, ack, acked);
    }

    /** TCP_CONG_NEEDS_ECN (dctcp_reno has no flags). */
    @Override
    public boolean needsEcn() {
        return !reno;
    }

    // dctcp_get_info(): ss -ti's dctcp:(ce_state, alpha, ab_ecn, ab_tot); NaN once fallen back to Reno.
    @Override
    public double info(String key) {
        if (reno) return Double.NaN;
        return switch (key) {
            case "dctcp_alpha" -> alpha;
            case "dctcp_ce_state" -> ceState;
            default -> Double.NaN;
        };
    }

    /** dctcp_ab_ecn: bytes delivered CE-marked in the current window (mss_cache * delivered_ce). */
    public long abEcn(CongState tp) {
        return (long) tp.mssCache * (tp.deliveredCe - oldDeliveredCe);
    }

    /** dctcp_ab_tot: bytes delivered in the current window. */
    public long abTot(CongState tp) {
        return (long) tp.mssCache * (tp.delivered - oldDelivered);
    }
}
