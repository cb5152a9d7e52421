package knetsim.node.tcp;

import java.util.function.UnaryOperator;

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

    /** A copy with some sysctls changed: {@code linuxDefaults().with(s -> s.congestionControl("reno").ecn(1))}. */
    public TcpSysctl with(UnaryOperator<Builder> change) {
        return change.apply(new Builder(this)).build();
    }

    /** The sysctls a config or a test changes, each starting from the copied record's value. */
    public static final class Builder {
        private final TcpSysctl from;
        private String congestionControl;
        private boolean sack, timestamps, slowStartAfterIdle, autocorking;
        private int ecn;

        private Builder(TcpSysctl from) {
            this.from = from;
            congestionControl = from.congestionControl;
            sack = from.sack;
            timestamps = from.timestamps;
            slowStartAfterIdle = from.slowStartAfterIdle;
            autocorking = from.autocorking;
            ecn = from.ecn;
        }

        /** net.ipv4.tcp_congestion_control: the default for new sockets. */
        public Builder congestionControl(String name) {
            congestionControl = name;
            return this;
        }

        /** net.ipv4.tcp_sack. */
        public Builder sack(boolean on) {
            sack = on;
            return this;
        }

        /** net.ipv4.tcp_timestamps. */
        public Builder timestamps(boolean on) {
            timestamps = on;
            return this;
        }

        /** net.ipv4.tcp_slow_start_after_idle. */
        public Builder slowStartAfterIdle(boolean on) {
            slowStartAfterIdle = on;
            return this;
        }

        /** net.ipv4.tcp_autocorking. */
        public Builder autocorking(boolean on) {
            autocorking = on;
            return this;
        }

        /** net.ipv4.tcp_ecn: 0 off, 1 ask for and accept ECN, 2 accept when asked. */
        public Builder ecn(int mode) {
            if (mode < 0 || mode > 2) throw new IllegalArgumentException("tcp_ecn " + mode + " is not 0, 1 or 2");
            ecn = mode;
            return this;
        }

        private TcpSysctl build() {
            TcpSysctl f = from;
            return new TcpSysctl(f.rmem, f.wmem, congestionControl, f.synRetries, f.synLinearTimeouts, f.synackRetries,
                    f.retries2, sack, timestamps, f.windowScaling, f.initCwnd, slowStartAfterIdle, f.recovery, f.frto,
                    f.somaxconn, f.finTimeoutNs, f.keepaliveTimeNs, f.keepaliveIntvlNs, f.keepaliveProbes, autocorking,
                    f.limitOutputBytes, f.reordering, f.maxReordering, ecn, f.moderateRcvbuf);
        }
    }
}
