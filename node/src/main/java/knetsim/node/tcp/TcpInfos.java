package knetsim.node.tcp;

/** tcp_get_info(): struct tcp_info from a socket (ss -ti). */
final class TcpInfos {
    private TcpInfos() {}

    // bbr_get_info(): the algorithm's INET_DIAG_BBRINFO field, -1 for another algorithm
    private static long bbr(TcpSock sk, String key) {
        double v = sk.ca == null ? Double.NaN : sk.ca.info(key);
        return Double.isNaN(v) ? -1 : (long) v;
    }

    static TcpInfo of(TcpSock sk, long now) {
        String ca = sk.caState().name();
        return new TcpInfo(sk.state, ca.charAt(0) + ca.substring(1).toLowerCase(),
                sk.ca != null ? sk.ca.name() : sk.caName, sk.retransmits, sk.probesOut,
                sk.backoff, sk.rtoNs / 1000, sk.atoNs / 1000, sk.mssCache, sk.rcvMss, sk.packetsOut, sk.sackedOut,
                sk.lostOut, sk.retransOut, sk.srttUs, sk.rttvarUs, sk.minRttUs == Long.MAX_VALUE ? 0 : sk.minRttUs,
                sk.cong.sndSsthresh, sk.cong.sndCwnd, sk.advmss, sk.reordering, (int) sk.rcvqSpaceSpace, (int) sk.rcvWnd,
                (int) sk.sndWnd, sk.totalRetrans, sk.bytesSent, sk.bytesRetrans, sk.bytesAcked, sk.bytesReceived,
                sk.segsOut, sk.segsIn, sk.dataSegsOut, sk.dataSegsIn, sk.deliveryRate, sk.deliveryAppLimited,
                sk.cong.pacingRate, sk.writeSeq - sk.sndNxt, (int) sk.rcvSsthresh, TcpEcn.ok(sk),
                (sk.ecnFlags & TcpEcn.SEEN) != 0, sk.deliveredCe, bbr(sk, "bbr_bw"),
                bbr(sk, "bbr_min_rtt"), (int) bbr(sk, "bbr_pacing_gain"), (int) bbr(sk, "bbr_cwnd_gain"), sk.stats.samples(),
                sk.stats.rttPercentile(0.5), sk.stats.rttPercentile(0.9), sk.stats.rttPercentile(0.99), sk.stats.minCwnd(),
                sk.stats.maxCwnd(), sk.stats.meanCwnd());
    }
}
