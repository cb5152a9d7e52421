package knetsim.topology.results;

/**
 * What flows.csv adds for a TCP flow: the congestion control, retransmitted segments (TCP_INFO
 * tcpi_total_retrans), the congestion window's range over the sender's samples (segments), the time to the
 * first byte read by the server and the flow completion time (both from the connect() call; NaN when not
 * reached), and whether the flow finished (all data read by the server before the run ended).
 */
public record TcpColumns(String cc, long retransSegs, double cwndMin, double cwndMax, double cwndMean, double ttfbNs,
                         double completionNs, boolean finished) {
    static final String[] COLUMNS = {"tcp_cc", "tcp_retrans_segs", "tcp_cwnd_min", "tcp_cwnd_max", "tcp_cwnd_mean",
        "tcp_ttfb_ns", "tcp_completion_ns", "tcp_finished"};

    String[] cells() {
        return new String[] {cc, Csv.number(retransSegs), Csv.number(cwndMin), Csv.number(cwndMax), Csv.number(cwndMean),
            Csv.number(ttfbNs), Csv.number(completionNs), finished ? "yes" : "no"};
    }

    static String[] empty() {
        String[] e = new String[COLUMNS.length];
        java.util.Arrays.fill(e, "");
        return e;
    }
}
