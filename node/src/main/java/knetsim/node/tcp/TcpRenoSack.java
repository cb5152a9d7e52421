package knetsim.node.tcp;

/**
 * tcp_input.c's emulation of SACK for a peer without it (tcp_is_reno()): each duplicate ACK counts as one
 * segment SACKed in sacked_out, a cumulative ACK eats them again, and NewReno marks the head lost after
 * tp->reordering duplicate ACKs or on every partial ACK in Recovery (tcp_newreno_mark_lost()).
 */
final class TcpRenoSack {
    private TcpRenoSack() {}

    // tcp_add_reno_sack(): a duplicate ACK means one more segment left the network.
    static void add(Tcp tcp, TcpSock sk, int numDupack) {
        if (numDupack <= 0) return;
        int prior = sk.sackedOut;
        sk.sackedOut += numDupack;
        checkReordering(tcp, sk, 0);
        int delivered = sk.sackedOut - prior;
        if (delivered > 0) sk.delivered += delivered;
    }

    // tcp_remove_reno_sacks(): a cumulative ACK of {@code acked} segments: one filled the hole, the rest were
    // the segments the duplicate ACKs already counted.
    static void remove(Tcp tcp, TcpSock sk, int acked) {
        if (acked > 0) {
            sk.delivered += Math.max(acked - sk.sackedOut, 1);
            if (acked - 1 >= sk.sackedOut) sk.sackedOut = 0;
            else sk.sackedOut -= acked - 1;
        }
        checkReordering(tcp, sk, acked);
    }

    // tcp_reset_reno_sack()
    static void reset(TcpSock sk) {
        sk.sackedOut = 0;
    }

    // tcp_check_reno_reordering(): more duplicate ACKs than holes can explain: the path reorders.
    private static void checkReordering(Tcp tcp, TcpSock sk, int addend) {
        if (!limitSacked(sk)) return;
        sk.reordering = Math.min(sk.packetsOut + addend, tcp.sysctl.maxReordering());
        sk.reordSeen++;
        tcp.inc(TcpMib.TCP_RENO_REORDER);
    }

    // tcp_limit_reno_sacked(): sacked_out cannot exceed what is out less the holes.
    private static boolean limitSacked(TcpSock sk) {
        int holes = Math.min(Math.max(sk.lostOut, 1), sk.packetsOut);
        if (sk.sackedOut + holes > sk.packetsOut) {
            sk.sackedOut = sk.packetsOut - holes;
            return true;
        }
        return false;
    }

    // tcp_newreno_mark_lost(): the head is lost after reordering duplicate ACKs, or on a partial ACK in Recovery.
    static void markLost(Tcp tcp, TcpSock sk, boolean sndUnaAdvanced) {
        boolean recovery = sk.caState() == knetsim.node.tcp.cong.CaState.RECOVERY;
        if ((sk.caState().ordinal() < knetsim.node.tcp.cong.CaState.RECOVERY.ordinal() && sk.sackedOut >= sk.reordering)
                || (recovery && sndUnaAdvanced)) {
            if (sk.rtxQueue.isEmpty()) return;
            TcpSkb head = sk.rtxQueue.get(0);
            if (head.has(TcpSkb.LOST)) return;
            tcp.rack.markSkbLost(sk, head);
        }
    }
}
