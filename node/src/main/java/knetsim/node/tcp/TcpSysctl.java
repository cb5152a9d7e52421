package knetsim.node.tcp;

/**
 * The net.ipv4.tcp_* sysctls of one host, Linux 6.x defaults (Documentation/networking/ip-sysctl.rst).
 * A config may override them per host.
 */
public record TcpSysctl(int[] rmem, int[] wmem, String congestionControl, int synRetries, int synLinearTimeouts,
                        int synackRetries, int retries2, boolean sack, boolean timestamps, boolean windowScaling,
                        int initCwnd, boolean slowStartAfterIdle, int recovery, int frto, int somaxconn,
                        long finTimeoutNs, long keepaliveTimeNs, long keepaliveIntvlNs, int keepaliveProbes,
                        boolean autocorking, int limitOutputBytes, int reordering, int maxReordering, int ecn,
                        boolean moderateRcvbuf) {
    public static TcpSysctl linuxDefaults() {
        return new TcpSysctl(new int[] {4096, 131072, 6291456}, new int[] {4096, 16384, 4194304}, "cubic", 6, 4, 5, 15,
                true, true, true, 10, true, 1, 2, 4096, 60_000_000_000L, 7200_000_000_000L, 75_000_000_000L, 9, true,
                1_048_576, 3, 300, 2, true);
    }

    /** A copy with another net.ipv4.tcp_ecn (0 off, 1 ask for and accept ECN, 2 accept when asked). */
    public TcpSysctl withEcn(int ecn) {
        if (ecn < 0 || ecn > 2) throw new IllegalArgumentException("tcp_ecn " + ecn + " is not 0, 1 or 2");
        return new TcpSysctl(rmem, wmem, congestionControl, synRetries, synLinearTimeouts, synackRetries, retries2, sack,
                timestamps, windowScaling, initCwnd, slowStartAfterIdle, recovery, frto, somaxconn, finTimeoutNs,
                keepaliveTimeNs, keepaliveIntvlNs, keepaliveProbes, autocorking, limitOutputBytes, reordering,
                maxReordering, ecn, moderateRcvbuf);
    }

    /** A copy with another default congestion control (net.ipv4.tcp_congestion_control). */
    public TcpSysctl withCongestionControl(String name) {
        return new TcpSysctl(rmem, wmem, name, synRetries, synLinearTimeouts, synackRetries, retries2, sack, timestamps,
                windowScaling, initCwnd, slowStartAfterIdle, recovery, frto, somaxconn, finTimeoutNs, keepaliveTimeNs,
                keepaliveIntvlNs, keepaliveProbes, autocorking, limitOutputBytes, reordering, maxReordering, ecn,
                moderateRcvbuf);
    }

    /** A copy with net.ipv4.tcp_sack set. */
    public TcpSysctl withSack(boolean on) {
        return new TcpSysctl(rmem, wmem, congestionControl, synRetries, synLinearTimeouts, synackRetries, retries2, on,
                timestamps, windowScaling, initCwnd, slowStartAfterIdle, recovery, frto, somaxconn, finTimeoutNs,
                keepaliveTimeNs, keepaliveIntvlNs, keepaliveProbes, autocorking, limitOutputBytes, reordering,
                maxReordering, ecn, moderateRcvbuf);
    }

    /** A copy with net.ipv4.tcp_autocorking set. */
    public TcpSysctl withAutocorking(boolean on) {
        return new TcpSysctl(rmem, wmem, congestionControl, synRetries, synLinearTimeouts, synackRetries, retries2, sack,
                timestamps, windowScaling, initCwnd, slowStartAfterIdle, recovery, frto, somaxconn, finTimeoutNs,
                keepaliveTimeNs, keepaliveIntvlNs, keepaliveProbes, on, limitOutputBytes, reordering, maxReordering, ecn,
                moderateRcvbuf);
    }

    /** A copy with net.ipv4.tcp_slow_start_after_idle set. */
    public TcpSysctl withSlowStartAfterIdle(boolean on) {
        return new TcpSysctl(rmem, wmem, congestionControl, synRetries, synLinearTimeouts, synackRetries, retries2, sack,
                timestamps, windowScaling, initCwnd, on, recovery, frto, somaxconn, finTimeoutNs, keepaliveTimeNs,
                keepaliveIntvlNs, keepaliveProbes, autocorking, limitOutputBytes, reordering, maxReordering, ecn,
                moderateRcvbuf);
    }
}
