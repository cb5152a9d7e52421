package knetsim.node.tcp;

/** tcp_get_info(): struct tcp_info from a socket (ss -ti). */
final class TcpInfos {
    private TcpInfos() {}

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
                (sk.ecnFlags & TcpEcn.SEEN) != 0, sk.deliveredCe, sk.stats.samples(),
                sk.stats.rttPercentile(0.5), sk.stats.rttPercentile(0.9), sk.stats.rttPercentile(0.99), sk.stats.minCwnd(),
                sk.stats.maxCwnd(), sk.stats.meanCwnd());
    }
}
